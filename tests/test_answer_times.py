"""Answer times in working days, the staff desk, reminders, and the public figures, checked
against values worked out by hand. Time is injected through the app's CLOCK setting."""

from datetime import date

import pytest

from marketplace.accountability import answers, services
from marketplace.accountability.models import GemeenteRole, PledgeKind
from marketplace.accountability.workdays import add_working_days, working_days_between
from marketplace.auth.models import Role
from marketplace.extensions import db
from marketplace.notifications.models import Notification, NotificationKind
from tests.conftest import at

EXPLANATION = "De gemeente denkt mee en helpt met de vergunning."


@pytest.fixture
def staff(make_user, gemeente):
    return make_user(Role.STAFF, gemeente=gemeente)


def test_working_days_skip_weekends_and_dutch_holidays():
    assert add_working_days(date(2026, 11, 2), 5) == date(2026, 11, 9)  # Mon + 5 = next Mon
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 28)  # over Christmas
    assert add_working_days(date(2026, 4, 24), 2) == date(2026, 4, 29)  # weekend, King's Day
    assert working_days_between(date(2026, 11, 2), date(2026, 11, 16)) == 10
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 28)) == 1
    assert working_days_between(date(2026, 11, 6), date(2026, 11, 6)) == 0


def test_public_figures_match_hand_computed_values(travel, staff, make_listing, make_user, gemeente):
    owner = make_user()

    def publish(title, moment):
        travel(moment)
        return make_listing(owner=owner, title=title)

    def role(listing, kind, moment):
        travel(moment)
        services.set_role(staff, listing, kind, EXPLANATION, "Team Groen")
        db.session.commit()

    a = publish("A", at(2026, 11, 2))
    b = publish("B", at(2026, 11, 2))
    d = publish("D", at(2026, 11, 6))
    role(a, GemeenteRole.FACILITATING, at(2026, 11, 4))   # 2 working days: on time
    role(b, GemeenteRole.FACILITATING, at(2026, 11, 16))  # 10 working days: late (due 9 Nov)
    role(a, GemeenteRole.PARTICIPATING, at(2026, 11, 20))  # later answers do not move the clock

    travel(at(2026, 11, 16))
    on_time = services.make_pledge(staff, a, kind=PledgeKind.BUDGET, amount=500, description="Zaden",
                                   department="Groen", due_on=date(2026, 11, 20))
    late = services.make_pledge(staff, a, kind=PledgeKind.STAFF_HOURS, amount=10,
                                description="Hulp", department="Wijkbeheer",
                                due_on=date(2026, 11, 20))
    overdue = services.make_pledge(staff, b, kind=PledgeKind.SPACE, amount=None,
                                   description="Zaal", department="Vastgoed",
                                   due_on=date(2026, 12, 1))
    services.make_pledge(staff, b, kind=PledgeKind.PUBLICITY, amount=None, description="Flyers",
                         department="Communicatie", due_on=date(2027, 1, 15))
    withdrawn = services.make_pledge(staff, d, kind=PledgeKind.MATERIALS, amount=None,
                                     description="Hout", department="Groen",
                                     due_on=date(2026, 12, 1))
    services.close_pledge(staff, withdrawn, d, delivered=False, note="Geen hout meer")
    travel(at(2026, 11, 18))
    services.close_pledge(staff, on_time, a, delivered=True, note="Overgemaakt")
    travel(at(2026, 11, 25))
    services.close_pledge(staff, late, a, delivered=True, note="Twee dagen geholpen")
    db.session.commit()
    assert overdue.status.value == "pledged"

    c = publish("C", at(2026, 12, 24))
    role(c, GemeenteRole.LETTING_GO, at(2026, 12, 28))  # 1 working day over Christmas: on time
    publish("E", at(2026, 12, 29))  # not answered, not yet due on 30 December

    travel(at(2026, 12, 30))
    figures = answers.figures(gemeente, date(2026, 11, 1), date(2026, 12, 31))
    assert figures.published == 5 and figures.answered == 3
    # Answered in 1 (C), 2 (A) and 10 (B) working days; still waiting: E for 1 working day, D
    # for 37 (7 November to 30 December, less Christmas). Kaplan–Meier: on day 1, 1 of 5 are
    # answered (E leaves after day 1): 0.2; day 2, 1 of 3: 1 - 0.8 × 2/3 = 0.47; day 10, 1 of
    # 2: 1 - 0.53 × 1/2 = 0.73. Half are answered within 10 working days, not 2.
    assert figures.answered_median_days == 2
    assert figures.median_days == 10
    assert figures.p90_days is None and figures.longest_wait_days == 37  # D waits still
    assert figures.waiting == 2 and figures.oldest_wait_days == 37
    assert figures.waiting_overdue == 1  # D, due 13 November
    assert figures.within_target_share == 0.5  # A and C on time of A, B, C and D
    assert figures.pledges == {"on_time": 1, "late": 1, "open_overdue": 1, "open": 1,
                               "withdrawn": 1, "contested": 0, "confirmed": 0}
    assert figures.pledged_amounts == {PledgeKind.BUDGET: 500, PledgeKind.STAFF_HOURS: 10}
    assert figures.roles == {GemeenteRole.PARTICIPATING: 1, GemeenteRole.FACILITATING: 1,
                             GemeenteRole.LETTING_GO: 1}
    buurt_figures = answers.figures(gemeente, date(2026, 11, 1), date(2026, 12, 31),
                                    buurt=a.buurt)
    assert buurt_figures.published == 5  # all made in the same buurt by make_listing

    page = answers.figures(gemeente, date(2026, 12, 1), date(2026, 12, 31))
    assert page.published == 2 and page.answered == 1


