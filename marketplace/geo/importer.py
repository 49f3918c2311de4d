"""Import gemeenten, wijken and buurten from the CBS "wijk- en buurtkaart".

A file (GeoJSON, gzipped GeoJSON or GeoPackage, in any coordinate system pyproj knows) or a
GeoJSON dict is read by :mod:`buurt_source`, every feature is checked by :mod:`buurt_checks`,
overlaps with other gemeenten are found by :mod:`overlaps`, and the buurten are written here in
bulk. The whole file is checked before anything is written, and the caller commits once, so a
bad or partial file imports nothing. Importing the same file again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.geo.buurt_checks import (
    BUURT_CODE,
    GEMEENTE_CODE,
    WIJK_CODE,
    Checked,
    Progress,
    check_source,
)
from marketplace.geo.buurt_source import Source, read_buurten_file, read_collection
from marketplace.geo.import_errors import BuurtImportError
from marketplace.geo.locator import forget_buurten
from marketplace.geo.models import Buurt, Gemeente, Wijk
from marketplace.geo.overlaps import find_overlaps
from marketplace.geo.search import search_text_of
from marketplace.refused import Refused

__all__ = ["BUURT_CODE", "GEMEENTE_CODE", "WIJK_CODE", "BuurtImportError", "ImportResult",
           "OverlapsFound", "check_buurten", "find_overlaps", "import_buurten", "read_source",
           "write_buurten"]

BATCH = 500
BBOX = ("min_lon", "min_lat", "max_lon", "max_lat")


class OverlapsFound(Refused):
    """Buurten of the file overlap buurten of another gemeente; an admin decides."""

    def __init__(self, overlaps: dict):
        self.overlaps = overlaps
        super().__init__(f"{overlaps['count']} overlap(s) with buurten of another gemeente",
                         field="file")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    repaired: int = 0
    gemeenten: set[str] = field(default_factory=set)


def read_source(source: dict | str | Path, fmt: str | None = None) -> Source:
    """A file path (its format from its name unless given) or a GeoJSON dict."""
    if isinstance(source, str | Path):
        return read_buurten_file(source, fmt)
    return read_collection(source)


def check_buurten(source: Any, fmt: str | None = None, progress: Progress | None = None) -> Checked:
    """Read and check every feature; raise BuurtImportError with what is wrong."""
    return check_source(read_source(source, fmt), progress)


def import_buurten(source: Any, *, mark_demo: bool = False, check_overlaps: bool = False,
                   fmt: str | None = None) -> ImportResult:
    """Create or update the gemeenten, wijken and buurten of a CBS file or GeoJSON dict.

    With ``check_overlaps``, buurten overlapping another gemeente's raise OverlapsFound first.
    """
    checked = check_buurten(source, fmt)
    if check_overlaps:
        overlaps = find_overlaps(checked)
        if overlaps["count"]:
            raise OverlapsFound(overlaps)
    return write_buurten(checked, mark_demo=mark_demo)


def _union(boxes: list[tuple[float, ...]]) -> dict[str, float]:
    array = np.asarray(boxes)
    return dict(zip(BBOX, (float(array[:, 0].min()), float(array[:, 1].min()),
                           float(array[:, 2].max()), float(array[:, 3].max())), strict=True))


def _write_areas(model: Any, rows: dict[str, dict], parent: str | None) -> dict[str, int]:
    """Insert the gemeenten or wijken not there yet, update the changed ones; their ids."""
    existing = {}
    codes = list(rows)
    for start in range(0, len(codes), BATCH):
        existing.update({row.code: row for row in db.session.execute(
            sa.select(model.id, model.code, model.name,
                      *([getattr(model, parent)] if parent else []))
            .where(model.code.in_(codes[start:start + BATCH])))})
    new = [row for code, row in rows.items() if code not in existing]
    if new:
        db.session.execute(sa.insert(model), new)
    changed = []
    for code, row in existing.items():
        values = {"name": rows[code]["name"]}
        if parent:
            values[parent] = rows[code][parent]
        if any(getattr(row, key) != value for key, value in values.items()):
            changed.append({"id": row.id, **values})
    if changed:
        db.session.execute(sa.update(model), changed)
    ids = {}
    for start in range(0, len(codes), BATCH):
        ids.update(db.session.execute(sa.select(model.code, model.id)
                                      .where(model.code.in_(codes[start:start + BATCH]))).all())
    return ids


def _write_buurten(checked: Checked, bounds: np.ndarray, wijk_ids: dict[str, int],
                   result: ImportResult, progress: Progress | None) -> None:
    for start in range(0, len(checked), BATCH):
        end = min(start + BATCH, len(checked))
        outlines = shapely.to_geojson(np.asarray(checked.geometries[start:end], dtype=object))
        existing = {row.code: row for row in db.session.execute(sa.select(
            Buurt.id, Buurt.code, Buurt.name, Buurt.wijk_id, Buurt.postcode, Buurt.geometry,
            Buurt.search_text, Buurt.residents,
            *(getattr(Buurt, key) for key in BBOX)).where(Buurt.code.in_(checked.codes[start:end])))}
        new, changed = [], []
        for index in range(start, end):
            values = {"name": checked.names[index], "wijk_id": wijk_ids[checked.wijk_codes[index]],
                      "postcode": checked.postcodes[index], "geometry": str(outlines[index - start]),
                      "residents": checked.residents[index],
                      "search_text": search_text_of(
                          checked.names[index], checked.wijk_names[index],
                          checked.gemeente_names[index], checked.postcodes[index],
                          checked.codes[index]),
                      **dict(zip(BBOX, (float(v) for v in bounds[index]), strict=True))}
            row = existing.get(checked.codes[index])
            if row is None:
                new.append({"code": checked.codes[index], **values})
            elif any(getattr(row, key) != value for key, value in values.items()):
                changed.append({"id": row.id, **values})
            else:
                result.unchanged += 1
        if new:
            db.session.execute(sa.insert(Buurt), new)
        if changed:
            db.session.execute(sa.update(Buurt), changed)
        result.created += len(new)
        result.updated += len(changed)
        if progress is not None:
            progress(end)


def _update_extents(model: Any, child: Any, link: Any, ids: list[int]) -> None:
    """A wijk's or gemeente's extent is that of all its buurten or wijken, also ones not in
    this file."""
    extent = {key: sa.select((sa.func.min if key.startswith("min") else sa.func.max)(
        getattr(child, key))).where(link == model.id).scalar_subquery() for key in BBOX}
    for start in range(0, len(ids), BATCH):
        db.session.execute(sa.update(model).where(model.id.in_(ids[start:start + BATCH]))
                           .values(**extent).execution_options(synchronize_session=False))


def write_buurten(checked: Checked, *, mark_demo: bool = False,
                  progress: Callable[[int], None] | None = None) -> ImportResult:
    """Write checked buurten in bulk (the caller commits once); say what changed."""
    result = ImportResult(repaired=checked.repaired, gemeenten=set(checked.gemeente_codes))
    bounds = np.round(shapely.bounds(np.asarray(checked.geometries, dtype=object)), 7)
    gemeenten: dict[str, dict] = {}
    wijken: dict[str, dict] = {}
    boxes: dict[str, list] = {}
    for index, code in enumerate(checked.wijk_codes):
        boxes.setdefault(code, []).append(bounds[index])
        gemeente = checked.gemeente_codes[index]
        wijken[code] = {"code": code, "name": checked.wijk_names[index], "gemeente": gemeente}
        gemeenten[gemeente] = {"code": gemeente, "name": checked.gemeente_names[index],
                               "is_demo": mark_demo}
    for code, wijk in wijken.items():
        wijk.update(_union(boxes[code]))
        gemeente = gemeenten[wijk["gemeente"]]
        gemeente.update(_union([[gemeente.get(k, wijk[k]) for k in BBOX], [wijk[k] for k in BBOX]]))
    gemeente_ids = _write_areas(Gemeente, gemeenten, None)
    for wijk in wijken.values():
        wijk["gemeente_id"] = gemeente_ids[wijk.pop("gemeente")]
    wijk_ids = _write_areas(Wijk, wijken, "gemeente_id")
    _write_buurten(checked, bounds, wijk_ids, result, progress)
    _update_extents(Wijk, Buurt, Buurt.wijk_id, sorted(wijk_ids.values()))
    _update_extents(Gemeente, Wijk, Wijk.gemeente_id, sorted(gemeente_ids.values()))
    db.session.flush()
    db.session.expire_all()  # the bulk statements went around objects already loaded
    forget_buurten()
    return result
