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


def _add_headers(response: Response, csp: str, hsts: bool) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", csp)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(), microphone=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if hsts:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def _refuse_nul_characters() -> None:
    """No text may carry a NUL character: PostgreSQL cannot store it, and no person types one."""
    for _name, value in chain(request.args.items(multi=True), request.form.items(multi=True)):
        if "\x00" in value:
            abort(400)


def init_app(app: Flask) -> None:
    app.before_request(_refuse_nul_characters)
    hsts = bool(app.config.get("HSTS"))
    csp = content_security_policy(app.config["TILE_URL"])

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        return _add_headers(response, csp, hsts)
