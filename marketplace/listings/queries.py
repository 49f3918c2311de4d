"""Read queries for listings: the public ones, filtered; a person's own; distances."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from geopy.distance import geodesic
from sqlalchemy.orm import selectinload

from marketplace.auth.queries import suspended_people
from marketplace.extensions import db
from marketplace.geo.models import Buurt
from marketplace.listings.models import (
    ACTIVE_STATUSES,
    PUBLIC_STATUSES,
    Category,
    Listing,
    ListingKind,
    ListingStatus,
)
from marketplace.listings.search import RANKED_AMONG, best_matches_first, matching_text

MAX_RADIUS_KM = 50
# Areas up to this many degrees high (about 17 km: a city) are read through the position index;
# larger ones through the newest-first index, which finds the first few hundred without a full
# scan (at 100,000 listings on SQLite, an 8 km box: 1 ms this way, 50 ms the other).
SMALL_AREA_DEGREES = 0.15
# WGS84 ellipsoid, for metres per degree at a latitude.
_A = 6_378_137.0
_E2 = 0.00669437999014


@dataclass(frozen=True)
class ExtraFilter:
    """A yes/no filter a feature adds to the map, its list and the API (listings stay the floor:
    they do not know the features that narrow them)."""

    name: str  # the query parameter, ?name=1
    label: Any  # the map form's checkbox
    description: str  # for the API document
    condition: Callable[[], sa.ColumnElement[bool]]


EXTRA_FILTERS: dict[str, ExtraFilter] = {}


def register_filter(extra: ExtraFilter) -> None:
    EXTRA_FILTERS[extra.name] = extra


@dataclass
class ListingFilter:
    kinds: list[ListingKind] = field(default_factory=list)
    category: Category | None = None
    buurt: Buurt | None = None
    buurt_code: str | None = None  # asked for, whether or not such a buurt exists
    statuses: list[ListingStatus] = field(default_factory=lambda: list(ACTIVE_STATUSES))
    text: str | None = None
    near: tuple[float, float] | None = None  # (lat, lon)
    radius_km: float = 2.0
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    ranked_among: int = RANKED_AMONG  # a text search ranks the newest this many matches
    # Filters other features add (listings.filters.EXTRA_FILTERS), by name.
    extra: list[str] = field(default_factory=list)

    def narrowings(self) -> int:
        """How many filters narrow the list beyond what everyone sees at first (kind, category,
        buurt, words, near me, statuses other than the active ones)."""
        return sum((bool(self.kinds), self.category is not None,
                    self.buurt is not None or self.buurt_code is not None, bool(self.text),
                    self.near is not None, set(self.statuses) != set(ACTIVE_STATUSES))) \
            + len(self.extra)

    def public_statuses(self) -> list[ListingStatus]:
        """The statuses asked for that the public may see; the active ones when none is."""
        return [s for s in self.statuses if s in PUBLIC_STATUSES] or list(ACTIVE_STATUSES)


def metres_per_degree(lat: float) -> tuple[float, float]:
    """Metres per degree of latitude and of longitude at ``lat`` on the WGS84 ellipsoid."""
    sin2 = math.sin(math.radians(lat)) ** 2
    meridional = _A * (1 - _E2) / (1 - _E2 * sin2) ** 1.5
    prime_vertical = _A / math.sqrt(1 - _E2 * sin2)
    return (math.radians(1) * meridional,
            math.radians(1) * prime_vertical * math.cos(math.radians(lat)))


def box_around(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """west, south, east, north of the box that holds the circle around (lat, lon)."""
    per_lat, per_lon = metres_per_degree(lat)
    d_lat, d_lon = radius_km * 1000 / per_lat, radius_km * 1000 / max(per_lon, 1.0)
    return (max(lon - d_lon, -180), max(lat - d_lat, -90), min(lon + d_lon, 180),
            min(lat + d_lat, 90))


def distance_squared(lat: float, lon: float):
    """Squared distance in m² from (lat, lon) to a listing's public point, in SQL.

    Locally the ellipsoid is flat to within 0.01 % over 50 km, so this agrees with the geodesic
    distance to a metre or two and lets the database filter and sort.
    """
    per_lat, per_lon = metres_per_degree(lat)
    d_lat = (Listing.public_lat - lat) * per_lat
    d_lon = (Listing.public_lon - lon) * per_lon
    return d_lat * d_lat + d_lon * d_lon


def distance_km(listing: Listing, lat: float, lon: float) -> float:
    return geodesic((lat, lon), (listing.public_lat, listing.public_lon)).km


def _is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def _area_height(criteria: ListingFilter) -> float | None:
    """How many degrees of latitude the search covers, if it is limited to an area."""
    heights = []
    if criteria.bbox is not None:
        heights.append(criteria.bbox[3] - criteria.bbox[1])
    if criteria.near is not None:
        heights.append(2 * criteria.radius_km * 1000 / metres_per_degree(criteria.near[0])[0])
    return min(heights) if heights else None


def publicly_visible(statuses=PUBLIC_STATUSES) -> sa.ColumnElement[bool]:
    """What everyone may see: published, not hidden by a moderator or by flags, and not by a
    suspended person. Every public channel (pages, map, list, API, counts) filters with this."""
    return sa.and_(Listing.status.in_(statuses), Listing.hidden_at.is_(None),
                   Listing.owner_id.not_in(suspended_people()))


def public_listings(criteria: ListingFilter) -> sa.Select:
    """Public listings matching the filter: nearest first with ``near``; else with ``text`` the
    best match first among the newest matches (search.RANKED_AMONG); else newest first."""
    statuses = criteria.public_statuses()
    # A small area is best read through the position index (a few hundred rows), anything larger
    # newest-first through the created_at index, stopping after the first few hundred that match.
    # PostgreSQL weighs this from its statistics. SQLite has none and would take the position
    # index for a whole city too, then sort every listing in it; "+ 0" hides that index from it.
    height = _area_height(criteria)
    large_area = height is not None and height > SMALL_AREA_DEGREES
    lat = Listing.public_lat + 0 if large_area and _is_sqlite() else Listing.public_lat
    lon = Listing.public_lon
    query = sa.select(Listing).where(publicly_visible(statuses))
    if criteria.kinds:
        query = query.where(Listing.kind.in_(criteria.kinds))
    if criteria.category is not None:
        query = query.where(Listing.category_id == criteria.category.id)
    if criteria.buurt is not None:
        query = query.where(Listing.buurt_id == criteria.buurt.id)
    elif criteria.buurt_code:
        query = query.where(sa.false())
    for name in criteria.extra:
        query = query.where(EXTRA_FILTERS[name].condition())
    if criteria.text and criteria.near is not None:
        query = matching_text(query, criteria.text)  # else best_matches_first below
    if criteria.bbox is not None:
        west, south, east, north = criteria.bbox
        query = query.where(lat.between(south, north), lon.between(west, east))
    if criteria.near is not None:
        near_lat, near_lon = criteria.near
        radius_m = criteria.radius_km * 1000
        distance = distance_squared(near_lat, near_lon)
        # A box around the circle first, so an index does the heavy lifting.
        west, south, east, north = box_around(near_lat, near_lon, criteria.radius_km)
        query = query.where(
            lat.between(south, north), lon.between(west, east), distance <= radius_m * radius_m,
        ).order_by(distance, Listing.id)
    elif criteria.text:
        # Narrows to the text, and ranks.
        query = best_matches_first(query, criteria.text, criteria.ranked_among)
    else:
        query = query.order_by(Listing.created_at.desc(), Listing.id.desc())
    return query


def count_up_to(query: sa.Select, cap: int) -> int:
    """How many rows the query gives, but at most ``cap``: an index stops after that many."""
    capped = query.with_only_columns(Listing.id).limit(cap).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(capped)) or 0


def with_map_details(query: sa.Select) -> sa.Select:
    """Load what a map marker shows in a few queries, not one per listing."""
    return query.options(selectinload(Listing.category), selectinload(Listing.buurt),
                         selectinload(Listing.gemeente), selectinload(Listing.photos))


def with_list_details(query: sa.Select) -> sa.Select:
    """Load what a list row shows (a marker's details and the needs) in a few queries."""
    return with_map_details(query).options(selectinload(Listing.resources))


def listings_of(owner_id: int) -> sa.Select:
    return (sa.select(Listing).where(Listing.owner_id == owner_id)
            .order_by(Listing.updated_at.desc()))


def active_categories(gemeente_id: int | None = None) -> list[Category]:
    """The categories that can be chosen: the national ones, and the gemeente's own."""
    own = Category.gemeente_id == gemeente_id if gemeente_id is not None else sa.false()
    return list(db.session.scalars(
        sa.select(Category).where(Category.active, sa.or_(Category.gemeente_id.is_(None), own))
        .order_by(Category.gemeente_id.is_not(None), Category.position, Category.name_nl)))


def active_residents_in(buurt: Buurt) -> int:
    """How many different people have a public listing in the buurt."""
    return db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Listing.owner_id)))
        .where(Listing.buurt_id == buurt.id, publicly_visible())) or 0
