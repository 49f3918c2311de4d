"""RFC 9457 problem details: the API's way of saying what is wrong."""

from flask import jsonify


def problem(status: int, detail: str, *, param: str | None = None, title: str | None = None,
            errors: dict[str, str] | None = None):
    body = {"type": "about:blank", "title": title or _TITLES.get(status, "Error"),
            "status": status, "detail": str(detail)}
    if param:
        body["param"] = param
    if errors:
        body["errors"] = [{"param": name, "detail": str(text)} for name, text in errors.items()]
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


_TITLES = {400: "Bad Request", 404: "Not Found", 429: "Too Many Requests",
           503: "Service Unavailable"}
