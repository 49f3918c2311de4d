"""The API's answers are public: the same for everyone who asks in the same language, whatever
cookie comes along. Its language comes from ``Accept-Language`` alone (``i18n.select_locale``),
and its answers say so in ``Vary``, without ``Cookie``, so that a shared cache may keep them.

Flask marks every answer ``Vary: Cookie`` once anything looked at the session, and Flask-Login
looks at it after every request (for its remember-me cookie); the API never changes the session,
so for its answers that mark is taken off again.
"""

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface


class PublicApiSessions(SecureCookieSessionInterface):
    def save_session(self, app: Flask, session, response) -> None:
        super().save_session(app, session, response)
        if request.blueprint == "api" and not session.modified:
            # Lower case: Werkzeug's HeaderSet.remove compares the stored names lowered.
            response.vary.discard("cookie")


def init_app(app: Flask) -> None:
    app.session_interface = PublicApiSessions()
