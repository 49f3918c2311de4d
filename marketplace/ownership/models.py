"""Ownership events (the public history) and handovers waiting for an answer."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.listings.models import Listing
from marketplace.models_base import str_enum, utcnow


class OwnershipEventKind(enum.StrEnum):
    STARTED = "started"
    HANDED_OVER = "handed_over"
    CO_INITIATOR_ADDED = "co_added"
    CO_INITIATOR_LEFT = "co_left"


class OwnershipEvent(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listing.id", ondelete="CASCADE"),
                                            index=True)
    kind: Mapped[OwnershipEventKind] = mapped_column(str_enum(OwnershipEventKind))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[User] = relationship(foreign_keys=[person_id])
    by: Mapped[User | None] = relationship(foreign_keys=[by_id])


class HandoverStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class Handover(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listing.id", ondelete="CASCADE"),
                                            index=True)
    from_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    to_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    status: Mapped[HandoverStatus] = mapped_column(str_enum(HandoverStatus),
                                                   default=HandoverStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    listing: Mapped[Listing] = relationship()
    from_user: Mapped[User] = relationship(foreign_keys=[from_id])
    to_user: Mapped[User] = relationship(foreign_keys=[to_id])
