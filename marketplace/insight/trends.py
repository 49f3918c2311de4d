"""What happens in an area over a period, compared with the period before: listings posted,
responses, helpers, realised initiatives, the gemeente's pledges and answer times; per day,
grouped into days, weeks, months or years for a chart; and per buurt, weighed by its residents
to find the quiet and the busy ones.

Only public listings count, so every figure here may be shown to anyone. Counting is done in
the database, grouped by day: a year of a large city is a few hundred rows, not its listings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from marketplace import clock
from marketplace.accountability import answers
from marketplace.accountability.models import Pledge, PledgeStatus
from marketplace.commitments.models import Commitment
from marketplace.extensions import cache, db
from marketplace.geo.models import Buurt, Gemeente, Wijk
from marketplace.listings.models import Listing, ListingKind, ListingStatus
from marketplace.listings.queries import publicly_visible
from marketplace.models_base import UTCDateTime

# Counted per day and shown as a series; "helpers" are distinct people, so a period total only.
SERIES = ("posted", "responses", "realised", "pledged", "delivered")
MAX_PERIOD = timedelta(days=10 * 366)
TOTALS = (*SERIES, "helpers")


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def bounds(self) -> tuple[datetime, datetime]:
        """From local midnight of the first day to local midnight after the last (UTC)."""
        return clock.start_of_day(self.start), clock.start_of_day(self.end + timedelta(days=1))


def period_from(start: str | None, end: str | None) -> Period:
    """The visitor's period (YYYY-MM-DD), by default the last twelve months; never past today,
    so "compared with the period before" compares like with like."""
    first, last = answers.parse_period(start, end)
    today = clock.local_date(clock.now())
    last = min(last, today)
    # At most ten years: counting costs grow with the period, and anyone may ask.
    first = max(first, last - MAX_PERIOD)
    return Period(min(first, last), last)


@dataclass(frozen=True)
class Area:
    """A gemeente, one of its wijken or buurten, or a wijkwerker's own buurten."""

    gemeente: Gemeente
    wijk: Wijk | None = None
    buurt: Buurt | None = None
    buurt_ids: sa.Select | None = None  # "my area": the buurten a wijkwerker looks after
    mine: bool = False

    @property
    def is_gemeente(self) -> bool:
        return self.wijk is None and self.buurt is None and self.buurt_ids is None

    def on_listing(self) -> sa.ColumnElement[bool]:
        """SQL, on Listing: it lies in the area."""
        if self.buurt is not None:
            return Listing.buurt_id == self.buurt.id
        if self.wijk is not None:
            return Listing.buurt_id.in_(sa.select(Buurt.id).where(Buurt.wijk_id == self.wijk.id))
        if self.buurt_ids is not None:
            return sa.and_(Listing.gemeente_id == self.gemeente.id,
                           Listing.buurt_id.in_(self.buurt_ids))
        return Listing.gemeente_id == self.gemeente.id

    def buurten(self) -> sa.Select:
        """Its buurten, with their wijk."""
        query = sa.select(Buurt).join(Wijk).where(Wijk.gemeente_id == self.gemeente.id)
        if self.buurt is not None:
            return query.where(Buurt.id == self.buurt.id)
        if self.wijk is not None:
            return query.where(Buurt.wijk_id == self.wijk.id)
        if self.buurt_ids is not None:
            return query.where(Buurt.id.in_(self.buurt_ids))
        return query


def local_day(column: sa.ColumnElement, period: Period) -> sa.ColumnElement:
    """SQL: the Dutch calendar day of a timestamp. PostgreSQL knows the time zone; SQLite is
    told the offset of each stretch of the period between clock changes."""
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.cast(sa.func.timezone(clock.AMSTERDAM.key, column), sa.Date)
    stretches = _offset_stretches(period)

    def shifted(hours: int) -> sa.ColumnElement:
        return sa.func.date(column, f"{hours:+d} hours")
    if len(stretches) == 1:
        return shifted(stretches[0][1])
    return sa.case(*((column < sa.literal(until, UTCDateTime()), shifted(hours))
                     for until, hours in stretches[:-1]), else_=shifted(stretches[-1][1]))


