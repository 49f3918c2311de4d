"""The read-only public API: listings as GeoJSON, one listing, buurten with their outline."""

import json
from datetime import date

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    render_template,
    request,
    stream_with_context,
)
from flask_babel import get_locale
from flask_babel import gettext as _

from marketplace.accountability import answers
from marketplace.accountability.open_data import figures_csv as figures_as_csv
from marketplace.accountability.open_data import figures_document
from marketplace.api import open_listings
from marketplace.api.caching import CACHE_CONTROL, public_answer, query_key, tile_tag
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
    tile_compact,
    tile_geojson,
)
from marketplace.extensions import db, limiter
from marketplace.geo import search
from marketplace.geo.importer import BUURT_CODE, GEMEENTE_CODE, WIJK_CODE
from marketplace.geo.locator import buurt_at
from marketplace.geo.models import Buurt, Gemeente, Wijk
from marketplace.geo.search import MAX_QUERY
from marketplace.insight import trends
from marketplace.insight.open_data import buurten_csv, series_csv, trends_document
from marketplace.listings.filters import parse_bbox, parse_filter, parse_numbers
from marketplace.listings.models import Listing
from marketplace.listings.queries import MAX_RADIUS_KM, box_around, public_listings
from marketplace.listings.search import matching_text
from marketplace.mapdata import grid, versions
from marketplace.mapdata.queries import tile_contents
from marketplace.teams.models import Team

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_BUURTEN = 500
TILE_FORMATS = ("compact", "geojson")


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
def open_and_cacheable(response):
    """Open data: any web page may read it (there are no cookies or writes here). Texts in the
    answers (problem details, category names) follow ``Accept-Language``; a map tile's answer
    holds none. Answers without a data version (one listing, buurten) get a validator from
    their content, so that a client asking again gets a 304."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    if not (request.endpoint == "api.map_tile" and response.status_code in (200, 304)):
        response.vary.add("Accept-Language")
    # A streamed download is not read to make a validator: that would hold it all in memory.
    if response.status_code == 200 and "ETag" not in response.headers and \
            request.endpoint != "api.docs" and not response.is_streamed:
        response.add_etag()
        response.headers.setdefault("Cache-Control", CACHE_CONTROL)
        response.make_conditional(request)
    return response


def _geojson(body: dict):
    response = jsonify(body)
    response.mimetype = "application/geo+json"
    return response


def _limit(default: int, maximum: int) -> tuple[int | None, str | None]:
    raw = request.args.get("limit", "").strip()
    if not raw:
        return default, None
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= maximum:
        return None, _("Give a whole number from 1 to %(max)d.", max=maximum)
    return int(raw), None


def _json(body: dict) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _filter_problem(errors: dict[str, str]):
    first = next(iter(errors))
    return problem(400, f"{first}: {errors[first]}", param=first, errors=errors)


def _asked_area() -> tuple[int, int, int]:
    """The smallest versioned area holding what the request asks about (anywhere: the world).
    Read from the parameters alone: no database before the validator is checked."""
    if box := parse_bbox(request.args.get("bbox", "")):
        return grid.smallest_area_holding(box)
    near = parse_numbers(request.args.get("near", ""), 2)
    if near is not None and -90 <= near[0] <= 90 and -180 <= near[1] <= 180:
        radius = parse_numbers(request.args.get("radius_km", ""), 1) or [MAX_RADIUS_KM]
        return grid.smallest_area_holding(
            box_around(near[0], near[1], min(radius[0], MAX_RADIUS_KM)))
    return (0, 0, 0)


@bp.route("/listings")
def listings():
    version, _suspended = versions.current(_asked_area())
    language = str(get_locale())
    tag = f"{version}.{language}.{query_key(request.environ, request.args.items(multi=True))}"

    def build():
        criteria, errors = parse_filter(request.args)
        limit, limit_error = _limit(DEFAULT_LIMIT, MAX_LIMIT)
        if limit_error:
            errors["limit"] = limit_error
        if errors:
            return _filter_problem(errors)
        # A text search ranks the newest as many matches as were asked for, and says
        # "truncated" when there may be more.
        criteria.ranked_among = limit
        features = map_features(public_listings(criteria).limit(limit + 1), language)
        ranked = bool(criteria.text) and criteria.near is None
        return _json({
            "type": "FeatureCollection",
            "numberReturned": min(len(features), limit),
            "truncated": len(features) > limit or (ranked and len(features) == limit),
            "features": features[:limit],
        })

    return public_answer(tag, build, "application/geo+json", vary=("Accept-Language",))


def _export_query():
    """The filters of /listings, and ``gemeente`` and ``wijk``: the query of every match, or a
    problem."""
    criteria, errors = parse_filter(request.args)
    gemeente = None
    if code := request.args.get("gemeente", "").strip():
        if not GEMEENTE_CODE.match(code):
            errors["gemeente"] = _("“%(value)s” is not a CBS gemeentecode (like GM0344).",
                                   value=code[:20])
        else:
            gemeente = db.session.scalar(sa.select(Gemeente).where(Gemeente.code == code))
    wijk_code = request.args.get("wijk", "").strip()
    if wijk_code and not WIJK_CODE.match(wijk_code):
        errors["wijk"] = _("“%(value)s” is not a CBS wijkcode (like WK034401).",
                           value=wijk_code[:20])
    if errors:
        return _filter_problem(errors)
    # Every match of the words, not the newest few hundred ranked by relevance as /listings
    # does: the words narrow the query here, the order is by id.
    text, criteria.text = criteria.text, None
    query = public_listings(criteria)
    if text:
        query = matching_text(query, text)
    if code:  # a well-formed code that no gemeente has matches nothing, as buurt does
        query = query.where(Listing.gemeente_id == (gemeente.id if gemeente else -1))
    if wijk_code:
        query = query.where(Listing.buurt_id.in_(
            sa.select(Buurt.id).join(Wijk).where(Wijk.code == wijk_code)))
    return query


def _download(stream, mimetype: str, extension: str) -> Response:
    return Response(stream_with_context(stream), mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="buurtmarkt-listings.{extension}"',
        "Link": open_listings.LICENCE_LINK, "Cache-Control": "public, max-age=300"})


@bp.route("/listings.csv")
@limiter.limit(lambda: current_app.config["RATELIMIT_OPEN_DATA"])
def listings_csv():
    """Every public listing matching the filters, as CSV: open data (CC0)."""
    query = _export_query()
    if isinstance(query, Response):
        return query
    return _download(open_listings.as_csv(query), "text/csv", "csv")


@bp.route("/listings.geojson")
@limiter.limit(lambda: current_app.config["RATELIMIT_OPEN_DATA"])
def listings_geojson():
    """The same as GeoJSON, every match (the /listings answer stops at its limit)."""
    query = _export_query()
    if isinstance(query, Response):
        return query
    return _download(open_listings.as_geojson(query), "application/geo+json", "geojson")


@bp.route("/map/<int:level>/<int:x>/<int:y>")
def map_tile(level: int, x: int, y: int):
    """What the map shows in one tile of the grid (marketplace/mapdata/grid.py): clusters with
    counts, or pins. The same filters as /listings, without bbox and limit."""
    if not grid.is_cell(level, x, y):
        return problem(404, _("There is no map tile %(level)d/%(x)d/%(y)d: the level runs from "
                              "0 to %(max)d, x and y from 0 to 2^level − 1.",
                              level=level, x=x, y=y, max=grid.MAX_TILE_LEVEL))
    tag, suspended = tile_tag(level, x, y, request.environ, request.args.items(multi=True))

    def build():
        criteria, errors = parse_filter(request.args)
        form = request.args.get("format", "compact")
        if form not in TILE_FORMATS:
            errors["format"] = _("Unknown value “%(value)s”; use one of: %(options)s.",
                                 value=form, options=", ".join(TILE_FORMATS))
        for name in ("bbox", "limit"):
            if name in request.args:
                errors[name] = _("A tile has its own area and size; leave “%(name)s” out.",
                                 name=name)
        if errors:
            return _filter_problem(errors)
        contents = tile_contents(level, x, y, criteria, suspended)
        return _json(tile_geojson(contents) if form == "geojson" else tile_compact(contents))

    mimetype = ("application/geo+json" if request.args.get("format") == "geojson"
                else "application/json")
    return public_answer(tag, build, mimetype)


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
    """Buurt outlines within an area and/or of one gemeente (at most 500), for the map's layer;
    or, with ``at``, the buurt that holds a point (the location picker names it)."""
    if "at" in request.args:
        point = parse_numbers(request.args["at"].strip(), 2)
        if point is None or not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
            return problem(400, _("Give the point as latitude,longitude in degrees."),
                           param="at")
        found = buurt_at(point[0], point[1])
        features = [buurt_feature(found)] if found is not None else []
        return _geojson({"type": "FeatureCollection", "numberReturned": len(features),
                         "truncated": False, "features": features})
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


def _gemeente_and_dates(code: str):
    """The gemeente of the figures asked for, or a problem: no such gemeente, or a ``van`` or
    ``tot`` that is not a date (an empty one is refused before, as everywhere in the API)."""
    gemeente = db.session.scalar(sa.select(Gemeente).where(Gemeente.code == code))
    if gemeente is None:
        return problem(404, _("There is no gemeente with code “%(value)s”.", value=code))
    for name in ("van", "tot"):
        if (text := request.args.get(name)) is not None:
            try:
                date.fromisoformat(text)
            except ValueError:
                return problem(400, _("Give a date as YYYY-MM-DD, like 2026-11-30."),
                               param=name)
    return gemeente


def _figures_asked(code: str):
    """The gemeente, period, buurt and team the figures are asked for, or a problem."""
    gemeente = _gemeente_and_dates(code)
    if not isinstance(gemeente, Gemeente):
        return gemeente
    start, end = answers.parse_period(request.args.get("van"), request.args.get("tot"))
    # A well-formed buurt or team that the gemeente does not have simply counts nothing, as
    # the listing filters do.
    buurt = team = None
    nothing = False
    if code_asked := request.args.get("buurt", ""):
        if not BUURT_CODE.match(code_asked):
            return problem(400, _("“%(value)s” is not a CBS buurtcode (like BU03440101).",
                                  value=code_asked), param="buurt")
        buurt = db.session.scalar(sa.select(Buurt).join(Wijk).where(
            Buurt.code == code_asked, Wijk.gemeente_id == gemeente.id))
        nothing |= buurt is None
    if team_asked := request.args.get("team", ""):
        if not (team_asked.isascii() and team_asked.isdigit() and len(team_asked) < 10):
            return problem(400, _("Give a team by its number."), param="team")
        team = db.session.get(Team, int(team_asked))
        if team is not None and team.gemeente_id != gemeente.id:
            team = None
        nothing |= team is None
    found = answers.Figures() if nothing else answers.figures(
        gemeente, start, end, buurt, team.id if team else None)
    return gemeente, start, end, buurt, team, found


@bp.route("/gemeenten/<code>/cijfers")
def figures(code: str):
    """How fast the gemeente answers and whether it keeps its promises: the public figures."""
    asked = _figures_asked(code)
    if not isinstance(asked, tuple):
        return asked
    return jsonify(figures_document(*asked))


@bp.route("/gemeenten/<code>/cijfers.csv")
def figures_csv(code: str):
    asked = _figures_asked(code)
    if not isinstance(asked, tuple):
        return asked
    return Response(figures_as_csv(figures_document(*asked)), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="cijfers-{asked[0].code}.csv"'})


def _trends_asked(code: str):
    """The trend and buurten of the gemeente, wijk or buurt and period asked for, or a
    problem."""
    gemeente = _gemeente_and_dates(code)
    if not isinstance(gemeente, Gemeente):
        return gemeente
    wijk = buurt = None
    if wijk_asked := request.args.get("wijk", ""):
        wijk = db.session.scalar(sa.select(Wijk).where(Wijk.code == wijk_asked,
                                                       Wijk.gemeente_id == gemeente.id))
        if wijk is None:
            return problem(404, _("%(gemeente)s has no wijk “%(value)s”.",
                                  gemeente=gemeente.name, value=wijk_asked[:20]), param="wijk")
    if buurt_asked := request.args.get("buurt", ""):
        buurt = db.session.scalar(sa.select(Buurt).join(Wijk).where(
            Buurt.code == buurt_asked, Wijk.gemeente_id == gemeente.id))
        if buurt is None:
            return problem(404, _("%(gemeente)s has no buurt “%(value)s”.",
                                  gemeente=gemeente.name, value=buurt_asked[:20]), param="buurt")
    area = trends.Area(gemeente, wijk=None if buurt else wijk, buurt=buurt)
    period = trends.period_from(request.args.get("van"), request.args.get("tot"))
    trend = trends.trend(area, period)
    return trends_document(trend, trends.compare_buurten(trends.buurt_rates(area, period)))


@bp.route("/gemeenten/<code>/trends")
def trends_json(code: str):
    """What happens over time in a gemeente, wijk or buurt, with the period before and the
    buurten's activity per resident: the dashboard's figures."""
    asked = _trends_asked(code)
    return asked if not isinstance(asked, dict) else jsonify(asked)


@bp.route("/gemeenten/<code>/trends.csv")
def trends_csv(code: str):
    asked = _trends_asked(code)
    if not isinstance(asked, dict):
        return asked
    return Response(series_csv(asked), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="trends-{code}.csv"'})


@bp.route("/gemeenten/<code>/trends/buurten.csv")
def trends_buurten_csv(code: str):
    asked = _trends_asked(code)
    if not isinstance(asked, dict):
        return asked
    return Response(buurten_csv(asked), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="buurten-{code}.csv"'})


@bp.route("/openapi.json")
def openapi():
    return openapi_document()


@bp.route("/")
def docs():
    return render_template("api/docs.html", spec=openapi_document())
