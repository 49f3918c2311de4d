"""Reading listing filters from query parameters, for the map page and the API alike."""

from __future__ import annotations

import math

import sqlalchemy as sa
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from marketplace.extensions import db
from marketplace.geo.models import Buurt
from marketplace.listings.models import Category, ListingKind, ListingStatus
from marketplace.listings.queries import MAX_RADIUS_KM, ListingFilter

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
    if statuses:
        criteria.statuses = statuses

    if slug := args.get("category", "").strip():
        criteria.category = db.session.scalar(sa.select(Category).where(Category.slug == slug))
        if criteria.category is None:
            errors["category"] = _("There is no category “%(value)s”.", value=slug)
    if code := args.get("buurt", "").strip():
        criteria.buurt = db.session.scalar(sa.select(Buurt).where(Buurt.code == code))
        if criteria.buurt is None:
            errors["buurt"] = _("There is no buurt with code “%(value)s”.", value=code)
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
        box = parse_numbers(bbox, 4)
        if box is None:
            errors["bbox"] = _("Give the area as west,south,east,north in degrees.")
        else:
            west, south, east, north = box
            if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
                errors["bbox"] = _("The area must have west ≤ east and south ≤ north, "
                                   "within -180..180 and -90..90.")
            else:
                criteria.bbox = (west, south, east, north)
    return criteria, errors
