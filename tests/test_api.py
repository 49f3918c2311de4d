"""The open API: GeoJSON of public listings, one listing, buurten; problem details on errors."""

import pytest

from marketplace.listings.models import ListingKind


def test_listings_geojson_in_bbox(client, make_listing):
    inside = make_listing(title="Binnen")
    make_listing(title="Buiten", lat=52.475, lon=3.75)
    response = client.get("/api/v1/listings?bbox=3.68,52.49,3.70,52.50")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    body = response.json
    assert body["type"] == "FeatureCollection" and body["numberReturned"] == 1
    [feature] = body["features"]
    assert feature["id"] == inside.id
    assert feature["geometry"]["coordinates"] == [inside.public_lon, inside.public_lat]
    assert feature["properties"]["kind"] == "initiative"
    assert feature["properties"]["buurt"] == "BU99990101"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_limit_and_truncated(client, make_user, make_listing):
    owner = make_user()
    for number in range(3):
        make_listing(owner=owner, title=f"Plan {number}")
    body = client.get("/api/v1/listings?limit=2").json
    assert body["numberReturned"] == 2 and body["truncated"] is True
    assert client.get("/api/v1/listings?limit=3").json["truncated"] is False


def test_filters_in_the_api(client, make_listing):
    make_listing(title="Moestuin")
    make_listing(ListingKind.OFFER, title="Ladder", category="klussen")
    titles = lambda url: [f["properties"]["title"] for f in client.get(url).json["features"]]  # noqa: E731
    assert titles("/api/v1/listings?kind=offer") == ["Ladder"]
    assert titles("/api/v1/listings?kind=offer,initiative") == ["Ladder", "Moestuin"]
    assert titles("/api/v1/listings?category=groen") == ["Moestuin"]
    assert titles("/api/v1/listings?q=ladd") == ["Ladder"]
    assert titles("/api/v1/listings?status=closed") == []


