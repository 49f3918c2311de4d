"""Role decisions (the history stays public) and pledges with their state."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.models_base import str_enum, utcnow

if TYPE_CHECKING:
    from marketplace.listings.models import Listing, Resource
    from marketplace.teams.models import Team


class GemeenteRole(enum.StrEnum):
    """The roadmap's spectrum, from steering to letting go."""

    REGULATING = "regulating"
    DIRECTING = "directing"
    FACILITATING = "facilitating"
    PARTICIPATING = "participating"
    LETTING_GO = "letting_go"


class RoleDecision(db.Model):
    """The gemeente takes a role on an initiative; the newest decision is the current role."""

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listing.id", ondelete="CASCADE"),
                                            index=True)
    role: Mapped[GemeenteRole] = mapped_column(str_enum(GemeenteRole))
    explanation: Mapped[str] = mapped_column(sa.Text)
    contact: Mapped[str] = mapped_column(sa.String(120))
    set_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    set_by: Mapped[User] = relationship()


class PledgeKind(enum.StrEnum):
    BUDGET = "budget"
    STAFF_HOURS = "staff_hours"
    SPACE = "space"
    MATERIALS = "materials"
    PERMIT_HELP = "permit_help"
    PUBLICITY = "publicity"


class PledgeStatus(enum.StrEnum):
    PLEDGED = "pledged"
    DELIVERED = "delivered"
    # The initiator says something is missing: back on the gemeente's desk until delivered again.
    CONTESTED = "contested"
    WITHDRAWN = "withdrawn"


# Still owed by the gemeente: promised, or delivered and contested.
OPEN_PLEDGE = (PledgeStatus.PLEDGED, PledgeStatus.CONTESTED)


class Pledge(db.Model):
    __table_args__ = (
        sa.CheckConstraint("amount IS NULL OR amount > 0", name="amount_positive"),
        sa.CheckConstraint("covers IS NULL OR covers > 0", name="covers_positive"),
        sa.Index("ix_pledge_status_due_on", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listing.id", ondelete="CASCADE"),
                                            index=True)
    kind: Mapped[PledgeKind] = mapped_column(str_enum(PledgeKind))
    amount: Mapped[int | None]  # euros for budget, hours for staff hours; else optional
    description: Mapped[str] = mapped_column(sa.String(300))
    department: Mapped[str] = mapped_column(sa.String(120))
    due_on: Mapped[date]
    status: Mapped[PledgeStatus] = mapped_column(str_enum(PledgeStatus),
                                                 default=PledgeStatus.PLEDGED)
    # The delivery note, or why the pledge was withdrawn.
    closing_note: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    reminder_sent_at: Mapped[datetime | None]
    # "Klopt het?": the initiator (or a co-initiator) confirms a delivery, or contests it.
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    contest_note: Mapped[str | None] = mapped_column(sa.Text)
    contested_at: Mapped[datetime | None]

    # A pledge that answers an initiator's request for one need covers part of it, in the
    # need's unit: it counts in the need's covered amount (Resource.committed) until withdrawn.
    resource_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("resource.id", ondelete="SET NULL"), index=True)
    covers: Mapped[int | None]
    # Who owns the delivery (marketplace.teams); the department text of older pledges stays.
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("team.id"), index=True)
    responsible_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    escalated_at: Mapped[datetime | None]  # overdue, told to the team's coordinator

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    responsible: Mapped[User | None] = relationship(foreign_keys=[responsible_id])
    team: Mapped[Team | None] = relationship()
    listing: Mapped[Listing] = relationship()

    def is_overdue(self, today: date) -> bool:
        return self.status in OPEN_PLEDGE and self.due_on < today

    @property
    def awaits_confirmation(self) -> bool:
        return self.status is PledgeStatus.DELIVERED and self.confirmed_at is None

    @property
    def late_since(self) -> date:
        """The first day past due (shown as "late since" once it has come)."""
        return self.due_on + timedelta(days=1)


class GemeenteAnswer(db.Model):
    """A message from the gemeente to the initiator, in public on the initiative."""

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listing.id", ondelete="CASCADE"),
                                            index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship()


class RequestStatus(enum.StrEnum):
    OPEN = "open"
    ANSWERED = "answered"  # with a pledge
    DECLINED = "declined"  # with the reason


_OPEN_REQUEST_SQL = sa.text("status = 'open'")


class GemeenteRequest(db.Model):
    """"Vraag het de gemeente": the initiator asks the gemeente for help with one need."""

    __table_args__ = (
        # One open question per need: a second tap or a co-initiator finds the first.
        sa.Index("uq_gemeente_request_open", "resource_id", unique=True,
                 sqlite_where=_OPEN_REQUEST_SQL, postgresql_where=_OPEN_REQUEST_SQL),
        sa.Index("ix_gemeente_request_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listing.id", ondelete="CASCADE"),
                                            index=True)
    resource_id: Mapped[int] = mapped_column(sa.ForeignKey("resource.id", ondelete="CASCADE"))
    kind: Mapped[PledgeKind] = mapped_column(str_enum(PledgeKind))
    motivation: Mapped[str] = mapped_column(sa.String(1000))
    asked_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[RequestStatus] = mapped_column(str_enum(RequestStatus),
                                                  default=RequestStatus.OPEN)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    answer_note: Mapped[str | None] = mapped_column(sa.Text)  # why not, when declined
    pledge_id: Mapped[int | None] = mapped_column(sa.ForeignKey("pledge.id", ondelete="SET NULL"))

    listing: Mapped[Listing] = relationship()
    resource: Mapped[Resource] = relationship()
    asked_by: Mapped[User] = relationship(foreign_keys=[asked_by_id])
    pledge: Mapped[Pledge | None] = relationship()
