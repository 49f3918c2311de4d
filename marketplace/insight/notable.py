"""Notable initiatives of an area in a period, for the raad's report: the ones realised, and
the open ones most neighbours responded to."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace.commitments.models import Commitment
from marketplace.extensions import db
from marketplace.insight.trends import Area, Period
from marketplace.listings.models import ACTIVE_STATUSES, Listing, ListingKind, ListingStatus
from marketplace.listings.queries import publicly_visible

SHOWN = 8


def realised(area: Area, period: Period) -> list[Listing]:
    """Initiatives realised in the period, the latest first."""
    low, high = period.bounds()
    return list(db.session.scalars(
        sa.select(Listing).where(area.on_listing(), publicly_visible(),
                                 Listing.kind == ListingKind.INITIATIVE,
                                 Listing.status == ListingStatus.REALISED,
                                 Listing.closed_at >= low, Listing.closed_at < high)
        .options(selectinload(Listing.buurt))
        .order_by(Listing.closed_at.desc(), Listing.id.desc()).limit(SHOWN)))


def liveliest(area: Area, period: Period) -> list[tuple[Listing, int]]:
    """Open initiatives with the most responses in the period, with that number."""
    low, high = period.bounds()
    responses = sa.func.count(Commitment.id).label("responses")
    rows = db.session.execute(
        sa.select(Listing, responses).join(Commitment, Commitment.listing_id == Listing.id)
        .where(area.on_listing(), publicly_visible(), Listing.kind == ListingKind.INITIATIVE,
               Listing.status.in_(ACTIVE_STATUSES), Commitment.created_at >= low,
               Commitment.created_at < high)
        .group_by(Listing.id).order_by(responses.desc(), Listing.id).limit(SHOWN)
        .options(selectinload(Listing.buurt))).all()
    return [(listing, count) for listing, count in rows]
