"""Import gemeenten, wijken and buurten from the CBS "wijk- en buurtkaart" GeoJSON.

The whole file is checked before anything is written, and the caller commits once, so a bad or
partial file imports nothing. Importing the same file again changes nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
import sqlalchemy as sa
from flask_babel import gettext as _
from shapely.geometry import MultiPolygon, Polygon, mapping, shape

from marketplace.extensions import db
from marketplace.geo.locator import forget_buurten
from marketplace.geo.models import Buurt, Gemeente, Wijk
from marketplace.refused import Refused

BUURT_CODE = re.compile(r"^BU\d{8}$")
WIJK_CODE = re.compile(r"^WK\d{6}$")
GEMEENTE_CODE = re.compile(r"^GM\d{4}$")
MAX_ERRORS = 20


class BuurtImportError(Refused):
    """The file cannot be imported; ``errors`` says why, feature by feature."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors), field="geojson")
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    gemeenten: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _BuurtRecord:
    code: str
    name: str
    wijk_code: str
    wijk_name: str
    gemeente_code: str
    gemeente_name: str
    geometry: str  # GeoJSON text
    bbox: tuple[float, float, float, float]


def load_geojson(path: Path | str) -> dict[str, Any]:
    """Read a GeoJSON file, turning unreadable JSON into a BuurtImportError."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except json.JSONDecodeError as error:
        raise BuurtImportError([_("The file is not valid JSON (line %(line)d, column %(col)d).",
                                  line=error.lineno, col=error.colno)]) from error
    except (OSError, UnicodeDecodeError) as error:
        raise BuurtImportError([_("The file cannot be read: %(error)s", error=error)]) from error


def _text(properties: dict, key: str) -> str:
    value = properties.get(key)
    return value.strip() if isinstance(value, str) else ""


def _geometry(raw: Any) -> tuple[Polygon | MultiPolygon | None, str | None]:
    if not isinstance(raw, dict) or raw.get("type") not in ("Polygon", "MultiPolygon"):
        return None, _("the geometry must be a Polygon or MultiPolygon")
    try:
        geometry = shape(raw)
    except (ValueError, TypeError, AttributeError, IndexError) as error:
        return None, _("the geometry cannot be read (%(error)s)", error=error)
    if geometry.is_empty:
        return None, _("the geometry is empty")
    west, south, east, north = geometry.bounds
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        hint = _(" These look like RD New (EPSG:28992) metres: export the map in WGS84 (EPSG:4326).")
        return None, _("the coordinates are not longitude/latitude.") + (
            hint if max(abs(west), abs(north)) > 1000 else "")
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
        if geometry.geom_type == "GeometryCollection":
            parts = [g for g in geometry.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
            geometry = shapely.union_all(parts) if parts else geometry
        if geometry.geom_type not in ("Polygon", "MultiPolygon"):
            return None, _("the outline is not a valid polygon")
    return geometry, None


def _parse_feature(index: int, feature: Any) -> tuple[_BuurtRecord | None, list[str]]:
    where = _("Feature %(number)d", number=index + 1)
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        return None, [_("%(where)s: it has no properties.", where=where)]
    props = feature["properties"]
    code = _text(props, "buurtcode")
    if code:
        where = f"{where} ({code})"
    errors = []
    values = {key: _text(props, key) for key in
              ("buurtcode", "buurtnaam", "wijkcode", "gemeentecode", "gemeentenaam")}
    for key, value in values.items():
        if not value:
            errors.append(_("%(where)s: property \"%(key)s\" is missing.", where=where, key=key))
    wijk_code, gemeente_code = values["wijkcode"], values["gemeentecode"]
    for key, pattern, example in (("buurtcode", BUURT_CODE, "BU03440101"),
                                  ("wijkcode", WIJK_CODE, "WK034401"),
                                  ("gemeentecode", GEMEENTE_CODE, "GM0344")):
        if values[key] and not pattern.match(values[key]):
            errors.append(_("%(where)s: \"%(value)s\" is not a valid %(key)s (like %(example)s).",
                            where=where, value=values[key], key=key, example=example))
    if not errors and not (code[2:8] == wijk_code[2:] and wijk_code[2:6] == gemeente_code[2:]):
        errors.append(_("%(where)s: buurt %(buurt)s does not lie in wijk %(wijk)s of %(gemeente)s.",
                        where=where, buurt=code, wijk=wijk_code, gemeente=gemeente_code))
    geometry, problem = _geometry(feature.get("geometry"))
    if problem:
        errors.append(f"{where}: {problem}")
    if errors:
        return None, errors
    record = _BuurtRecord(
        code=code, name=values["buurtnaam"], wijk_code=wijk_code,
        wijk_name=_text(props, "wijknaam") or f"Wijk {wijk_code[-2:]}",
        gemeente_code=gemeente_code, gemeente_name=values["gemeentenaam"],
        geometry=json.dumps(mapping(geometry), separators=(",", ":")),
        bbox=tuple(round(v, 7) for v in geometry.bounds),
    )
    return record, []


def parse_buurten(collection: Any) -> list[_BuurtRecord]:
    """Check every feature; raise BuurtImportError listing the problems found."""
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise BuurtImportError([_("The file is not a GeoJSON FeatureCollection.")])
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise BuurtImportError([_("The file contains no buurten.")])
    records, errors, seen = [], [], set()
    for index, feature in enumerate(features):
        record, problems = _parse_feature(index, feature)
        errors.extend(problems)
        if record is not None:
            if record.code in seen:
                errors.append(_("Buurt %(code)s appears more than once.", code=record.code))
            seen.add(record.code)
            records.append(record)
        if len(errors) >= MAX_ERRORS:
            errors.append(_("Stopped after %(count)d problems.", count=MAX_ERRORS))
            break
    if errors:
        raise BuurtImportError(errors)
    return records


def _assign(obj, **values) -> bool:
    """Set attributes that differ; True when anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _bbox_values(bbox: tuple[float, float, float, float]) -> dict[str, float]:
    return dict(zip(("min_lon", "min_lat", "max_lon", "max_lat"), bbox, strict=True))


