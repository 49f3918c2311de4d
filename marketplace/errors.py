"""Error pages in the site's style (HTML), or problem details for JSON clients."""

from flask import Flask, abort, jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from marketplace.extensions import db

MESSAGES = {
    400: (_l("Something in the request was not right"),
          _l("The page could not handle what was sent. Go back and try again.")),
    403: (_l("You may not do this"),
          _l("This page or action is not open to your account.")),
    404: (_l("Page not found"),
          _l("This page does not exist (any more). Check the address or start at the home page.")),
    405: (_l("This does not work this way"),
          _l("The page cannot be used like this. Go back and use the buttons on the page.")),
    413: (_l("The file is too large"),
          _l("What you sent is too large. Choose a smaller file.")),
    429: (_l("Too many attempts"),
          _l("You tried this too often in a short time. Wait a few minutes and try again.")),
    500: (_l("Something went wrong on our side"),
          _l("We could not finish this. Nothing you already saved is lost. Try again later.")),
}


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return request.path.startswith("/api/") or best == "application/json"


def _render(status: int, detail: str | None = None):
    title, text = MESSAGES.get(status, MESSAGES[500])
    if _wants_json():
        body = {"type": "about:blank", "title": str(title), "status": status,
                "detail": str(detail or text)}
        response = jsonify(body)
        response.status_code = status
        response.mimetype = "application/problem+json"
        return response
    return render_template("errors/error.html", status=status, title=title,
                           text=text, detail=detail), status


def _own_words(error: HTTPException) -> str | None:
    """A rate limit with a message of its own (log-in per account, posting) says it."""
    limit = getattr(error, "limit", None)
    return error.description if limit is not None and limit.error_message else None


MAX_PAGE_DIGITS = 6  # page 999,999 of 50: far beyond any list


def init_app(app: Flask) -> None:
    @app.before_request
    def _page_numbers_within_reach():
        """A page number beyond any list is not found; sent on, it overflows the database's
        integer (an error, not an answer)."""
        for name, value in request.args.items():
            if not (name in ("page", "p") or name.endswith("_page")):
                continue
            try:  # as the list will read it: int() takes signs, spaces and underscores too
                number = int(value)
            except ValueError:
                continue
            if abs(number) >= 10 ** MAX_PAGE_DIGITS:
                abort(404)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _render(400, str(_l("The form had expired. Your input was not sent; "
                                   "go back, reload the page and try again.")))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if error.code not in MESSAGES:
            return error
        response = make_response(_render(error.code, _own_words(error)))
        if error.code == 405:  # which methods do work, as HTTP asks
            response.headers["Allow"] = dict(error.get_headers()).get("Allow", "")
        return response

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError):
        db.session.rollback()
        return _render(500)
