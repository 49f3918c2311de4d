"""A listing's real spot appears in no public page, API answer or feed."""

from marketplace.listings.models import ListingKind


def _exact_forms(listing) -> list[str]:
    lat, lon = listing.lat, listing.lon
    return [f"{lat}", f"{lon}", f"{lat:.5f}", f"{lon:.5f}", f"{lat:.4f}", f"{lon:.4f}"]


def test_exact_point_is_in_no_public_channel(client, make_listing):
    listing = make_listing(ListingKind.OFFER, lat=52.0951234, lon=5.0912345)
    channels = [
        "/kaart", f"/l/{listing.id}", "/buurt/BU99990101", "/api/v1/listings",
        f"/api/v1/listings/{listing.id}", "/api/v1/listings?near=52.095,5.091&radius_km=5",
        "/kaart?near=52.095,5.091&radius_km=5",
    ]
    for url in channels:
        text = client.get(url).text
        for exact in _exact_forms(listing):
            assert exact not in text, (url, exact)
