"""Residents who take part through a gemeente employee, and what was posted for them."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.geo.models import Gemeente
from marketplace.models_base import str_enum, utcnow


class Channel(enum.StrEnum):
    """How updates reach the resident."""

    LETTER = "letter"
    SMS = "sms"


class ConsentWay(enum.StrEnum):
    """How the resident said yes to being helped (and to the gemeente keeping their contact)."""

    PHONE = "phone"
    IN_PERSON = "in_person"
    IN_WRITING = "in_writing"


class AssistedResident(db.Model):
    """A resident account run by the gemeente's employees for someone without e-mail: it has no
    address and no password, so nobody logs in with it until the resident takes it over."""

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"),
                                         primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(sa.ForeignKey("gemeente.id"), index=True)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    # The postal address for letters, or the mobile number for SMS: what the employee needs to
    # pass updates on. Cleared when the resident takes the account over.
    contact: Mapped[str] = mapped_column(sa.String(300))
    consent_way: Mapped[ConsentWay] = mapped_column(str_enum(ConsentWay))
    consent_note: Mapped[str] = mapped_column(sa.String(300), default="")
    consent_at: Mapped[datetime] = mapped_column(default=utcnow)
    consent_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    # Only a digest of the take-over code is kept; the code itself is shown once.
    takeover_digest: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    takeover_expires_at: Mapped[datetime | None]
    taken_over_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    gemeente: Mapped[Gemeente] = relationship()
    consent_by: Mapped[User | None] = relationship(foreign_keys=[consent_by_id])

    @property
    def is_taken_over(self) -> bool:
        return self.taken_over_at is not None


class AssistedListing(db.Model):
    """A listing posted by an employee for an assisted resident: marked as such in public."""

    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listing.id", ondelete="CASCADE"),
                                            primary_key=True)
    helper_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
