"""Security headers on every response, with a Content-Security-Policy that forbids inline code."""

from itertools import chain
from urllib.parse import urlsplit

from flask import Flask, Response, abort, request


def content_security_policy(tile_url: str) -> str:
    """No inline code anywhere; map tiles are the only outside resource, and only as images."""
    parts = urlsplit(tile_url)
    tile_origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        f"img-src 'self' data: {tile_origin}".strip(),
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def _security_headers(csp: str, hsts: bool) -> list[tuple[str, str]]:
    headers = [
        ("Content-Security-Policy", csp),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Permissions-Policy", "geolocation=(self), camera=(), microphone=()"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    if hsts:
        headers.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    return headers


def _add_headers(response: Response, headers: list[tuple[str, str]]) -> Response:
    """Each header unless the view set its own (one pass: this runs on every answer)."""
    present = {name.lower() for name, _value in response.headers.items()}
    response.headers.extend([(name, value) for name, value in headers
                             if name.lower() not in present])
    return response


def _refuse_nul_characters() -> None:
    """No text may carry a NUL character: PostgreSQL cannot store it, and no person types one."""
    form = request.form.items(multi=True) if request.method != "GET" else ()
    for _name, value in chain(request.args.items(multi=True), form):
        if "\x00" in value:
            abort(400)


def init_app(app: Flask) -> None:
    app.before_request(_refuse_nul_characters)
    headers = _security_headers(content_security_policy(app.config["TILE_URL"]),
                                bool(app.config.get("HSTS")))

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        return _add_headers(response, headers)
