"""The home page, the privacy statement, the language switch and the health check."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from marketplace.main import routes  # noqa: E402,F401  (registers the views on bp)
