"""The dashboard's figures against answers worked out by hand on fixed data: totals of a period
and of the one before, the series per day, week and month, quiet and busy buurten per resident,
the charts' geometry; and who may see which area."""

from datetime import date

import pytest
import sqlalchemy as sa

from marketplace.auth.models import Role
from marketplace.commitments.services import respond
from marketplace.extensions import db
from marketplace.geo.models import Buurt
from marketplace.insight import charts, trends
from marketplace.listings.models import ListingKind, ListingStatus
from marketplace.listings.services import change_status
from tests.conftest import at

# Two buurten of the demo gemeente: where the listing fixture's spot lies, and another.
HERE = (52.495, 3.69)
THERE = (52.48, 3.74)


@pytest.fixture
def activity(travel, make_listing, make_user, gemeente):
    """June 2026: three listings here on 10 June, one there on 12 June, three responses on
    12 June by two people, one listing realised on 14 June. May: one listing here, one
    response."""
    helper, other = make_user(), make_user()
    travel(at(2026, 5, 20))
    old = make_listing(ListingKind.REQUEST, title="Oude vraag", lat=HERE[0], lon=HERE[1])
    travel(at(2026, 5, 25))
    respond(helper, old.resources[0], 1)
    db.session.commit()
    travel(at(2026, 6, 10))
    garden = make_listing(title="Moestuin", lat=HERE[0], lon=HERE[1])
    party = make_listing(title="Straatfeest", lat=HERE[0], lon=HERE[1])
    offer = make_listing(ListingKind.OFFER, title="Ladder", lat=HERE[0], lon=HERE[1])
    travel(at(2026, 6, 12))
    there = make_listing(title="Bankje", lat=THERE[0], lon=THERE[1])
    respond(helper, garden.resources[0], 1)
    respond(other, garden.resources[0], 1)
    respond(helper, offer.resources[0], 1)
    db.session.commit()
    travel(at(2026, 6, 14))
    change_status(party.owner, party, ListingStatus.RUNNING)
    change_status(party.owner, party, ListingStatus.REALISED)
    db.session.commit()
    travel(at(2026, 6, 15, 12))
    return {"garden": garden, "there": there, "old": old}


def test_totals_of_a_period_and_the_one_before(activity, gemeente):
    period = trends.Period(date(2026, 6, 1), date(2026, 6, 15))
    assert period.previous() == trends.Period(date(2026, 5, 17), date(2026, 5, 31))
    trend = trends.trend(trends.Area(gemeente), period)
    assert trend.current.totals == {"posted": 4, "responses": 3, "realised": 1, "pledged": 0,
                                    "delivered": 0, "helpers": 2}
    assert trend.previous.totals == {"posted": 1, "responses": 1, "realised": 0, "pledged": 0,
                                     "delivered": 0, "helpers": 1}
    assert trend.change("posted") == 3
    assert trend.current.posted_by_kind == {ListingKind.INITIATIVE: 3, ListingKind.OFFER: 1}
    assert trend.step == "day" and len(trend.buckets) == 15
    by_day = {bucket.start: bucket.values for bucket in trend.buckets}
    assert by_day[date(2026, 6, 10)]["posted"] == 3
    assert by_day[date(2026, 6, 12)] == {"posted": 1, "responses": 3, "realised": 0,
                                          "pledged": 0, "delivered": 0}
    assert by_day[date(2026, 6, 14)]["realised"] == 1

    buurt = activity["garden"].buurt
    in_buurt = trends.trend(trends.Area(gemeente, buurt=buurt), period)
    assert in_buurt.current.totals["posted"] == 3 and in_buurt.current.totals["responses"] == 3
    assert activity["there"].buurt.wijk != buurt.wijk  # the spots lie in two wijken
    in_wijk = trends.trend(trends.Area(gemeente, wijk=activity["there"].buurt.wijk), period)
    assert in_wijk.current.totals["posted"] == 1


