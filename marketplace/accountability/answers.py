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
from marketplace.auth.models import User
from marketplace.clock import start_of_day
from marketplace.extensions import db
from marketplace.geo.models import Buurt, Gemeente
from marketplace.listings.models import ACTIVE_STATUSES, Listing, ListingKind
from marketplace.listings.queries import publicly_visible
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notify
from marketplace.refused import Refused
from marketplace.teams.models import InitiativeOwner
from marketplace.teams.services import coordinator_of, owner_of, who_to_remind

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
    # An initiative that ended without an answer waits no longer: its clock stopped then.
    until = answered or local_date(listing.closed_at or clock.now())
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
    owner: InitiativeOwner | None = None

    @property
    def late_since(self) -> date:
        return self.due_on + timedelta(days=1)


@dataclass
class DeskScope:
    """A desk for the whole gemeente, for one team, or for one person."""

    team_id: int | None = None
    person_id: int | None = None


def waiting_initiatives(gemeente: Gemeente, scope: DeskScope | None = None) -> list[DeskRow]:
    """Published initiatives without an answer yet, oldest first, overdue ones marked, with who
    owns them."""
    today = local_date(clock.now())
    query = (_initiatives_of(gemeente).add_columns(InitiativeOwner)
             .outerjoin(InitiativeOwner, InitiativeOwner.listing_id == Listing.id)
             .where(Listing.first_answer_at.is_(None), Listing.status.in_(ACTIVE_STATUSES))
             .options(selectinload(Listing.buurt)).order_by(Listing.published_at))
    if scope is not None and scope.team_id is not None:
        query = query.where(InitiativeOwner.team_id == scope.team_id)
    if scope is not None and scope.person_id is not None:
        query = query.where(InitiativeOwner.responsible_id == scope.person_id)
    rows = []
    for listing, owner in db.session.execute(query):
        due = answer_due_on(listing)
        rows.append(DeskRow(listing, due, due < today, owner))
    return rows


def pledges_needing_attention(gemeente: Gemeente, scope: DeskScope | None = None) -> list[Pledge]:
    """Open pledges that are overdue or due within a week, and every contested one (the
    initiator says something is missing), earliest first."""
    today = local_date(clock.now())
    return list(db.session.scalars(
        sa.select(Pledge).join(Listing, Pledge.listing_id == Listing.id)
        .where(Listing.gemeente_id == gemeente.id, sa.or_(
            Pledge.status == PledgeStatus.CONTESTED,
            sa.and_(Pledge.status == PledgeStatus.PLEDGED,
                    Pledge.due_on <= today + timedelta(days=DUE_SOON_DAYS))))
        .where(sa.true() if scope is None or scope.team_id is None
               else Pledge.team_id == scope.team_id)
        .where(sa.true() if scope is None or scope.person_id is None
               else Pledge.responsible_id == scope.person_id)
        .options(selectinload(Pledge.listing), selectinload(Pledge.team),
                 selectinload(Pledge.responsible))
        .order_by(Pledge.due_on)))


ESCALATE_AFTER_DAYS = 5  # working days overdue before the team's coordinator hears


def send_reminders() -> int:
    """Remind whoever owns each answer and pledge that became overdue, once: the responsible
    person, else the team, else every staff member of the gemeente. What is still overdue
    ESCALATE_AFTER_DAYS working days later goes to the team's coordinator, once. Each step is
    marked in the database first, so two runs at once remind once."""
    today, now, sent = local_date(clock.now()), clock.now(), 0
    for gemeente in db.session.scalars(sa.select(Gemeente)):
        for row in waiting_initiatives(gemeente):
            if not row.overdue:
                continue
            owner = owner_of(row.listing)
            team, responsible = (owner.team, owner.responsible) if owner else (None, None)
            if change_if(row.listing, Listing.answer_reminder_sent_at.is_(None),
                         answer_reminder_sent_at=now):
                for person in who_to_remind(gemeente, team, responsible):
                    notify(person, NotificationKind.REMINDER, listing=row.listing)
                    sent += 1
            if (owner is not None and working_days_between(row.due_on, today)
                    >= ESCALATE_AFTER_DAYS and (coordinator := coordinator_of(team))
                    and _claim_escalation(sa.update(InitiativeOwner).where(
                        InitiativeOwner.listing_id == owner.listing_id))):
                notify(coordinator, NotificationKind.REMINDER, listing=row.listing)
                sent += 1
        for pledge in pledges_needing_attention(gemeente):
            if pledge.status is not PledgeStatus.PLEDGED or pledge.due_on >= today:
                continue
            listing = db.session.get(Listing, pledge.listing_id)
            if change_if(pledge, Pledge.reminder_sent_at.is_(None), reminder_sent_at=now):
                for person in who_to_remind(gemeente, pledge.team, pledge.responsible):
                    notify(person, NotificationKind.REMINDER, listing=listing)
                    sent += 1
            if (working_days_between(pledge.due_on, today) >= ESCALATE_AFTER_DAYS
                    and (coordinator := coordinator_of(pledge.team))
                    and _claim_escalation(sa.update(Pledge).where(Pledge.id == pledge.id))):
                notify(coordinator, NotificationKind.REMINDER, listing=listing)
                sent += 1
    db.session.flush()
    return sent


