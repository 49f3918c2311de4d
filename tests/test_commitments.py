"""Responding, answering, withdrawing and finishing; messages between the two parties."""

import pytest
import sqlalchemy as sa

from marketplace.auth.models import Role
from marketplace.commitments import services
from marketplace.commitments.models import Commitment, CommitmentStatus, Message
from marketplace.extensions import db
from marketplace.listings.models import ListingKind, ListingStatus, ResourceKind
from marketplace.listings.services import ResourceData, change_status
from marketplace.notifications.models import Notification, NotificationKind

S = CommitmentStatus


@pytest.fixture
def need(make_listing, make_user):
    listing = make_listing(owner=make_user(display_name="Ilse"), title="Moestuin",
                           resources=[ResourceData(ResourceKind.VOLUNTEERS, "Spitters", 4,
                                                   "personen")])
    return listing.resources[0]


def _kinds(user) -> list[NotificationKind]:
    return list(db.session.scalars(sa.select(Notification.kind)
                                   .where(Notification.user_id == user.id)
                                   .order_by(Notification.id)))


def test_respond_accept_done_and_covered_amount(need, make_user):
    helper = make_user(display_name="Henk")
    commitment = services.respond(helper, need, 2, "Ik neem een schep mee")
    db.session.commit()
    assert (need.committed, need.remaining) == (2, 2)
    assert commitment.status is S.PENDING
    assert _kinds(need.listing.owner) == [NotificationKind.COMMITMENT_NEW]
    services.accept(need.listing.owner, commitment)
    assert commitment.status is S.ACCEPTED and commitment.decided_at is not None
    assert _kinds(helper) == [NotificationKind.COMMITMENT_ACCEPTED]
    services.mark_done(need.listing.owner, commitment)
    assert commitment.status is S.DONE and need.committed == 2  # done still counts as covered


def test_decline_and_withdraw_give_the_amount_back(need, make_user):
    first, second = make_user(), make_user()
    declined = services.respond(first, need, 3)
    services.decline(need.listing.owner, declined)
    assert need.committed == 0 and declined.status is S.DECLINED
    kept = services.respond(second, need, 4)
    services.accept(need.listing.owner, kept)
    services.withdraw(second, kept)
    assert need.committed == 0 and kept.status is S.WITHDRAWN
    assert _kinds(need.listing.owner)[-1] is NotificationKind.COMMITMENT_WITHDRAWN
    # After withdrawing one may respond again.
    again = services.respond(second, need, 1)
    assert again.status is S.PENDING and need.committed == 1


@pytest.mark.parametrize(("quantity", "message"), [
    (0, "van 1 tot 4"), (-2, "van 1 tot 4"), (5, "van 1 tot 4"),
])
def test_bad_amounts_are_refused(need, make_user, quantity, message):
    with pytest.raises(services.CommitmentRefused, match=message):
        services.respond(make_user(), need, quantity)


def test_no_overbooking_in_one_process(need, make_user):
    services.respond(make_user(), need, 3)
    with pytest.raises(services.CommitmentRefused, match="Nog maar 1 over"):
        services.respond(make_user(), need, 2)


def test_refusals_change_nothing(need, make_user):
    owner = need.listing.owner
    helper = make_user()
    with pytest.raises(services.CommitmentRefused, match="eigen plaatsing"):
        services.respond(owner, need, 1)
    services.respond(helper, need, 1)
    db.session.commit()
    with pytest.raises(services.CommitmentRefused, match="al gereageerd"):
        services.respond(helper, need, 1)
    db.session.rollback()
    change_status(owner, need.listing, ListingStatus.RUNNING)
    change_status(owner, need.listing, ListingStatus.REALISED)
    with pytest.raises(services.CommitmentRefused, match="geen reacties"):
        services.respond(make_user(), need, 1)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Commitment.id))) == 1
    db.session.refresh(need)
    assert need.committed == 1


def test_only_the_owner_answers_and_only_parties_withdraw(need, make_user):
    helper, stranger = make_user(), make_user()
    commitment = services.respond(helper, need, 1)
    with pytest.raises(services.CommitmentRefused):
        services.accept(helper, commitment)
    with pytest.raises(services.CommitmentRefused):
        services.accept(make_user(Role.ADMIN), commitment)
    with pytest.raises(services.CommitmentRefused):
        services.withdraw(stranger, commitment)
    services.accept(need.listing.owner, commitment)
    with pytest.raises(services.CommitmentRefused, match="al beantwoord"):
        services.decline(need.listing.owner, commitment)


def test_offer_take_up_and_request_help(make_listing, make_user):
    from marketplace.listings.services import ResourceData as R

    offer = make_listing(ListingKind.OFFER, title="Ladder",
                         resources=[R(ResourceKind.MATERIALS, "Ladder", 1, "stuk")])
    taker = services.respond(make_user(), offer.resources[0], 1)
    assert offer.resources[0].remaining == 0
    with pytest.raises(services.CommitmentRefused, match="Er is niets meer over"):
        services.respond(make_user(), offer.resources[0], 1)
    assert taker.listing == offer
    request = make_listing(ListingKind.REQUEST, title="Verhuizen",
                           resources=[R(ResourceKind.VOLUNTEERS, "Sjouwers", 2, "personen")])
    assert services.respond(make_user(), request.resources[0], 1).quantity == 1