def test_desk_lists_waiting_oldest_first_and_reminds_once(travel, staff, make_listing,
                                                          make_user, gemeente, runner):
    travel(at(2026, 11, 2))
    old = make_listing(title="Oud")
    travel(at(2026, 11, 12))
    new = make_listing(title="Nieuw")
    travel(at(2026, 11, 13))
    rows = answers.waiting_initiatives(gemeente)
    assert [(r.listing.title, r.overdue) for r in rows] == [("Oud", True), ("Nieuw", False)]
    assert rows[0].due_on == date(2026, 11, 9)
    result = runner.invoke(args=["send-reminders"])
    assert "1 reminder(s) sent" in result.output
    assert runner.invoke(args=["send-reminders"]).output.startswith("0 reminder(s)")
    told = db.session.scalars(db.select(Notification).where(
        Notification.kind == NotificationKind.REMINDER)).all()
    assert [(n.user_id, n.listing_id) for n in told] == [(staff.id, old.id)]
    assert new.answer_reminder_sent_at is None


def test_staff_message_counts_as_the_first_answer(client, auth, travel, staff, make_listing):
    travel(at(2026, 11, 2))
    listing = make_listing(title="Moestuin")
    travel(at(2026, 11, 3, 15))
    auth.login(staff)
    client.post(f"/l/{listing.id}/gemeente/antwoord", data={"body": "We bellen u morgen."})
    db.session.refresh(listing)
    assert listing.first_answer_at == at(2026, 11, 3, 15)
    assert "We bellen u morgen." in client.get(f"/l/{listing.id}").text


def test_desk_and_public_pages(client, auth, travel, staff, make_listing, gemeente):
    travel(at(2026, 11, 2))
    make_listing(title="Wachtend plan")
    travel(at(2026, 11, 20))
    auth.login(staff)
    page = client.get("/gemeente/balie").text
    assert "Wachtend plan" in page and "te laat sinds" in page
    auth.logout()
    page = client.get(f"/gemeente/{gemeente.code}/verantwoording?van=2026-11-01&tot=2026-11-30")
    assert page.status_code == 200 and "Nog aan het wachten, over de termijn" in page.text
    assert client.get(f"/gemeente/{gemeente.code}/verantwoording?van=onzin").status_code == 200
    assert client.get("/gemeente/GM0000/verantwoording").status_code == 404