def _offset_stretches(period: Period) -> list[tuple[datetime, int]]:
    """(until, hours): the Dutch offset from UTC, in hours, up to each clock change within
    the period (the last one holds to its end)."""
    def hours_at(moment: datetime) -> int:
        return int(moment.astimezone(clock.AMSTERDAM).utcoffset().total_seconds() // 3600)

    low, high = period.bounds()
    stretches, moment, hours = [], low, hours_at(low)
    while moment < high:
        following = min(moment + timedelta(days=1), high)
        if hours_at(following) != hours:
            # The change lies within this day: find its hour.
            change = moment
            while hours_at(change) == hours:
                change += timedelta(hours=1)
            stretches.append((change, hours))
            hours = hours_at(change)
        moment = following
    stretches.append((high, hours))
    return stretches


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _per_day(query: sa.Select, moment: sa.ColumnElement, period: Period) -> dict[date, int]:
    """Counts per local day of ``moment`` within the period, for rows of ``query``."""
    low, high = period.bounds()
    day = local_day(moment, period)
    rows = db.session.execute(
        query.with_only_columns(day, sa.func.count()).where(moment >= low, moment < high)
        .group_by(day)).all()
    counts: dict[date, int] = {}
    for value, count in rows:
        day = _as_date(value)
        counts[day] = counts.get(day, 0) + count
    return counts


def _listings(area: Area) -> sa.Select:
    return sa.select(Listing.id).where(area.on_listing(), publicly_visible())


def _sources(area: Area) -> dict[str, tuple[sa.Select, sa.ColumnElement]]:
    """Per series: the rows counted and the moment that places them in time."""
    on_area = sa.and_(area.on_listing(), publicly_visible())
    return {
        "posted": (_listings(area), Listing.published_at),
        "responses": (sa.select(Commitment.id).join(Listing, Commitment.listing_id == Listing.id)
                      .where(on_area), Commitment.created_at),
        "realised": (_listings(area).where(Listing.kind == ListingKind.INITIATIVE,
                                           Listing.status == ListingStatus.REALISED),
                     Listing.closed_at),
        "pledged": (sa.select(Pledge.id).join(Listing, Pledge.listing_id == Listing.id)
                    .where(on_area), Pledge.created_at),
        "delivered": (sa.select(Pledge.id).join(Listing, Pledge.listing_id == Listing.id)
                      .where(on_area, Pledge.status == PledgeStatus.DELIVERED),
                      Pledge.closed_at),
    }


def _helpers(area: Area, period: Period) -> int:
    low, high = period.bounds()
    return db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Commitment.helper_id)))
        .join(Listing, Commitment.listing_id == Listing.id)
        .where(area.on_listing(), publicly_visible(), Commitment.created_at >= low,
               Commitment.created_at < high)) or 0


def _posted_by_kind(area: Area, period: Period) -> dict[ListingKind, int]:
    low, high = period.bounds()
    return dict(db.session.execute(
        sa.select(Listing.kind, sa.func.count(Listing.id))
        .where(area.on_listing(), publicly_visible(), Listing.published_at >= low,
               Listing.published_at < high).group_by(Listing.kind)).all())


@dataclass
class Bucket:
    start: date
    end: date
    values: dict[str, int] = field(default_factory=dict)


@dataclass
class PeriodFigures:
    period: Period
    totals: dict[str, int]
    posted_by_kind: dict[ListingKind, int]
    answers: answers.Figures


@dataclass
class Trend:
    """The figures of a period and of the one before, and the period's series in buckets."""

    area: Area
    current: PeriodFigures
    previous: PeriodFigures
    step: str  # "day", "week", "month" or "year"
    buckets: list[Bucket]

    def change(self, name: str) -> int:
        return self.current.totals[name] - self.previous.totals[name]


# Counted figures are kept this long (in Redis when it is set up, shared by the app servers):
# a city's year takes a fifth of a second to count, and a dashboard is opened more often than
# its figures change in a way anyone would notice. The page says how old they may be.
CACHE_SECONDS = 300


def _figures(area: Area, period: Period) -> tuple[PeriodFigures, dict[str, dict[date, int]]]:
    key = _cache_key(area, period)
    kept = cache.get(key) if key else None
    if kept is None:
        kept = _count(area, period)
        if key:
            cache.set(key, kept, timeout=CACHE_SECONDS)
    daily, totals, by_kind, answer_figures = kept
    return PeriodFigures(period, totals, by_kind, answer_figures), daily


def _cache_key(area: Area, period: Period) -> str | None:
    """One key per area and period; none for a wijkwerker's own area (theirs alone)."""
    if area.mine:
        return None
    place = (f"b{area.buurt.id}" if area.buurt is not None
             else f"w{area.wijk.id}" if area.wijk is not None else f"g{area.gemeente.id}")
    return f"insight:{place}:{period.start.isoformat()}:{period.end.isoformat()}"


def _count(area: Area, period: Period) -> tuple:
    daily = {name: _per_day(query, moment, period)
             for name, (query, moment) in _sources(area).items()}
    totals = {name: sum(days.values()) for name, days in daily.items()}
    totals["helpers"] = _helpers(area, period)
    return (daily, totals, _posted_by_kind(area, period),
            answers.figures(area.gemeente, period.start, period.end, within=area.on_listing()))


def trend(area: Area, period: Period) -> Trend:
    current, daily = _figures(area, period)
    previous, _daily = _figures(area, period.previous())
    step, buckets = bucket_days(period)
    for bucket in buckets:
        bucket.values = {name: sum(count for day, count in days.items()
                                   if bucket.start <= day <= bucket.end)
                         for name, days in daily.items()}
    return Trend(area, current, previous, step, buckets)


