"""Reading the audit log: admins read all of it, wijkwerkers the entries of their area."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from marketplace.accountability.labels import PLEDGE_LABELS, PLEDGE_STATUS_LABELS
from marketplace.accountability.labels import ROLE_LABELS as GEMEENTE_ROLE_LABELS
from marketplace.accountability.models import GemeenteRole, PledgeKind, PledgeStatus
from marketplace.admin.forms import ROLE_LABELS
from marketplace.assisted.labels import CHANNEL_LABELS, CONSENT_LABELS, STEP_LABELS
from marketplace.assisted.models import Channel, ConsentWay
from marketplace.audit.labels import FIELD_LABELS
from marketplace.audit.models import AuditEntry
from marketplace.auth.models import Role, User
from marketplace.auth.queries import covered_buurt_ids
from marketplace.extensions import db
from marketplace.imports.labels import STATUS_LABELS as IMPORT_STATUS_LABELS
from marketplace.imports.models import ImportStatus
from marketplace.listings.categories import category_by_slug
from marketplace.listings.labels import STATUS_LABELS as LISTING_STATUS_LABELS
from marketplace.listings.models import ListingStatus


def entries_for(reader: User, action: str | None = None) -> sa.Select:
    """Newest first; a wijkwerker sees only what happened in the buurten they cover, a gemeente
    admin everything in their gemeente (its people and settings too)."""
    query = (sa.select(AuditEntry).options(selectinload(AuditEntry.actor))
             .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    covered = covered_buurt_ids(reader)
    if covered is not None and reader.holds(Role.GEMEENTE_ADMIN):
        query = query.where(sa.or_(AuditEntry.buurt_id.in_(covered),
                                   AuditEntry.gemeente_id == reader.gemeente_id))
    elif covered is not None:
        query = query.where(AuditEntry.buurt_id.in_(covered))
    if action:
        query = query.where(AuditEntry.action == action)
    return query


def entries_about(subject) -> list[AuditEntry]:
    """What happened to one item, oldest first (shown on its moderation page)."""
    return list(db.session.scalars(
        sa.select(AuditEntry).options(selectinload(AuditEntry.actor))
        .where(AuditEntry.subject_type == subject.__tablename__,
               AuditEntry.subject_id == subject.id)
        .order_by(AuditEntry.at, AuditEntry.id)))


# Fields of a change that name a person by id; shown with the person's current name.
PERSON_FIELDS = ("co_initiator_id", "initiator_id", "for_id", "coordinator_id", "responsible_id")


def people_named(entries: list[AuditEntry]) -> dict[int, User]:
    """The people the entries name (as subject or in a change), loaded in one query."""
    ids = {entry.subject_id for entry in entries
           if entry.subject_type == "user" and entry.subject_id}
    ids |= {value for entry in entries for part in (entry.before, entry.after) if part
            for key, value in part.items() if key in PERSON_FIELDS and isinstance(value, int)}
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}


def person(user_id, people: dict[int, User]) -> str:
    """A person in the log: their name as it is now (or "Former resident") and their number."""
    user = people.get(user_id)
    return f"{user.display_name} (#{user_id})" if user is not None else f"#{user_id}"


def actor_of(entry: AuditEntry) -> str | None:
    """Who did it, as :func:`person` shows people; None when it happened by itself."""
    return person(entry.actor_id, {entry.actor_id: entry.actor}) if entry.actor else None


def subject_of(entry: AuditEntry, people: dict[int, User]) -> str:
    if entry.subject_type == "user" and entry.subject_id:
        return person(entry.subject_id, people)
    return entry.subject_label


def _value_labels(subject_type: str) -> dict[str, Callable[[Any], str]]:
    """How a stored value reads, per field: through the labels the pages use."""
    statuses = {"pledge": (PledgeStatus, PLEDGE_STATUS_LABELS),
                "buurt_import": (ImportStatus, IMPORT_STATUS_LABELS)}.get(
        subject_type, (ListingStatus, LISTING_STATUS_LABELS))

    def category(slug) -> str:
        found = category_by_slug(slug) if isinstance(slug, str) else None
        return found.name(str(get_locale())) if found is not None else _shown(slug)

    return {
        "status": lambda value: str(statuses[1][statuses[0](value)]),
        "role": lambda value: str(GEMEENTE_ROLE_LABELS[GemeenteRole(value)]),
        "kind": lambda value: str(PLEDGE_LABELS[PledgeKind(value)]),
        "roles": lambda value: ", ".join(str(ROLE_LABELS[Role(role)]) for role in value) or "–",
        "category": category,
        "suspended_until": lambda value: format_datetime(datetime.fromisoformat(value), "short"),
        "due_on": lambda value: format_date(date.fromisoformat(value), "medium"),
        "channel": lambda value: str(CHANNEL_LABELS[Channel(value)]),
        "consent_way": lambda value: str(CONSENT_LABELS[ConsentWay(value)]),
        "step": lambda value: str(STEP_LABELS.get(value, value)),
    }


def _shown(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    return str(value)


def changes(entry: AuditEntry, people: dict[int, User]) -> list[tuple[str, str, str]]:
    """What changed, as (field, before, after) in the words the pages use, leaving out what
    stayed the same."""
    before, after = entry.before or {}, entry.after or {}
    fields = list(dict.fromkeys([*before, *after]))
    if entry.action == "demo.remove":  # rows removed per table, not fields of one thing
        return [(name, _shown(before.get(name)), _shown(after.get(name))) for name in fields]
    readable = _value_labels(entry.subject_type)

    def shown(name: str, value) -> str:
        if name in PERSON_FIELDS and value:
            return person(value, people)
        if value is not None and name in readable:
            try:
                return readable[name](value)
            except (ValueError, KeyError, TypeError):  # a value from before a rename
                return _shown(value)
        return _shown(value)

    return [(str(FIELD_LABELS.get(name, name)), shown(name, before.get(name)),
             shown(name, after.get(name)))
            for name in fields if before.get(name) != after.get(name)]


CSV_HEADER = ["id", "at", "actor", "action", "subject_type", "subject_id", "subject",
              "gemeente_id", "buurt_id", "reason", "before", "after"]


def csv_rows(query: sa.Select) -> Iterator[list]:
    """Rows for the CSV export, read in batches so a long log does not fill the memory."""
    for entry in db.session.scalars(query.execution_options(yield_per=500)):
        yield [entry.id, entry.at.isoformat(), actor_of(entry) or "",
               entry.action, entry.subject_type, entry.subject_id or "", entry.subject_label,
               entry.gemeente_id or "", entry.buurt_id or "", entry.reason or "",
               json.dumps(entry.before, ensure_ascii=False) if entry.before else "",
               json.dumps(entry.after, ensure_ascii=False) if entry.after else ""]