@pytest.mark.parametrize(("query", "param"), [
    ("bbox=5,52,6", "bbox"), ("bbox=5,91,6,92", "bbox"), ("bbox=a,b,c,d", "bbox"),
    ("kind=car", "kind"), ("status=secret", "status"), ("status=draft", "status"),
    ("category=none", "category"),
    ("buurt=BU0", "buurt"), ("buurt=Binnenstad", "buurt"), ("near=52", "near"),
    ("near=100,5", "near"),
    ("radius_km=0", "radius_km"), ("radius_km=51", "radius_km"), ("radius_km=nan", "radius_km"),
    ("limit=0", "limit"), ("limit=501", "limit"), ("limit=ten", "limit"), ("q=" + "x" * 101, "q"),
])
def test_invalid_parameters_are_problems_naming_the_parameter(client, gemeente, query, param):
    response = client.get(f"/api/v1/listings?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.json["param"] == param and response.json["status"] == 400


def test_problem_detail_in_english_when_asked(client, gemeente):
    response = client.get("/api/v1/listings?kind=car", headers={"Accept-Language": "en"})
    assert "Unknown value" in response.json["detail"]


def test_one_listing_and_no_drafts(client, make_listing):
    listing = make_listing(title="Moestuin")
    draft = make_listing(publish=False)
    body = client.get(f"/api/v1/listings/{listing.id}").json
    assert body["title"] == "Moestuin" and body["resources"][0]["quantity"] == 4
    assert body["location"] == {"lat": listing.public_lat, "lon": listing.public_lon,
                                "exact": False}
    assert client.get(f"/api/v1/listings/{draft.id}").status_code == 404
    assert client.get("/api/v1/listings/999999").mimetype == "application/problem+json"


def test_buurt_with_outline_and_buurten_in_area(client, gemeente):
    body = client.get("/api/v1/buurten/BU99990101").json
    assert body["name"] == "Binnenstad" and body["geometry"]["type"] == "Polygon"
    assert body["wijk"] == {"code": "WK999901", "name": "Centrum"}
    assert client.get("/api/v1/buurten/BU123").status_code == 404
    codes = [f["id"] for f in client.get("/api/v1/buurten?bbox=3.681,52.491,3.699,52.499")
             .json["features"]]
    assert codes == ["BU99990101"]
    assert len(client.get("/api/v1/buurten?gemeente=GM9999").json["features"]) == 12
    assert len(client.get("/api/v1/buurten").json["features"]) == 12  # all, up to 500
    assert client.get("/api/v1/buurten?bbox=1,2").status_code == 400
    assert client.get("/api/v1/listings/99999999999999999999").status_code == 404


def test_openapi_document_and_docs_page(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.") and "/listings" in spec["paths"]
    page = client.get("/api/v1/")
    assert "GET" in page.text and "bbox" in page.text


def test_fast_features_equal_the_orm_serializer(app, make_listing):
    """The bbox API builds features from columns; they must match the full serializer."""
    from marketplace.api.serializers import listing_summary, map_features
    from marketplace.extensions import db
    from marketplace.listings import services
    from marketplace.listings.photos import StoredPhoto
    from marketplace.listings.queries import ListingFilter, public_listings

    with_photo = make_listing(title="Met foto")
    services.add_photos(with_photo, [StoredPhoto("b.jpg", "b-thumb.jpg", 1, 1),
                                     StoredPhoto("a.jpg", "a-thumb.jpg", 1, 1)])
    db.session.commit()
    make_listing(ListingKind.OFFER, title="Zonder foto", category="klussen")
    with app.test_request_context():
        for language in ("nl", "en"):
            query = public_listings(ListingFilter())
            expected = [{"type": "Feature", "id": x.id,
                         "geometry": {"type": "Point", "coordinates": [x.public_lon, x.public_lat]},
                         "properties": listing_summary(x, language)}
                        for x in db.session.scalars(query)]
            assert map_features(query, language) == expected
    assert expected[-1]["properties"]["thumbnail"].endswith("/media/b-thumb.jpg")


@pytest.mark.parametrize("query", [
    "/api/v1/listings?buurt=", "/api/v1/listings?q=%20%20", "/api/v1/listings?kind=offer&kind=request",
    "/api/v1/listings?limit=5&limit=6", "/api/v1/buurten?gemeente=null&gemeente=null",
    "/api/v1/buurten?gemeente=", "/api/v1/buurten?gemeente=null", "/api/v1/buurten?bbox=",
])
def test_parameters_given_twice_empty_or_malformed_are_refused(client, gemeente, query):
    response = client.get(query)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.json["param"] in query


def test_a_wrong_method_says_which_methods_work(client, gemeente):
    response = client.post("/api/v1/listings")
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}
    assert response.mimetype == "application/problem+json"
    assert client.delete("/kaart").headers["Allow"]


def test_answers_are_public_whatever_cookie_comes_along(client, auth, make_user, make_listing):
    """The language comes from Accept-Language alone, and no answer varies by cookie, so a
    shared cache may keep them."""
    make_listing(title="Moestuin")
    auth.login(make_user(locale="nl"))
    client.post("/taal", data={"language": "nl"})
    for path in ("/api/v1/listings", "/api/v1/buurten/zoeken?q=cen", "/api/v1/openapi.json"):
        answer = client.get(path, headers={"Accept-Language": "en"})
        assert answer.status_code == 200
        assert "Cookie" not in answer.headers["Vary"]
        assert "Accept-Language" in answer.headers["Vary"]
    problem = client.get("/api/v1/listings?bbox=x", headers={"Accept-Language": "en"})
    assert problem.status_code == 400 and "Give the area" in problem.json["detail"]
    assert "Cookie" not in problem.headers["Vary"]
    # Pages still follow the person's own choice.
    assert "Cookie" in client.get("/kaart", headers={"Accept-Language": "en"}).headers["Vary"]


def test_the_buurt_that_holds_a_point(client, gemeente):
    inside = client.get("/api/v1/buurten?at=52.495,3.69").json
    assert inside["numberReturned"] == 1 and inside["features"][0]["properties"]["name"]
    assert client.get("/api/v1/buurten?at=52.0,3.0").json["features"] == []  # at sea
    for bad in ("52.495", "abc,def", "91,3.69", "52.4,181", ""):
        response = client.get(f"/api/v1/buurten?at={bad}")
        assert response.status_code == 400 and response.json["param"] == "at"