def bucket_days(period: Period) -> tuple[str, list[Bucket]]:
    """The period cut into days (up to a month), weeks from Monday (up to half a year), months
    (up to three years) or years; the first and last are cut to the period."""
    if period.days <= 31:
        return "day", [Bucket(day, day) for day in _days(period.start, period.end)]
    if period.days <= 190:
        step, next_start = "week", lambda day: day + timedelta(days=7 - day.weekday())
    elif period.days <= 3 * 366:
        step, next_start = "month", _next_month
    else:
        step, next_start = "year", lambda day: date(day.year + 1, 1, 1)
    buckets, start = [], period.start
    while start <= period.end:
        following = next_start(start)
        buckets.append(Bucket(start, min(following - timedelta(days=1), period.end)))
        start = following
    return step, buckets


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


# Quiet and busy buurten ---------------------------------------------------------------------

MIN_RESIDENTS = 250  # smaller buurten (a business park, a polder) say little per resident
FLAGGED = 10  # at most this many quiet and busy buurten each


@dataclass
class BuurtRate:
    buurt: Buurt
    posted: int
    responses: int

    @property
    def activity(self) -> int:
        return self.posted + self.responses

    @property
    def per_thousand(self) -> float | None:
        """Listings posted and responses per 1,000 residents in the period (none without
        residents: a business park, or no figure)."""
        if not self.buurt.residents:
            return None
        return 1000 * self.activity / self.buurt.residents


@dataclass
class BuurtComparison:
    rates: list[BuurtRate]
    area_per_thousand: float | None
    quiet: list[BuurtRate]
    busy: list[BuurtRate]
    without_residents: int


def buurt_rates(area: Area, period: Period) -> list[BuurtRate]:
    """Each buurt of the area with its listings posted and responses in the period: two grouped
    queries and the buurten themselves (a large gemeente has a few hundred)."""
    key = _cache_key(area, period)
    counted = cache.get(f"{key}:buurten") if key else None
    if counted is None:
        counted = _count_per_buurt(area, period)
        if key:
            cache.set(f"{key}:buurten", counted, timeout=CACHE_SECONDS)
    posted, responses = counted
    buurten = db.session.scalars(area.buurten().order_by(Buurt.name, Buurt.id)).all()
    return [BuurtRate(buurt, posted.get(buurt.id, 0), responses.get(buurt.id, 0))
            for buurt in buurten]


def _count_per_buurt(area: Area, period: Period) -> tuple[dict[int, int], dict[int, int]]:
    low, high = period.bounds()
    on_area = sa.and_(area.on_listing(), publicly_visible())
    posted = dict(db.session.execute(
        sa.select(Listing.buurt_id, sa.func.count(Listing.id))
        .where(on_area, Listing.published_at >= low, Listing.published_at < high)
        .group_by(Listing.buurt_id)).all())
    responses = dict(db.session.execute(
        sa.select(Listing.buurt_id, sa.func.count(Commitment.id))
        .join(Commitment, Commitment.listing_id == Listing.id)
        .where(on_area, Commitment.created_at >= low, Commitment.created_at < high)
        .group_by(Listing.buurt_id)).all())
    return posted, responses


def compare_buurten(rates: list[BuurtRate]) -> BuurtComparison:
    """Quiet: a buurt of at least MIN_RESIDENTS residents with less than half the area's
    activity per resident; busy: more than twice it (and at least five events). The quietest
    and busiest first."""
    counted = [rate for rate in rates if rate.buurt.residents is not None]
    residents = sum(rate.buurt.residents for rate in counted)  # 0 where CBS counts none
    overall = 1000 * sum(rate.activity for rate in counted) / residents if residents else None
    quiet, busy = [], []
    if overall is not None:
        sized = [rate for rate in counted if rate.buurt.residents >= MIN_RESIDENTS]
        quiet = sorted((rate for rate in sized if rate.per_thousand < overall / 2),
                       key=lambda rate: (rate.per_thousand, -rate.buurt.residents))[:FLAGGED]
        busy = sorted((rate for rate in sized
                       if overall and rate.per_thousand > 2 * overall and rate.activity >= 5),
                      key=lambda rate: -rate.per_thousand)[:FLAGGED]
    return BuurtComparison(rates, overall, quiet, busy, len(rates) - len(counted))


@dataclass
class PartRow:
    """One wijk (of a gemeente) or buurt (of a wijk) in the breakdown table."""

    name: str
    code: str
    residents: int | None
    posted: int
    responses: int


def breakdown(area: Area, rates: list[BuurtRate]) -> list[PartRow]:
    """Per wijk for a gemeente, per buurt otherwise; from the buurten's rates."""
    if not area.is_gemeente:
        return [PartRow(rate.buurt.name, rate.buurt.code, rate.buurt.residents, rate.posted,
                        rate.responses) for rate in rates]
    wijken: dict[int, PartRow] = {}
    for rate in rates:
        wijk = rate.buurt.wijk
        row = wijken.setdefault(wijk.id, PartRow(wijk.name, wijk.code, 0, 0, 0))
        row.posted += rate.posted
        row.responses += rate.responses
        if rate.buurt.residents is not None:
            row.residents += rate.buurt.residents
    return sorted(wijken.values(), key=lambda row: (row.name, row.code))