def test_periods_are_cut_into_weeks_months_and_years():
    step, weeks = trends.bucket_days(trends.Period(date(2026, 6, 3), date(2026, 7, 20)))
    assert step == "week"
    assert (weeks[0].start, weeks[0].end) == (date(2026, 6, 3), date(2026, 6, 7))  # to Sunday
    assert (weeks[1].start, weeks[1].end) == (date(2026, 6, 8), date(2026, 6, 14))
    assert (weeks[-1].start, weeks[-1].end) == (date(2026, 7, 20), date(2026, 7, 20))
    step, months = trends.bucket_days(trends.Period(date(2025, 12, 15), date(2026, 11, 30)))
    assert step == "month" and len(months) == 12
    assert (months[0].start, months[0].end) == (date(2025, 12, 15), date(2025, 12, 31))
    assert months[1].start == date(2026, 1, 1)
    step, years = trends.bucket_days(trends.Period(date(2020, 3, 1), date(2026, 11, 30)))
    assert step == "year" and [bucket.start.year for bucket in years] == list(range(2020, 2027))


def test_quiet_and_busy_buurten_weigh_activity_by_residents(gemeente):
    buurten = db.session.scalars(sa.select(Buurt).order_by(Buurt.code)).all()[:4]
    for buurt, residents in zip(buurten, (1000, 2000, 1000, 200), strict=True):
        buurt.residents = residents
    rates = [trends.BuurtRate(buurten[0], posted=10, responses=10),  # 20 per 1,000
             trends.BuurtRate(buurten[1], posted=1, responses=1),  # 1 per 1,000: quiet
             trends.BuurtRate(buurten[2], posted=2, responses=2),  # 4 per 1,000
             trends.BuurtRate(buurten[3], posted=0, responses=0)]  # too small to say
    comparison = trends.compare_buurten(rates)
    # (20 + 2 + 4 + 0) events for 4,200 residents: 6.19 per 1,000.
    assert comparison.area_per_thousand == pytest.approx(26 * 1000 / 4200)
    assert [rate.buurt for rate in comparison.quiet] == [buurten[1]]
    assert [rate.buurt for rate in comparison.busy] == [buurten[0]]
    db.session.rollback()


def test_a_chart_is_drawn_to_a_round_scale():
    chart = charts.bar_chart("c", "Plaatsingen", "Per dag", ["1", "2", "3"], [0, 7, 3])
    assert charts.nice_top(7) == 10 and charts.nice_top(120) == 200 and charts.nice_top(0) == 1
    assert [bar.value for bar in chart.bars] == [0, 7, 3]
    plot = charts.HEIGHT - charts.BOTTOM - charts.TOP
    assert chart.bars[1].height == pytest.approx(plot * 0.7)
    assert chart.bars[0].height == 0 and chart.bars[1].y < chart.bars[2].y
    assert [tick.value for tick in chart.ticks] == [0, 5, 10]


def test_the_dashboard_shows_the_figures_and_the_same_numbers_as_a_table(
        client, auth, activity, make_user, gemeente):
    auth.login(make_user(Role.STAFF, gemeente=gemeente))
    page = client.get(f"/gemeente/{gemeente.code}/dashboard?van=2026-06-01&tot=2026-06-15")
    assert page.status_code == 200
    html = page.text
    assert html.count("<svg") == 5 and 'role="img"' in html and "<desc id=" in html
    assert "Dezelfde getallen als tabel" in html
    assert len(page.data) < 100_000


def test_a_wijkwerker_sees_their_own_area_only(client, auth, make_user, gemeente):
    wijk, other = gemeente.wijken[0], gemeente.wijken[1]
    wijkwerker = make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=[wijk])
    auth.login(wijkwerker)
    page = client.get(f"/gemeente/{gemeente.code}/dashboard")
    assert page.status_code == 200 and "Mijn gebied" in page.text
    assert client.get(f"/gemeente/{gemeente.code}/dashboard?gebied={wijk.code}").status_code == 200
    assert client.get(f"/gemeente/{gemeente.code}/dashboard?gebied={other.code}").status_code == 403
    assert client.get(f"/gemeente/{gemeente.code}/dashboard?gebied=").status_code == 403
    assert client.get(f"/gemeente/{gemeente.code}/dashboard?gebied=WK0000").status_code == 404


