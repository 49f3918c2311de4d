"""Reading the audit log: admins read all of it, wijkwerkers the entries of their area."""

from __future__ import annotations

import json
from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace.audit.models import AuditEntry
from marketplace.auth.models import User
from marketplace.auth.queries import covered_buurt_ids
from marketplace.extensions import db


def entries_for(reader: User, action: str | None = None) -> sa.Select:
    """Newest first; a wijkwerker sees only what happened in the buurten they cover."""
    query = (sa.select(AuditEntry).options(selectinload(AuditEntry.actor))
             .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    covered = covered_buurt_ids(reader)
    if covered is not None:
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


def _shown(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    return str(value)


def changes(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """What changed, as (field, before, after), leaving out what stayed the same."""
    before, after = entry.before or {}, entry.after or {}
    fields = list(dict.fromkeys([*before, *after]))
    return [(name, _shown(before.get(name)), _shown(after.get(name))) for name in fields
            if before.get(name) != after.get(name)]


CSV_HEADER = ["id", "at", "actor", "action", "subject_type", "subject_id", "subject",
              "gemeente_id", "buurt_id", "reason", "before", "after"]


def csv_rows(query: sa.Select) -> Iterator[list]:
    """Rows for the CSV export, read in batches so a long log does not fill the memory."""
    for entry in db.session.scalars(query.execution_options(yield_per=500)):
        yield [entry.id, entry.at.isoformat(), entry.actor.display_name if entry.actor else "",
               entry.action, entry.subject_type, entry.subject_id or "", entry.subject_label,
               entry.gemeente_id or "", entry.buurt_id or "", entry.reason or "",
               json.dumps(entry.before, ensure_ascii=False) if entry.before else "",
               json.dumps(entry.after, ensure_ascii=False) if entry.after else ""]
