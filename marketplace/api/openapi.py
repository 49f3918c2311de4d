"""The OpenAPI 3 document of the public API; tests check the endpoints against it."""

import sqlalchemy as sa
from flask import url_for

from marketplace.accountability.models import GemeenteRole, PledgeKind, PledgeStatus
from marketplace.api.open_listings import COLUMNS as EXPORT_COLUMNS
from marketplace.extensions import db
from marketplace.geo.search import MAX_QUERY
from marketplace.listings.filters import MAX_TEXT
from marketplace.listings.models import (
    PUBLIC_STATUSES,
    Category,
    ListingKind,
    ListingStatus,
    ResourceKind,
)
from marketplace.listings.queries import EXTRA_FILTERS, MAX_RADIUS_KM
from marketplace.mapdata.grid import MAX_TILE_LEVEL
from marketplace.mapdata.queries import PIN_LIMIT, PINS_FROM_LEVEL, SPOT_COUNT_LIMIT

DEFAULT_LIMIT = 200
MAX_LIMIT = 500
# What a picker suggests while someone types.
DEFAULT_SUGGESTIONS = 10
MAX_SUGGESTIONS = 20

_NULLABLE_STRING = {"type": ["string", "null"]}
_LON = {"type": "number", "minimum": -180, "maximum": 180}
_LAT = {"type": "number", "minimum": -90, "maximum": 90}
# Comma-separated lists in one query parameter: ?kind=offer,request, ?bbox=w,s,e,n.
_BBOX = {"type": "array", "prefixItems": [_LON, _LAT, _LON, _LAT], "minItems": 4, "maxItems": 4,
         "items": False}
_POINT = {"type": "array", "prefixItems": [_LAT, _LON], "minItems": 2, "maxItems": 2,
          "items": False}
_PROBLEM = {"description": "Invalid parameter", "content": {"application/problem+json": {
    "schema": {"$ref": "#/components/schemas/Problem"}}}}
_NOT_MODIFIED = {"description": "Unchanged since the ETag given in If-None-Match"}
_TOO_MANY = {"description": "Too many answers built for this address; cached ones still come",
             "content": {"application/problem+json": {
                 "schema": {"$ref": "#/components/schemas/Problem"}}}}
_NOT_FOUND = {"description": "Not found", "content": {"application/problem+json": {
    "schema": {"$ref": "#/components/schemas/Problem"}}}}


def _query(name: str, description: str, schema: dict, example: str | None = None) -> dict:
    parameter = {"name": name, "in": "query", "required": False, "description": description,
                 "schema": schema}
    if schema.get("type") == "array":
        parameter.update(style="form", explode=False)
    if example is not None:
        parameter["example"] = example
    return parameter


def _text(max_length: int) -> dict:
    """Typed words: something besides spaces (an empty or blank value is refused), no NUL."""
    return {"type": "string", "minLength": 1, "maxLength": max_length,
            "pattern": "^[^\\x00]*[^\\s\\x00][^\\x00]*$"}


_SUGGESTION_LIMIT = _query("limit", f"At most this many results ({DEFAULT_SUGGESTIONS} by default).",
                           {"type": "integer", "minimum": 1, "maximum": MAX_SUGGESTIONS})


def _choice_list(values: list[str]) -> dict:
    return {"type": "array", "items": {"type": "string", "enum": values}, "minItems": 1}