def _claim_escalation(update: sa.Update) -> bool:
    table = update.table
    return db.session.execute(
        update.where(table.c.escalated_at.is_(None)).values(escalated_at=clock.now())
        .execution_options(synchronize_session=False)).rowcount == 1


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


def figures(gemeente: Gemeente, start: date, end: date, buurt: Buurt | None = None,
            team_id: int | None = None, within: sa.ColumnElement[bool] | None = None) -> Figures:
    """Answer times, pledges and roles for initiatives published from ``start`` to ``end``; with
    a team, those of the initiatives and pledges it owns; ``within`` narrows to an area (SQL on
    Listing, e.g. a wijk's buurten)."""
    today = local_date(clock.now())
    # Only the period's initiatives are read: from local midnight of the first day to that of
    # the day after the last.
    query = _initiatives_of(gemeente).where(Listing.published_at >= start_of_day(start),
                                            Listing.published_at < start_of_day(
                                                end + timedelta(days=1)))
    if buurt is not None:
        query = query.where(Listing.buurt_id == buurt.id)
    if within is not None:
        query = query.where(within)
    if team_id is not None:
        query = query.where(Listing.id.in_(sa.select(InitiativeOwner.listing_id)
                                           .where(InitiativeOwner.team_id == team_id)))
    # Only the columns the count needs: a city's year is thousands of initiatives.
    rows = db.session.execute(query.with_only_columns(
        Listing.id, Listing.published_at, Listing.first_answer_at, Listing.closed_at)).all()
    result = Figures(published=len(rows))
    waits, still_waiting, on_time, counted = [], [], 0, 0
    for _id, published_at, first_answer_at, closed_at in rows:
        published_on = local_date(published_at)
        due = add_working_days(published_on, gemeente.answer_target_days)
        if first_answer_at is not None:
            answered_on = local_date(first_answer_at)
            waits.append(Wait(working_days_between(published_on, answered_on), answered=True))
            counted += 1
            on_time += answered_on <= due
        elif closed_at is not None:  # ended unanswered: known to wait this long
            waits.append(Wait(working_days_between(published_on, local_date(closed_at)),
                              answered=False))
        else:
            waits.append(Wait(working_days_between(published_on, today), answered=False))
            still_waiting.append(waits[-1].days)
            if due < today:
                counted += 1
                result.waiting_overdue += 1
    durations = sorted(wait.days for wait in waits if wait.answered)
    result.answered, result.waiting = len(durations), len(still_waiting)
    result.oldest_wait_days = max(still_waiting, default=None)
    result.longest_wait_days = max((wait.days for wait in waits), default=None)
    if durations:
        result.answered_median_days = statistics.median(durations)
    result.median_days = days_until_share(waits, 0.5)
    result.p90_days = days_until_share(waits, 0.9)
    if counted:
        result.within_target_share = on_time / counted
    # The same initiatives as a subquery: a city's year would be thousands of bound ids.
    ids = query.with_only_columns(Listing.id)
    pledges = list(db.session.scalars(sa.select(Pledge).where(
        Pledge.listing_id.in_(ids), sa.true() if team_id is None else Pledge.team_id == team_id)))
    result.pledges = _pledge_figures(pledges, today)
    result.pledged_amounts = pledge_totals(pledges)
    result.roles = _role_mix(ids)
    return result


def _pledge_figures(pledges: list[Pledge], today: date) -> dict[str, int]:
    counts = {"on_time": 0, "late": 0, "open_overdue": 0, "open": 0, "withdrawn": 0,
              "contested": 0, "confirmed": 0}
    for pledge in pledges:
        if pledge.status is PledgeStatus.WITHDRAWN:
            counts["withdrawn"] += 1
        elif pledge.status is PledgeStatus.CONTESTED:
            counts["contested"] += 1
        elif pledge.status is PledgeStatus.DELIVERED:
            counts["on_time" if local_date(pledge.closed_at) <= pledge.due_on else "late"] += 1
            counts["confirmed"] += pledge.confirmed_by_id is not None
        else:
            counts["open_overdue" if pledge.due_on < today else "open"] += 1
    return counts


def _role_mix(listing_ids: sa.Select) -> dict[GemeenteRole, int]:
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
    # Nothing on Buurtmarkt is older than this; it also keeps "a year before" within the calendar.
    end_day = max(end_day, EARLIEST)
    try:
        start_day = date.fromisoformat(start) if start else end_day - timedelta(days=365)
    except ValueError:
        start_day = end_day - timedelta(days=365)
    start_day = max(start_day, EARLIEST)
    return (start_day, end_day) if start_day <= end_day else (end_day, start_day)


EARLIEST = date(2000, 1, 1)
