"""Public answers that caches may keep: a validator from a data version, 304 without building
the answer, and the built answer kept (compressed as asked) until its version moves on.

The answer cache is Flask-Caching's: in the process for the embedded default, in Redis when
``REDIS_URL`` is set, so that every app server shares what one of them built. Keys carry the
version, so nothing needs deleting: a write makes new keys, old ones age out. For the same reason
a process may keep what it read from Redis: with Redis, a small cache in the process comes first
(a Redis round trip costs a fifth of a cached answer).

Building an answer is what costs; only that is rate-limited (per address), so that a map that
many people look at is served from the cache however often it is asked.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable, Iterable

import brotli
from flask import Flask, Response, current_app, request
from flask_babel import gettext as _
from flask_caching.backends import SimpleCache
from flask_limiter.util import get_remote_address
from limits import parse_many
from werkzeug.wsgi import get_current_url

from marketplace import clock
from marketplace.api.problems import problem
from marketplace.extensions import cache, limiter
from marketplace.listings.queries import EXTRA_FILTERS
from marketplace.mapdata import grid, versions

# Browsers ask again each time (so a new listing shows at once) and get a 304 when nothing
# changed; shared caches may do the same on their behalf.
CACHE_CONTROL = "public, no-cache"


def query_key(environ: dict, parameters: Iterable[tuple[str, str]]) -> str:
    """The address asked for, its parameters in a fixed order, as a short key. The host is part
    of it: answers hold absolute links. Encoded, so that no two different requests share one
    (``?kind%3Doffer%26q=x`` is one odd parameter, not ``kind`` and ``q``)."""
    parameters = sorted(parameters)
    # A filter that follows more than the listings (?wacht=1: answers and pledges, and the
    # date) is not covered by the data version: its answers are kept for a minute at most.
    live = [int(clock.now().timestamp() // 60)] if any(
        name in EXTRA_FILTERS for name, _value in parameters) else []
    text = json.dumps([get_current_url(environ, root_only=True), environ.get("PATH_INFO", ""),
                       parameters, *live])
    return hashlib.blake2s(text.encode(), digest_size=8).hexdigest()


def tile_tag(level: int, x: int, y: int, environ: dict,
             parameters: Iterable[tuple[str, str]]) -> tuple[str, frozenset[int]]:
    """A map tile's validator (its area's data version and the request's :func:`query_key`),
    and who is suspended now; the view and marketplace/api/not_modified.py compute it alike."""
    version, suspended = versions.current(grid.version_area(level, x, y))
    return f"{version}.{query_key(environ, parameters)}", suspended


def _encoding() -> str:
    accepted = request.accept_encodings
    for encoding in ("br", "gzip"):
        if accepted.quality(encoding) > 0:
            return encoding
    return "identity"


def _compressed(body: bytes, encoding: str) -> bytes:
    config = current_app.config
    if encoding == "br":
        return brotli.compress(body, quality=config["COMPRESS_BR_LEVEL"])
    if encoding == "gzip":
        return gzip.compress(body, compresslevel=config["COMPRESS_LEVEL"])
    return body


def _within_limit() -> bool:
    if not limiter.enabled:
        return True
    return all(limiter.limiter.hit(item, "api-build", get_remote_address())
               for item in parse_many(current_app.config["RATELIMIT_API_BUILD"]))


def _headers(response: Response, tag: str, vary: tuple[str, ...]) -> Response:
    response.set_etag(tag, weak=True)
    response.headers["Cache-Control"] = CACHE_CONTROL
    for header in ("Accept-Encoding", *vary):
        response.vary.add(header)
    return response


def _kept(key: str) -> bytes | None:
    nearby = current_app.extensions.get("api_answers_nearby")
    if nearby is not None and (value := nearby.get(key)) is not None:
        return value
    value = cache.get(key)
    if value is not None and nearby is not None:
        nearby.set(key, value)
    return value


def _keep(key: str, value: bytes) -> None:
    cache.set(key, value)
    if (nearby := current_app.extensions.get("api_answers_nearby")) is not None:
        nearby.set(key, value)


def public_answer(tag: str, build: Callable[[], bytes | Response], mimetype: str,
                  vary: tuple[str, ...] = ()) -> Response:
    """The answer for this request, whose validator is ``tag`` (a data version and the
    request's :func:`query_key`): 304 when the client has it, else from the cache, else from
    ``build`` (which returns the JSON, or a problem to pass on)."""
    if request.if_none_match.contains_weak(tag):
        return _headers(Response(status=304, mimetype=mimetype), tag, vary)
    encoding = _encoding()
    key = f"api:{tag}:{encoding}"
    body = _kept(key)
    if body is None:
        plain = _kept(f"api:{tag}:identity") if encoding != "identity" else None
        if plain is None:
            if not _within_limit():
                return problem(429, _("Too many requests for new answers from this address; "
                                      "try again in a minute."))
            built = build()
            if isinstance(built, Response):
                return built
            plain = built
            _keep(f"api:{tag}:identity", plain)
        body = _compressed(plain, encoding)
        if encoding != "identity":
            _keep(key, body)
    response = Response(body, mimetype=mimetype)
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding
    return _headers(response, tag, vary)


def init_app(app: Flask) -> None:
    if app.config.get("REDIS_URL") and not app.config.get("CACHE_TYPE"):
        app.config["CACHE_TYPE"] = "RedisCache"
        app.config["CACHE_REDIS_URL"] = app.config["REDIS_URL"]
    if not app.config.get("CACHE_TYPE"):
        app.config["CACHE_TYPE"] = "SimpleCache"
    cache.init_app(app)
    if app.config["CACHE_TYPE"] != "SimpleCache":
        app.extensions["api_answers_nearby"] = SimpleCache(
            threshold=app.config["CACHE_THRESHOLD"],
            default_timeout=app.config["CACHE_DEFAULT_TIMEOUT"])
