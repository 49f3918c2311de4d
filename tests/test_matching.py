"""Match suggestions: same kind, still available, close by, nearest first; dismissable."""

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.listings.models import ListingKind, ResourceKind
from marketplace.listings.services import ResourceData
from marketplace.matching import services
from marketplace.notifications.models import Notification, NotificationKind

R = ResourceKind


@pytest.fixture
def garden(make_listing, make_user):
    """An initiative in Binnenstad that needs a ladder and volunteers."""
    return make_listing(owner=make_user(display_name="Ilse"), title="Moestuin",
                        lat=52.495, lon=3.69, resources=[
                            ResourceData(R.MATERIALS, "Ladder", 1, "stuk"),
                            ResourceData(R.VOLUNTEERS, "Handen", 4, "personen")])


def _offer(make_listing, title, lat, lon, kind=R.MATERIALS, quantity=1, **extra):
    return make_listing(ListingKind.OFFER, title=title, lat=lat, lon=lon, category="klussen",
                        resources=[ResourceData(kind, title, quantity, "stuk")], **extra)


def test_offers_of_the_same_kind_nearby_nearest_first(garden, make_listing):
    far = _offer(make_listing, "Ladder in Oost", 52.485, 3.705)  # ~1.5 km
    near = _offer(make_listing, "Ladder om de hoek", 52.4955, 3.6905)
    _offer(make_listing, "Ladder in Vogelbuurt", 52.475, 3.75)  # ~4.5 km: too far
    _offer(make_listing, "Helpende handen", 52.4952, 3.6902, kind=R.VOLUNTEERS)
    ladder = garden.resources[0]
    titles = [s.listing.title for s in services.suggestions_for(ladder)]
    assert titles == [near.title, far.title]
    assert services.suggestions_for(ladder)[0].distance_km < 0.3


def test_taken_drafts_and_own_offers_are_not_suggested(garden, make_listing, make_user):
    from marketplace.commitments.services import respond

    taken = _offer(make_listing, "Ladder, al weg", 52.4951, 3.6901)
    respond(make_user(), taken.resources[0], 1)
    _offer(make_listing, "Ladder in concept", 52.4951, 3.6901, publish=False)
    _offer(make_listing, "Mijn eigen ladder", 52.4951, 3.6901, owner=garden.owner)
    db.session.commit()
    assert services.suggestions_for(garden.resources[0]) == []


def test_an_offer_sees_needs_and_requests_it_fits(garden, make_listing):
    request = make_listing(ListingKind.REQUEST, title="Ladder gezocht", lat=52.494, lon=3.692,
                           category="klussen",
                           resources=[ResourceData(R.MATERIALS, "Ladder", 1, "stuk")])
    offer = _offer(make_listing, "Ladder te leen", 52.4952, 3.6902)
    titles = {s.listing.title for s in services.suggestions_for(offer.resources[0])}
    assert titles == {"Moestuin", request.title}


def test_dismissed_suggestion_stays_away(garden, make_listing):
    offer = _offer(make_listing, "Ladder te leen", 52.4952, 3.6902)
    ladder = garden.resources[0]
    services.dismiss(garden.owner, ladder, offer.resources[0])
    assert services.suggestions_for(ladder) == []
    with pytest.raises(PermissionError):
        services.dismiss(offer.owner, ladder, offer.resources[0])


def test_publishing_tells_both_owners(garden, make_listing):
    offer = _offer(make_listing, "Ladder te leen", 52.4952, 3.6902)
    told = db.session.execute(sa.select(Notification.user_id, Notification.listing_id).where(
        Notification.kind == NotificationKind.MATCH_SUGGESTION)).all()
    assert set(told) == {(garden.owner_id, offer.id), (offer.owner_id, garden.id)}


def test_suggestions_on_the_page_and_dismiss(client, auth, garden, make_listing, make_user):
    offer = _offer(make_listing, "Ladder te leen", 52.4952, 3.6902)
    page = client.get(f"/l/{garden.id}").text
    assert "Ladder te leen" in page and "Past niet" not in page  # visitors see, cannot hide
    assert "Moestuin" in client.get(f"/l/{offer.id}").text
    auth.login(make_user())
    url = f"/l/{garden.id}/suggesties/{garden.resources[0].id}/{offer.resources[0].id}/verbergen"
    assert client.post(url).status_code == 403
    auth.logout()
    auth.login(garden.owner)
    client.post(url)
    assert "Ladder te leen" not in client.get(f"/l/{garden.id}").text
