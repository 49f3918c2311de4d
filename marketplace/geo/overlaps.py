"""Buurten of a file that overlap a buurt of another gemeente, in the file or in the database.

Shared borders and slivers do not count: only an overlap of more than ``TOLERANCE`` of the
smaller of the two buurten. Candidates come from an STRtree, so a national file is checked in
seconds.
"""

from __future__ import annotations

import numpy as np
import shapely
import sqlalchemy as sa
from shapely.errors import GEOSException
from shapely.strtree import STRtree

from marketplace.extensions import db
from marketplace.geo.buurt_checks import Checked
from marketplace.geo.models import Buurt, Gemeente, Wijk

TOLERANCE = 0.01
MAX_LISTED = 500  # a file drawn in the wrong place overlaps everything: list enough to see it
CHUNK = 500


def _shares(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Per pair, the overlap as a share of the smaller buurt (0 where it cannot be computed)."""
    try:
        overlap = shapely.area(shapely.intersection(left, right))
    except GEOSException:  # rare topology trouble: pair by pair, skipping what fails
        overlap = np.zeros(len(left))
        for position, (a, b) in enumerate(zip(left, right, strict=True)):
            try:
                overlap[position] = shapely.area(shapely.intersection(a, b))
            except GEOSException:
                overlap[position] = 0.0
    smaller = np.minimum(shapely.area(left), shapely.area(right))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(smaller > 0, overlap / smaller, 0.0)


def _existing_elsewhere(checked: Checked, tree: STRtree) -> list[tuple]:
    """Buurten in the database, not in the file, whose extent meets a buurt of the file."""
    in_file = set(checked.codes)
    west, south, east, north = shapely.total_bounds(np.asarray(checked.geometries, dtype=object))
    rows = db.session.execute(
        sa.select(Buurt.id, Buurt.code, Buurt.min_lon, Buurt.min_lat, Buurt.max_lon, Buurt.max_lat)
        .where(Buurt.max_lon >= west, Buurt.min_lon <= east,
               Buurt.max_lat >= south, Buurt.min_lat <= north)).all()
    rows = [row for row in rows if row.code not in in_file]
    if not rows:
        return []
    boxes = shapely.box(*np.array([row[2:] for row in rows], dtype=float).T)
    near = {int(position) for position in np.unique(tree.query(boxes)[0])}
    ids = [rows[position].id for position in sorted(near)]
    found = []
    for start in range(0, len(ids), CHUNK):
        found.extend(db.session.execute(
            sa.select(Buurt.code, Buurt.name, Gemeente.code, Gemeente.name, Buurt.geometry)
            .join(Wijk, Buurt.wijk_id == Wijk.id).join(Gemeente, Wijk.gemeente_id == Gemeente.id)
            .where(Buurt.id.in_(ids[start:start + CHUNK]))).all())
    return found


def _entry(checked: Checked, index: int, other: tuple, share: float, in_file: bool) -> dict:
    return {"code": checked.codes[index], "name": checked.names[index],
            "gemeente_code": checked.gemeente_codes[index],
            "gemeente_name": checked.gemeente_names[index],
            "other_code": other[0], "other_name": other[1], "other_gemeente_code": other[2],
            "other_gemeente_name": other[3], "percent": round(float(share) * 100, 1),
            "in_file": in_file}


def find_overlaps(checked: Checked) -> dict:
    """The overlaps with buurten of other gemeenten: ``{"count": n, "listed": [...]}``, the
    largest first."""
    geometries = np.asarray(checked.geometries, dtype=object)
    if not len(geometries):
        return {"count": 0, "listed": []}
    gemeenten = np.asarray(checked.gemeente_codes, dtype=object)
    tree = STRtree(geometries)
    entries = []

    # Within the file: each pair once, between different gemeenten.
    left, right = tree.query(geometries, predicate="intersects")
    pairs = (left < right) & (gemeenten[left] != gemeenten[right])
    left, right = left[pairs], right[pairs]
    shares = _shares(geometries[left], geometries[right])
    for a, b, share in zip(left, right, shares, strict=True):
        if share > TOLERANCE:
            other = (checked.codes[b], checked.names[b], checked.gemeente_codes[b],
                     checked.gemeente_names[b])
            entries.append(_entry(checked, int(a), other, share, True))

    # With the database: buurten that stay as they are, of another gemeente.
    existing = _existing_elsewhere(checked, tree)
    if existing:
        outlines = shapely.from_geojson([row[4] for row in existing], on_invalid="ignore")
        theirs, ours = tree.query(outlines, predicate="intersects")
        pairs = gemeenten[ours] != np.asarray([existing[t][2] for t in theirs], dtype=object)
        theirs, ours = theirs[pairs], ours[pairs]
        shares = _shares(geometries[ours], outlines[theirs])
        for t, o, share in zip(theirs, ours, shares, strict=True):
            if share > TOLERANCE:
                entries.append(_entry(checked, int(o), tuple(existing[t][:4]), share, False))

    entries.sort(key=lambda entry: (-entry["percent"], entry["code"]))
    return {"count": len(entries), "listed": entries[:MAX_LISTED]}
