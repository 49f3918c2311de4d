"""Posting, editing and the life cycle of listings, without HTTP."""

import pytest
from geopy.distance import geodesic

from marketplace.extensions import db
from marketplace.listings import services
from marketplace.listings.categories import category_by_slug
from marketplace.listings.models import ListingKind, ListingStatus, ResourceKind
from marketplace.listings.privacy import blurred_position

S = ListingStatus


def _data(**changes) -> services.ListingData:
    values = {"title": "Straatfeest", "description": "Een feest voor de straat.",
              "category": category_by_slug("ontmoeten"), "lat": 52.485, "lon": 3.71,
              "resources": [services.ResourceData(ResourceKind.MATERIALS, "Tafels", 10, "stuks")]}
    return services.ListingData(**{**values, **changes})


def test_listing_is_placed_in_its_buurt_and_gemeente(make_user, gemeente):
    listing = services.create_listing(make_user(), ListingKind.INITIATIVE, _data(), publish=True)
    assert listing.buurt.code == "BU99990202"  # Oost, second column
    assert listing.gemeente == gemeente
    assert listing.status is S.OPEN and listing.published_at is not None


def test_point_outside_every_buurt_is_refused(make_user, gemeente):
    with pytest.raises(services.ListingRefused, match="niet in een buurt"):
        services.create_listing(make_user(), ListingKind.INITIATIVE,
                                _data(lat=52.37, lon=4.89), publish=True)


def test_draft_stays_draft(make_user, gemeente):
    listing = services.create_listing(make_user(), ListingKind.OFFER, _data(), publish=False)
    assert listing.status is S.DRAFT and listing.published_at is None


def test_offer_and_request_need_exactly_one_resource(make_user, gemeente):
    for kind in (ListingKind.OFFER, ListingKind.REQUEST):
        with pytest.raises(services.ListingRefused):
            services.create_listing(make_user(), kind, _data(resources=[]), publish=True)


def test_initiative_has_at_most_ten_needs(make_user, gemeente):
    needs = [services.ResourceData(ResourceKind.VOLUNTEERS, f"Hulp {n}", 1, "persoon")
             for n in range(11)]
    with pytest.raises(services.ListingRefused, match="hoogstens 10"):
        services.create_listing(make_user(), ListingKind.INITIATIVE, _data(resources=needs),
                                publish=True)


@pytest.mark.parametrize(("kind", "path", "allowed"), [
    (ListingKind.INITIATIVE, [S.OPEN, S.RUNNING, S.REALISED], True),
    (ListingKind.INITIATIVE, [S.OPEN, S.STOPPED], True),
    (ListingKind.INITIATIVE, [S.OPEN, S.REALISED], False),
    (ListingKind.INITIATIVE, [S.OPEN, S.CLOSED], False),
    (ListingKind.INITIATIVE, [S.OPEN, S.RUNNING, S.REALISED, S.OPEN], False),
    (ListingKind.OFFER, [S.OPEN, S.CLOSED, S.OPEN], True),
    (ListingKind.OFFER, [S.OPEN, S.RUNNING], False),
    (ListingKind.REQUEST, [S.PENDING], False),
])
def test_only_allowed_status_steps(make_user, gemeente, kind, path, allowed):
    owner = make_user()
    listing = services.create_listing(owner, kind, _data(), publish=False)
    if allowed:
        for status in path:
            services.change_status(owner, listing, status)
        assert listing.status is path[-1]
    else:
        with pytest.raises(services.ListingRefused):
            for status in path:
                services.change_status(owner, listing, status)


def test_final_status_sets_closed_at(make_user, gemeente):
    owner = make_user()
    listing = services.create_listing(owner, ListingKind.OFFER, _data(), publish=True)
    services.change_status(owner, listing, S.CLOSED)
    assert listing.closed_at is not None
    services.change_status(owner, listing, S.OPEN)
    assert listing.closed_at is None


def test_editing_keeps_committed_amounts(make_user, gemeente):
    owner = make_user()
    listing = services.create_listing(owner, ListingKind.INITIATIVE, _data(), publish=True)
    db.session.commit()
    need = listing.resources[0]
    need.committed = 6  # as if neighbours had committed six
    db.session.commit()
    keep = services.ResourceData(need.kind, need.description, 5, need.unit, id=need.id)
    with pytest.raises(services.ListingRefused, match="al 6"):
        services.update_listing(listing, _data(resources=[keep]))
    db.session.rollback()
    with pytest.raises(services.ListingRefused, match="kan niet weg"):
        services.update_listing(listing, _data(resources=[]))
    db.session.rollback()
    keep.quantity = 12
    services.update_listing(listing, _data(resources=[keep]))
    assert listing.resources[0].id == need.id and listing.resources[0].quantity == 12


def test_public_position_is_blurred_stable_and_near(make_user, gemeente):
    listing = services.create_listing(make_user(), ListingKind.INITIATIVE, _data(), publish=True)
    public = (listing.public_lat, listing.public_lon)
    assert public != (listing.lat, listing.lon)
    assert 0 < geodesic(public, (listing.lat, listing.lon)).m < 250
    assert blurred_position(listing.lat, listing.lon, listing.blur_seed) == public
    # Moving the pin a few metres inside the same cell reveals nothing new.
    assert blurred_position(listing.lat + 0.00001, listing.lon, listing.blur_seed) in (
        public, blurred_position(listing.lat + 0.00001, listing.lon, listing.blur_seed))


def test_public_space_is_shown_exactly(make_user, gemeente):
    listing = services.create_listing(make_user(), ListingKind.INITIATIVE,
                                      _data(is_public_space=True), publish=True)
    assert (listing.public_lat, listing.public_lon) == (52.485, 3.71)


def test_blur_cells_spread_many_listings(make_user, gemeente):
    """Different listings at the same spot get different public points (no stacking)."""
    owner = make_user()
    points = {(x.public_lat, x.public_lon) for x in (
        services.create_listing(owner, ListingKind.OFFER, _data(), publish=True)
        for _ in range(5))}
    assert len(points) == 5
