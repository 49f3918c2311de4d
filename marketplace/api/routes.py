"""The read-only public API: listings as GeoJSON, one listing, buurten with their outline."""

import sqlalchemy as sa
from flask import Blueprint, jsonify, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from marketplace.api.openapi import (
    DEFAULT_LIMIT,
    DEFAULT_SUGGESTIONS,
    MAX_LIMIT,
    MAX_SUGGESTIONS,
    openapi_document,
)
from marketplace.api.problems import problem
from marketplace.api.serializers import (
    buurt_detail,
    buurt_feature,
    listing_detail,
    map_features,
)
from marketplace.extensions import db
from marketplace.geo import search
from marketplace.geo.importer import GEMEENTE_CODE
from marketplace.geo.models import Buurt, Gemeente, Wijk
from marketplace.geo.search import MAX_QUERY
from marketplace.listings.filters import parse_bbox, parse_filter
from marketplace.listings.models import Listing
from marketplace.listings.queries import public_listings

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_BUURTEN = 500


@bp.before_request
def refuse_unclear_parameters():
    """A parameter given twice, or given empty, is a mistake the caller should hear about (lists
    go in one parameter, comma-separated); it is never quietly read one way or another."""
    for name, values in request.args.lists():
        if len(values) > 1:
            return problem(400, _("Give “%(name)s” once; separate several values with commas.",
                                  name=name), param=name)
        if not values[0].strip():
            return problem(400, _("“%(name)s” is empty: give a value or leave it out.",
                                  name=name), param=name)
    return None


@bp.after_request
def allow_any_origin(response):
    """Open data: any web page may read it (there are no cookies or writes here). Texts in the
    answers (problem details, category names) follow ``Accept-Language``."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.vary.add("Accept-Language")
    return response


def _geojson(body: dict):
    response = jsonify(body)
    response.mimetype = "application/geo+json"
    return response


def _limit(default: int, maximum: int) -> tuple[int | None, str | None]:
    raw = request.args.get("limit", "").strip()
    if not raw:
        return default, None
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        return None, _("Give a whole number from 1 to %(max)d.", max=maximum)
    return int(raw), None


@bp.route("/listings")
def listings():
    criteria, errors = parse_filter(request.args)
    limit, limit_error = _limit(DEFAULT_LIMIT, MAX_LIMIT)
    if limit_error:
        errors["limit"] = limit_error
    if errors:
        first = next(iter(errors))
        return problem(400, f"{first}: {errors[first]}", param=first, errors=errors)
    # A text search ranks the newest as many matches as were asked for, and says "truncated"
    # when there may be more.
    criteria.ranked_among = limit
    features = map_features(public_listings(criteria).limit(limit + 1), str(get_locale()))
    ranked = bool(criteria.text) and criteria.near is None
    return _geojson({
        "type": "FeatureCollection",
        "numberReturned": min(len(features), limit),
        "truncated": len(features) > limit or (ranked and len(features) == limit),
        "features": features[:limit],
    })


@bp.route("/listings/<id:listing_id>")
def listing(listing_id: int):
    found = db.session.get(Listing, listing_id)
    if found is None or not found.is_public:
        return problem(404, _("There is no public listing with this number."))
    return listing_detail(found, str(get_locale()))


@bp.route("/buurten/<code>")
def buurt(code: str):
    found = db.session.scalar(sa.select(Buurt).where(Buurt.code == code))
    if found is None:
        return problem(404, _("There is no buurt with code “%(value)s”.", value=code))
    return buurt_detail(found)


@bp.route("/buurten")
def buurten():
    """Buurt outlines within an area and/or of one gemeente (at most 500), for the map's layer."""
    query = sa.select(Buurt).order_by(Buurt.code)
    bbox = request.args.get("bbox", "").strip()
    gemeente = request.args.get("gemeente", "").strip()
    if bbox:
        box = parse_bbox(bbox)
        if box is None:
            return problem(400, _("Give the area as west,south,east,north in degrees "
                                  "(longitude -180 to 180, latitude -90 to 90)."), param="bbox")
        west, south, east, north = box
        query = query.where(Buurt.max_lon >= west, Buurt.min_lon <= east,
                            Buurt.max_lat >= south, Buurt.min_lat <= north)
    if gemeente:
        if not GEMEENTE_CODE.match(gemeente):
            return problem(400, _("“%(value)s” is not a CBS gemeentecode (like GM0344).",
                                  value=gemeente), param="gemeente")
        query = query.join(Buurt.wijk).join(Wijk.gemeente).where(Gemeente.code == gemeente)
    rows = db.session.scalars(query.limit(MAX_BUURTEN + 1)).all()
    return _geojson({"type": "FeatureCollection", "numberReturned": min(len(rows), MAX_BUURTEN),
                     "truncated": len(rows) > MAX_BUURTEN,
                     "features": [buurt_feature(b) for b in rows[:MAX_BUURTEN]]})


@bp.route("/buurten/zoeken")
def find_buurten():
    """Buurten matching typed words (name, gemeente, postcode area, code), best first: what the
    buurt picker suggests while a person types."""
    limit, error = _limit(DEFAULT_SUGGESTIONS, MAX_SUGGESTIONS)
    if error:
        return problem(400, error, param="limit")
    gemeente_id = None
    if code := request.args.get("gemeente", "").strip():
        if not GEMEENTE_CODE.match(code):
            return problem(400, _("“%(value)s” is not a CBS gemeentecode (like GM0344).",
                                  value=code), param="gemeente")
        # A well-formed code that no gemeente has simply matches nothing.
        gemeente_id = db.session.scalar(sa.select(Gemeente.id).where(Gemeente.code == code)) or 0
    text = request.args.get("q", "")
    if len(text) > MAX_QUERY:
        return problem(400, _("Search for at most %(count)d characters.", count=MAX_QUERY),
                       param="q")
    matches = search.find_buurten(text, limit=limit, gemeente_id=gemeente_id)
    return jsonify(results=[match.as_json() for match in matches])


@bp.route("/gemeenten")
def find_gemeenten():
    """Gemeenten matching typed words (name or code), best first."""
    limit, error = _limit(DEFAULT_SUGGESTIONS, MAX_SUGGESTIONS)
    if error:
        return problem(400, error, param="limit")
    text = request.args.get("q", "")
    if len(text) > MAX_QUERY:
        return problem(400, _("Search for at most %(count)d characters.", count=MAX_QUERY),
                       param="q")
    return jsonify(results=[{"code": g.code, "name": g.name, "label": g.name}
                            for g in search.find_gemeenten(text, limit=limit)])


@bp.route("/openapi.json")
def openapi():
    return openapi_document()


@bp.route("/")
def docs():
    return render_template("api/docs.html", spec=openapi_document())
