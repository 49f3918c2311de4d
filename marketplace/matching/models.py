"""A suggestion the owner of a listing said does not fit; it is not shown there again."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db
from marketplace.models_base import utcnow


class MatchDismissal(db.Model):
    resource_id: Mapped[int] = mapped_column(
        sa.ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True)
    suggested_resource_id: Mapped[int] = mapped_column(
        sa.ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True)
    dismissed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
