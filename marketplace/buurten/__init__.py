"""Buurt pages: what happens in a buurt and who is active there."""

from flask import Blueprint

bp = Blueprint("buurten", __name__, url_prefix="/buurt")

from marketplace.buurten import routes  # noqa: E402,F401  (registers the views on bp)
