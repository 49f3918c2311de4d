"""Admin pages: users with their roles and areas, gemeenten and their buurten."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/beheer")

from marketplace.admin import routes  # noqa: E402,F401  (registers the views on bp)
