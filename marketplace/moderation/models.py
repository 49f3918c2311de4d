"""Cases in the moderation queue and the flags residents raise.

A case is one item (a listing, comment or message) waiting for a wijkwerker: a new resident's
listing awaiting approval, or an item somebody flagged. It stays open until a moderator decides;
flags raised meanwhile join the open case.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.geo.models import Buurt
from marketplace.models_base import str_enum, utcnow


class ItemType(enum.StrEnum):
    LISTING = "listing"
    COMMENT = "comment"
    MESSAGE = "message"


class CaseCause(enum.StrEnum):
    APPROVAL = "approval"  # a new resident's listing, pre-moderated
    FLAGS = "flags"


class CaseOutcome(enum.StrEnum):
    APPROVED = "approved"
    KEPT = "kept"  # flags looked at, the item stays (or comes back)
    HIDDEN = "hidden"


class FlagReason(enum.StrEnum):
    SPAM = "spam"
    OFFENSIVE = "offensive"
    PERSONAL_DATA = "personal_data"
    OFF_TOPIC = "off_topic"  # not about this buurt
    OTHER = "other"


class ModerationCase(db.Model):
    __table_args__ = (
        # One open case per item; a closed one stays as history.
        sa.Index("uq_moderation_case_open_item", "item_type", "item_id", unique=True,
                 sqlite_where=sa.text("closed_at IS NULL"),
                 postgresql_where=sa.text("closed_at IS NULL")),
        sa.Index("ix_moderation_case_queue", "closed_at", "buurt_id", "opened_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_type: Mapped[ItemType] = mapped_column(str_enum(ItemType))
    item_id: Mapped[int]
    cause: Mapped[CaseCause] = mapped_column(str_enum(CaseCause))
    buurt_id: Mapped[int] = mapped_column(sa.ForeignKey("buurt.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    escalated_at: Mapped[datetime | None]
    escalation_note: Mapped[str | None] = mapped_column(sa.Text)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    outcome: Mapped[CaseOutcome | None] = mapped_column(str_enum(CaseOutcome))

    buurt: Mapped[Buurt] = relationship()
    flags: Mapped[list[Flag]] = relationship(back_populates="case", order_by="Flag.created_at")


class Flag(db.Model):
    __table_args__ = (
        # One flag per person per item, ever: flagging again does not add weight.
        sa.UniqueConstraint("item_type", "item_id", "reporter_id",
                            name="uq_flag_item_reporter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("moderation_case.id"), index=True)
    item_type: Mapped[ItemType] = mapped_column(str_enum(ItemType))
    item_id: Mapped[int]
    reporter_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"),
                                             index=True)
    reason: Mapped[FlagReason] = mapped_column(str_enum(FlagReason))
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[ModerationCase] = relationship(back_populates="flags")
    reporter: Mapped[User] = relationship()
