"""Reading import jobs and who started them (from the audit log)."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.audit.models import AuditEntry
from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.imports.models import BuurtImport

RECENT = 20


def recent_imports() -> sa.Select:
    return sa.select(BuurtImport).order_by(BuurtImport.created_at.desc(),
                                           BuurtImport.id.desc()).limit(RECENT)


def started_by(job: BuurtImport) -> User | None:
    """Who uploaded the file: the actor of the job's first audit entry."""
    return db.session.scalar(
        sa.select(User).join(AuditEntry, AuditEntry.actor_id == User.id)
        .where(AuditEntry.subject_type == BuurtImport.__tablename__,
               AuditEntry.subject_id == job.id, AuditEntry.action == "buurten.import")
        .limit(1))