def _json(schema_name: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{schema_name}"}}}}


def _geojson(schema_name: str, description: str) -> dict:
    return {"description": description, "content": {"application/geo+json": {
        "schema": {"$ref": f"#/components/schemas/{schema_name}"}}}}


def _values(enum_class) -> str:
    return ", ".join(member.value for member in enum_class)


_DATE = {"type": "string", "format": "date"}
_FIGURE_PARAMETERS = [
    {"name": "code", "in": "path", "required": True, "description": "CBS gemeentecode",
     "schema": {"type": "string"}, "example": "GM9999"},
    _query("van", "First day of publication (YYYY-MM-DD); default a year before `tot`.", _DATE),
    _query("tot", "Last day of publication (YYYY-MM-DD); default today.", _DATE),
    _query("buurt", "Only this buurt of the gemeente (CBS buurtcode).",
           {"type": "string", "pattern": "^BU[0-9]{8}$"}),
    _query("team", "Only what this team of the gemeente owns (its number).",
           {"type": "string", "pattern": "^[0-9]{1,9}$"}),
]
_COUNT = {"type": "integer", "minimum": 0}
def _export_parameters(categories) -> list[dict]:
    return [
        _query("bbox", "Area as west,south,east,north (WGS84 degrees).", _BBOX,
               "3.68,52.47,3.76,52.50"),
        *_filters(categories),
        _query("gemeente", "Only this gemeente (CBS gemeentecode).",
               {"type": "string", "pattern": "^GM[0-9]{4}$"}),
        _query("wijk", "Only this wijk (CBS wijkcode).",
               {"type": "string", "pattern": "^WK[0-9]{6}$"}),
    ]
_TREND_PARAMETERS = [
    _FIGURE_PARAMETERS[0],
    _query("van", "First day (YYYY-MM-DD); default a year before `tot`.", _DATE),
    _query("tot", "Last day (YYYY-MM-DD); default and at most today.", _DATE),
    _query("wijk", "Only this wijk of the gemeente (CBS wijkcode).",
           {"type": "string", "pattern": "^WK[0-9]{6}$"}),
    _query("buurt", "Only this buurt of the gemeente (CBS buurtcode).",
           {"type": "string", "pattern": "^BU[0-9]{8}$"}),
]
_TREND_TOTALS = {"type": "object", "additionalProperties": _COUNT,
                 "description": "posted, responses, realised, pledged, delivered, helpers"}
_DAYS = {"type": ["integer", "null"], "minimum": 0}

SCHEMAS = {
    "Trends": {
        "type": "object",
        "required": ["gemeente", "wijk", "buurt", "period", "previous_period", "totals",
                     "previous_totals", "posted_by_kind", "step", "series", "buurten", "method",
                     "licence", "attribution"],
        "properties": {
            "gemeente": {"type": "object", "properties": {
                "code": {"type": "string"}, "name": {"type": "string"}}},
            "wijk": {"type": ["string", "null"]},
            "buurt": {"type": ["string", "null"]},
            "period": {"type": "object", "properties": {
                "from": {"type": "string", "format": "date"},
                "until": {"type": "string", "format": "date"}}},
            "previous_period": {"type": "object", "properties": {
                "from": {"type": "string", "format": "date"},
                "until": {"type": "string", "format": "date"}}},
            "totals": _TREND_TOTALS,
            "previous_totals": _TREND_TOTALS,
            "posted_by_kind": {"type": "object", "additionalProperties": _COUNT},
            "step": {"type": "string", "enum": ["day", "week", "month", "year"]},
            "series": {"type": "array", "items": {"type": "object", "properties": {
                "from": {"type": "string", "format": "date"},
                "until": {"type": "string", "format": "date"}},
                "additionalProperties": {"type": ["string", "integer"]}}},
            "per_thousand_residents": {"type": ["number", "null"]},
            "buurten": {"type": "array", "items": {"type": "object", "properties": {
                "code": {"type": "string"}, "name": {"type": "string"},
                "residents": {"type": ["integer", "null"]}, "posted": _COUNT,
                "responses": _COUNT, "per_thousand_residents": {"type": ["number", "null"]},
                "flag": {"type": ["string", "null"], "enum": ["quiet", "busy", None]}}}},
            "method": {"type": "string"},
            "licence": {"type": "object", "properties": {
                "name": {"type": "string"}, "url": {"type": "string"}}},
            "attribution": {"type": "string"},
        },
    },
    "Figures": {
        "type": "object",
        "required": ["gemeente", "period", "initiatives", "pledges", "pledged", "roles", "method",
                     "licence", "attribution"],
        "properties": {
            "gemeente": {"type": "object", "properties": {
                "code": {"type": "string"}, "name": {"type": "string"}}},
            "period": {"type": "object", "properties": {"from": _DATE, "until": _DATE}},
            "buurt": {"type": ["string", "null"]},
            "team": {"type": ["string", "null"]},
            "answer_target_working_days": _COUNT,
            "initiatives": {"type": "object", "properties": {
                "published": _COUNT, "answered": _COUNT, "still_waiting": _COUNT,
                "oldest_wait_working_days": _DAYS,
                "half_answered_within_working_days": _DAYS,
                "ninety_percent_answered_within_working_days": _DAYS,
                "longest_wait_working_days": _DAYS,
                "median_of_answered_working_days": {"type": ["number", "null"]},
                "answered_within_target_share": {"type": ["number", "null"], "minimum": 0,
                                                 "maximum": 1},
                "waiting_past_target": _COUNT}},
            "pledges": {"type": "object", "additionalProperties": _COUNT},
            "pledged": {"type": "object", "additionalProperties": _COUNT,
                        "description": "Euros (budget) and hours (staff_hours) promised."},
            "roles": {"type": "object", "additionalProperties": _COUNT},
            "method": {"type": "string"},
            "licence": {"type": "object", "properties": {
                "name": {"type": "string"}, "url": {"type": "string"}}},
            "attribution": {"type": "string"},
        },
    },
    "Problem": {
        "type": "object", "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string"}, "title": {"type": "string"},
            "status": {"type": "integer"}, "detail": {"type": "string"},
            "param": {"type": "string", "description": "The parameter that is wrong."},
            "errors": {"type": "array", "items": {
                "type": "object", "required": ["param", "detail"],
                "properties": {"param": {"type": "string"}, "detail": {"type": "string"}}}},
        },
    },
    "PointGeometry": {
        "type": "object", "required": ["type", "coordinates"],
        "properties": {"type": {"type": "string", "enum": ["Point"]},
                       "coordinates": {"type": "array", "minItems": 2, "maxItems": 2,
                                       "items": {"type": "number"},
                                       "description": "[longitude, latitude], blurred."}},
    },
    "ListingSummary": {
        "type": "object",
        "required": ["id", "kind", "status", "title", "category", "category_name", "buurt",
                     "buurt_name", "url", "thumbnail", "created_at"],
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string", "enum": [k.value for k in ListingKind]},
            "status": {"type": "string", "enum": [s.value for s in ListingStatus]},
            "title": {"type": "string"},
            "category": {"type": "string"}, "category_name": {"type": "string"},
            "buurt": {"type": "string", "description": "CBS buurtcode"},
            "buurt_name": {"type": "string"},
            "url": {"type": "string", "format": "uri"},
            "thumbnail": {"type": ["string", "null"], "format": "uri"},
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
    "ListingFeature": {
        "type": "object", "required": ["type", "id", "geometry", "properties"],
        "properties": {"type": {"type": "string", "enum": ["Feature"]},
                       "id": {"type": "integer"},
                       "geometry": {"$ref": "#/components/schemas/PointGeometry"},
                       "properties": {"$ref": "#/components/schemas/ListingSummary"}},
    },
    "ListingCollection": {
        "type": "object", "required": ["type", "numberReturned", "truncated", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "numberReturned": {"type": "integer", "minimum": 0, "maximum": MAX_LIMIT},
            "truncated": {"type": "boolean",
                          "description": "More listings match than were returned: zoom in or "
                                         "narrow the filter. A text search (`q` without "
                                         "`near`) ranks the newest `limit` matches, and says "
                                         "true when it found that many."},
            "features": {"type": "array", "maxItems": MAX_LIMIT,
                         "items": {"$ref": "#/components/schemas/ListingFeature"}},
        },
    },
    "MapTile": {
        "type": "object",
        "required": ["tile", "count", "capped", "kinds", "listing_url", "clusters", "pins"],
        "properties": {
            "tile": {"type": "array", "items": {"type": "integer"}, "minItems": 3, "maxItems": 3,
                     "description": "[level, x, y] as asked."},
            "count": {"type": "integer", "minimum": 0,
                      "description": "Matching public listings in the tile."},
            "capped": {"type": "boolean", "description":
                       "True when a filter on text, distance or buurt was counted up to the "
                       f"newest {SPOT_COUNT_LIMIT} matches in the tile: there may be more."},
            "kinds": {"type": "array", "items": {"type": "string"},
                      "description": "The order of the per-kind counts in a cluster."},
            "listing_url": {"type": "string",
                            "description": "A listing's page, with {id} for its number."},
            "clusters": {"type": "array", "maxItems": 16, "items": {
                "type": "array", "minItems": 6, "maxItems": 6, "items": {"type": "number"},
                "description": "[lat, lon, count, initiatives, offers, requests]: the mean "
                               "position of the listings in one cell of the grid two levels "
                               "deeper, and how many there are of each kind."}},
            "pins": {"type": "array", "maxItems": PIN_LIMIT, "items": {
                "type": "array", "minItems": 6, "maxItems": 6,
                "items": {"type": ["number", "string"]},
                "description": "[id, lat, lon, kind, title, buurt name]"}},
        },
    },
    "MapTileFeatures": {
        "type": "object", "required": ["type", "tile", "count", "capped", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "tile": {"type": "array", "items": {"type": "integer"}},
            "count": {"type": "integer", "minimum": 0},
            "capped": {"type": "boolean"},
            "features": {"type": "array", "items": {
                "type": "object", "required": ["type", "geometry", "properties"],
                "properties": {"type": {"type": "string", "enum": ["Feature"]},
                               "geometry": {"$ref": "#/components/schemas/PointGeometry"},
                               "properties": {"type": "object", "required": ["cluster"],
                                              "properties": {"cluster": {"type": "boolean"}}}}}},
        },
    },
    "Resource": {
        "type": "object", "required": ["kind", "description", "quantity", "unit", "committed"],
        "properties": {"kind": {"type": "string", "enum": [r.value for r in ResourceKind]},
                       "description": {"type": "string"},
                       "quantity": {"type": "integer", "minimum": 1},
                       "unit": {"type": "string"},
                       "committed": {"type": "integer", "minimum": 0},
                       "needed_by": {"type": ["string", "null"], "format": "date",
                                     "description": "The day it is needed by, if said."}},
    },
    "ListingDetail": {
        "allOf": [{"$ref": "#/components/schemas/ListingSummary"}, {
            "type": "object",
            "required": ["description", "when", "gemeente", "location", "owner_name",
                         "published_at", "updated_at", "resources", "photos", "gemeente_role",
                         "gemeente_role_history", "pledges"],
            "properties": {
                "description": {"type": "string"},
                "when": _NULLABLE_STRING,
                "gemeente": {"type": "string", "description": "CBS gemeentecode"},
                "location": {"type": "object", "required": ["lat", "lon", "exact"],
                             "properties": {"lat": {"type": "number"}, "lon": {"type": "number"},
                                            "exact": {"type": "boolean", "description":
                                                      "True only for public space; otherwise "
                                                      "blurred by about 150 m."}}},
                "owner_name": {"type": "string"},
                "published_at": {"type": ["string", "null"], "format": "date-time"},
                "updated_at": {"type": "string", "format": "date-time"},
                "resources": {"type": "array", "items": {"$ref": "#/components/schemas/Resource"}},
                "gemeente_role": {"oneOf": [{"$ref": "#/components/schemas/GemeenteRole"},
                                            {"type": "null"}],
                                  "description": "The gemeente's current role (initiatives)."},
                "gemeente_role_history": {"type": "array", "items": {
                    "$ref": "#/components/schemas/GemeenteRole"}},
                "pledges": {"type": "array", "items": {"$ref": "#/components/schemas/Pledge"}},
                "photos": {"type": "array", "items": {
                    "type": "object", "required": ["url", "thumbnail", "width", "height"],
                    "properties": {"url": {"type": "string", "format": "uri"},
                                   "thumbnail": {"type": "string", "format": "uri"},
                                   "width": {"type": "integer"}, "height": {"type": "integer"}}}},
            }}],
    },
    "GemeenteRole": {
        "type": "object", "required": ["role", "explanation", "contact", "since"],
        "properties": {
            "role": {"type": "string", "enum": [r.value for r in GemeenteRole]},
            "explanation": {"type": "string"}, "contact": {"type": "string"},
            "since": {"type": "string", "format": "date-time"},
        },
    },
    "Pledge": {
        "type": "object",
        "required": ["kind", "amount", "description", "department", "due_on", "status", "note",
                     "closed_at"],
        "properties": {
            "kind": {"type": "string", "enum": [k.value for k in PledgeKind]},
            "amount": {"type": ["integer", "null"], "description": "Euros or hours."},
            "description": {"type": "string"}, "department": {"type": "string"},
            "due_on": {"type": "string", "format": "date"},
            "status": {"type": "string", "enum": [s.value for s in PledgeStatus]},
            "note": {"type": ["string", "null"],
                     "description": "Delivery note, or why it was withdrawn."},
            "closed_at": {"type": ["string", "null"], "format": "date-time"},
        },
    },
    "Area": {
        "type": "object", "required": ["code", "name"],
        "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
    },
    "Buurt": {
        "type": "object", "required": ["code", "name", "wijk", "gemeente", "bbox", "geometry", "url"],
        "properties": {
            "code": {"type": "string"}, "name": {"type": "string"},
            "wijk": {"$ref": "#/components/schemas/Area"},
            "gemeente": {"$ref": "#/components/schemas/Area"},
            "bbox": {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}},
            "geometry": {"type": "object", "description": "GeoJSON Polygon or MultiPolygon"},
            "url": {"type": "string", "format": "uri"},
        },
    },
    "BuurtSuggestions": {
        "type": "object", "required": ["results"],
        "properties": {"results": {"type": "array", "maxItems": MAX_SUGGESTIONS, "items": {
            "type": "object",
            "required": ["code", "name", "label", "wijk", "gemeente", "gemeente_code", "postcode"],
            "properties": {
                "code": {"type": "string"}, "name": {"type": "string"},
                "label": {"type": "string", "description": "Name with its gemeente, as shown."},
                "wijk": {"type": "string"}, "gemeente": {"type": "string"},
                "gemeente_code": {"type": "string"}, "postcode": _NULLABLE_STRING}}}},
    },
    "GemeenteSuggestions": {
        "type": "object", "required": ["results"],
        "properties": {"results": {"type": "array", "maxItems": MAX_SUGGESTIONS, "items": {
            "type": "object", "required": ["code", "name", "label"],
            "properties": {"code": {"type": "string"}, "name": {"type": "string"},
                           "label": {"type": "string"}}}}},
    },
    "BuurtCollection": {
        "type": "object", "required": ["type", "numberReturned", "truncated", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "numberReturned": {"type": "integer"}, "truncated": {"type": "boolean"},
            "features": {"type": "array", "items": {
                "type": "object", "required": ["type", "id", "geometry", "properties"],
                "properties": {"type": {"type": "string", "enum": ["Feature"]},
                               "id": {"type": "string"},
                               "geometry": {"type": "object"},
                               "properties": {"type": "object",
                                              "required": ["code", "name", "url"]}}}},
        },
    },
}


