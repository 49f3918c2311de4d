"""Reading the audit log: admins read all of it, wijkwerkers the entries of their area."""

from __future__ import annotations

import json
from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace.audit.models import AuditEntry
from marketplace.auth.models import Role, User
from marketplace.auth.queries import covered_buurt_ids
from marketplace.extensions import db


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
PERSON_FIELDS = ("co_initiator_id", "initiator_id")


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


def _shown(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    return str(value)


def changes(entry: AuditEntry, people: dict[int, User]) -> list[tuple[str, str, str]]:
    """What changed, as (field, before, after), leaving out what stayed the same."""
    before, after = entry.before or {}, entry.after or {}
    fields = list(dict.fromkeys([*before, *after]))

    def shown(name: str, value) -> str:
        return person(value, people) if name in PERSON_FIELDS and value else _shown(value)

    return [(name, shown(name, before.get(name)), shown(name, after.get(name)))
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
