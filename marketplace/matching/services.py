"""Finding and announcing matches: same kind of help or material, still available, close by.

Distance is measured between the listings' public (blurred) points, so a suggestion never tells
more about where someone lives than the map already does.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from geopy.distance import geodesic
from sqlalchemy.orm import aliased, selectinload

from marketplace.atomic import lock
from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.listings.models import Listing, ListingKind, ListingStatus, Resource
from marketplace.listings.queries import distance_squared, metres_per_degree, publicly_visible
from marketplace.matching.models import MatchDismissal
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notify

DEFAULT_RADIUS_KM = 2.0
MAX_SUGGESTIONS = 5


@dataclass(frozen=True)
class Suggestion:
    resource: Resource  # the matching need, request or offer
    distance_km: float

    @property
    def listing(self) -> Listing:
        return self.resource.listing


def _wanted_side(resource: Resource) -> sa.ColumnElement[bool]:
    """Which listings can answer this resource: offers for needs and requests, and vice versa."""
    if resource.listing.kind is ListingKind.OFFER:
        return sa.or_(
            sa.and_(Listing.kind == ListingKind.INITIATIVE,
                    publicly_visible([ListingStatus.OPEN, ListingStatus.RUNNING])),
            sa.and_(Listing.kind == ListingKind.REQUEST, publicly_visible([ListingStatus.OPEN])))
    return sa.and_(Listing.kind == ListingKind.OFFER, publicly_visible([ListingStatus.OPEN]))


def suggestions_for(resource: Resource, radius_km: float = DEFAULT_RADIUS_KM,
                    limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """The best matches for one need, request or offer: nearest first, then newest."""
    listing = resource.listing
    lat, lon = listing.public_lat, listing.public_lon
    radius_m = radius_km * 1000
    per_lat, per_lon = metres_per_degree(lat)
    distance = distance_squared(lat, lon)
    dismissed = sa.select(MatchDismissal.suggested_resource_id).where(
        MatchDismissal.resource_id == resource.id)
    other = aliased(Resource)
    query = (
        sa.select(other).join(Listing, other.listing_id == Listing.id)
        .where(_wanted_side(resource), other.kind == resource.kind,
               other.committed < other.quantity, Listing.owner_id != listing.owner_id,
               other.id.not_in(dismissed),
               Listing.public_lat.between(lat - radius_m / per_lat, lat + radius_m / per_lat),
               Listing.public_lon.between(lon - radius_m / per_lon, lon + radius_m / per_lon),
               distance <= radius_m * radius_m)
        .order_by(distance, Listing.created_at.desc(), other.id)
        .options(selectinload(other.listing).selectinload(Listing.buurt))
        .limit(limit))
    return [Suggestion(match, geodesic((lat, lon), (match.listing.public_lat,
                                                   match.listing.public_lon)).km)
            for match in db.session.scalars(query)]


def dismiss(actor: User, resource: Resource, suggested: Resource) -> None:
    """The owner hides a suggestion that does not fit; it stays hidden on their listing."""
    if resource.listing.owner_id != actor.id:
        raise PermissionError("only the owner dismisses suggestions")
    lock(resource)  # a double tap hides it once
    if db.session.get(MatchDismissal, (resource.id, suggested.id)) is None:
        db.session.add(MatchDismissal(resource_id=resource.id, suggested_resource_id=suggested.id,
                                      dismissed_by_id=actor.id))
        db.session.flush()


def announce_matches(listing: Listing) -> None:
    """When a listing is published, tell both sides of each match (once per pair of listings)."""
    told: set[tuple[int, int]] = set()
    for resource in listing.resources:
        for suggestion in suggestions_for(resource):
            other = suggestion.listing
            if (other.id, listing.id) not in told:
                notify(other.owner, NotificationKind.MATCH_SUGGESTION, listing=listing)
                told.add((other.id, listing.id))
            if (listing.id, other.id) not in told:
                notify(listing.owner, NotificationKind.MATCH_SUGGESTION, listing=other)
                told.add((listing.id, other.id))
