"""Static files that browsers keep for a year: every link to one carries a digest of its
content (``/static/js/map-page.js?v=3f2a…``), and a request naming the current digest is
answered ``Cache-Control: public, max-age=31536000, immutable``. A changed file gets a new digest,
so a new link; a request without it (or with an old one) is revalidated as before.
"""

import hashlib
import os
from pathlib import Path

from flask import Flask, Response, request

YEAR = 365 * 24 * 3600
_digests: dict[str, tuple[float, str]] = {}  # path: (modified, digest), per process


def digest_of(folder: str, filename: str) -> str | None:
    """The first 12 hex digits of the file's SHA-256; None for a file that is not there."""
    path = Path(folder) / filename
    try:
        modified = os.stat(path).st_mtime
    except OSError:
        return None
    known = _digests.get(str(path))
    if known is None or known[0] != modified:
        known = (modified, hashlib.sha256(path.read_bytes()).hexdigest()[:12])
        _digests[str(path)] = known
    return known[1]


def init_app(app: Flask) -> None:
    @app.url_defaults
    def add_digest(endpoint: str, values: dict) -> None:
        if (endpoint == "static" and "filename" in values and "v" not in values
                and (digest := digest_of(app.static_folder, values["filename"])) is not None):
            values["v"] = digest

    @app.after_request
    def keep_for_a_year(response: Response) -> Response:
        if (request.endpoint == "static" and response.status_code in (200, 304)
                and request.args.get("v")
                and request.args["v"] == digest_of(app.static_folder,
                                                   request.view_args["filename"])):
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        return response
