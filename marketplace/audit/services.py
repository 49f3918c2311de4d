"""Writing the audit log. Every service that moderates, or changes a role, pledge or permission,
calls :func:`record` in the same transaction as the change itself."""

from __future__ import annotations

from typing import Any

from marketplace import clock
from marketplace.audit.models import AuditEntry
from marketplace.auth.models import User
from marketplace.extensions import db

LABEL_LENGTH = 200


def _label(subject: Any) -> str:
    if isinstance(subject, User):
        # A person is named by number only: the log outlives a deleted account, and the page
        # shows the current name (or "Former resident") next to it.
        return f"#{subject.id}"
    for attribute in ("title", "display_name", "name", "description", "body"):
        value = getattr(subject, attribute, None)
        if value:
            return str(value)[:LABEL_LENGTH]
    return f"{subject.__tablename__} {subject.id}"


def record(actor: User | None, action: str, subject: Any, *, reason: str | None = None,
           before: dict | None = None, after: dict | None = None, buurt_id: int | None = None,
           gemeente_id: int | None = None, label: str | None = None) -> AuditEntry:
    """Add one entry; the area comes from the subject unless given."""
    entry = AuditEntry(
        at=clock.now(), actor_id=actor.id if actor is not None else None, action=action,
        subject_type=subject.__tablename__, subject_id=subject.id,
        subject_label=(label or _label(subject))[:LABEL_LENGTH],
        buurt_id=buurt_id if buurt_id is not None else getattr(subject, "buurt_id", None),
        gemeente_id=(gemeente_id if gemeente_id is not None
                     else getattr(subject, "gemeente_id", None)),
        reason=reason or None, before=before, after=after)
    db.session.add(entry)
    return entry
