"""Match suggestions: same kind, still available, close by, close in words; each pair found and
told once, as one counted notification per listing; shown to the owners, who can act on them."""

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
    # Each owner hears about their own listing: "1 offer nearby may fit …".
    assert set(told) == {(garden.owner_id, garden.id), (offer.owner_id, offer.id)}


def test_suggestions_are_for_the_owners_who_can_act(client, auth, garden, make_listing,
                                                     make_user):
    offer = _offer(make_listing, "Ladder te leen", 52.4952, 3.6902)
    assert "Ladder te leen" not in client.get(f"/l/{garden.id}").text  # not for visitors
    auth.login(make_user())
    assert "Ladder te leen" not in client.get(f"/l/{garden.id}").text  # nor for neighbours
    url = f"/l/{garden.id}/suggesties/{garden.resources[0].id}/{offer.resources[0].id}/verbergen"
    assert client.post(url).status_code == 403
    auth.logout()
    auth.login(garden.owner)
    page = client.get(f"/l/{garden.id}").text
    assert "Ladder te leen" in page and "Past niet" in page
    client.post(url)
    assert "Ladder te leen" not in client.get(f"/l/{garden.id}").text


def test_the_offerer_responds_to_a_need_in_one_tap(client, auth, garden, make_listing):
    offer = _offer(make_listing, "Ladder te leen", 52.4952, 3.6902)
    auth.login(offer.owner)
    page = client.get(f"/l/{offer.id}").text
    assert "Moestuin" in page and "Bied 1 stuk aan" in page
    response = client.post(f"/l/{garden.id}/reageren/{garden.resources[0].id}",
                           data={"quantity": 1, "note": "Ik bied: Ladder te leen"})
    assert response.status_code == 302
    from marketplace.commitments.models import Commitment

    [commitment] = db.session.scalars(sa.select(Commitment)).all()
    assert commitment.helper_id == offer.owner_id and commitment.resource_id == garden.resources[0].id


def test_a_need_for_paint_is_offered_paint_not_a_ladder_a_drill_or_a_tent(make_listing, make_user):
    for title, lat in (("Ladder te leen", 52.4951), ("Boormachine te leen", 52.4952),
                       ("Partytent 3 bij 3", 52.4953), ("Restje muurverf, wit", 52.4954),
                       ("Verf en kwasten over", 52.4958)):
        _offer(make_listing, title, lat, 3.6902)
    mural = make_listing(title="Muurschildering", lat=52.495, lon=3.69, resources=[
        ResourceData(R.MATERIALS, "Verf voor de muur", 10, "liter")])
    titles = [s.listing.title for s in services.suggestions_for(mural.resources[0])]
    assert sorted(titles) == ["Restje muurverf, wit", "Verf en kwasten over"]


def test_help_fits_by_kind_and_nearness_ranked_by_words(make_listing):
    _offer(make_listing, "Ik help graag met koken", 52.4951, 3.6902, kind=R.VOLUNTEERS)
    _offer(make_listing, "Hulp bij tuinieren", 52.4990, 3.6950, kind=R.VOLUNTEERS)
    garden = make_listing(title="Moestuin", lat=52.495, lon=3.69, resources=[
        ResourceData(R.VOLUNTEERS, "Handen voor het tuinieren", 4, "personen")])
    titles = [s.listing.title for s in services.suggestions_for(garden.resources[0])]
    assert titles == ["Hulp bij tuinieren", "Ik help graag met koken"]


def test_many_offers_make_one_counted_notification_per_person(garden, make_listing, make_user):
    neighbour = make_user()
    for index in range(4):
        _offer(make_listing, f"Ladder nummer {index}", 52.4951 + index / 10000, 3.6902,
               owner=neighbour if index < 2 else None)
    db.session.commit()
    rows = db.session.execute(sa.select(Notification.user_id, Notification.listing_id,
                                        Notification.count)
                              .where(Notification.kind == NotificationKind.MATCH_SUGGESTION)).all()
    per_person = [user_id for user_id, _listing, _count in rows]
    assert len(per_person) == len({(u, listing) for u, listing, _ in rows})
    mine = [count for user_id, listing_id, count in rows if user_id == garden.owner_id]
    assert mine == [4]  # "4 offers nearby may fit “Moestuin”", in one notification
    from marketplace.notifications.texts import describe

    [told] = db.session.scalars(sa.select(Notification).where(
        Notification.user_id == garden.owner_id)).all()
    assert describe(told, "nl") == "4 aanbiedingen in de buurt passen misschien bij “Moestuin”."


