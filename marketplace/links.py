"""Full addresses of pages, for e-mail: under PUBLIC_URL, never under a Host header a visitor
chose; without PUBLIC_URL (development) under the address the request came to."""

from flask import current_app, has_request_context, request, url_for

DEVELOPMENT_URL = "http://127.0.0.1:5000"


def mail_base_url() -> str:
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return configured
    return request.host_url if has_request_context() else DEVELOPMENT_URL


def external_url(endpoint: str, **values) -> str:
    """``url_for(..., _external=True)`` for mail, also in background and command-line work."""
    if has_request_context() and not current_app.config.get("PUBLIC_URL"):
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=mail_base_url()):
        return url_for(endpoint, _external=True, **values)
