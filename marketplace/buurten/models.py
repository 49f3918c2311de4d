"""A resident's question to the wijkwerker of their buurt, through the platform."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.geo.models import Buurt

MAX_QUESTION = 2000


class BuurtQuestion(db.Model):
    __table_args__ = (
        # A wijkwerker's list: the open ones of their buurten first, newest first.
        sa.Index("ix_buurt_question_buurt_open", "buurt_id", "answered_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    buurt_id: Mapped[int] = mapped_column(sa.ForeignKey("buurt.id", ondelete="CASCADE"))
    sender_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"),
                                           index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime]
    answer: Mapped[str | None] = mapped_column(sa.Text)
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)

    buurt: Mapped[Buurt] = relationship()
    sender: Mapped[User] = relationship(foreign_keys=[sender_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