def test_a_week_later_the_undelivered_pledge_is_overdue_everywhere(client, auth, travel, staff,
                                                                    make_listing, gemeente):
    travel(at(2026, 11, 2))
    listing = make_listing(title="Moestuin")
    services.set_role(staff, listing, GemeenteRole.FACILITATING, EXPLANATION, "Team Groen")
    services.make_pledge(staff, listing, kind=PledgeKind.BUDGET, amount=500,
                         description="Zaden en compost", department="Groen",
                         due_on=date(2026, 11, 9))
    db.session.commit()
    travel(at(2026, 11, 10))
    auth.login(staff)
    desk = client.get("/gemeente/balie").text
    assert "Zaden en compost" in desk and "te laat sinds 10 nov 2026" in desk  # due on the 9th
    assert ">Moestuin</a>: " in desk  # each pledge names its initiative
    auth.logout()
    assert "te laat" in client.get(f"/l/{listing.id}").text
    public = client.get(f"/gemeente/{gemeente.code}/verantwoording?van=2026-11-01&tot=2026-11-30")
    assert "<dt>Open en te laat</dt><dd>1</dd>" in public.text
    assert "€ 500" in public.text


def test_the_answer_clock_is_in_sight_of_initiator_and_public(client, auth, travel, staff,
                                                              make_listing, make_user):
    owner = make_user()
    travel(at(2026, 11, 2))  # a Monday; the target is 5 working days: due Monday 9 November
    listing = make_listing(owner=owner, title="Zitbank")
    travel(at(2026, 11, 5))
    assert "De gemeente antwoordt uiterlijk op 9 november 2026." in client.get(
        f"/l/{listing.id}").text
    travel(at(2026, 11, 20))
    late = "Het antwoord van de gemeente is te laat sinds 10 november 2026."
    assert late in client.get(f"/l/{listing.id}").text
    auth.login(owner)
    assert late in client.get("/mijn-pagina").text
    travel(at(2026, 11, 23))
    services.set_role(staff, listing, GemeenteRole.FACILITATING, EXPLANATION, "Team Groen")
    db.session.commit()
    page = client.get(f"/l/{listing.id}").text
    assert "De gemeente antwoordde op 23 november 2026, na 15 werkdagen." in page
    assert "Dat was later dan beloofd" in page


def test_the_public_ledger_and_the_map_filter_show_what_waits(client, travel, staff,
                                                              make_listing, gemeente):
    travel(at(2026, 11, 2))  # due 9 November
    make_listing(title="Wacht al lang")
    answered = make_listing(title="Beantwoord")
    services.set_role(staff, answered, GemeenteRole.FACILITATING, EXPLANATION, "Team Groen")
    pledged = make_listing(title="Met toezegging")
    services.set_role(staff, pledged, GemeenteRole.FACILITATING, EXPLANATION, "Team Groen")
    services.make_pledge(staff, pledged, kind=PledgeKind.SPACE, amount=None,
                         description="Een zaal", department="Vastgoed",
                         due_on=date(2026, 11, 12))
    db.session.commit()
    travel(at(2026, 11, 9, 15))  # the due day itself: nothing is late yet
    page = client.get(f"/gemeente/{gemeente.code}/wacht-op-de-gemeente").text
    assert "Wacht al lang" not in page and "Een zaal" not in page
    travel(at(2026, 11, 13))
    page = client.get(f"/gemeente/{gemeente.code}/wacht-op-de-gemeente").text
    assert "Wacht al lang" in page and "te laat sinds 10 nov 2026" in page
    assert "Een zaal" in page and "te laat sinds 13 nov 2026" in page
    assert "Beantwoord" not in page
    listed = client.get("/kaart?wacht=1").text
    assert "Wacht al lang" in listed and "Met toezegging" in listed
    assert "Beantwoord" not in listed
    api = client.get("/api/v1/listings?wacht=1").get_json()
    assert sorted(feature["properties"]["title"] for feature in api["features"]) == [
        "Met toezegging", "Wacht al lang"]
    assert client.get("/api/v1/listings?wacht=ja").status_code == 400


