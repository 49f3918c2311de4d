"""Reading listing filters from query parameters, for the map page and the API alike."""

from __future__ import annotations

import math

import sqlalchemy as sa
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from marketplace.extensions import db
from marketplace.geo.importer import BUURT_CODE
from marketplace.geo.models import Buurt
from marketplace.listings.models import PUBLIC_STATUSES, Category, ListingKind, ListingStatus
from marketplace.listings.queries import EXTRA_FILTERS, MAX_RADIUS_KM, ListingFilter

MAX_TEXT = 100


def _values(args: MultiDict, name: str) -> list[str]:
    """Repeated (?kind=a&kind=b) and comma-separated (?kind=a,b) values alike."""
    return [part.strip() for value in args.getlist(name) for part in value.split(",")
            if part.strip()]


def parse_numbers(text: str, count: int) -> list[float] | None:
    parts = text.split(",")
    if len(parts) != count:
        return None
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        return None
    return numbers if all(math.isfinite(n) for n in numbers) else None


def _enum_values(args, name, enum_class, errors) -> list:
    chosen = []
    for value in _values(args, name):
        try:
            chosen.append(enum_class(value))
        except ValueError:
            errors[name] = _("Unknown value “%(value)s”; use one of: %(options)s.", value=value,
                             options=", ".join(member.value for member in enum_class))
    return chosen


def parse_filter(args: MultiDict) -> tuple[ListingFilter, dict[str, str]]:
    """The filter in ``args`` and, per parameter, what is wrong with it (empty when all is well)."""
    errors: dict[str, str] = {}
    criteria = ListingFilter()
    criteria.kinds = _enum_values(args, "kind", ListingKind, errors)
    statuses = _enum_values(args, "status", ListingStatus, errors)
    if hidden := [s.value for s in statuses if s not in PUBLIC_STATUSES]:
        errors["status"] = _("Only public statuses can be searched, not: %(values)s.",
                             values=", ".join(hidden))
    elif statuses:
        criteria.statuses = statuses

    if slug := args.get("category", "").strip():
        criteria.category = db.session.scalar(sa.select(Category).where(Category.slug == slug))
        if criteria.category is None:
            errors["category"] = _("There is no category “%(value)s”.", value=slug)
    if code := args.get("buurt", "").strip():
        if BUURT_CODE.match(code):
            # A well-formed code that no buurt has simply matches nothing.
            criteria.buurt_code = code
            criteria.buurt = db.session.scalar(sa.select(Buurt).where(Buurt.code == code))
        else:
            errors["buurt"] = _("“%(value)s” is not a CBS buurtcode (like BU03440101).",
                                value=code)
    for name in EXTRA_FILTERS:
        if (value := args.get(name, "").strip()) in ("1", "true", "on"):
            criteria.extra.append(name)
        elif value not in ("", "0", "false"):
            errors[name] = _("Use %(name)s=1 to narrow to these, or leave it out.", name=name)
    if text := args.get("q", "").strip():
        if len(text) > MAX_TEXT:
            errors["q"] = _("Search for at most %(count)d characters.", count=MAX_TEXT)
        criteria.text = text[:MAX_TEXT]

    if near := args.get("near", "").strip():
        point = parse_numbers(near, 2)
        if point is None or not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
            errors["near"] = _("Give a position as latitude,longitude, like 52.09,5.12.")
        else:
            criteria.near = (point[0], point[1])
    if radius := args.get("radius_km", "").strip():
        value = parse_numbers(radius, 1)
        if value is None or not 0 < value[0] <= MAX_RADIUS_KM:
            errors["radius_km"] = _("Give a distance in km above 0 and at most %(max)d.",
                                    max=MAX_RADIUS_KM)
        else:
            criteria.radius_km = value[0]

    if bbox := args.get("bbox", "").strip():
        criteria.bbox = parse_bbox(bbox)
        if criteria.bbox is None:
            errors["bbox"] = _("Give the area as west,south,east,north in degrees "
                               "(longitude -180 to 180, latitude -90 to 90).")
    return criteria, errors


def parse_bbox(text: str) -> tuple[float, float, float, float] | None:
    """An area from two corners "lon,lat,lon,lat", in either order; None when not one."""
    box = parse_numbers(text, 4)
    if box is None:
        return None
    lon_a, lat_a, lon_b, lat_b = box
    if not all(-180 <= v <= 180 for v in (lon_a, lon_b)) or not all(
            -90 <= v <= 90 for v in (lat_a, lat_b)):
        return None
    return (min(lon_a, lon_b), min(lat_a, lat_b), max(lon_a, lon_b), max(lat_a, lat_b))