def _union_bbox(boxes: list[tuple[float, float, float, float]]) -> tuple[float, ...]:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def import_buurten(collection: Any, *, mark_demo: bool = False) -> ImportResult:
    """Create or update the gemeenten, wijken and buurten in a CBS GeoJSON collection."""
    records = parse_buurten(collection)
    result = ImportResult()
    gemeenten = {g.code: g for g in db.session.scalars(
        sa.select(Gemeente).where(Gemeente.code.in_({r.gemeente_code for r in records})))}
    wijken = {w.code: w for w in db.session.scalars(
        sa.select(Wijk).where(Wijk.code.in_({r.wijk_code for r in records})))}
    buurten = {b.code: b for b in db.session.scalars(
        sa.select(Buurt).where(Buurt.code.in_({r.code for r in records})))}
    touched_wijken: set[str] = set()

    for record in records:
        gemeente = gemeenten.get(record.gemeente_code)
        if gemeente is None:
            gemeente = Gemeente(code=record.gemeente_code, name=record.gemeente_name,
                                is_demo=mark_demo, **_bbox_values(record.bbox))
            db.session.add(gemeente)
            gemeenten[gemeente.code] = gemeente
        else:
            _assign(gemeente, name=record.gemeente_name)
        wijk = wijken.get(record.wijk_code)
        if wijk is None:
            wijk = Wijk(code=record.wijk_code, name=record.wijk_name, gemeente=gemeente,
                        **_bbox_values(record.bbox))
            db.session.add(wijk)
            wijken[wijk.code] = wijk
        else:
            _assign(wijk, name=record.wijk_name, gemeente=gemeente)
        touched_wijken.add(wijk.code)
        buurt = buurten.get(record.code)
        values = {"name": record.name, "wijk": wijk, "geometry": record.geometry,
                  **_bbox_values(record.bbox)}
        if buurt is None:
            db.session.add(Buurt(code=record.code, **values))
            result.created += 1
        elif _assign(buurt, **values):
            result.updated += 1
        else:
            result.unchanged += 1
        result.gemeenten.add(gemeente.code)

    db.session.flush()
    # A wijk's and gemeente's extent is that of all their buurten, also ones not in this file.
    for code in touched_wijken:
        wijk = wijken[code]
        _assign(wijk, **_bbox_values(_union_bbox([b.bbox for b in wijk.buurten])))
    for code in result.gemeenten:
        gemeente = gemeenten[code]
        _assign(gemeente, **_bbox_values(_union_bbox([w.bbox for w in gemeente.wijken])))
    db.session.flush()
    forget_buurten()
    return result
