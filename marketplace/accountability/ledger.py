"""What waits for the gemeente past its target, in public ("maak zichtbaar wat niet wordt
opgevolgd"): first answers after their due date, pledges after theirs, contested pledges. Also a
filter on the map and in the API: ?wacht=1."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from marketplace import clock
from marketplace.accountability.models import Pledge, PledgeStatus
from marketplace.accountability.workdays import AMSTERDAM, add_working_days, local_date
from marketplace.extensions import db
from marketplace.geo.models import Buurt, Gemeente
from marketplace.listings.models import ACTIVE_STATUSES, Listing, ListingKind
from marketplace.listings.queries import ExtraFilter, publicly_visible, register_filter


def _latest_publication_past_due(target_days: int, today: date) -> date:
    """The last day an initiative could be published and be late today: its due date (that
    many working days on) lies before today."""
    day = today - timedelta(days=1)
    while add_working_days(day, target_days) >= today:
        day -= timedelta(days=1)
    return day


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=AMSTERDAM)


def answer_overdue() -> sa.ColumnElement[bool]:
    """SQL: an initiative without a first answer, past its gemeente's target. Gemeenten set
    their own target; the few targets in use are each turned into a publication date."""
    today = local_date(clock.now())
    targets = db.session.scalars(sa.select(Gemeente.answer_target_days).distinct()).all()
    return sa.and_(Listing.kind == ListingKind.INITIATIVE, Listing.first_answer_at.is_(None),
                   Listing.status.in_(ACTIVE_STATUSES),
                   Listing.published_at.is_not(None), sa.or_(sa.false(), *(
                       sa.and_(Listing.gemeente_id.in_(sa.select(Gemeente.id).where(
                           Gemeente.answer_target_days == target)),
                           Listing.published_at < _start_of(
                               _latest_publication_past_due(target, today) + timedelta(days=1)))
                       for target in targets)))


def pledge_waits() -> sa.ColumnElement[bool]:
    """SQL, on Pledge: open past its due date, or contested by the initiator."""
    today = local_date(clock.now())
    return sa.or_(Pledge.status == PledgeStatus.CONTESTED,
                  sa.and_(Pledge.status == PledgeStatus.PLEDGED, Pledge.due_on < today))


def waits_for_the_gemeente() -> sa.ColumnElement[bool]:
    """SQL, on Listing: its first answer or one of its pledges is overdue, or a pledge is
    contested. As the ids of two small sets, each read through its own index (the listings
    awaiting an answer, the pledges by status and date), not a test on every listing."""
    late_answers = sa.select(Listing.id).where(answer_overdue())
    late_pledges = sa.select(Pledge.listing_id).where(pledge_waits())
    return Listing.id.in_(sa.union(late_answers, late_pledges))


register_filter(ExtraFilter(
    name="wacht", label=_l("Waiting for the gemeente past its target"),
    description="Only initiatives whose first answer from the gemeente, or one of its pledges, "
                "is overdue, or whose initiator contests a delivered pledge.",
    condition=waits_for_the_gemeente))


def _in_area(query: sa.Select, gemeente: Gemeente, buurt: Buurt | None) -> sa.Select:
    query = query.where(Listing.gemeente_id == gemeente.id, publicly_visible())
    return query.where(Listing.buurt_id == buurt.id) if buurt is not None else query


def overdue_answers(gemeente: Gemeente, buurt: Buurt | None = None) -> sa.Select:
    """Initiatives waiting for a first answer past the target, longest waiting first."""
    return (_in_area(sa.select(Listing), gemeente, buurt).where(answer_overdue())
            .options(selectinload(Listing.buurt))
            .order_by(Listing.published_at, Listing.id))


def waiting_pledges(gemeente: Gemeente, buurt: Buurt | None = None) -> sa.Select:
    """Pledges past their due date or contested, longest overdue first."""
    return (_in_area(sa.select(Pledge).join(Listing, Pledge.listing_id == Listing.id),
                     gemeente, buurt).where(pledge_waits())
            .options(selectinload(Pledge.listing).selectinload(Listing.buurt))
            .order_by(Pledge.due_on, Pledge.id))
