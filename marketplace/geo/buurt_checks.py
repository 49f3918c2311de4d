"""Checking every feature of a buurten file, and counting what is wrong by kind.

Outlines that ``shapely.make_valid`` can repair to a (Multi)Polygon are repaired; only what
cannot be repaired is refused. Shapely's own explanation (``is_valid_reason``) only picks the kind
of problem; it is never shown.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.errors import GEOSException

from marketplace.geo.buurt_source import Source
from marketplace.geo.import_errors import BuurtImportError

BUURT_CODE = re.compile(r"^BU\d{8}$")
WIJK_CODE = re.compile(r"^WK\d{6}$")
GEMEENTE_CODE = re.compile(r"^GM\d{4}$")
REQUIRED = ("buurtcode", "buurtnaam", "wijkcode", "gemeentecode", "gemeentenaam")
CODES = (("buurtcode", BUURT_CODE), ("wijkcode", WIJK_CODE), ("gemeentecode", GEMEENTE_CODE))
POSTCODE_KEYS = ("postcode", "meest_voorkomende_postcode", "meestvoorkomendepostcode", "pc4")
# Residents, from the CBS kerncijfers that the wijk- en buurtkaart carries (2022 on: the long
# name; before: AANT_INW). CBS writes a negative number where a figure is kept secret.
RESIDENTS_KEYS = ("aantal_inwoners", "aant_inw")
POSTCODE = re.compile(r"^\s*([1-9]\d{3})")
FIRST = 5  # features listed per kind of problem
STEP = 500  # features between two progress reports
DECIMALS = 7  # about a centimetre: what RD millimetres come to, without the noise
POLYGON, MULTIPOLYGON = 3, 6  # shapely type ids

Progress = Callable[[int], None]


@dataclass
class Report:
    total: int
    wrong: set[int] = field(default_factory=set)
    groups: dict[tuple[str, str], dict] = field(default_factory=dict)

    def add(self, kind: str, index: int, code: str, key: str = "") -> None:
        self.wrong.add(index)
        group = self.groups.setdefault((kind, key), {"kind": kind, "key": key, "count": 0,
                                                     "first": []})
        group["count"] += 1
        if len(group["first"]) < FIRST:
            group["first"].append([index + 1, code])

    def as_json(self) -> dict:
        groups = sorted(self.groups.values(), key=lambda group: -group["count"])
        return {"total": self.total, "wrong": len(self.wrong), "groups": groups}


@dataclass
class Checked:
    """The features that passed, as columns; outlines in WGS84, rounded and valid."""

    codes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    wijk_codes: list[str] = field(default_factory=list)
    wijk_names: list[str] = field(default_factory=list)
    gemeente_codes: list[str] = field(default_factory=list)
    gemeente_names: list[str] = field(default_factory=list)
    postcodes: list[str | None] = field(default_factory=list)
    residents: list[int | None] = field(default_factory=list)
    geometries: list = field(default_factory=list)
    total: int = 0
    repaired: int = 0

    def __len__(self) -> int:
        return len(self.codes)


def text(value: object) -> str:
    """A property as trimmed text; missing and NaN are empty, 344.0 is "344"."""
    if value is None:
        return ""
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return ""
        if float(value).is_integer():
            return str(int(value))
    return str(value).strip()


def postcode(values: list[object]) -> str | None:
    """The four digits of the first postcode given ("3511", "3511 AB", 3511), or None."""
    for value in values:
        match = POSTCODE.match(text(value))
        if match:
            return match.group(1)
    return None


def residents(values: list[object]) -> int | None:
    """The first residents figure given as a whole number of zero or more, or None (missing,
    secret, not a number)."""
    for value in values:
        try:
            number = int(float(text(value)))
        except (ValueError, OverflowError):
            continue
        if number >= 0:
            return number
    return None


def _repair(geometry):
    """The outline made valid, if that leaves a (Multi)Polygon; else None."""
    try:
        fixed = shapely.make_valid(geometry)
    except GEOSException:
        return None
    if fixed.geom_type == "GeometryCollection":
        parts = [part for part in shapely.get_parts(fixed)
                 if part.geom_type in ("Polygon", "MultiPolygon")]
        fixed = shapely.union_all(parts) if parts else fixed
    if fixed.geom_type in ("Polygon", "MultiPolygon") and not fixed.is_empty:
        return fixed
    return None


def _round(coordinates: np.ndarray) -> np.ndarray:
    return np.round(coordinates, DECIMALS)


def _check_outlines(source: Source, start: int, end: int) -> tuple[np.ndarray, list, int]:
    """Per feature: the problem kind or "", and the outline to keep; and how many were repaired."""
    geometries = source.geometries[start:end]
    kinds = np.full(len(geometries), "", dtype=object)
    types = shapely.get_type_id(geometries)
    kinds[(types == -1) & ~source.unreadable[start:end]] = "no_geometry"
    kinds[source.unreadable[start:end]] = "unreadable"
    polygonal = np.isin(types, (POLYGON, MULTIPOLYGON))
    kinds[(types != -1) & ~polygonal] = "not_polygon"
    empty = polygonal & shapely.is_empty(geometries)
    kinds[empty] = "empty"
    candidates = polygonal & ~empty
    bounds = shapely.bounds(geometries)
    with np.errstate(invalid="ignore"):
        in_degrees = ((bounds[:, 0] >= -180) & (bounds[:, 2] <= 180)
                      & (bounds[:, 1] >= -90) & (bounds[:, 3] <= 90))
    kinds[candidates & ~in_degrees] = "not_lonlat"
    keep = list(np.full(len(geometries), None, dtype=object))
    usable = np.flatnonzero(candidates & in_degrees)
    rounded = shapely.transform(geometries[usable], _round)
    valid = shapely.is_valid(rounded)
    repaired = 0
    for position, geometry, is_valid in zip(usable, rounded, valid, strict=True):
        if is_valid:
            keep[position] = geometry
            continue
        fixed = _repair(geometry)
        if fixed is not None:
            keep[position] = fixed
            repaired += 1
        else:
            reason = shapely.is_valid_reason(geometry) or ""
            kinds[position] = "too_few_points" if reason.startswith("Too few points") else "invalid"
    return kinds, keep, repaired


def _check_properties(values: dict[str, str]) -> list[tuple[str, str]]:
    problems = [("missing", key) for key in REQUIRED if not values[key]]
    for key, pattern in CODES:
        if values[key] and not pattern.match(values[key]):
            problems.append(("bad_code", key))
    if not problems:
        buurt, wijk, gemeente = values["buurtcode"], values["wijkcode"], values["gemeentecode"]
        if not (buurt[2:8] == wijk[2:] and wijk[2:6] == gemeente[2:]):
            problems.append(("outside_area", ""))
    return problems


def check_source(source: Source, progress: Progress | None = None) -> Checked:
    """Check every feature; raise BuurtImportError counting the problems by kind."""
    total = len(source)
    report, checked, seen = Report(total), Checked(total=total), set()
    empty = np.full(total, None, dtype=object)
    columns = {key: source.columns.get(key, empty) for key in (*REQUIRED, "wijknaam")}
    postcodes = [source.columns[key] for key in POSTCODE_KEYS if key in source.columns]
    residents_columns = [source.columns[key] for key in RESIDENTS_KEYS if key in source.columns]
    for start in range(0, total, STEP):
        end = min(start + STEP, total)
        outline_kinds, outlines, repaired = _check_outlines(source, start, end)
        checked.repaired += repaired
        for index in range(start, end):
            values = {key: text(column[index]) for key, column in columns.items()}
            code = values["buurtcode"]
            if source.not_features[index]:
                report.add("not_feature", index, "")
                continue
            problems = _check_properties(values)
            if outline_kinds[index - start]:
                problems.append((outline_kinds[index - start], ""))
            if code and code in seen:
                problems.append(("duplicate", ""))
            seen.add(code)
            for kind, key in problems:
                report.add(kind, index, code, key)
            if problems or report.wrong:
                continue  # once anything is wrong nothing is imported: keep no more outlines
            checked.codes.append(code)
            checked.names.append(values["buurtnaam"])
            checked.wijk_codes.append(values["wijkcode"])
            checked.wijk_names.append(values["wijknaam"] or f"Wijk {values['wijkcode'][-2:]}")
            checked.gemeente_codes.append(values["gemeentecode"])
            checked.gemeente_names.append(values["gemeentenaam"])
            checked.postcodes.append(postcode([column[index] for column in postcodes]))
            checked.residents.append(residents([column[index] for column in residents_columns]))
            checked.geometries.append(outlines[index - start])
            source.geometries[index] = None  # the checked copy is kept; let the read one go
        if progress is not None:
            progress(end)
    if report.wrong:
        raise BuurtImportError(report.as_json())
    return checked
