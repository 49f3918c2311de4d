"""The open, read-only JSON/GeoJSON API of public data, with its OpenAPI document."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from marketplace.api import routes  # noqa: E402,F401  (registers the views on bp)
