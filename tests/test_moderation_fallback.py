"""A first listing in a buurt without a wijkwerker still reaches someone who can approve it: the
gemeente's other wijkwerkers, or else the admins; the author reads who, and how long it takes."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace import clock
from marketplace.auth.models import Role
from marketplace.auth.queries import ReviewerKind, reviewers_for
from marketplace.extensions import db
from marketplace.geo.models import Buurt, Wijk
from marketplace.listings.models import ListingStatus
from marketplace.moderation.models import CaseCause, CaseOutcome, ModerationCase
from marketplace.notifications.models import Notification, NotificationKind
from marketplace.policy import can


@pytest.fixture
def premoderated(gemeente):
    gemeente.premoderation_count = 1
    db.session.commit()
    return gemeente


def _queued_for(user) -> int:
    return len(db.session.scalars(sa.select(Notification).where(
        Notification.user_id == user.id, Notification.kind == NotificationKind.QUEUE)).all())


def _buurt(code: str) -> Buurt:
    return db.session.scalar(sa.select(Buurt).where(Buurt.code == code))


def test_the_buurts_own_wijkwerker_comes_first(premoderated, make_user):
    centrum = premoderated.wijken[0]
    own = make_user(Role.WIJKWERKER, gemeente=premoderated, wijken=[centrum])
    make_user(Role.WIJKWERKER, gemeente=premoderated, wijken=[premoderated.wijken[1]])
    reviewers = reviewers_for(centrum.buurten[0])
    assert reviewers.kind is ReviewerKind.WIJKWERKER and reviewers.people == [own]


def test_a_buurt_without_wijkwerker_goes_to_the_gemeentes_wijkwerkers(
        client, auth, premoderated, make_user, make_listing):
    oost = premoderated.wijken[1]
    elsewhere = make_user(Role.WIJKWERKER, gemeente=premoderated, wijken=[oost],
                          display_name="Wendy")
    resident = make_user()
    listing = make_listing(owner=resident, title="Eerste plan")
    assert listing.buurt.wijk == premoderated.wijken[0]
    assert listing.status is ListingStatus.PENDING
    assert _queued_for(elsewhere) == 1
    assert can(elsewhere, "buurt.moderate", listing.buurt)
    # ...but not a buurt that has a wijkwerker of its own.
    assert not can(elsewhere, "buurt.moderate", make_user(
        Role.WIJKWERKER, gemeente=premoderated, wijken=[premoderated.wijken[2]]).wijken[0]
        .buurten[0])

    auth.login(resident)
    page = client.get(f"/l/{listing.id}").text
    assert "Wendy" in page and "geen eigen wijkwerker" in page
    auth.logout()

    auth.login(elsewhere)
    assert "Eerste plan" in client.get("/moderatie/").text
    assert client.post(f"/moderatie/aanbod/{listing.id}/goedkeuren").status_code == 302
    db.session.refresh(listing)
    assert listing.status is ListingStatus.OPEN


def test_a_gemeente_without_any_wijkwerker_goes_to_the_admins(client, auth, premoderated,
                                                            make_user, make_listing,
                                                            other_gemeente):
    admin = make_user(Role.ADMIN)
    # A wijkwerker of another gemeente is no fallback here.
    stranger = make_user(Role.WIJKWERKER, gemeente=other_gemeente)
    resident = make_user()
    listing = make_listing(owner=resident, title="Eerste plan")
    assert reviewers_for(listing.buurt).kind is ReviewerKind.ADMINS
    assert _queued_for(admin) == 1 and _queued_for(stranger) == 0
    assert not can(stranger, "buurt.moderate", listing.buurt)
    auth.login(resident)
    assert "de beheerders van Buurtmarkt" in client.get(f"/l/{listing.id}").text
    auth.logout()
    auth.login(stranger)
    assert "Eerste plan" not in client.get("/moderatie/").text


def test_the_author_reads_how_long_approval_usually_takes(client, auth, premoderated,
                                                          make_user, make_listing):
    make_user(Role.ADMIN)
    resident = make_user()
    listing = make_listing(owner=resident)
    auth.login(resident)
    assert "te weinig goedkeuringen" in client.get(f"/l/{listing.id}").text
    now = clock.now()
    buurt = premoderated.wijken[0].buurten[0]
    for hours in (2, 3, 5, 8, 30):  # median 5 hours
        db.session.add(ModerationCase(
            item_type="listing", item_id=100000 + hours, cause=CaseCause.APPROVAL,
            buurt_id=buurt.id, opened_at=now - timedelta(hours=hours + 1),
            closed_at=now - timedelta(hours=1), outcome=CaseOutcome.APPROVED))
    db.session.commit()
    assert "ongeveer 5 uur" in client.get(f"/l/{listing.id}").text


def test_admins_see_which_buurten_have_no_wijkwerker(client, auth, premoderated, make_user):
    make_user(Role.WIJKWERKER, gemeente=premoderated, wijken=[premoderated.wijken[0]],
              buurten=[_buurt("BU99990201")])
    auth.login(make_user(Role.ADMIN))
    page = client.get("/beheer/gemeenten/GM9999").text
    assert "7 van 12 buurten" in page
    uncovered = {b.name for b in db.session.scalars(sa.select(Buurt).join(Wijk).where(
        Wijk.code != "WK999901", Buurt.code != "BU99990201"))}
    for name in uncovered:
        assert name in page
    assert "Binnenstad" not in page.split('id="moderation-title"')[1]
    row = client.get("/beheer/gemeenten").text.split("GM9999</td>")[1].split("</tr>")[0]
    assert row == "<td>3</td><td>12</td><td>7</td>\n    "
