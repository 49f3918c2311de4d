"""The API's answers are public: the same for everyone who asks in the same language, whatever
cookie comes along. Its language comes from ``Accept-Language`` alone (``i18n.select_locale``),
and its answers say so in ``Vary``, without ``Cookie``, so that a shared cache may keep them.

Flask marks every answer ``Vary: Cookie`` once anything looked at the session, and Flask-Login
looks at it after every request (for its remember-me cookie); the API never changes the session,
so for its answers that mark is taken off again.
"""

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface

from marketplace.extensions import limiter

API_PREFIX = "/api/v1/"


class PublicApiSessions(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request):
        # The answers need no session: reading (and checking the signature of) the cookie
        # that a browser sends along with every map request is work for nothing.
        if request.path.startswith(API_PREFIX) and request.path != API_PREFIX:
            return self.make_null_session(app)
        return super().open_session(app, request)

    def save_session(self, app: Flask, session, response) -> None:
        super().save_session(app, session, response)
        if request.blueprint == "api" and not session.modified:
            # Lower case: Werkzeug's HeaderSet.remove compares the stored names lowered.
            response.vary.discard("cookie")


def _skip_for_the_api(check):
    """Flask-Limiter's check of every request costs more than a cached answer (a sixth of it):
    the API limits only the building of answers (api/caching.py), so for the API it is left out
    (the limits on the API's own routes, of which there are none, would be left out too)."""

    def check_unless_api():
        if request.blueprint != "api":
            return check()
        return None

    return check_unless_api


def init_app(app: Flask) -> None:
    app.session_interface = PublicApiSessions()
    checks = app.before_request_funcs.setdefault(None, [])
    checks[:] = [_skip_for_the_api(check) if check == limiter._check_request_limit else check
                 for check in checks]
