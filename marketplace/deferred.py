"""Work that waits until the answer has gone out: mail, above all.

A person must not wait for an SMTP server, and a page must not answer faster or slower depending
on whether mail was built (a password-reset form would tell who has an account). A task given to
:func:`after_response` runs when the server closes the response, in an app context of its own,
with links under PUBLIC_URL (see :mod:`marketplace.links`). Outside a request, or inside work
that itself runs after a response, it runs at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import after_this_request, current_app, g, has_request_context

from marketplace.extensions import db
from marketplace.links import mail_base_url


def after_response(task: Callable[..., Any], *args: Any) -> None:
    """Run ``task(*args)`` after the response; pass ids and strings, not database objects."""
    if not has_request_context():
        task(*args)
        return
    if g.get("after_the_response"):  # queued by work that itself runs after the response
        task(*args)
        return
    app = current_app._get_current_object()
    base_url = mail_base_url()

    def run() -> None:
        with app.test_request_context(base_url=base_url):
            g.after_the_response = True
            try:
                task(*args)
                db.session.commit()
            except Exception:  # the answer is out: log it, the person's action stands
                db.session.rollback()
                app.logger.exception("work after the response failed: %s", task.__name__)
            finally:
                db.session.remove()

    @after_this_request
    def schedule(response):
        done = []

        def once() -> None:  # a response may be closed twice (tests, middleware)
            if not done:
                done.append(True)
                run()

        response.call_on_close(once)
        return response
