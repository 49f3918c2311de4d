"""What the map shows in one tile: clusters with counts per kind when there are many listings,
pins when there are few. Counts come from ``map_cell`` where its dimensions cover the filter
(kind, status, category); a filter on text, distance or buurt, and tiles smaller than the
finest counted cell, are counted from the listings themselves, which the tile's small area
keeps cheap."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.geo.models import Buurt
from marketplace.listings.models import Listing, ListingKind
from marketplace.listings.queries import ListingFilter, count_up_to, public_listings
from marketplace.listings.search import matching_text
from marketplace.mapdata.grid import CLUSTER_DEPTH, ROLLUP_LEVELS, cell_box
from marketplace.mapdata.models import MapCell

PIN_LIMIT = 150  # a tile with at most this many listings shows them as pins
PINS_FROM_LEVEL = 11  # tiles of about 12 × 10 km and smaller; larger ones always cluster
# A filter that map_cell does not count (text, distance, buurt) is counted from the listings, the
# newest this many of them per tile at most: a common word over the whole country would
# otherwise mean grouping a hundred thousand rows.
SPOT_COUNT_LIMIT = 2000
KINDS = tuple(ListingKind)


@dataclass
class Cluster:
    lat: float
    lon: float
    count: int
    by_kind: dict[ListingKind, int]


@dataclass
class Pin:
    id: int
    lat: float
    lon: float
    kind: ListingKind
    title: str
    buurt_name: str


@dataclass
class TileContents:
    level: int
    x: int
    y: int
    count: int = 0
    capped: bool = False  # counted up to SPOT_COUNT_LIMIT: there may be more
    clusters: list[Cluster] = field(default_factory=list)
    pins: list[Pin] = field(default_factory=list)


class _Sums:
    """Per cell and kind: how many, and the sums of their positions."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], dict[str, list[float]]] = {}

    def add(self, x: int, y: int, kind: str, count: int, lat_sum: float, lon_sum: float,
            sign: int = 1) -> None:
        sums = self.cells.setdefault((x, y), {}).setdefault(kind, [0, 0.0, 0.0])
        sums[0] += sign * count
        sums[1] += sign * lat_sum
        sums[2] += sign * lon_sum

    def clusters(self) -> list[Cluster]:
        found = []
        for (_x, _y), kinds in sorted(self.cells.items()):
            count = sum(int(sums[0]) for sums in kinds.values())
            if count <= 0:
                continue
            lat = sum(sums[1] for sums in kinds.values()) / count
            lon = sum(sums[2] for sums in kinds.values()) / count
            by_kind = {kind: int(kinds[kind.value][0]) if kind.value in kinds else 0
                       for kind in KINDS}
            found.append(Cluster(round(lat, 5), round(lon, 5), count, by_kind))
        return found


def _counted(criteria: ListingFilter) -> bool:
    """Does map_cell hold this filter's counts?"""
    return not criteria.text and criteria.near is None and criteria.buurt_code is None \
        and criteria.buurt is None and not criteria.extra


def _in_box(query: sa.Select, box: tuple[float, float, float, float]) -> sa.Select:
    """Half-open, as cells are: a listing on a tile's edge belongs to one tile only."""
    west, south, east, north = box
    return query.where(Listing.public_lat >= south, Listing.public_lat < north,
                       Listing.public_lon >= west, Listing.public_lon < east)


def _listings_in(box, criteria: ListingFilter) -> sa.Select:
    query = public_listings(replace(criteria, bbox=None, text=None)).order_by(None)
    if criteria.text:
        query = matching_text(query, criteria.text)
    return _in_box(query, box)


def _cell_index(expression, level: int):
    scaled = expression * (1 << level)
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.cast(sa.func.floor(scaled), sa.Integer)
    return sa.cast(scaled, sa.Integer)  # positive, so truncating is flooring


