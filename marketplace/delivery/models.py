"""A message on its way to a person: an e-mail or a push message, until the provider took it."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.models_base import str_enum, utcnow


class Channel(enum.StrEnum):
    EMAIL = "email"
    PUSH = "push"


class DeliveryStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for its (next) attempt
    SENDING = "sending"  # a worker is at it; taken up again when its claim runs out
    SENT = "sent"  # the mail server or push service accepted it
    FAILED = "failed"  # every attempt failed: admins see it and may try again


class Delivery(db.Model):
    __table_args__ = (
        # The sweep: what is due, oldest first.
        sa.Index("ix_delivery_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    # The person it is for; their messages go with their account.
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    push_subscription_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("push_subscription.id", ondelete="CASCADE"), index=True)
    address: Mapped[str] = mapped_column(sa.String(320))  # the e-mail address (push: empty)
    # The accounts the message names (" 3 17 "), so deleting one clears the messages about them.
    people: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    subject: Mapped[str] = mapped_column(sa.String(200))
    # The whole message as it will be sent: an RFC 5322 e-mail, or the push message's JSON.
    payload: Mapped[bytes] = mapped_column(sa.LargeBinary)
    status: Mapped[DeliveryStatus] = mapped_column(str_enum(DeliveryStatus),
                                                   default=DeliveryStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None]
    # Random per attempt: only the attempt that holds the claim records its outcome.
    claim: Mapped[str | None] = mapped_column(sa.String(32))
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship()


class PushSubscription(db.Model):
    """A browser on a device that said it takes push messages for a person (Web Push)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # The login on that browser: when it ends (log-out, "log out everywhere", a new password),
    # the browser stops showing the person's messages.
    login_session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("login_session.id", ondelete="CASCADE"), index=True)
    # The push service's address for this browser; one browser, one person at a time.
    endpoint: Mapped[str] = mapped_column(sa.String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(sa.String(200))  # the browser's public key
    auth: Mapped[str] = mapped_column(sa.String(100))  # and its authentication secret
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
