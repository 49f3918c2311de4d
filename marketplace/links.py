"""Full addresses of pages, for e-mail: from the request, or from PUBLIC_URL outside one."""

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    """``url_for(..., _external=True)`` that also works in background and command-line work."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return url_for(endpoint, _external=True, **values)
