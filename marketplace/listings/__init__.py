"""Initiatives, offers and requests: the map with its list, posting, editing, photos."""

from flask import Blueprint

bp = Blueprint("listings", __name__)

from marketplace.listings import routes  # noqa: E402,F401  (registers the views on bp)
