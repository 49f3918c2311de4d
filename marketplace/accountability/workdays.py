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
    """Working days after ``start`` up to and including ``end`` (0 when end is not later).
    Counted, not walked: the figures ask it for every initiative of a year, each of which may
    have waited months."""
    if end <= start:
        return 0
    return _working_days_through(end) - _working_days_through(start)


_MONDAY = date(1999, 12, 27)  # weeks are counted from a Monday before anything on Buurtmarkt


def _working_days_through(day: date) -> int:
    """Working days from _MONDAY up to and including ``day``."""
    weeks, rest = divmod((day - _MONDAY).days + 1, 7)
    return weeks * 5 + min(rest, 5) - _weekday_holidays_through(day)


def _weekday_holidays_through(day: date) -> int:
    """Public holidays on a weekday from _MONDAY's year up to and including ``day``."""
    return _weekday_holidays_before_year(day.year) + sum(
        1 for holiday in _weekday_holidays(day.year) if holiday <= day)


@cache
def _weekday_holidays(year: int) -> tuple[date, ...]:
    return tuple(sorted(day for day in _holidays(year) if day.weekday() < 5))


@cache
def _weekday_holidays_before_year(year: int) -> int:
    return sum(len(_weekday_holidays(earlier)) for earlier in range(_MONDAY.year + 1, year))