def _filters(categories: list[str]) -> list[dict]:
    """The filters that /listings and the map tiles share."""
    return [
        _query("kind", f"One or more of: {_values(ListingKind)} (comma-separated).",
               _choice_list([k.value for k in ListingKind])),
        _query("category", "Category slug.", {"type": "string", "enum": categories}),
        _query("buurt", "CBS buurtcode, e.g. BU03440101.",
               {"type": "string", "pattern": "^BU[0-9]{8}$"}),
        _query("status", "One or more of: open, running, realised, stopped, closed. "
                         "Default: open,running.",
               _choice_list([s.value for s in PUBLIC_STATUSES])),
        _query("q", "Full-text search in the title and description: every word "
                    "must match, the last one also as the start of a word (`ladd` "
                    "finds ladder); on PostgreSQL Dutch word forms match too "
                    "(`tuinen` finds tuin). Punctuation and operators are not "
                    "syntax, only separators; a text without words finds nothing. "
                    "Results are ranked, best match first (title matches above "
                    "description-only ones, then newest), unless `near` orders them "
                    "nearest first. No control characters: a NUL is refused with "
                    "400 before any query runs.",
               _text(MAX_TEXT)),
        _query("near", "Position as lat,lng: nearest first.", _POINT, "52.49,3.72"),
        _query("radius_km", f"With near: distance in km (default 2, at most "
                            f"{MAX_RADIUS_KM}).",
               {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_RADIUS_KM}),
        *(_query(extra.name, f"{extra.description} `1` to narrow to these. Answers with this "
                             f"filter are kept for a minute at most.",
                 {"type": "string", "enum": ["0", "1", "true", "false", "on"]}, "1")
          for extra in EXTRA_FILTERS.values()),
    ]


