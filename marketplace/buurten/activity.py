"""What lives in each buurt of a gemeente: open initiatives, offers and requests, helpers, and
the last activity, counted for one page of buurten at a time (a large gemeente has hundreds)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace.commitments.models import HOLDING, Commitment
from marketplace.extensions import db
from marketplace.geo.models import Buurt, Gemeente, Wijk
from marketplace.listings.models import ACTIVE_STATUSES, Listing, ListingKind
from marketplace.listings.queries import publicly_visible


@dataclass
class BuurtActivity:
    open: dict[ListingKind, int] = field(default_factory=dict)
    helpers: int = 0
    last_activity: datetime | None = None


def buurten_of(gemeente: Gemeente, search: str = "") -> sa.Select:
    """The gemeente's buurten by wijk and name; ``search`` narrows by buurt or wijk name."""
    query = (sa.select(Buurt).join(Wijk).where(Wijk.gemeente_id == gemeente.id)
             .options(selectinload(Buurt.wijk)).order_by(Wijk.name, Buurt.name, Buurt.id))
    if words := search.strip():
        escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.where(sa.or_(Buurt.name.ilike(pattern, escape="\\"),
                                   Wijk.name.ilike(pattern, escape="\\"),
                                   Buurt.code.ilike(pattern, escape="\\")))
    return query


def activity_of(buurt_ids: list[int]) -> dict[int, BuurtActivity]:
    """Per buurt: open public listings by kind, distinct helpers with a standing response, and
    when something was last published there. Three grouped queries for the whole page."""
    found = {buurt_id: BuurtActivity() for buurt_id in buurt_ids}
    if not buurt_ids:
        return found
    visible = sa.and_(Listing.buurt_id.in_(buurt_ids), publicly_visible())
    for buurt_id, kind, count in db.session.execute(
            sa.select(Listing.buurt_id, Listing.kind, sa.func.count(Listing.id))
            .where(visible, Listing.status.in_(ACTIVE_STATUSES))
            .group_by(Listing.buurt_id, Listing.kind)):
        found[buurt_id].open[kind] = count
    for buurt_id, helpers in db.session.execute(
            sa.select(Listing.buurt_id, sa.func.count(sa.distinct(Commitment.helper_id)))
            .join(Commitment, Commitment.listing_id == Listing.id)
            .where(visible, Commitment.status.in_(HOLDING)).group_by(Listing.buurt_id)):
        found[buurt_id].helpers = helpers
    for buurt_id, latest in db.session.execute(
            sa.select(Listing.buurt_id, sa.func.max(Listing.published_at))
            .where(visible).group_by(Listing.buurt_id)):
        found[buurt_id].last_activity = latest
    return found
