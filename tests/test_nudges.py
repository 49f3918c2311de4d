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
def travel(app):
    start = clock.now()

    def to(days: float) -> None:
        app.config["CLOCK"] = lambda: start + timedelta(days=days)
    return to


def _nudged(user) -> int:
    return db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.kind == NotificationKind.NUDGE)) or 0


def test_a_quiet_listing_asks_its_owner_once_per_period(client, auth, travel, make_listing,
                                                        make_user):
    from marketplace.following.services import post_update

    quiet = make_listing(title="Stil plan")
    lively = make_listing(title="Druk plan")
    travel(30)
    post_update(lively.owner, lively, "We zijn begonnen!", None)
    db.session.commit()
    travel(43)
    assert nudge_quiet_listings() == 1
    assert _nudged(quiet.owner) == 1 and _nudged(lively.owner) == 0
    assert nudge_quiet_listings() == 0  # once per period
    auth.login(quiet.owner)
    page = client.get(f"/l/{quiet.id}").text
    assert "Dit is al een tijd stil. Is het nog actueel?" in page
    client.post(f"/l/{quiet.id}/loopt-nog")
    assert "Is het nog actueel?" not in client.get(f"/l/{quiet.id}").text
    travel(80)
    assert nudge_quiet_listings() == 1  # lively's news is 50 days old now; quiet was kept
    assert _nudged(lively.owner) == 1 and _nudged(quiet.owner) == 1
    travel(86)
    assert nudge_quiet_listings() == 1 and _nudged(quiet.owner) == 2


def test_a_response_is_a_sign_of_life_and_others_cannot_answer(client, auth, travel,
                                                               make_listing, make_user):
    from marketplace.commitments.services import respond

    offer = make_listing(ListingKind.OFFER, title="Ladder te leen")
    travel(20)
    respond(make_user(), offer.resources[0], 1)
    db.session.commit()
    travel(43)
    assert nudge_quiet_listings() == 0
    auth.login(make_user())
    assert client.post(f"/l/{offer.id}/loopt-nog").status_code == 403


def test_the_wijkwerker_sees_the_quiet_listings_of_their_area(client, auth, travel, make_listing,
                                                             make_user, gemeente):
    quiet = make_listing(title="Stil plan")
    here = make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=gemeente.wijken[:1])
    elsewhere = make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=gemeente.wijken[1:2])
    gemeente.nudge_after_days = 14
    db.session.commit()
    travel(10)
    auth.login(here)
    assert "Stil plan" not in client.get("/moderatie/stil").text
    auth.logout()
    travel(15)
    auth.login(here)
    assert "Stil plan" in client.get("/moderatie/stil").text
    auth.logout()
    auth.login(elsewhere)
    assert "Stil plan" not in client.get("/moderatie/stil").text
    assert quiet.buurt.wijk == gemeente.wijken[0]


def test_the_gemeentes_steps_are_not_the_owners_sign_of_life(travel, make_listing, make_user,
                                                            gemeente):
    from marketplace.accountability.models import GemeenteRole
    from marketplace.accountability.services import set_role

    quiet = make_listing(title="Stil plan")
    staff = make_user(Role.STAFF, gemeente=gemeente)
    travel(20)
    set_role(staff, quiet, GemeenteRole.FACILITATING, "De gemeente denkt graag mee hierover.",
             "Team Groen")
    db.session.commit()
    travel(43)
    assert nudge_quiet_listings() == 1
