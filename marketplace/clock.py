"""The current time, replaceable in tests so deadlines can be checked without waiting."""

from collections.abc import Callable
from datetime import datetime

from flask import current_app, has_app_context

from marketplace.models_base import utcnow


def now() -> datetime:
    """The current UTC time, or the app's ``CLOCK`` callable when one is configured."""
    if has_app_context():
        clock: Callable[[], datetime] | None = current_app.config.get("CLOCK")
        if clock is not None:
            return clock()
    return utcnow()
