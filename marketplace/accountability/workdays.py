"""Working days in the Netherlands: Monday to Friday, without Dutch public holidays."""

from datetime import date, timedelta
from functools import cache

import holidays

from marketplace.clock import AMSTERDAM, local_date

__all__ = ["AMSTERDAM", "add_working_days", "is_working_day", "local_date"]


@cache
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The day ``days`` working days after ``start`` (start itself does not count)."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end is not later)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count