def test_the_report_and_the_open_data_carry_no_personal_data(client, activity, gemeente):
    wijk = activity["garden"].buurt.wijk
    report = client.get(f"/gemeente/{gemeente.code}/wijk/{wijk.code}/rapport"
                        "?van=2026-06-01&tot=2026-06-15")
    assert report.status_code == 200 and "Moestuin" in report.text
    data = client.get(f"/api/v1/gemeenten/{gemeente.code}/trends"
                      f"?wijk={wijk.code}&van=2026-06-01&tot=2026-06-15").json
    assert data["totals"]["responses"] == 3 and data["licence"]["name"] == "CC0 1.0"
    text = str(data) + client.get(f"/api/v1/gemeenten/{gemeente.code}/trends/buurten.csv").text
    for owner in (activity["garden"].owner, activity["old"].owner):
        assert owner.display_name not in text and owner.email not in text
    csv = client.get(f"/api/v1/gemeenten/{gemeente.code}/trends.csv"
                     "?van=2026-06-01&tot=2026-06-15").text.splitlines()
    assert csv[0] == "from,until,posted,responses,realised,pledged,delivered"
    assert "2026-06-12,2026-06-12,1,3,0,0,0" in csv
    problem = client.get(f"/api/v1/gemeenten/{gemeente.code}/trends?van=gisteren")
    assert problem.status_code == 400 and problem.mimetype == "application/problem+json"
    assert client.get(f"/api/v1/gemeenten/{gemeente.code}/trends?wijk=WK0").status_code == 404


def test_public_listings_download_as_csv_and_geojson_without_personal_data(
        client, make_listing, make_user, gemeente):
    owner = make_user(display_name="Zwaantje Vermeulen")
    public = make_listing(owner=owner, title="=Moestuin", description="Bel 06-12345678")
    hidden = make_listing(owner=owner, title="Verborgen plan")
    hidden.hidden_at = hidden.created_at
    make_listing(owner=owner, title="Schets", publish=False)
    db.session.commit()
    response = client.get(f"/api/v1/listings.csv?gemeente={gemeente.code}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'rel="license"' in response.headers["Link"]
    text = response.get_data(as_text=True)
    lines = text.splitlines()
    assert lines[0].startswith("id,kind,status,title,category,buurt")
    assert len(lines) == 2 and lines[1].startswith(f"{public.id},initiative,open,'=Moestuin")
    for secret in ("Zwaantje", owner.email, "06-12345678", "Verborgen", "Schets",
                   f"{public.lat},{public.lon}"):  # the exact spot: only the blurred point
        assert secret not in text
    assert public.public_lat != public.lat
    geojson = client.get("/api/v1/listings.geojson?kind=initiative").get_json()
    assert [feature["id"] for feature in geojson["features"]] == [public.id]
    assert client.get("/api/v1/listings.csv?gemeente=GM0000").get_data(as_text=True) \
        .count("\n") == 1  # a gemeente nobody has: only the header
    problem = client.get("/api/v1/listings.csv?gemeente=Utrecht")
    assert problem.status_code == 400 and problem.mimetype == "application/problem+json"


def test_late_evening_counts_on_its_own_dutch_day_across_a_clock_change(travel, make_listing,
                                                                       gemeente):
    """23:30 on 10 March is winter time (22:30 UTC); the period ends in summer time. The
    listing counts on 10 March, and one at 00:30 on 1 July (22:30 UTC on 30 June) on 1 July."""
    from datetime import UTC, datetime

    travel(datetime(2026, 3, 10, 22, 30, tzinfo=UTC))
    make_listing(title="Avondplan")
    travel(datetime(2026, 6, 30, 22, 30, tzinfo=UTC))
    make_listing(title="Nachtplan")
    travel(at(2026, 7, 2))
    trend = trends.trend(trends.Area(gemeente), trends.Period(date(2026, 3, 1),
                                                              date(2026, 7, 1)))
    step, buckets = trend.step, trend.buckets
    assert step == "week"
    counted = {bucket.start: bucket.values["posted"] for bucket in buckets
               if bucket.values["posted"]}
    assert counted == {date(2026, 3, 9): 1, date(2026, 6, 29): 1}
    daily = trends.trend(trends.Area(gemeente), trends.Period(date(2026, 6, 20),
                                                              date(2026, 7, 1)))
    assert {b.start for b in daily.buckets if b.values["posted"]} == {date(2026, 7, 1)}
    march = trends.trend(trends.Area(gemeente), trends.Period(date(2026, 3, 1),
                                                              date(2026, 3, 31)))
    assert {b.start for b in march.buckets if b.values["posted"]} == {date(2026, 3, 10)}
