"""A listing's real spot appears in no public page, API answer or feed."""

import re

from geopy.distance import geodesic

from marketplace.extensions import db
from marketplace.listings.models import ListingKind
from marketplace.listings.privacy import blurred_position

EXACT = (52.4951234, 3.6912345)
# A seed whose public point lies well away from EXACT, so nearness below can only be a leak.
SEED = "privacy-test-seed-6"


def _positions_in(text: str) -> list[tuple[float, float]]:
    """Every latitude/longitude pair near the demo gemeente written in the text, either order."""
    lats = [float(x) for x in re.findall(r"52\.\d{3,}", text)]
    lons = [float(x) for x in re.findall(r"(?<![\d.])3\.\d{3,}", text)]
    return [(lat, lon) for lat in lats for lon in lons]


def test_exact_point_is_in_no_public_channel(client, make_listing):
    listing = make_listing(ListingKind.OFFER, lat=EXACT[0], lon=EXACT[1])
    listing.blur_seed = SEED
    listing.public_lat, listing.public_lon = blurred_position(*EXACT, SEED)
    db.session.commit()
    assert geodesic(EXACT, (listing.public_lat, listing.public_lon)).m > 40
    channels = [
        "/kaart", f"/l/{listing.id}", "/buurt/BU99990101", "/api/v1/listings",
        f"/api/v1/listings/{listing.id}", "/api/v1/listings?near=52.49,3.7&radius_km=5",
        "/kaart?near=52.49,3.7&radius_km=5", "/",
    ]
    for url in channels:
        text = client.get(url).text
        assert "52.4951234" not in text and "3.6912345" not in text, url
        for position in _positions_in(text):
            assert geodesic(EXACT, position).m > 20, (url, position)
