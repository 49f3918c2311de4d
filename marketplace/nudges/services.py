"""Finding quiet listings, nudging their owners once per quiet period, and the owner's answer.

A listing's last sign of life is the latest of: published, changed by its owner, news posted,
a response to it, and its owner saying it still runs. Services flush; the caller commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from marketplace import clock, policy
from marketplace.auth.models import User
from marketplace.commitments.models import Commitment
from marketplace.extensions import db
from marketplace.geo.models import Gemeente
from marketplace.listings.models import ACTIVE_STATUSES, Listing, ListingKind, Resource
from marketplace.listings.queries import publicly_visible
from marketplace.models_base import UTCDateTime
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notify
from marketplace.nudges.models import ListingNudge
from marketplace.refused import Refused

DEFAULT_NUDGE_AFTER_DAYS = 42
DEFAULT_UNANSWERED_AFTER_DAYS = 21
DEFAULT_NEED_DUE_WARNING_DAYS = 7


class NudgeRefused(Refused):
    """The answer to a nudge cannot be saved; the message says why."""


BATCH = 500


def quiet_cutoff(now: datetime, initiative_days: int, unanswered_days: int) -> sa.ColumnElement:
    """SQL, on Listing: the moment before which it counts as quiet. Initiatives by the period
    without news; offers and requests by the (shorter) period without an answer."""
    def moment(days: int) -> sa.ColumnElement:
        return sa.literal(now - timedelta(days=days), UTCDateTime())
    return sa.case((Listing.kind == ListingKind.INITIATIVE, moment(initiative_days)),
                   else_=moment(unanswered_days))


def _quiet(now: datetime, initiative_days: int, unanswered_days: int) -> sa.ColumnElement[bool]:
    cutoff = quiet_cutoff(now, initiative_days, unanswered_days)
    # The plain range first, so the (gemeente, last active) index narrows the search.
    earliest = now - timedelta(days=min(initiative_days, unanswered_days))
    return sa.and_(Listing.last_active_at < earliest, Listing.last_active_at < cutoff,
                   Listing.status.in_(ACTIVE_STATUSES), publicly_visible(),
                   no_response_since(cutoff))


def quiet_listings(gemeente: Gemeente, now: datetime) -> sa.Select:
    """Open listings of the gemeente without a sign of life for its quiet period."""
    return sa.select(Listing).where(Listing.gemeente_id == gemeente.id,
                                    _quiet(now, *periods(gemeente)))


def periods(gemeente: Gemeente | None) -> tuple[int, int]:
    if gemeente is None:
        return DEFAULT_NUDGE_AFTER_DAYS, DEFAULT_UNANSWERED_AFTER_DAYS
    return gemeente.nudge_after_days, gemeente.nudge_unanswered_after_days


def warning_days(gemeente: Gemeente | None) -> int:
    return (gemeente.need_due_warning_days if gemeente is not None
            else DEFAULT_NEED_DUE_WARNING_DAYS)


def no_response_since(moment: datetime | sa.ColumnElement) -> sa.ColumnElement[bool]:
    """SQL, on Listing: nobody responded since ``moment`` (asked only of listings already quiet
    by their own side, through the commitment's listing index)."""
    return ~sa.exists().where(Commitment.listing_id == Listing.id,
                              Commitment.created_at >= moment)


def nudge_quiet_listings() -> int:
    """Nudge the owner of each quiet listing, at most once per quiet period; returns how many.
    A batch at a time, leaving out those nudged within the period; each nudge is claimed in the
    database first (insert, or move an old nudge on), so two runs at once nudge once."""
    now, nudged = clock.now(), 0
    for gemeente in db.session.scalars(sa.select(Gemeente).order_by(Gemeente.id)).all():
        cutoff = quiet_cutoff(now, *periods(gemeente))
        not_yet = ~sa.exists().where(ListingNudge.listing_id == Listing.id,
                                     ListingNudge.nudged_at >= cutoff)
        while batch := db.session.scalars(
                quiet_listings(gemeente, now).where(not_yet).order_by(Listing.id).limit(BATCH)
                .options(selectinload(Listing.owner))).all():
            for listing in batch:
                if _claim(listing, now, _cutoff_of(listing, gemeente, now)):
                    notify(listing.owner, NotificationKind.NUDGE, listing=listing)
                    nudged += 1
            db.session.commit()
    current_app.logger.info("nudged the owners of %d quiet listings", nudged)
    return nudged


def _cutoff_of(listing: Listing, gemeente: Gemeente, now: datetime) -> datetime:
    initiative_days, unanswered_days = periods(gemeente)
    days = initiative_days if listing.kind is ListingKind.INITIATIVE else unanswered_days
    return now - timedelta(days=days)


def _open_needs_due(now: datetime, days: int) -> sa.Select:
    """Needs and requests of open, public listings, not fully covered, whose day comes within
    ``days`` from today: for the job and the wijkwerker's list (due_soon asks the same of one
    listing in memory)."""
    today = clock.local_date(now)
    return (sa.select(Resource).join(Resource.listing)
            .where(Resource.needed_by.between(today, today + timedelta(days=days)),
                   Listing.kind != ListingKind.OFFER, Resource.committed < Resource.quantity,
                   Listing.status.in_(ACTIVE_STATUSES), publicly_visible()))


def needs_due(gemeente: Gemeente, now: datetime) -> sa.Select:
    """The gemeente's open needs whose day comes within its warning period."""
    return (_open_needs_due(now, gemeente.need_due_warning_days)
            .where(Listing.gemeente_id == gemeente.id))


def nudge_needs_due() -> int:
    """Tell the owner of each open need whose day is near, once per date (a new date asks
    again); returns how many. Each is claimed with a conditional UPDATE first, so two runs at
    once tell the owner once."""
    now, nudged = clock.now(), 0
    for gemeente in db.session.scalars(sa.select(Gemeente).order_by(Gemeente.id)).all():
        while batch := db.session.scalars(
                needs_due(gemeente, now).where(Resource.due_nudged_at.is_(None))
                .order_by(Resource.id).limit(BATCH)
                .options(selectinload(Resource.listing).selectinload(Listing.owner))).all():
            for need in batch:
                claimed = db.session.execute(
                    # Still the same day, still open: an owner who moved the date or a
                    # neighbour who covered it a moment ago is not told about the old one.
                    sa.update(Resource).where(Resource.id == need.id,
                                              Resource.due_nudged_at.is_(None),
                                              Resource.needed_by == need.needed_by,
                                              Resource.committed < Resource.quantity)
                    .values(due_nudged_at=now)
                    .execution_options(synchronize_session=False)).rowcount
                if claimed:
                    notify(need.listing.owner, NotificationKind.NEED_DUE, listing=need.listing,
                           note=need.description)
                    nudged += 1
            db.session.commit()
    current_app.logger.info("told the owners of %d needs close to their date", nudged)
    return nudged


def send_nudges() -> tuple[int, int]:
    """The daily run: quiet listings, then needs close to their date; how many of each."""
    return nudge_quiet_listings(), nudge_needs_due()


def due_soon(listing: Listing, now: datetime) -> list[Resource]:
    """The open needs of an open listing whose day is near (the job's window), for the one-tap
    actions on its page (offers have none)."""
    if (listing.kind is ListingKind.OFFER or listing.status not in ACTIVE_STATUSES
            or not listing.is_public):
        return []
    today = clock.local_date(now)
    horizon = today + timedelta(days=listing.gemeente.need_due_warning_days)
    return [need for need in listing.resources
            if need.needed_by is not None and today <= need.needed_by <= horizon
            and need.remaining > 0]


def _claim(listing: Listing, now: datetime, cutoff: datetime) -> bool:
    """This run nudges the listing: its first nudge (an insert that a second run at the same
    moment finds done), or an old one moved on; False when nudged within this period."""
    moved = db.session.execute(
        sa.update(ListingNudge).where(ListingNudge.listing_id == listing.id,
                                      ListingNudge.nudged_at < cutoff)
        .values(nudged_at=now).execution_options(synchronize_session=False)).rowcount
    if moved:
        return True
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    # RETURNING, not rowcount: an ORM insert on PostgreSQL reports no row count.
    return db.session.scalar(
        dialect.insert(ListingNudge).values(listing_id=listing.id, nudged_at=now)
        .on_conflict_do_nothing(index_elements=[ListingNudge.listing_id])
        .returning(ListingNudge.listing_id)) is not None


def open_nudge(listing: Listing) -> ListingNudge | None:
    """The nudge its owner has not answered yet (by news, a change, or "still runs")."""
    nudge = db.session.get(ListingNudge, listing.id)
    if nudge is None or listing.last_active_at is None or listing.last_active_at >= nudge.nudged_at:
        return None
    answered = db.session.scalar(sa.select(sa.exists().where(
        Commitment.listing_id == listing.id, Commitment.created_at >= nudge.nudged_at)))
    return None if answered else nudge


def keep(person: User, listing: Listing) -> None:
    """ "Yes, it still runs": the quiet period starts again."""
    if not policy.can(person, "listing.edit", listing):
        raise NudgeRefused(_("Only the people who run this listing can say this."))
    db.session.execute(sa.update(ListingNudge).where(ListingNudge.listing_id == listing.id)
                       .values(kept_at=clock.now()).execution_options(synchronize_session=False))
    listing.show_life()


def quiet_in_area(moderator: User, now: datetime) -> sa.Select:
    """For a wijkwerker: the quiet listings of the buurten they look after, quietest first, by
    their gemeente's periods. An admin of the installation sees those of every gemeente, by the
    default periods."""
    query = (sa.select(Listing).where(_quiet(now, *periods(moderator.gemeente)))
             .options(selectinload(Listing.buurt), selectinload(Listing.owner))
             .order_by(Listing.last_active_at, Listing.id))
    return _in_area(query, moderator)


def due_in_area(moderator: User, now: datetime) -> sa.Select:
    """For a wijkwerker: open needs of their area whose day comes within the gemeente's warning
    period, soonest first."""
    query = (_open_needs_due(now, warning_days(moderator.gemeente))
             .options(selectinload(Resource.listing).selectinload(Listing.buurt))
             .order_by(Resource.needed_by, Resource.id))
    return _in_area(query, moderator)


def _in_area(query: sa.Select, moderator: User) -> sa.Select:
    from marketplace.auth.queries import covered_buurt_ids

    covered = covered_buurt_ids(moderator)
    if covered is not None:
        query = query.where(Listing.buurt_id.in_(covered))
    if moderator.gemeente is not None:
        query = query.where(Listing.gemeente_id == moderator.gemeente_id)
    return query