def openapi_document() -> dict:
    """The document, with the categories that exist right now as the allowed values."""
    categories = list(db.session.scalars(sa.select(Category.slug).order_by(Category.slug)))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Buurtmarkt open data API",
            "version": "1",
            "description": (
                "Read-only public data: initiatives, offers and requests with blurred positions, "
                "and buurten with their outlines. No key needed. Listing positions are moved by "
                "about 150 m unless the spot is public space; the real spot is never published. "
                f"The listings endpoint returns at most {MAX_LIMIT} features per response "
                f"({DEFAULT_LIMIT} by default); `truncated` says when more match. Each query "
                "parameter is given at most once, and not empty: lists are comma-separated in "
                "one parameter (`kind=offer,request`); anything else is answered with 400 and "
                "a problem document (RFC 9457). Every answer carries an ETag; ask again with "
                "If-None-Match to get 304 Not Modified when nothing changed. The map tiles and "
                "listings answers change their ETag only when a listing in their area changes."),
            "license": {"name": "CC0 1.0", "url": "https://creativecommons.org/publicdomain/zero/1.0/"},
        },
        "servers": [{"url": url_for("api.docs", _external=True).rstrip("/")}],
        "paths": {
            "/listings": {"get": {
                "summary": "Public listings as a GeoJSON FeatureCollection",
                "operationId": "listListings",
                "parameters": [
                    _query("bbox", "Area as west,south,east,north (WGS84 degrees); two opposite "
                                   "corners in any order.", _BBOX, "3.68,52.47,3.76,52.50"),
                    *_filters(categories),
                    _query("limit", f"At most this many features (1–{MAX_LIMIT}, default "
                                    f"{DEFAULT_LIMIT}).",
                           {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}),
                ],
                "responses": {"200": _geojson("ListingCollection", "The matching listings"),
                              "304": _NOT_MODIFIED, "400": _PROBLEM, "429": _TOO_MANY},
            }},
            "/listings.csv": {"get": {
                "summary": "Every public listing that matches, as CSV (open data, CC0)",
                "description": "The filters of /listings, `gemeente` and `wijk`; not limited to a "
                               "page. Blurred points (exact only for public space), no "
                               "names or descriptions. Columns: " + ", ".join(EXPORT_COLUMNS)
                               + ".",
                "operationId": "downloadListingsCsv",
                "parameters": _export_parameters(categories),
                "responses": {"200": {"description": "The listings", "content": {
                    "text/csv": {"schema": {"type": "string"}}}},
                    "400": _PROBLEM, "429": _TOO_MANY},
            }},
            "/listings.geojson": {"get": {
                "summary": "Every public listing that matches, as GeoJSON (open data, CC0)",
                "operationId": "downloadListingsGeojson",
                "parameters": _export_parameters(categories),
                "responses": {"200": {"description": "The listings", "content": {
                    "application/geo+json": {"schema": {"type": "object"}}}},
                    "400": _PROBLEM, "429": _TOO_MANY},
            }},
            "/map/{level}/{x}/{y}": {"get": {
                "summary": "What the map shows in one tile: clusters with counts, or pins",
                "description": (
                    "The grid: at level L the world is 2^L columns of longitude (x, from "
                    "180° W) by 2^L rows of latitude (y, from 90° S); x = floor((lon + 180) / "
                    "360 × 2^L), y = floor((lat + 90) / 180 × 2^L). A map at zoom z asks for "
                    "the tiles of level z in view. A tile answers with up to 16 clusters (the "
                    "cells two levels deeper, with counts per kind, drawn at their listings' "
                    f"mean position) or, from level {PINS_FROM_LEVEL} on and when it holds at "
                    f"most {PIN_LIMIT} matching listings, with pins. Counts include every "
                    "matching public listing; they come from counts the database keeps, so a "
                    "tile of the whole country costs as little as a street. `format=geojson` "
                    "gives the same as GeoJSON features (`cluster`: true or false)."),
                "operationId": "getMapTile",
                "parameters": [
                    {"name": "level", "in": "path", "required": True,
                     "schema": {"type": "integer", "minimum": 0, "maximum": MAX_TILE_LEVEL}},
                    {"name": "x", "in": "path", "required": True,
                     "schema": {"type": "integer", "minimum": 0,
                                "maximum": 2**MAX_TILE_LEVEL - 1}},
                    {"name": "y", "in": "path", "required": True,
                     "schema": {"type": "integer", "minimum": 0,
                                "maximum": 2**MAX_TILE_LEVEL - 1}},
                    *_filters(categories),
                    _query("format", "compact (default) or geojson.",
                           {"type": "string", "enum": ["compact", "geojson"]}),
                ],
                "responses": {
                    "200": {"description": "The tile", "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/MapTile"}},
                        "application/geo+json": {
                            "schema": {"$ref": "#/components/schemas/MapTileFeatures"}}}},
                    "304": _NOT_MODIFIED, "400": _PROBLEM,
                    "404": {"description": "x or y outside the level", "content": {
                        "application/problem+json": {
                            "schema": {"$ref": "#/components/schemas/Problem"}}}},
                    "429": _TOO_MANY},
            }},
            "/listings/{listing_id}": {"get": {
                "summary": "One public listing",
                "operationId": "getListing",
                "parameters": [{"name": "listing_id", "in": "path", "required": True,
                                "schema": {"type": "integer", "minimum": 1,
                                           "maximum": 2**31 - 1}}],
                "responses": {"200": _json("ListingDetail", "The listing"), "404": _NOT_FOUND},
            }},
            "/buurten": {"get": {
                "summary": "Buurt outlines in an area and/or of a gemeente (at most 500)",
                "operationId": "listBuurten",
                "parameters": [
                    _query("bbox", "Area as west,south,east,north.", _BBOX,
                           "3.68,52.47,3.76,52.50"),
                    _query("gemeente", "CBS gemeentecode, e.g. GM0344.",
                           {"type": "string", "pattern": "^GM[0-9]{4}$"}),
                    _query("at", "A point as latitude,longitude: only the buurt that holds it "
                                 "(none when no buurt does); bbox and gemeente are then left out.",
                           _POINT, "52.485,3.71"),
                ],
                "responses": {"200": _geojson("BuurtCollection", "The buurten"), "400": _PROBLEM},
            }},
            "/buurten/zoeken": {"get": {
                "summary": "Buurten matching typed words, best first (for a buurt picker)",
                "operationId": "findBuurten",
                "parameters": [
                    _query("q", "Words to find: part of the buurt's name, its wijk or gemeente, "
                                "a postcode area or a CBS code, in any order. Every word must "
                                "match. Without it: no results.",
                           _text(MAX_QUERY), "centrum utrecht"),
                    _query("gemeente", "Only buurten of this gemeente (CBS gemeentecode).",
                           {"type": "string", "pattern": "^GM[0-9]{4}$"}, "GM9999"),
                    _SUGGESTION_LIMIT,
                ],
                "responses": {"200": _json("BuurtSuggestions", "The matching buurten"),
                              "400": _PROBLEM},
            }},
            "/gemeenten": {"get": {
                "summary": "Gemeenten matching typed words, best first (for a gemeente picker)",
                "operationId": "findGemeenten",
                "parameters": [
                    _query("q", "Part of the gemeente's name or its CBS code. Without it: no results.",
                           _text(MAX_QUERY), "utrecht"),
                    _SUGGESTION_LIMIT,
                ],
                "responses": {"200": _json("GemeenteSuggestions", "The matching gemeenten"),
                              "400": _PROBLEM},
            }},
            "/gemeenten/{code}/cijfers": {"get": {
                "summary": "How fast the gemeente answers and whether it keeps its promises",
                "description": "The figures of the page /gemeente/{code}/verantwoording: answer "
                               "times counting the initiatives still waiting (Kaplan-Meier), "
                               "pledges and roles, for initiatives published in the period.",
                "operationId": "getFigures",
                "parameters": _FIGURE_PARAMETERS,
                "responses": {"200": _json("Figures", "The figures"), "400": _PROBLEM,
                              "404": _NOT_FOUND},
            }},
            "/gemeenten/{code}/cijfers.csv": {"get": {
                "summary": "The same figures as CSV: one figure per row (figure,value)",
                "operationId": "getFiguresCsv",
                "parameters": _FIGURE_PARAMETERS,
                "responses": {"200": {"description": "The figures", "content": {
                    "text/csv": {"schema": {"type": "string"}}}},
                    "400": _PROBLEM, "404": _NOT_FOUND},
            }},
            "/gemeenten/{code}/trends": {"get": {
                "summary": "What happens over time in a gemeente, wijk or buurt",
                "description": "The figures of the dashboard and the raad's report: public "
                               "listings posted, responses, realised initiatives, the "
                               "gemeente's pledges, for the period and the one before, in "
                               "days, weeks, months or years; and each buurt's activity per "
                               "1,000 residents, flagged quiet or busy.",
                "operationId": "getTrends",
                "parameters": _TREND_PARAMETERS,
                "responses": {"200": _json("Trends", "The figures"), "400": _PROBLEM,
                              "404": _NOT_FOUND},
            }},
            "/gemeenten/{code}/trends.csv": {"get": {
                "summary": "The series as CSV: one row per day, week, month or year",
                "operationId": "getTrendsCsv",
                "parameters": _TREND_PARAMETERS,
                "responses": {"200": {"description": "The series", "content": {
                    "text/csv": {"schema": {"type": "string"}}}},
                    "400": _PROBLEM, "404": _NOT_FOUND},
            }},
            "/gemeenten/{code}/trends/buurten.csv": {"get": {
                "summary": "Each buurt's activity as CSV, with residents and quiet/busy flag",
                "operationId": "getTrendsBuurtenCsv",
                "parameters": _TREND_PARAMETERS,
                "responses": {"200": {"description": "The buurten", "content": {
                    "text/csv": {"schema": {"type": "string"}}}},
                    "400": _PROBLEM, "404": _NOT_FOUND},
            }},
            "/buurten/{code}": {"get": {
                "summary": "One buurt with its outline",
                "operationId": "getBuurt",
                "parameters": [{"name": "code", "in": "path", "required": True,
                                "schema": {"type": "string"}}],
                "responses": {"200": _json("Buurt", "The buurt"), "404": _NOT_FOUND},
            }},
        },
        "components": {"schemas": SCHEMAS},
    }
