"""Audit entries, append-only.

Nothing in the application may change or remove an entry: the session refuses it here, and the
database refuses it too (triggers from migration 0008), so a raw statement fails as well.
"""

from __future__ import annotations

from datetime import datetime
from itertools import chain

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.models_base import utcnow


class AuditLogIsAppendOnly(Exception):
    """Something tried to change or delete an audit entry."""


class AuditEntry(db.Model):
    __table_args__ = (
        sa.Index("ix_audit_entry_at", "at", "id"),
        # What happened to one item or person (its moderation page, a person's download).
        sa.Index("ix_audit_entry_subject", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(40))  # "listing.hide", "user.role", ...
    subject_type: Mapped[str] = mapped_column(sa.String(20))
    subject_id: Mapped[int | None]
    # What the subject was called at the time, so the entry reads well after renames.
    subject_label: Mapped[str] = mapped_column(sa.String(200))
    # The area the entry belongs to: wijkwerkers read the entries of the buurten they cover.
    gemeente_id: Mapped[int | None] = mapped_column(sa.ForeignKey("gemeente.id"), index=True)
    buurt_id: Mapped[int | None] = mapped_column(sa.ForeignKey("buurt.id"), index=True)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)

    actor: Mapped[User | None] = relationship()


@sa.event.listens_for(Session, "before_flush")
def _refuse_changed_entries(session, _context, _instances) -> None:
    for instance in chain(session.dirty, session.deleted):
        if isinstance(instance, AuditEntry):
            raise AuditLogIsAppendOnly("audit entries cannot be changed or deleted")


@sa.event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state) -> None:
    if state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is not None and getattr(table, "name", None) == AuditEntry.__tablename__:
            raise AuditLogIsAppendOnly("audit entries cannot be changed or deleted")
