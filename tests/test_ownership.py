"""Co-initiators, handing an initiative over, and the visible history of its owners."""

import pytest
import sqlalchemy as sa

from marketplace import policy
from marketplace.commitments.services import respond
from marketplace.extensions import db
from marketplace.following.services import follow
from marketplace.listings.models import ListingKind
from marketplace.ownership import services
from marketplace.ownership.models import Handover, HandoverStatus
from marketplace.ownership.models import OwnershipEventKind as E


@pytest.fixture
def initiative(make_listing, make_user):
    return make_listing(owner=make_user(display_name="Ilse"), title="Moestuin")


@pytest.fixture
def helper(initiative, make_user):
    person = make_user(display_name="Henk")
    respond(person, initiative.resources[0], 1)
    db.session.commit()
    return person


def test_history_starts_with_the_initiator(initiative):
    [event] = services.history(initiative)
    assert event.kind is E.STARTED and event.person == initiative.owner


def test_co_initiator_may_edit_and_step_back(initiative, helper, make_user):
    follower = make_user()
    follow(follower, initiative)
    assert set(services.candidates(initiative)) == {helper, follower}
    services.add_co_initiator(initiative.owner, initiative, helper)
    assert policy.can(helper, "listing.edit", initiative)
    assert not policy.can(helper, "listing.manage_initiators", initiative)
    with pytest.raises(services.OwnershipRefused):
        services.add_co_initiator(initiative.owner, initiative, make_user())  # a stranger
    services.remove_co_initiator(helper, initiative, helper)
    assert not policy.can(helper, "listing.edit", initiative)
    assert [e.kind for e in services.history(initiative)] == [
        E.STARTED, E.CO_INITIATOR_ADDED, E.CO_INITIATOR_LEFT]


def test_handover_takes_effect_only_when_accepted(initiative, helper):
    former = initiative.owner
    handover = services.offer_handover(former, initiative, helper)
    assert initiative.owner == former
    with pytest.raises(services.OwnershipRefused, match="wacht al"):
        services.offer_handover(former, initiative, helper)
    services.answer_handover(helper, handover, accept=True)
    assert initiative.owner == helper and former in initiative.co_initiators
    assert handover.status is HandoverStatus.ACCEPTED
    events = services.history(initiative)
    assert (events[-1].kind, events[-1].person, events[-1].by) == (E.HANDED_OVER, helper, former)


def test_handover_can_be_declined_or_cancelled(initiative, helper, make_user):
    handover = services.offer_handover(initiative.owner, initiative, helper)
    with pytest.raises(services.OwnershipRefused):
        services.answer_handover(make_user(), handover, accept=True)
    services.answer_handover(helper, handover, accept=False)
    assert handover.status is HandoverStatus.DECLINED and initiative.owner != helper
    again = services.offer_handover(initiative.owner, initiative, helper)
    services.cancel_handover(initiative.owner, again)
    assert again.status is HandoverStatus.CANCELLED


def test_only_initiatives_and_only_the_initiator(make_listing, make_user, initiative, helper):
    with pytest.raises(services.OwnershipRefused):
        services.offer_handover(helper, initiative, helper)
    offer = make_listing(ListingKind.OFFER)
    with pytest.raises(services.OwnershipRefused, match="Alleen een initiatief"):
        services.add_co_initiator(offer.owner, offer, make_user())


def test_handover_through_the_pages(client, auth, initiative, helper):
    auth.login(initiative.owner)
    page = client.get(f"/l/{initiative.id}/initiatiefnemers")
    assert "Henk" in page.text
    client.post(f"/l/{initiative.id}/overdragen", data={"user_id": helper.id})
    handover = db.session.scalar(sa.select(Handover))
    auth.logout()
    auth.login(helper)
    assert "vraagt je dit initiatief over te nemen" in client.get(f"/l/{initiative.id}").text
    client.post(f"/overdracht/{handover.id}/accept")
    db.session.expire_all()
    assert initiative.owner_id == helper.id
    page = client.get(f"/l/{initiative.id}").text
    assert "Ilse heeft het overgedragen aan Henk" in page


def test_strangers_cannot_manage_or_answer(client, auth, initiative, helper, make_user):
    handover = services.offer_handover(initiative.owner, initiative, helper)
    db.session.commit()
    auth.login(make_user())
    assert client.get(f"/l/{initiative.id}/initiatiefnemers").status_code == 403
    assert client.post(f"/l/{initiative.id}/overdragen",
                       data={"user_id": helper.id}).status_code == 403
    assert client.post(f"/overdracht/{handover.id}/accept").status_code == 403
    db.session.expire_all()
    assert initiative.owner_id != helper.id


def test_co_initiator_cannot_respond_to_their_own_initiative(initiative, helper, make_user):
    from marketplace.commitments.services import CommitmentRefused

    follower = make_user()
    follow(follower, initiative)
    services.add_co_initiator(initiative.owner, initiative, follower)
    assert not policy.can(follower, "listing.respond", initiative)
    with pytest.raises(CommitmentRefused):
        respond(follower, initiative.resources[0], 1)
