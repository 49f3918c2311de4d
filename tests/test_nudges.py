"""Quiet listings: once per quiet period their owner is asked whether they still run; news, a
change, a response or "yes, it still runs" start the period again; the wijkwerker sees the quiet
ones of their area. Time is injected through the app's CLOCK setting."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace import clock
from marketplace.auth.models import Role
from marketplace.extensions import db
from marketplace.listings.models import ListingKind
from marketplace.notifications.models import Notification, NotificationKind
from marketplace.nudges.services import nudge_quiet_listings


@pytest.fixture
def days_later(app):
    start = clock.now()

    def to(days: float) -> None:
        app.config["CLOCK"] = lambda: start + timedelta(days=days)
    return to


def _sentence_of(user, kind=NotificationKind.NUDGE) -> str:
    from marketplace.notifications.texts import describe

    return describe(db.session.scalars(sa.select(Notification).where(
        Notification.user_id == user.id, Notification.kind == kind)).one(), "en")


def _nudged(user) -> int:
    return db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.kind == NotificationKind.NUDGE)) or 0


def test_a_quiet_listing_asks_its_owner_once_per_period(client, auth, days_later, make_listing,
                                                        make_user):
    from marketplace.following.services import post_update

    quiet = make_listing(title="Stil plan")
    lively = make_listing(title="Druk plan")
    days_later(30)
    post_update(lively.owner, lively, "We zijn begonnen!", None)
    db.session.commit()
    days_later(43)
    assert nudge_quiet_listings() == 1
    assert _nudged(quiet.owner) == 1 and _nudged(lively.owner) == 0
    assert nudge_quiet_listings() == 0  # once per period
    auth.login(quiet.owner)
    page = client.get(f"/l/{quiet.id}").text
    assert "Dit is al een tijd stil. Is het nog actueel?" in page
    client.post(f"/l/{quiet.id}/loopt-nog")
    assert "Is het nog actueel?" not in client.get(f"/l/{quiet.id}").text
    days_later(80)
    assert nudge_quiet_listings() == 1  # lively's news is 50 days old now; quiet was kept
    assert _nudged(lively.owner) == 1 and _nudged(quiet.owner) == 1
    days_later(86)
    assert nudge_quiet_listings() == 1 and _nudged(quiet.owner) == 2


def test_a_response_is_a_sign_of_life_and_others_cannot_answer(client, auth, days_later,
                                                               make_listing, make_user):
    from marketplace.commitments.services import respond

    offer = make_listing(ListingKind.OFFER, title="Ladder te leen")
    days_later(20)
    respond(make_user(), offer.resources[0], 1)
    db.session.commit()
    days_later(40)
    assert nudge_quiet_listings() == 0  # the response was 20 days ago
    days_later(42)
    assert nudge_quiet_listings() == 1  # an offer nobody answered for 21 days: its own period
    assert "Nobody has responded to" in _sentence_of(offer.owner)
    auth.login(make_user())
    assert client.post(f"/l/{offer.id}/loopt-nog").status_code == 403


def test_the_wijkwerker_sees_the_quiet_listings_of_their_area(client, auth, days_later, make_listing,
                                                             make_user, gemeente):
    quiet = make_listing(title="Stil plan")
    here = make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=gemeente.wijken[:1])
    elsewhere = make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=gemeente.wijken[1:2])
    gemeente.nudge_after_days = 14
    db.session.commit()
    days_later(10)
    auth.login(here)
    assert "Stil plan" not in client.get("/moderatie/stil").text
    auth.logout()
    days_later(15)
    auth.login(here)
    assert "Stil plan" in client.get("/moderatie/stil").text
    auth.logout()
    auth.login(elsewhere)
    assert "Stil plan" not in client.get("/moderatie/stil").text
    assert quiet.buurt.wijk == gemeente.wijken[0]


def test_the_gemeentes_steps_are_not_the_owners_sign_of_life(days_later, make_listing, make_user,
                                                            gemeente):
    from marketplace.accountability.models import GemeenteRole
    from marketplace.accountability.services import set_role

    quiet = make_listing(title="Stil plan")
    staff = make_user(Role.STAFF, gemeente=gemeente)
    days_later(20)
    set_role(staff, quiet, GemeenteRole.FACILITATING, "De gemeente denkt graag mee hierover.",
             "Team Groen")
    db.session.commit()
    days_later(43)
    assert nudge_quiet_listings() == 1


def test_each_signal_has_the_gemeentes_own_period(days_later, make_listing, gemeente):
    initiative = make_listing(title="Stil plan")
    offer = make_listing(ListingKind.OFFER, title="Ladder te leen")
    gemeente.nudge_after_days, gemeente.nudge_unanswered_after_days = 30, 10
    db.session.commit()
    days_later(11)
    assert nudge_quiet_listings() == 1 and _nudged(offer.owner) == 1
    days_later(31)
    assert nudge_quiet_listings() == 2  # the initiative's first, the offer's second period
    assert _nudged(initiative.owner) == 1 and _nudged(offer.owner) == 2


def _today():
    return clock.local_date(clock.now())


def _need(description: str, days_ahead: int | None, quantity: int = 2):
    from marketplace.listings.models import ResourceKind
    from marketplace.listings.services import ResourceData

    return ResourceData(ResourceKind.MATERIALS, description, quantity, "stuks",
                        needed_by=None if days_ahead is None else _today() + timedelta(days_ahead))


def _due_told(user) -> int:
    return db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.kind == NotificationKind.NEED_DUE)) or 0


def test_an_open_need_close_to_its_date_tells_its_owner_once_per_date(client, auth, days_later,
                                                                       make_listing, make_user):
    from marketplace.commitments.services import respond
    from marketplace.listings.services import ListingData, update_listing
    from marketplace.nudges.services import nudge_needs_due

    plan = make_listing(title="Buurtfeest", resources=[
        _need("Tafels", 10), _need("Stoelen", 10, quantity=1), _need("Vlaggetjes", None)])
    tables, chairs, _flags = plan.resources
    respond(make_user(), chairs, 1)  # chairs covered: nothing to say about them
    db.session.commit()
    days_later(2)
    assert nudge_needs_due() == 0  # eight days ahead; the gemeente warns seven days before
    days_later(3)
    assert nudge_needs_due() == 1 and nudge_needs_due() == 0
    assert _due_told(plan.owner) == 1
    assert "“Tafels” for “Buurtfeest” is still open" in _sentence_of(plan.owner,
                                                                     NotificationKind.NEED_DUE)
    auth.login(plan.owner)
    page = client.get(f"/l/{plan.id}").text
    assert 'id="needs-due"' in page and "Nodig vóór" in page and "Verander de datum" in page
    auth.logout()
    auth.login(make_user())
    assert 'id="needs-due"' not in client.get(f"/l/{plan.id}").text  # only for who runs it
    auth.logout()

    # A new date asks again when it comes near.
    data = ListingData(title=plan.title, description=plan.description, category=plan.category,
                       lat=plan.lat, lon=plan.lon, resources=[
                           _need("Tafels", 20), _need("Stoelen", 10, quantity=1),
                           _need("Vlaggetjes", None)])
    for wanted, existing in zip(data.resources, plan.resources, strict=True):
        wanted.id = existing.id
    data.resources[1].needed_by = chairs.needed_by
    update_listing(plan, data)
    db.session.commit()
    assert tables.due_nudged_at is None
    assert nudge_needs_due() == 0
    days_later(17)
    assert nudge_needs_due() == 1 and _due_told(plan.owner) == 2


def test_a_needed_by_day_lies_ahead_and_offers_have_none(client, auth, make_user, make_listing):
    import pytest

    from marketplace.listings.services import ListingRefused

    with pytest.raises(ListingRefused):
        make_listing(title="Buurtfeest", resources=[_need("Tafels", -1)])
    offer = make_listing(ListingKind.OFFER, title="Ladder te leen", resources=[_need("Ladder", 3)])
    assert offer.resources[0].needed_by is None

    auth.login(make_user())
    from tests.test_listings_routes import _form
    yesterday = (_today() - timedelta(days=1)).isoformat()
    response = client.post("/nieuw/initiatief", data=_form(**{"resources-0-needed_by": yesterday}))
    assert response.status_code == 200
    assert "kies een dag van vandaag tot twee jaar vooruit" in response.text
    assert 'value="Moestuin op het Kerkplein"' in response.text  # nothing typed is lost
    response = client.post("/nieuw/initiatief", data=_form(**{"resources-0-needed_by": "morgen"}))
    assert response.status_code == 200 and "Ongeldige datum" in response.text
    soon = (_today() + timedelta(days=3)).isoformat()
    response = client.post("/nieuw/initiatief", data=_form(**{"resources-0-needed_by": soon}),
                           follow_redirects=True)
    assert "Nodig vóór" in response.text


def test_the_wijkwerker_sees_open_needs_close_to_their_date(client, auth, days_later, make_listing,
                                                             make_user, gemeente):
    make_listing(title="Buurtfeest", resources=[_need("Tafels", 5)])
    make_listing(title="Later feest", resources=[_need("Stoelen", 30)])
    here = make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=gemeente.wijken[:1])
    elsewhere = make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=gemeente.wijken[1:2])
    auth.login(here)
    page = client.get("/moderatie/stil").text
    assert "Tafels" in page and "Stoelen" not in page
    auth.logout()
    auth.login(elsewhere)
    assert "Tafels" not in client.get("/moderatie/stil").text


def test_the_one_tap_block_is_for_open_listings_and_dates_to_come(client, auth, days_later,
                                                                 make_listing):
    from marketplace.listings.models import ListingStatus
    from marketplace.listings.services import change_status

    plan = make_listing(title="Buurtfeest", resources=[_need("Tafels", 3)])
    auth.login(plan.owner)
    assert 'id="needs-due"' in client.get(f"/l/{plan.id}").text
    days_later(4)  # the day has passed: the page no longer says it is near
    assert 'id="needs-due"' not in client.get(f"/l/{plan.id}").text
    days_later(0)
    change_status(plan.owner, plan, ListingStatus.STOPPED)
    db.session.commit()
    assert 'id="needs-due"' not in client.get(f"/l/{plan.id}").text


def test_a_date_set_inside_the_warning_period_is_not_mailed_about(days_later, make_listing):
    from marketplace.nudges.services import nudge_needs_due

    make_listing(title="Buurtfeest", resources=[_need("Tafels", 3)])
    assert nudge_needs_due() == 0
