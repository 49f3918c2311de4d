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
    INTRODUCTION = "introduction"  # a wijkwerker thinks a need and an offer fit
    NUDGE = "nudge"  # a listing of yours has been quiet: is it still current?
    NEED_DUE = "need_due"  # a need of yours is still open shortly before its date
    BUURT_LISTING = "buurt_listing"  # something new in a buurt you follow
    BUURT_QUESTION = "buurt_question"  # a resident wrote to you as the buurt's wijkwerker
    BUURT_ANSWER = "buurt_answer"  # the wijkwerker answered your question


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
    # To the residents who reported something: what the moderator decided.
    REPORT_HIDDEN = "report_hidden"
    REPORT_KEPT = "report_kept"


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
    NotificationKind.INTRODUCTION: Frequency.IMMEDIATELY,
    NotificationKind.NUDGE: Frequency.IMMEDIATELY,
    NotificationKind.NEED_DUE: Frequency.IMMEDIATELY,
    # A lively buurt has news every day: one digest.
    NotificationKind.BUURT_LISTING: Frequency.DAILY,
    NotificationKind.BUURT_QUESTION: Frequency.IMMEDIATELY,
    NotificationKind.BUURT_ANSWER: Frequency.IMMEDIATELY,
    # Wijkwerkers with busy areas would drown in single mails: one digest a day.
    NotificationKind.QUEUE: Frequency.DAILY,
}


# What a person must not miss: an answer they wait for, a decision about them, a message. These
# stand out in the list; the rest is news.
IMPORTANT_KINDS = frozenset({
    NotificationKind.COMMITMENT_NEW, NotificationKind.COMMITMENT_ACCEPTED,
    NotificationKind.COMMITMENT_DECLINED, NotificationKind.COMMITMENT_WITHDRAWN,
    NotificationKind.MESSAGE_NEW, NotificationKind.OWNERSHIP, NotificationKind.GEMEENTE,
    NotificationKind.PLEDGE, NotificationKind.MODERATION, NotificationKind.INTRODUCTION,
    NotificationKind.BUURT_QUESTION, NotificationKind.BUURT_ANSWER,
})


def group_key(kind: NotificationKind, listing_id: int | None,
              commitment_id: int | None) -> str | None:
    """Events of these kinds add up in one unread notification per person ("3 new comments on
    …"): per listing, per conversation, or one for the whole moderation queue."""
    if kind in (NotificationKind.MATCH_SUGGESTION, NotificationKind.COMMENT,
                NotificationKind.LISTING_UPDATE) and listing_id is not None:
        return f"{kind.value}:{listing_id}"
    if kind is NotificationKind.MESSAGE_NEW and commitment_id is not None:
        return f"{kind.value}:{commitment_id}"
    if kind is NotificationKind.QUEUE:
        return kind.value
    return None


class Notification(db.Model):
    __table_args__ = (
        sa.Index("ix_notification_user_unread", "user_id", "read_at"),
        # One unread notification per group and person: a new event adds to its count.
        sa.Index("uq_notification_unread_group", "user_id", "group_key", unique=True,
                 sqlite_where=sa.text("read_at IS NULL AND group_key IS NOT NULL"),
                 postgresql_where=sa.text("read_at IS NULL AND group_key IS NOT NULL")),
    )

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
    # Set when a mail carrying the notification (alone or in a digest) was queued, in the same
    # transaction; whether it arrived is the mail's own record (marketplace.delivery).
    mail_queued_at: Mapped[datetime | None] = mapped_column(index=True)
    group_key: Mapped[str | None] = mapped_column(sa.String(80))
    count: Mapped[int] = mapped_column(default=1, server_default="1")  # events in the group

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    listing: Mapped[Listing | None] = relationship()

    @property
    def is_important(self) -> bool:
        return self.kind in IMPORTANT_KINDS


# Push messages on the devices where the person turned them on: what needs an answer.
DEFAULT_PUSH = IMPORTANT_KINDS | {NotificationKind.REMINDER}


class NotificationPreference(db.Model):
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"),
                                         primary_key=True)
    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind), primary_key=True)
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency))  # of e-mail
    push: Mapped[bool | None]  # None: as DEFAULT_PUSH says
