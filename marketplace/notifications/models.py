"""Notifications in the app and by e-mail, and how often each person wants e-mail per kind."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.listings.models import Listing
from marketplace.models_base import str_enum, utcnow


class NotificationKind(enum.StrEnum):
    COMMITMENT_NEW = "commitment_new"
    COMMITMENT_ACCEPTED = "commitment_accepted"
    COMMITMENT_DECLINED = "commitment_declined"
    COMMITMENT_WITHDRAWN = "commitment_withdrawn"
    MESSAGE_NEW = "message_new"
    MATCH_SUGGESTION = "match_suggestion"
    LISTING_UPDATE = "listing_update"
    OWNERSHIP = "ownership"
    GEMEENTE = "gemeente_role"
    PLEDGE = "pledge"
    REMINDER = "reminder"
    COMMENT = "comment"
    MODERATION = "moderation"  # a moderator's decision about your content or account
    QUEUE = "queue"  # a new item in a wijkwerker's moderation queue


class ModerationEvent(enum.StrEnum):
    """What happened, for MODERATION and QUEUE notifications; worded when they are read."""

    APPROVED = "approved"
    HIDDEN = "hidden"
    HIDDEN_BY_FLAGS = "hidden_by_flags"
    RESTORED = "restored"
    MOVED = "moved"
    WARNED = "warned"
    SUSPENDED = "suspended"
    UNSUSPENDED = "unsuspended"
    QUEUED = "queued"
    ESCALATED = "escalated"


class Frequency(enum.StrEnum):
    IMMEDIATELY = "immediately"
    DAILY = "daily"
    OFF = "off"


# What a person gets until they choose otherwise: what needs an answer comes at once.
DEFAULT_FREQUENCY = {
    NotificationKind.COMMITMENT_NEW: Frequency.IMMEDIATELY,
    NotificationKind.COMMITMENT_ACCEPTED: Frequency.IMMEDIATELY,
    NotificationKind.COMMITMENT_DECLINED: Frequency.IMMEDIATELY,
    NotificationKind.COMMITMENT_WITHDRAWN: Frequency.IMMEDIATELY,
    NotificationKind.MESSAGE_NEW: Frequency.IMMEDIATELY,
    NotificationKind.MATCH_SUGGESTION: Frequency.DAILY,
    NotificationKind.LISTING_UPDATE: Frequency.DAILY,
    NotificationKind.OWNERSHIP: Frequency.IMMEDIATELY,
    NotificationKind.GEMEENTE: Frequency.IMMEDIATELY,
    NotificationKind.PLEDGE: Frequency.IMMEDIATELY,
    NotificationKind.REMINDER: Frequency.IMMEDIATELY,
    NotificationKind.COMMENT: Frequency.IMMEDIATELY,
    NotificationKind.MODERATION: Frequency.IMMEDIATELY,
    # Wijkwerkers with busy areas would drown in single mails: one digest a day.
    NotificationKind.QUEUE: Frequency.DAILY,
}


class Notification(db.Model):
    __table_args__ = (sa.Index("ix_notification_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    listing_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("listing.id", ondelete="CASCADE"), index=True)
    commitment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("commitment.id", ondelete="CASCADE"))
    event: Mapped[ModerationEvent | None] = mapped_column(str_enum(ModerationEvent))
    # A moderator's reason, in their own words, which the person must be able to read.
    note: Mapped[str | None] = mapped_column(sa.Text)
    # Indexed for the retention rule, which removes old notifications every day.
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]
    # Set once the notification went out by e-mail, alone or in a digest.
    emailed_at: Mapped[datetime | None] = mapped_column(index=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    listing: Mapped[Listing | None] = relationship()


class NotificationPreference(db.Model):
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"),
                                         primary_key=True)
    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind), primary_key=True)
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency))
