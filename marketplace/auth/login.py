"""Flask-Login set-up: loading the user from the session and the log-in page."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from marketplace.auth.models import User
from marketplace.extensions import db, login_manager


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The session holds "<id>.<login version>"; an older version means a changed password."""
    user_id, _sep, version = session_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.login_version != int(version) or not user.active:
        return None
    return user


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
