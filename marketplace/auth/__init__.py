"""Signing up, logging in and out, confirming e-mail and resetting passwords."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from marketplace.auth import routes  # noqa: E402,F401  (registers the views on bp)