def _add_grouped(sums: _Sums, query: sa.Select, level: int, sign: int = 1,
                 limit: int | None = None) -> None:
    """Group the listings of ``query`` per cell and kind (the newest ``limit`` of them)."""
    if limit is not None:
        rows = (query.with_only_columns(Listing.public_lat, Listing.public_lon, Listing.kind,
                                        maintain_column_froms=True)
                .order_by(Listing.created_at.desc(), Listing.id.desc()).limit(limit).subquery())
        lat, lon, kind = rows.c.public_lat, rows.c.public_lon, rows.c.kind
        source = sa.select().select_from(rows)
    else:
        lat, lon, kind = Listing.public_lat, Listing.public_lon, Listing.kind
        source = query
    x = _cell_index((lon + 180.0) / 360.0, level)
    y = _cell_index((lat + 90.0) / 180.0, level)
    grouped = source.with_only_columns(
        x, y, kind, sa.func.count(), sa.func.sum(lat), sa.func.sum(lon),
        maintain_column_froms=True).group_by(x, y, kind)
    for cx, cy, found_kind, count, lat_sum, lon_sum in db.session.execute(grouped):
        value = found_kind.value if hasattr(found_kind, "value") else found_kind
        sums.add(cx, cy, str(value), count, lat_sum, lon_sum, sign)


def _add_counted(sums: _Sums, level: int, x: int, y: int, criteria: ListingFilter) -> None:
    depth = 1 << CLUSTER_DEPTH
    query = (sa.select(MapCell.x, MapCell.y, MapCell.kind, sa.func.sum(MapCell.listings),
                       sa.func.sum(MapCell.lat_sum), sa.func.sum(MapCell.lon_sum))
             .where(MapCell.level == level + CLUSTER_DEPTH,
                    MapCell.x.between(x * depth, x * depth + depth - 1),
                    MapCell.y.between(y * depth, y * depth + depth - 1),
                    MapCell.status.in_([s.value for s in criteria.public_statuses()]))
             .group_by(MapCell.x, MapCell.y, MapCell.kind))
    if criteria.kinds:
        query = query.where(MapCell.kind.in_([k.value for k in criteria.kinds]))
    if criteria.category is not None:
        query = query.where(MapCell.category_id == criteria.category.id)
    for row in db.session.execute(query):
        sums.add(*row)


def _suspended_in(box, criteria: ListingFilter, suspended: frozenset[int]) -> sa.Select:
    """The listings that map_cell counts but nobody may see while their owner is suspended."""
    query = sa.select(Listing).where(
        Listing.status.in_(criteria.public_statuses()), Listing.hidden_at.is_(None),
        Listing.owner_id.in_(sorted(suspended)))
    if criteria.kinds:
        query = query.where(Listing.kind.in_(criteria.kinds))
    if criteria.category is not None:
        query = query.where(Listing.category_id == criteria.category.id)
    return _in_box(query, box)


def _pins(query: sa.Select) -> list[Pin]:
    rows = db.session.execute(
        query.with_only_columns(Listing.id, Listing.public_lat, Listing.public_lon, Listing.kind,
                                Listing.title, Buurt.name, maintain_column_froms=True)
        .join_from(Listing, Buurt, Listing.buurt_id == Buurt.id)
        .order_by(Listing.id.desc()).limit(PIN_LIMIT))
    return [Pin(*row) for row in rows]


def tile_contents(level: int, x: int, y: int, criteria: ListingFilter,
                  suspended: frozenset[int] = frozenset()) -> TileContents:
    """The public listings matching ``criteria`` in the tile, as clusters of cells two levels
    deeper, or as pins when the tile is small enough and holds few enough."""
    box = cell_box(level, x, y)
    listings = _listings_in(box, criteria)
    contents = TileContents(level, x, y)
    pins_allowed = level >= PINS_FROM_LEVEL
    sums = _Sums()
    if level + CLUSTER_DEPTH in ROLLUP_LEVELS and _counted(criteria):
        _add_counted(sums, level, x, y, criteria)
        if suspended:
            _add_grouped(sums, _suspended_in(box, criteria, suspended), level + CLUSTER_DEPTH,
                         sign=-1)
        contents.clusters = sums.clusters()
        contents.count = sum(cluster.count for cluster in contents.clusters)
    else:
        if pins_allowed:
            contents.count = count_up_to(listings, PIN_LIMIT + 1)
        if not (pins_allowed and contents.count <= PIN_LIMIT):
            limit = None if _counted(criteria) else SPOT_COUNT_LIMIT
            _add_grouped(sums, listings, level + CLUSTER_DEPTH, limit=limit)
            contents.clusters = sums.clusters()
            contents.count = sum(cluster.count for cluster in contents.clusters)
            contents.capped = limit is not None and contents.count >= limit
    if pins_allowed and contents.count <= PIN_LIMIT:
        contents.clusters = []
        contents.pins = _pins(listings) if contents.count else []
    return contents
