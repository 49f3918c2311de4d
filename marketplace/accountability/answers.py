"""Answer times: every published initiative is owed a first answer from its gemeente (a role or a
message) within the gemeente's target in working days. Services flush; the request commits."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from marketplace import clock, policy
from marketplace.accountability.models import (
    GemeenteAnswer,
    GemeenteRole,
    Pledge,
    PledgeKind,
    PledgeStatus,
    RoleDecision,
)
from marketplace.accountability.services import pledge_totals, record_first_answer
from marketplace.accountability.survival import Wait, days_until_share
from marketplace.accountability.workdays import add_working_days, local_date, working_days_between
from marketplace.atomic import change_if
from marketplace.auth.models import Role, User
from marketplace.extensions import db
from marketplace.geo.models import Buurt, Gemeente
from marketplace.listings.models import Listing, ListingKind
from marketplace.listings.queries import publicly_visible
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notify
from marketplace.refused import Refused

DUE_SOON_DAYS = 7


class AnswerRefused(Refused):
    """The answer cannot be posted; the message says why."""


def answer_due_on(listing: Listing) -> date | None:
    if listing.published_at is None:
        return None
    return add_working_days(local_date(listing.published_at),
                            listing.gemeente.answer_target_days)


@dataclass
class AnswerClock:
    """Where an initiative stands with its first answer from the gemeente."""

    due_on: date
    answered_on: date | None
    working_days: int  # until the answer, or so far
    late_since: date | None  # the first day past due: waiting past it, or answered after it


def answer_clock(listing: Listing) -> AnswerClock | None:
    """None for what is owed no answer: offers, requests, and initiatives not yet published."""
    if listing.kind is not ListingKind.INITIATIVE or listing.published_at is None:
        return None
    due = answer_due_on(listing)
    answered = local_date(listing.first_answer_at) if listing.first_answer_at else None
    until = answered or local_date(clock.now())
    return AnswerClock(due_on=due, answered_on=answered,
                       working_days=working_days_between(local_date(listing.published_at), until),
                       late_since=due + timedelta(days=1) if until > due else None)


def post_answer(actor: User, listing: Listing, body: str) -> GemeenteAnswer:
    """A message from the gemeente to the initiator, public on the initiative."""
    if not policy.can(actor, "gemeente.act_for", listing.gemeente):
        raise AnswerRefused(_("Only staff of %(gemeente)s can do this.",
                              gemeente=listing.gemeente.name))
    body = (body or "").strip()
    if not body or len(body) > 3000:
        raise AnswerRefused(_("Write a message of 1 to %(max)d characters.", max=3000))
    answer = GemeenteAnswer(listing_id=listing.id, author_id=actor.id, body=body)
    db.session.add(answer)
    record_first_answer(listing)
    notify(listing.owner, NotificationKind.GEMEENTE, actor=actor, listing=listing)
    db.session.flush()
    return answer


def answers_of(listing: Listing) -> list[GemeenteAnswer]:
    return list(db.session.scalars(sa.select(GemeenteAnswer)
                                   .where(GemeenteAnswer.listing_id == listing.id)
                                   .order_by(GemeenteAnswer.created_at)))


def _initiatives_of(gemeente: Gemeente) -> sa.Select:
    return sa.select(Listing).where(Listing.gemeente_id == gemeente.id,
                                    Listing.kind == ListingKind.INITIATIVE,
                                    publicly_visible())


@dataclass
class DeskRow:
    listing: Listing
    due_on: date
    overdue: bool

    @property
    def late_since(self) -> date:
        return self.due_on + timedelta(days=1)


def waiting_initiatives(gemeente: Gemeente) -> list[DeskRow]:
    """Published initiatives without an answer yet, oldest first, overdue ones marked."""
    today = local_date(clock.now())
    rows = []
    for listing in db.session.scalars(_initiatives_of(gemeente).where(
            Listing.first_answer_at.is_(None)).order_by(Listing.published_at)):
        due = answer_due_on(listing)
        rows.append(DeskRow(listing, due, due < today))
    return rows


def pledges_needing_attention(gemeente: Gemeente) -> list[Pledge]:
    """Open pledges that are overdue or due within a week, and every contested one (the
    initiator says something is missing), earliest first."""
    today = local_date(clock.now())
    return list(db.session.scalars(
        sa.select(Pledge).join(Listing, Pledge.listing_id == Listing.id)
        .where(Listing.gemeente_id == gemeente.id, sa.or_(
            Pledge.status == PledgeStatus.CONTESTED,
            sa.and_(Pledge.status == PledgeStatus.PLEDGED,
                    Pledge.due_on <= today + timedelta(days=DUE_SOON_DAYS))))
        .options(selectinload(Pledge.listing))
        .order_by(Pledge.due_on)))


def send_reminders() -> int:
    """Tell the staff of each gemeente once about every answer and pledge that became overdue."""
    today = local_date(clock.now())
    now = clock.now()
    sent = 0
    for gemeente in db.session.scalars(sa.select(Gemeente)):
        staff = db.session.scalars(sa.select(User).where(
            User.holding(Role.STAFF), User.gemeente_id == gemeente.id, User.active)).all()
        overdue_listings = [row.listing for row in waiting_initiatives(gemeente)
                            if row.overdue and row.listing.answer_reminder_sent_at is None]
        overdue_pledges = [p for p in pledges_needing_attention(gemeente)
                           if p.due_on < today and p.reminder_sent_at is None]
        # Marked in the database first: two runs at once remind once.
        for listing in overdue_listings:
            if not change_if(listing, Listing.answer_reminder_sent_at.is_(None),
                             answer_reminder_sent_at=now):
                continue
            for person in staff:
                notify(person, NotificationKind.REMINDER, listing=listing)
                sent += 1
        for pledge in overdue_pledges:
            if not change_if(pledge, Pledge.reminder_sent_at.is_(None), reminder_sent_at=now):
                continue
            for person in staff:
                notify(person, NotificationKind.REMINDER,
                       listing=db.session.get(Listing, pledge.listing_id))
                sent += 1
    db.session.flush()
    return sent


# Public figures --------------------------------------------------------------------------------

@dataclass
class Figures:
    published: int = 0
    answered: int = 0
    # Counting the initiatives still waiting (survival.py); None when too many still wait to
    # know, and then only the longest wait so far is known as a lower bound.
    median_days: int | None = None
    p90_days: int | None = None
    longest_wait_days: int | None = None  # the longest wait so far, answered or not
    answered_median_days: float | None = None  # of the answered ones only, for comparison
    waiting: int = 0
    oldest_wait_days: int | None = None  # of those still waiting
    within_target_share: float | None = None  # of those answered or already past due
    waiting_overdue: int = 0
    pledges: dict[str, int] = field(default_factory=dict)
    pledged_amounts: dict[PledgeKind, int] = field(default_factory=dict)  # euros, hours
    roles: dict[GemeenteRole, int] = field(default_factory=dict)


def figures(gemeente: Gemeente, start: date, end: date, buurt: Buurt | None = None) -> Figures:
    """Answer times, pledges and roles for initiatives published from ``start`` to ``end``."""
    today = local_date(clock.now())
    query = _initiatives_of(gemeente).where(Listing.published_at.is_not(None))
    if buurt is not None:
        query = query.where(Listing.buurt_id == buurt.id)
    listings = [listing for listing in db.session.scalars(query)
                if start <= local_date(listing.published_at) <= end]
    result = Figures(published=len(listings))
    waits, on_time, counted = [], 0, 0
    for listing in listings:
        due = answer_due_on(listing)
        published_on = local_date(listing.published_at)
        if listing.first_answer_at is not None:
            answered_on = local_date(listing.first_answer_at)
            waits.append(Wait(working_days_between(published_on, answered_on), answered=True))
            counted += 1
            on_time += answered_on <= due
        else:
            waits.append(Wait(working_days_between(published_on, today), answered=False))
            if due < today:
                counted += 1
                result.waiting_overdue += 1
    durations = sorted(wait.days for wait in waits if wait.answered)
    still_waiting = [wait.days for wait in waits if not wait.answered]
    result.answered, result.waiting = len(durations), len(still_waiting)
    result.oldest_wait_days = max(still_waiting, default=None)
    result.longest_wait_days = max((wait.days for wait in waits), default=None)
    if durations:
        result.answered_median_days = statistics.median(durations)
    result.median_days = days_until_share(waits, 0.5)
    result.p90_days = days_until_share(waits, 0.9)
    if counted:
        result.within_target_share = on_time / counted
    ids = [listing.id for listing in listings]
    result.pledges = _pledge_figures(ids, today)
    result.pledged_amounts = pledge_totals(list(db.session.scalars(
        sa.select(Pledge).where(Pledge.listing_id.in_(ids)))))
    result.roles = _role_mix(ids)
    return result


def _pledge_figures(listing_ids: list[int], today: date) -> dict[str, int]:
    counts = {"on_time": 0, "late": 0, "open_overdue": 0, "open": 0, "withdrawn": 0,
              "contested": 0, "confirmed": 0}
    for pledge in db.session.scalars(sa.select(Pledge).where(Pledge.listing_id.in_(listing_ids))):
        if pledge.status is PledgeStatus.WITHDRAWN:
            counts["withdrawn"] += 1
        elif pledge.status is PledgeStatus.CONTESTED:
            counts["contested"] += 1
        elif pledge.status is PledgeStatus.DELIVERED:
            counts["on_time" if local_date(pledge.closed_at) <= pledge.due_on else "late"] += 1
            counts["confirmed"] += pledge.confirmed_at is not None
        else:
            counts["open_overdue" if pledge.due_on < today else "open"] += 1
    return counts


def _role_mix(listing_ids: list[int]) -> dict[GemeenteRole, int]:
    latest: dict[int, RoleDecision] = {}
    for decision in db.session.scalars(sa.select(RoleDecision)
                                       .where(RoleDecision.listing_id.in_(listing_ids))
                                       .order_by(RoleDecision.created_at, RoleDecision.id)):
        latest[decision.listing_id] = decision
    mix: dict[GemeenteRole, int] = {}
    for decision in latest.values():
        mix[decision.role] = mix.get(decision.role, 0) + 1
    return mix


def parse_period(start: str | None, end: str | None) -> tuple[date, date]:
    """The visitor's period (YYYY-MM-DD); by default the last twelve months."""
    today = local_date(clock.now())
    try:
        end_day = date.fromisoformat(end) if end else today
    except ValueError:
        end_day = today
    try:
        start_day = date.fromisoformat(start) if start else end_day - timedelta(days=365)
    except ValueError:
        start_day = end_day - timedelta(days=365)
    return (start_day, end_day) if start_day <= end_day else (end_day, start_day)
