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
from marketplace.listings.models import ACTIVE_STATUSES, Listing
from marketplace.listings.queries import publicly_visible
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notify
from marketplace.nudges.models import ListingNudge
from marketplace.refused import Refused

DEFAULT_NUDGE_AFTER_DAYS = 42


class NudgeRefused(Refused):
    """The answer to a nudge cannot be saved; the message says why."""


BATCH = 500


def quiet_listings(gemeente: Gemeente, now: datetime) -> sa.Select:
    """Open listings of the gemeente without a sign of life for its quiet period, read through
    the (gemeente, last active) index."""
    cutoff = now - timedelta(days=gemeente.nudge_after_days)
    return (sa.select(Listing)
            .where(Listing.gemeente_id == gemeente.id, Listing.last_active_at < cutoff,
                   Listing.status.in_(ACTIVE_STATUSES), publicly_visible(),
                   no_response_since(cutoff)))


def no_response_since(moment: datetime) -> sa.ColumnElement[bool]:
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
        cutoff = now - timedelta(days=gemeente.nudge_after_days)
        not_yet = ~sa.exists().where(ListingNudge.listing_id == Listing.id,
                                     ListingNudge.nudged_at >= cutoff)
        while batch := db.session.scalars(
                quiet_listings(gemeente, now).where(not_yet).order_by(Listing.id).limit(BATCH)
                .options(selectinload(Listing.owner))).all():
            for listing in batch:
                if _claim(listing, now, cutoff):
                    notify(listing.owner, NotificationKind.NUDGE, listing=listing)
                    nudged += 1
            db.session.commit()
    current_app.logger.info("nudged the owners of %d quiet listings", nudged)
    return nudged


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
    their gemeente's period. An admin of the installation sees those of every gemeente, by the
    default period."""
    from marketplace.auth.queries import covered_buurt_ids

    days = (moderator.gemeente.nudge_after_days if moderator.gemeente is not None
            else DEFAULT_NUDGE_AFTER_DAYS)
    cutoff = now - timedelta(days=days)
    query = (sa.select(Listing)
             .where(Listing.last_active_at < cutoff, Listing.status.in_(ACTIVE_STATUSES),
                    publicly_visible(), no_response_since(cutoff))
             .options(selectinload(Listing.buurt), selectinload(Listing.owner))
             .order_by(Listing.last_active_at, Listing.id))
    covered = covered_buurt_ids(moderator)
    if covered is not None:
        query = query.where(Listing.buurt_id.in_(covered))
    if moderator.gemeente is not None:
        query = query.where(Listing.gemeente_id == moderator.gemeente_id)
    return query