def test_the_figures_are_open_data_in_json_and_csv(client, travel, staff, make_listing,
                                                   make_user, gemeente):
    owner = make_user(display_name="Geheime Naam")
    travel(at(2026, 11, 2))
    answered = make_listing(owner=owner, title="A")
    make_listing(owner=owner, title="B")
    travel(at(2026, 11, 4))
    services.set_role(staff, answered, GemeenteRole.FACILITATING, EXPLANATION, "Team Groen")
    db.session.commit()
    travel(at(2026, 11, 20))
    url = f"/api/v1/gemeenten/{gemeente.code}/cijfers?van=2026-11-01&tot=2026-11-30"
    body = client.get(url).get_json()
    expected = answers.figures(gemeente, date(2026, 11, 1), date(2026, 11, 30))
    assert body["initiatives"]["published"] == expected.published == 2
    assert body["initiatives"]["half_answered_within_working_days"] == expected.median_days
    assert body["initiatives"]["still_waiting"] == 1
    assert body["roles"] == {"facilitating": 1} and body["licence"]["name"] == "CC0 1.0"
    csv_text = client.get(url.replace("/cijfers?", "/cijfers.csv?")).text
    assert "initiatives.published,2" in csv_text.splitlines()
    for text in (str(body), csv_text):
        assert "Geheime Naam" not in text and staff.display_name not in text
    assert client.get(f"/api/v1/gemeenten/{gemeente.code}/cijfers?van=gisteren").status_code == 400
    assert client.get("/api/v1/gemeenten/GM0000/cijfers").status_code == 404
    nothing = client.get(url + "&buurt=BU00000000").get_json()
    assert nothing["initiatives"]["published"] == 0


def test_an_initiative_that_ended_unanswered_stops_waiting(client, travel, staff, make_listing,
                                                           gemeente):
    from marketplace.listings.models import ListingStatus
    from marketplace.listings.services import change_status

    travel(at(2026, 11, 2))
    stopped = make_listing(title="Gestopt plan")
    travel(at(2026, 11, 3))
    change_status(stopped.owner, stopped, ListingStatus.STOPPED)
    db.session.commit()
    travel(at(2026, 12, 30))
    assert answers.answer_clock(stopped).working_days == 1  # waited one day, then ended
    assert answers.answer_clock(stopped).late_since is None
    page = client.get(f"/gemeente/{gemeente.code}/wacht-op-de-gemeente").text
    assert "Gestopt plan" not in page
    figures = answers.figures(gemeente, date(2026, 11, 1), date(2026, 12, 31))
    assert figures.waiting == 0 and figures.waiting_overdue == 0
    assert figures.longest_wait_days == 1


def test_working_days_are_counted_as_a_walk_through_the_calendar_would():
    """The counting shortcut (weeks, then weekday holidays) against a day-by-day walk."""
    import random
    from datetime import timedelta

    from marketplace.accountability import workdays

    def walked(start, end):
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += workdays.is_working_day(day)
        return count

    rng = random.Random(16)
    for _ in range(2000):
        start = date(2000, 1, 1) + timedelta(days=rng.randint(0, 10_000))
        end = start + timedelta(days=rng.randint(-10, 800))
        assert workdays.working_days_between(start, end) == walked(start, end)
    # Around Easter and King's Day 2026: Monday 6 April and Monday 27 April are holidays.
    assert workdays.working_days_between(date(2026, 4, 3), date(2026, 4, 10)) == 4
