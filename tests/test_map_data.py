"""The map's counts per cell, its data versions and its tiles: counts add up to the matching
public listings, a write changes the validators of its own area only, answers come again as 304
or from the cache without asking the database."""

import os
from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace import clock
from marketplace.extensions import db
from marketplace.listings import services
from marketplace.listings.categories import category_by_slug
from marketplace.listings.models import Category, Listing, ListingKind, ListingStatus
from marketplace.mapdata import grid
from marketplace.mapdata.models import MapCell
from marketplace.mapdata.queries import PIN_LIMIT
from marketplace.mapdata.triggers import SQLITE_TRIGGERS, rebuild_statements

DEMO = (52.485, 3.72)  # the demo gemeente
UTRECHT = (52.09, 5.12)  # far from it: another versioned area


def tile_at(point, level):
    x, y = grid.cell_of(*point, level)
    return f"/api/v1/map/{level}/{x}/{y}"


def total(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.text
    body = response.get_json()
    assert body["count"] == sum(c[2] for c in body["clusters"]) + len(body["pins"]) or \
        not body["pins"]
    return body["count"]


@pytest.fixture
def varied(make_listing, make_user):
    """Listings of every kind, some closed, one hidden, one of a suspended person."""
    owner, other = make_user(), make_user()
    made = [
        make_listing(ListingKind.INITIATIVE, owner=owner, lat=52.495, lon=3.69),
        make_listing(ListingKind.INITIATIVE, owner=owner, lat=52.48, lon=3.74,
                     category="spelen", title="Speeltuin"),
        make_listing(ListingKind.OFFER, owner=other, lat=52.49, lon=3.70, title="Ladder"),
        make_listing(ListingKind.REQUEST, owner=other, lat=52.475, lon=3.73, title="Boor"),
        make_listing(ListingKind.OFFER, owner=other, lat=52.478, lon=3.71, title="Ladder 2"),
    ]
    services.change_status(other, made[4], ListingStatus.CLOSED)
    hidden = make_listing(ListingKind.OFFER, owner=other, lat=52.49, lon=3.72)
    hidden.hidden_at = clock.now()
    draft = make_listing(ListingKind.REQUEST, owner=other, publish=False)
    db.session.commit()
    return {"owner": owner, "other": other, "listings": made, "hidden": hidden, "draft": draft}


@pytest.mark.parametrize("level", [3, 7, 9, 11, 12, 14])
def test_counts_add_up_to_the_matching_public_listings(client, varied, level):
    """Every level, counted (map_cell) or counted on the spot: open and running listings by
    default; never the hidden one or the draft."""
    # The listings straddle tiles at the deeper levels: add up all tiles over them.
    (west, south), (east, north) = grid.cell_of(52.47, 3.68, level), grid.cell_of(52.50, 3.76, level)
    tiles = [f"/api/v1/map/{level}/{x}/{y}" for x in range(west, east + 1)
             for y in range(south, north + 1)]
    assert sum(total(client, tile) for tile in tiles) == 4
    assert sum(total(client, tile + "?kind=offer,request") for tile in tiles) == 2
    assert sum(total(client, tile + "?category=spelen") for tile in tiles) == 1
    assert sum(total(client, tile + "?status=closed") for tile in tiles) == 1
    assert sum(total(client, tile + "?status=open,running,closed") for tile in tiles) == 5
    assert sum(total(client, tile + "?q=moestuin") for tile in tiles) == 1  # counted on the spot
    assert sum(total(client, tile + "?kind=offer&q=ladder") for tile in tiles) == 1


def test_clusters_carry_counts_per_kind(client, varied):
    body = client.get(tile_at(DEMO, 5)).get_json()
    assert body["pins"] == [] and len(body["clusters"]) == 1
    lat, lon, count, initiatives, offers, requests = body["clusters"][0]
    assert (count, initiatives, offers, requests) == (4, 2, 1, 1)
    assert 52.47 < lat < 52.50 and 3.68 < lon < 3.76  # the mean of the listings' points
    assert body["kinds"] == ["initiative", "offer", "request"]


def test_a_small_tile_with_few_listings_shows_pins(client, varied):
    x, y = grid.cell_of(52.495, 3.69, 14)
    body = client.get(f"/api/v1/map/14/{x}/{y}").get_json()
    assert body["clusters"] == []
    titles = [pin[4] for pin in body["pins"]]
    assert titles == ["Moestuin op het plein"]
    listing_id = body["pins"][0][0]
    assert body["listing_url"].replace("{id}", str(listing_id)).endswith(f"/l/{listing_id}")
    geojson = client.get(f"/api/v1/map/14/{x}/{y}?format=geojson")
    assert geojson.mimetype == "application/geo+json"
    feature = geojson.get_json()["features"][0]
    assert feature["properties"]["cluster"] is False
    assert feature["properties"]["url"].endswith(f"/l/{listing_id}")


def test_a_busy_tile_clusters_even_at_street_level(client, gemeente, make_user):
    """More than PIN_LIMIT listings in one tile: clusters, counted on the spot."""
    owner = make_user()
    groen = category_by_slug("groen")
    buurt_id, gemeente_id = _any_buurt()
    rows = [{"kind": ListingKind.OFFER, "status": ListingStatus.OPEN, "title": f"Aanbod {n}",
             "description": "x", "category_id": groen.id, "owner_id": owner.id,
             "buurt_id": buurt_id, "gemeente_id": gemeente_id, "lat": 52.495, "lon": 3.69,
             "public_lat": 52.495 + n * 1e-6, "public_lon": 3.69, "blur_seed": "s",
             "created_at": clock.now()}
            for n in range(PIN_LIMIT + 1)]
    db.session.execute(sa.insert(Listing), rows)
    db.session.commit()
    body = client.get(tile_at((52.495, 3.69), 14)).get_json()
    assert body["pins"] == [] and body["count"] == PIN_LIMIT + 1


def _any_buurt():
    from marketplace.geo.models import Buurt, Wijk

    return db.session.execute(sa.select(Buurt.id, Wijk.gemeente_id).join(Buurt.wijk)
                              .limit(1)).one()


def test_a_suspended_persons_listings_leave_the_counts_while_it_lasts(client, varied):
    other = varied["other"]
    assert total(client, tile_at(DEMO, 5)) == 4
    other.suspended_until = clock.now() + timedelta(days=3)
    db.session.commit()
    assert total(client, tile_at(DEMO, 5)) == 2
    assert total(client, tile_at(DEMO, 14) + "?kind=offer") == 0
    other.suspended_until = clock.now() - timedelta(seconds=1)  # it ran out
    db.session.commit()
    assert total(client, tile_at(DEMO, 5)) == 4


def _cells() -> dict:
    rows = db.session.execute(sa.select(MapCell).where(MapCell.listings != 0)).scalars()
    return {(c.level, c.x, c.y, c.kind, c.status, c.category_id):
            (c.listings, round(c.lat_sum, 6), round(c.lon_sum, 6)) for c in rows}


def assert_counts_as_a_rebuild_makes_them() -> None:
    """The kept counts equal the counts made from scratch (which are then rolled back)."""
    db.session.expire_all()
    kept = _cells()
    for statement in rebuild_statements(db.engine.dialect.name):
        db.session.execute(sa.text(statement))
    assert _cells() == kept
    db.session.rollback()


def test_triggers_keep_the_counts_that_a_rebuild_would_make(app, varied, make_listing):
    """Whatever way a listing changes (form, conditional status update, moderation, moving,
    deleting), the kept counts equal the counts made from scratch."""
    first, second = varied["listings"][:2]
    services.change_status(varied["owner"], first, ListingStatus.RUNNING)
    second.category = category_by_slug("klussen")
    second.public_lat, second.public_lon = 52.4801, 3.7401
    varied["hidden"].hidden_at = None
    db.session.delete(varied["listings"][3])
    db.session.commit()
    assert_counts_as_a_rebuild_makes_them()


def test_the_triggers_exist_at_the_head(app):
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        names = set(connection.execute(sa.text(
            "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'map_%'")).scalars())
        assert names == {"map_listing_changed", "map_photo_changed", "map_category_changed",
                         "map_buurt_changed"}
    else:
        names = set(connection.execute(sa.text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'map_%'"))
            .scalars())
        assert names == set(SQLITE_TRIGGERS)


def etag(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.headers["ETag"]


def test_a_write_changes_the_validators_of_its_area_and_only_those(client, make_listing,
                                                                   make_user, gemeente):
    here, there = tile_at(DEMO, 12), tile_at(UTRECHT, 12)
    everywhere = "/api/v1/listings"
    before = {url: etag(client, url) for url in (here, there, everywhere)}
    listing = make_listing(owner=make_user(), lat=DEMO[0], lon=DEMO[1])
    after = {url: etag(client, url) for url in (here, there, everywhere)}
    assert after[here] != before[here] and after[everywhere] != before[everywhere]
    assert after[there] == before[there]

    # A change the map shows (the title of a pin) is a change; one it does not show is not.
    listing.title = "Moestuin aan de gracht"
    db.session.commit()
    renamed = etag(client, here)
    assert renamed != after[here]
    listing.comments_locked = True
    db.session.commit()
    assert etag(client, here) == renamed
    listing.description = "Nu ook met kruiden."  # a text filter may find it now
    db.session.commit()
    assert etag(client, here) != renamed

    # A category's name is in every answer: renaming one changes them all.
    category = db.session.scalar(sa.select(Category).where(Category.slug == "groen"))
    category.name_en = "Green spaces"
    db.session.commit()
    assert etag(client, there) != after[there]


def test_a_conditional_request_is_answered_304_without_the_database(app, client, varied):
    app.config["MAP_VERSION_CHECK_SECONDS"] = 60
    url = tile_at(DEMO, 9)
    first = client.get(url)
    statements = []

    def count(*_args):
        statements.append(1)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        cached = client.get(url)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert cached.status_code == 200 and cached.data == first.data
    assert statements == []


def test_map_answers_are_for_shared_caches(client, varied):
    response = client.get(tile_at(DEMO, 9), headers={"Accept-Encoding": "br, gzip",
                                                     "Cookie": "session=whatever"})
    assert response.headers["Cache-Control"] == "public, no-cache"
    assert response.headers["ETag"].startswith('W/"')
    assert response.headers["Content-Encoding"] == "br"
    vary = {v.strip().lower() for v in response.headers["Vary"].split(",")}
    assert vary == {"accept-encoding"}  # no cookie, and no language in a tile
    assert "Set-Cookie" not in response.headers
    gzipped = client.get(tile_at(DEMO, 9), headers={"Accept-Encoding": "gzip"})
    assert gzipped.headers["Content-Encoding"] == "gzip"


@pytest.mark.parametrize(("url", "status", "param"), [
    ("/api/v1/map/3/8/0", 404, None),
    ("/api/v1/map/17/0/0", 404, None),
    ("/api/v1/map/5/16/22?format=kml", 400, "format"),
    ("/api/v1/map/5/16/22?bbox=3,52,4,53", 400, "bbox"),
    ("/api/v1/map/5/16/22?kind=bike", 400, "kind"),
    ("/api/v1/map/5/16/22?category=nope", 400, "category"),
])
def test_bad_tile_requests_get_a_problem(client, url, status, param):
    response = client.get(url)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    if param:
        assert response.get_json()["param"] == param


def test_an_unchanged_tile_is_answered_before_the_app(app, client, varied):
    """The light path answers 304 without a request context: no session, no security headers,
    no query; a changed area or other parameters go on to the app."""
    app.config["MAP_VERSION_CHECK_SECONDS"] = 60
    url = tile_at(DEMO, 9)
    tag = client.get(url + "?kind=offer").headers["ETag"]
    statements = []

    def count(*_args):
        statements.append(1)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        fast = client.get(url + "?kind=offer", headers={"If-None-Match": f'"x", {tag}'})
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert fast.status_code == 304 and fast.headers["ETag"] == tag and statements == []
    assert "Content-Security-Policy" not in fast.headers  # the app never saw it
    other = client.get(url + "?kind=request", headers={"If-None-Match": tag})
    assert other.status_code == 200 and other.headers["ETag"] != tag


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL is not set")
def test_servers_share_built_answers_through_redis(app_config, make_app, varied):
    """What one app server built, another serves from Redis without building it again."""
    config = {**app_config, "REDIS_URL": os.environ["TEST_REDIS_URL"]}
    first, second = make_app(config), make_app(config)
    assert first.config["CACHE_TYPE"] == "RedisCache"
    url = tile_at(DEMO, 9) + "?kind=initiative"
    with first.app_context():
        built = first.test_client().get(url, headers={"Accept-Encoding": "gzip"})
    statements = []

    def count(_conn, _cursor, statement, *_args):
        if "map_version" not in statement and "suspended_until" not in statement:
            statements.append(statement)  # the data versions are read, the answer is not built

    with second.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", count)
        served = second.test_client().get(url, headers={"Accept-Encoding": "gzip"})
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert served.status_code == 200 and served.data == built.data
    assert served.headers["ETag"] == built.headers["ETag"]
    assert statements == []


def test_no_two_requests_share_a_cached_answer(client, varied):
    """An odd parameter name that spells out two parameters, or another host, must not reach
    the answer kept for the real ones (it would be served to everyone)."""
    url = tile_at(DEMO, 9)
    odd = client.get(url + "?kind%3Doffer%26status=closed")
    real = client.get(url + "?kind=offer&status=closed")
    assert odd.headers["ETag"] != real.headers["ETag"]
    assert odd.get_json()["count"] == 4 and real.get_json()["count"] == 1
    elsewhere = client.get(url, base_url="https://evil.example")
    here = client.get(url)
    assert elsewhere.headers["ETag"] != here.headers["ETag"]
    assert "evil.example" not in here.get_json()["listing_url"]


def test_a_limit_in_other_digits_is_refused(client):
    response = client.get("/api/v1/listings?limit=²")
    assert response.status_code == 400 and response.get_json()["param"] == "limit"