def test_each_pair_is_found_and_told_once(garden, make_listing):
    offer = _offer(make_listing, "Ladder te leen", 52.4952, 3.6902)
    assert services.record_matches(offer) == 0  # found when it was published
    assert services.record_matches(garden) == 0
    counts = db.session.scalars(sa.select(Notification.count)).all()
    assert counts == [1, 1]


def test_a_need_added_later_is_matched_too(garden, make_listing, make_user):
    from marketplace.listings.services import ListingData, update_listing

    _offer(make_listing, "Restje muurverf", 52.4952, 3.6902)
    assert services.suggestions_for(garden.resources[0]) == []  # a ladder is no paint
    update_listing(garden, ListingData(
        title=garden.title, description=garden.description, category=garden.category,
        lat=garden.lat, lon=garden.lon, resources=[
            ResourceData(R.MATERIALS, "Ladder", 1, "stuk", id=garden.resources[0].id),
            ResourceData(R.VOLUNTEERS, "Handen", 4, "personen", id=garden.resources[1].id),
            ResourceData(R.MATERIALS, "Verf voor het hek", 5, "liter")]))
    db.session.commit()
    paint = next(r for r in garden.resources if r.description == "Verf voor het hek")
    assert [s.listing.title for s in services.suggestions_for(paint)] == ["Restje muurverf"]
    told = db.session.scalar(sa.select(Notification.count).where(
        Notification.user_id == garden.owner_id))
    assert told == 1


def test_find_matches_finds_those_published_before_and_tells_nobody(garden, make_listing,
                                                                   runner):
    from marketplace.matching.models import Match

    _offer(make_listing, "Ladder te leen", 52.4952, 3.6902)
    db.session.execute(sa.delete(Match))
    db.session.execute(sa.delete(Notification))
    db.session.commit()
    result = runner.invoke(args=["find-matches"])
    assert "1 match(es) found among 2 open listings" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Match.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 0
    assert [s.listing.title for s in services.suggestions_for(garden.resources[0])] == [
        "Ladder te leen"]


def test_the_wijkwerker_introduces_a_need_and_an_offer_once(client, auth, garden, make_listing,
                                                            make_user, gemeente):
    from marketplace.auth.models import Role
    from marketplace.notifications.texts import describe

    offer = _offer(make_listing, "Ladder te leen", 52.4952, 3.6902)
    wijkwerker = make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=gemeente.wijken,
                           display_name="Wim")
    elsewhere = make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=gemeente.wijken[2:])
    db.session.execute(sa.delete(Notification))
    db.session.commit()
    url = f"/l/{garden.id}/suggesties/{garden.resources[0].id}/{offer.resources[0].id}/voorstellen"
    for outsider in (make_user(), elsewhere, garden.owner):
        auth.login(outsider)
        assert client.post(url).status_code == 403
        auth.logout()
    auth.login(wijkwerker)
    assert "Laat beide eigenaren weten dat dit past" in client.get(f"/l/{garden.id}").text
    client.post(url)
    client.post(url)  # a second tap tells nobody twice
    told = {n.user_id: describe(n, "nl") for n in db.session.scalars(
        sa.select(Notification).where(Notification.kind == NotificationKind.INTRODUCTION))}
    assert told == {
        garden.owner_id: "Wim, de wijkwerker, denkt dat “Ladder te leen” past bij je "
                         "“Moestuin”. Kijk er eens naar en neem contact op.",
        offer.owner_id: "Wim, de wijkwerker, denkt dat “Moestuin” past bij je “Ladder te leen”. "
                        "Kijk er eens naar en neem contact op."}


def test_no_introduction_to_a_hidden_or_taken_listing(garden, make_listing, make_user, gemeente):
    from marketplace.auth.models import Role
    from marketplace.moderation.services import hide

    offer = _offer(make_listing, "Ladder - bel 0612345678", 52.4952, 3.6902)
    wijkwerker = make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=gemeente.wijken)
    hide(wijkwerker, offer, "Telefoonnummer in de titel")
    db.session.execute(sa.delete(Notification))
    db.session.commit()
    with pytest.raises(services.IntroductionRefused):
        services.introduce(wijkwerker, garden.resources[0], offer.resources[0])
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.kind == NotificationKind.INTRODUCTION)) == 0
