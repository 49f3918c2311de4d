"""Commitments: a neighbour's "I'll help" on a need, take-up of an offer, help on a request;
and the private messages between the two parties of a commitment."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.listings.models import Listing, Resource
from marketplace.models_base import HideableMixin, str_enum, utcnow


class CommitmentStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for the owner's answer
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    DONE = "done"


# These hold their quantity: the resource's `committed` is the sum over them.
HOLDING = (CommitmentStatus.PENDING, CommitmentStatus.ACCEPTED, CommitmentStatus.DONE)
ACTIVE = (CommitmentStatus.PENDING, CommitmentStatus.ACCEPTED)
_ACTIVE_SQL = sa.text("status IN ('pending', 'accepted')")


class Commitment(db.Model):
    __table_args__ = (
        # One active response per person per need: a second tap or a second tab finds the first.
        sa.Index("uq_commitment_active_helper", "resource_id", "helper_id", unique=True,
                 sqlite_where=_ACTIVE_SQL, postgresql_where=_ACTIVE_SQL),
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(sa.ForeignKey("resource.id", ondelete="CASCADE"),
                                             index=True)
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listing.id", ondelete="CASCADE"),
                                            index=True)
    helper_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    quantity: Mapped[int]
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    status: Mapped[CommitmentStatus] = mapped_column(str_enum(CommitmentStatus),
                                                     default=CommitmentStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    # Indexed for the retention rule: messages of conversations that ended long ago go.
    closed_at: Mapped[datetime | None] = mapped_column(index=True)

    resource: Mapped[Resource] = relationship()
    listing: Mapped[Listing] = relationship()
    helper: Mapped[User] = relationship()
    messages: Mapped[list[Message]] = relationship(
        back_populates="commitment", order_by="Message.created_at", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    def party_ids(self) -> set[int]:
        return {self.helper_id, self.listing.owner_id}


class Message(HideableMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commitment.id", ondelete="CASCADE"), index=True)
    sender_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    commitment: Mapped[Commitment] = relationship(back_populates="messages")
    sender: Mapped[User] = relationship()
