"""Matches between needs and offers, and the ones an owner said do not fit."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db
from marketplace.models_base import utcnow


class MatchDismissal(db.Model):
    """A suggestion the owner of a listing said does not fit; it is not shown there again."""

    resource_id: Mapped[int] = mapped_column(
        sa.ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True)
    suggested_resource_id: Mapped[int] = mapped_column(
        sa.ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True)
    dismissed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Match(db.Model):
    """A need (of an initiative or a request) and an offer that may fit it: found once, when
    the later of the two was published, and told to both owners once."""

    __table_args__ = (sa.UniqueConstraint("need_id", "offer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("resource.id", ondelete="CASCADE"))
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("resource.id", ondelete="CASCADE"),
                                          index=True)
    # How well they fit (0 to 1): closeness in words first, then nearness.
    score: Mapped[float]
    distance_m: Mapped[float]  # between the public (blurred) points
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A wijkwerker put the two owners in touch ("dit past misschien"), once.
    introduced_at: Mapped[datetime | None]
    introduced_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