def test_messages_between_parties_only(need, make_user):
    helper, stranger = make_user(), make_user()
    commitment = services.respond(helper, need, 1)
    services.send_message(helper, commitment, "Hoe laat beginnen we?")
    services.send_message(need.listing.owner, commitment, "Om tien uur!")
    assert [m.body for m in commitment.messages] == ["Hoe laat beginnen we?", "Om tien uur!"]
    assert NotificationKind.MESSAGE_NEW in _kinds(helper)
    with pytest.raises(services.CommitmentRefused):
        services.send_message(stranger, commitment, "Ik lees mee")
    with pytest.raises(services.CommitmentRefused):
        services.send_message(helper, commitment, "   ")


def test_owner_messages_all_accepted_helpers(need, make_user):
    owner = need.listing.owner
    accepted = [services.respond(make_user(), need, 1) for _ in range(2)]
    pending = services.respond(make_user(), need, 1)
    for commitment in accepted:
        services.accept(owner, commitment)
    assert services.message_accepted_helpers(owner, need, "Zaterdag om 10 uur!") == 2
    assert all(c.messages[0].body == "Zaterdag om 10 uur!" for c in accepted)
    assert pending.messages == []
    with pytest.raises(services.CommitmentRefused):
        services.message_accepted_helpers(accepted[0].helper, need, "Hoi")


# Through the pages ---------------------------------------------------------------------------

def test_respond_through_the_page_and_owner_accepts(client, auth, need, make_user, outbox):
    helper = make_user(display_name="Henk")
    auth.login(helper)
    page = client.get(f"/l/{need.listing_id}")
    assert "Ik help mee" in page.text
    response = client.post(f"/l/{need.listing_id}/reageren/{need.id}",
                           data={"quantity": "2", "note": "Met schep"})
    commitment = db.session.scalar(sa.select(Commitment))
    assert response.headers["Location"] == f"/reacties/{commitment.id}"
    assert outbox()[-1].to == need.listing.owner.email  # the owner is told at once
    assert "Henk heeft gereageerd op “Moestuin”" in outbox()[-1].body
    assert helper.email not in outbox()[-1].body
    auth.logout()
    auth.login(need.listing.owner)
    page = client.get(f"/l/{need.listing_id}")
    assert "Henk" in page.text and "Met schep" in page.text
    client.post(f"/reacties/{commitment.id}/accept")
    db.session.refresh(commitment)
    assert commitment.status is S.ACCEPTED
    assert outbox()[-1].to == helper.email


def test_double_tap_makes_one_commitment(client, auth, need, make_user):
    auth.login(make_user())
    for _ in range(2):
        response = client.post(f"/l/{need.listing_id}/reageren/{need.id}", data={"quantity": "1"})
    assert response.headers["Location"].startswith("/reacties/")
    assert db.session.scalar(sa.select(sa.func.count(Commitment.id))) == 1


@pytest.mark.parametrize(("quantity", "message"), [
    ("-1", "Nummer moet tussen 1 en 100000 liggen"), ("abc", "Ongeldig getal"),
    ("99", "van 1 tot 4"),
])
def test_bad_input_through_the_page(client, auth, need, make_user, quantity, message):
    auth.login(make_user())
    response = client.post(f"/l/{need.listing_id}/reageren/{need.id}",
                           data={"quantity": quantity}, follow_redirects=True)
    assert message in response.text
    assert db.session.scalar(sa.select(sa.func.count(Commitment.id))) == 0


def test_only_parties_read_the_conversation(client, auth, need, make_user):
    helper = make_user()
    commitment = services.respond(helper, need, 1)
    services.send_message(helper, commitment, "Geheim plan")
    db.session.commit()
    for person, status in ((helper, 200), (need.listing.owner, 200), (make_user(), 403),
                           (make_user(Role.ADMIN), 403)):
        auth.login(person)
        response = client.get(f"/reacties/{commitment.id}")
        assert response.status_code == status
        assert ("Geheim plan" in response.text) is (status == 200)
        auth.logout()
    assert client.get(f"/reacties/{commitment.id}").status_code == 302  # to the log-in page


def test_stranger_cannot_answer_or_message(client, auth, need, make_user):
    commitment = services.respond(make_user(), need, 1)
    db.session.commit()
    auth.login(make_user())
    assert client.post(f"/reacties/{commitment.id}/accept").status_code == 403
    assert client.post(f"/reacties/{commitment.id}/bericht", data={"body": "x"}).status_code == 403
    assert client.post(f"/l/{need.listing_id}/behoefte/{need.id}/bericht",
                       data={"body": "x"}).status_code == 403
    db.session.refresh(commitment)
    assert commitment.status is S.PENDING and not db.session.scalars(sa.select(Message)).all()


def test_my_page_shows_what_waits_and_my_responses(client, auth, need, make_user):
    helper = make_user(display_name="Henk")
    services.respond(helper, need, 1)
    db.session.commit()
    auth.login(need.listing.owner)
    assert "Henk heeft gereageerd op “Moestuin”" in client.get("/mijn-pagina").text
    auth.logout()
    auth.login(helper)
    page = client.get("/mijn-pagina").text
    assert "Moestuin: Spitters" in page and "wacht op antwoord" in page
