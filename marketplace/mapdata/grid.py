"""One grid for the whole map: at level L the world is cut into 2^L columns of longitude and 2^L
rows of latitude. A cell at level L+1 lies in exactly one cell at level L (its x and y halved),
so counts roll up and a tile's data version covers everything inside it.

In the Netherlands a cell is about as high as it is wide on the map (a degree of latitude is
about 1.6 degrees of longitude there, and a cell spans twice as many degrees across as down).
The map asks for tiles at the level of its zoom (256 pixels across) and shows clusters per
cell two levels deeper: 4 × 4 per tile, some 64 pixels apart.

Positions are computed the same way in Python and in SQL (marketplace/mapdata/triggers.py):
the fraction of the world first, then times 2^L, so that every level floors the same number.
"""

from __future__ import annotations

MAX_TILE_LEVEL = 16  # a tile of ~600 × 350 m; closer views ask for these
CLUSTER_DEPTH = 2  # clusters: cells this many levels below the tile (4 × 4 per tile)
ROLLUP_LEVELS = range(2, 14)  # cells the database keeps counts for (level 13: ~3 × 2.4 km)
VERSION_LEVELS = range(0, 11)  # areas with a data version of their own (level 10: ~24 × 20 km)
EPOCH_LEVEL = -1  # the row whose version changes every answer (names of categories, buurten)


def column(lon: float, level: int) -> int:
    return int((lon + 180.0) / 360.0 * (1 << level) // 1)


def row(lat: float, level: int) -> int:
    return int((lat + 90.0) / 180.0 * (1 << level) // 1)


def cell_of(lat: float, lon: float, level: int) -> tuple[int, int]:
    return column(lon, level), row(lat, level)


def cell_box(level: int, x: int, y: int) -> tuple[float, float, float, float]:
    """west, south, east, north of a cell."""
    width, height = 360.0 / (1 << level), 180.0 / (1 << level)
    return (x * width - 180.0, y * height - 90.0, (x + 1) * width - 180.0,
            (y + 1) * height - 90.0)


def is_cell(level: int, x: int, y: int) -> bool:
    return 0 <= level <= MAX_TILE_LEVEL and 0 <= x < (1 << level) and 0 <= y < (1 << level)


def parent(level: int, x: int, y: int, to_level: int) -> tuple[int, int]:
    shift = level - to_level
    return x >> shift, y >> shift


def version_area(level: int, x: int, y: int) -> tuple[int, int, int]:
    """The area whose data version covers this tile: the tile itself, or the level-10 area
    holding it."""
    top = min(level, VERSION_LEVELS[-1])
    return (top, *parent(level, x, y, top))


def smallest_area_holding(box: tuple[float, float, float, float]) -> tuple[int, int, int]:
    """The smallest versioned area that holds the whole box (west, south, east, north)."""
    west, south, east, north = box
    for level in reversed(VERSION_LEVELS):
        low, high = cell_of(south, west, level), cell_of(north, east, level)
        if low == high:
            return (level, *low)
    return (0, 0, 0)
