"""Flask-Login set-up: loading the person of a live login session, and the log-in page."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from marketplace.auth import sessions
from marketplace.auth.models import User
from marketplace.extensions import login_manager


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """The session cookie and the remember-me cookie hold a login session's token."""
    return sessions.load_user(token)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
