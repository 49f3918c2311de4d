"""Languages: Dutch first, English second; the person's choice, then their browser's."""

from flask import Flask, current_app, has_request_context, request, session
from flask_login import current_user

from marketplace.extensions import babel


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # command-line tasks and background work
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.blueprint == "api":
        # The API's answers are public and the same for everyone who asks in a language: the
        # language comes from the request alone, so the session (and Vary: Cookie) stay out.
        return _asked_for(languages)
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return _asked_for(languages)


def _asked_for(languages: list[str]) -> str:
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
