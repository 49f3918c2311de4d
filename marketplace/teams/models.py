"""Teams, their members, and who owns an initiative's follow-up."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.models_base import utcnow

team_member = sa.Table(
    "team_member",
    db.metadata,
    sa.Column("team_id", sa.ForeignKey("team.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True,
              index=True),
)


class Team(db.Model):
    """An afdeling of the gemeente that owns follow-up work, with a coordinator to whom what is
    overdue escalates."""

    __table_args__ = (sa.UniqueConstraint("gemeente_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(sa.ForeignKey("gemeente.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    coordinator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    coordinator: Mapped[User | None] = relationship(foreign_keys=[coordinator_id])
    members: Mapped[list[User]] = relationship(secondary=team_member, order_by="User.name")

    def __repr__(self) -> str:
        return f"<Team {self.id} {self.name}>"


class InitiativeOwner(db.Model):
    """Who in the gemeente owns the follow-up of an initiative (its first answer and after)."""

    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listing.id", ondelete="CASCADE"),
                                            primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id"), index=True)
    responsible_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the overdue first answer was escalated to the team's coordinator (once).
    escalated_at: Mapped[datetime | None]

    team: Mapped[Team] = relationship()
    responsible: Mapped[User | None] = relationship()
