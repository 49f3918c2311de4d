"""The lightest path: a conditional request for a map tile whose answer has not changed is
answered ``304 Not Modified`` before Flask starts on it.

Everything the answer depends on is in the request line and the process's memory: the tile, its
parameters, and the data version of its area (marketplace/mapdata/versions.py). No session,
login, locale, rate limit or security headers are needed for an empty answer. Anything else —
another path, no ``If-None-Match``, a changed version — goes on to the app as usual, and the
view answers it (a 304 there too when it matches, by the same tag).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl

from flask import Flask

from marketplace.api.caching import CACHE_CONTROL, tile_tag
from marketplace.mapdata import grid

logger = logging.getLogger(__name__)
TILE_PATH = re.compile(r"^/api/v1/map/(\d{1,2})/(\d{1,6})/(\d{1,6})$")


class NotModified:
    def __init__(self, app: Flask):
        self.app = app
        self.wsgi_app = app.wsgi_app

    def __call__(self, environ, start_response):
        asked = environ.get("HTTP_IF_NONE_MATCH")
        match = TILE_PATH.match(environ.get("PATH_INFO", "")) if asked else None
        if match and environ.get("REQUEST_METHOD") == "GET":
            level, x, y = (int(part) for part in match.groups())
            if grid.is_cell(level, x, y):
                tag = self._tag(level, x, y, environ)
                if tag and f'W/"{tag}"' in (part.strip() for part in asked.split(",")):
                    start_response("304 Not Modified", [
                        ("ETag", f'W/"{tag}"'), ("Cache-Control", CACHE_CONTROL),
                        ("Vary", "Accept-Encoding"), ("Access-Control-Allow-Origin", "*")])
                    return []
        return self.wsgi_app(environ, start_response)

    def _tag(self, level: int, x: int, y: int, environ: dict) -> str | None:
        parameters = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        try:
            with self.app.app_context():
                return tile_tag(level, x, y, environ, parameters)[0]
        except Exception:  # the database is away: the app answers, with a proper problem
            logger.exception("Checking a map tile's version failed")
            return None


def init_app(app: Flask) -> None:
    app.wsgi_app = NotModified(app)
