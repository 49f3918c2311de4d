"""A person's own account: profile, home buurt, language, password and e-mail address."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/mijn-account")

from marketplace.accounts import routes  # noqa: E402,F401  (registers the views on bp)
