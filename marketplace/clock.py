"""The current time, replaceable in tests so deadlines can be checked without waiting."""

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from marketplace.models_base import utcnow

# Every gemeente on Buurtmarkt keeps Dutch time: days (due dates, "needed by") are days there.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def now() -> datetime:
    """The current UTC time, or the app's ``CLOCK`` callable when one is configured."""
    if has_app_context():
        clock: Callable[[], datetime] | None = current_app.config.get("CLOCK")
        if clock is not None:
            return clock()
    return utcnow()


def local_date(moment: datetime) -> date:
    """The calendar day in the Netherlands at this moment."""
    return moment.astimezone(AMSTERDAM).date()


def start_of_day(day: date) -> datetime:
    """The moment (UTC) the day begins in the Netherlands."""
    return datetime.combine(day, time(), tzinfo=AMSTERDAM).astimezone(UTC)
