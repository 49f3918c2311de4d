"""Choosing a buurt or gemeente among the whole country's: the search, its JSON endpoints, the
picker field with and without JavaScript, and the pages that used to list every buurt."""

import re

import pytest
import sqlalchemy as sa

from marketplace.auth.models import Role, User
from marketplace.extensions import db
from marketplace.geo.importer import import_buurten
from marketplace.geo.models import Buurt, Gemeente
from marketplace.geo.search import find_buurten, find_gemeenten, words_of

# Far from the demo gemeente, so nothing overlaps it.
ORIGIN_LON, ORIGIN_LAT = 6.0, 53.0


def many_gemeenten(count: int, buurten_per_gemeente: int = 3, first_code: int = 1001) -> dict:
    """``count`` gemeenten named "Plaats 1001"… each with a "Centrum" and a few other buurten,
    like the real country where 43 gemeenten have a buurt called Centrum."""
    features = []
    for g in range(count):
        number = first_code + g
        for b in range(buurten_per_gemeente):
            west = ORIGIN_LON + g * 0.01
            south = ORIGIN_LAT + b * 0.01
            ring = [[west, south], [west + 0.01, south], [west + 0.01, south + 0.01],
                    [west, south + 0.01], [west, south]]
            features.append({"type": "Feature", "properties": {
                "buurtcode": f"BU{number:04d}01{b:02d}", "wijkcode": f"WK{number:04d}01",
                "wijknaam": "Kern", "gemeentecode": f"GM{number:04d}",
                "gemeentenaam": f"Plaats {number}",
                "buurtnaam": "Centrum" if b == 0 else f"Buurt {b} van {number}"},
                "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return {"type": "FeatureCollection", "features": features}


@pytest.fixture
def country(gemeente):
    """The demo gemeente and 30 more, each with its own Centrum."""
    import_buurten(many_gemeenten(30))
    db.session.commit()
    return gemeente


def test_words_drop_accents_case_and_punctuation():
    assert words_of("  Café-Zuid, ’s-Hertogenbosch ") == ["cafe", "zuid", "s", "hertogenbosch"]
    assert words_of("%_%") == []
    assert words_of(None) == []


def test_every_word_must_match_and_the_gemeente_tells_same_names_apart(country):
    # 30 buurten called Centrum, then the 4 demo buurten of the wijk Centrum.
    found = find_buurten("centrum", limit=50)
    assert [m.name for m in found[:30]] == ["Centrum"] * 30 and len(found) == 34
    [match] = find_buurten("centrum plaats 1017")
    assert (match.code, match.label) == ("BU10170100", "Centrum, Plaats 1017")
    assert find_buurten("binnenstad")[0].label == "Binnenstad, Buurtstad (demo)"
    assert find_buurten("BU99990101")[0].name == "Binnenstad"
    assert find_buurten("") == [] and find_buurten("zzzz") == []
    # LIKE's wildcards never reach the database: only letters and digits are looked for.
    assert find_buurten("%") == [] and find_buurten("_%_") == []


def test_the_buurts_own_name_ranks_above_its_gemeente(country):
    # "buurt" starts "Buurt 1 van…" and is also in "Buurtstad": the buurt names come first.
    names = [m.name for m in find_buurten("buurt", limit=5)]
    assert all(name.startswith("Buurt ") for name in names)
    assert len(find_buurten("centrum", limit=7)) == 7


def test_search_within_one_gemeente(country):
    gemeente = db.session.scalar(sa.select(Gemeente).where(Gemeente.code == "GM1005"))
    assert [m.code for m in find_buurten("centrum", gemeente_id=gemeente.id)] == ["BU10050100"]


def test_gemeenten_by_name_or_code(country):
    assert [g.code for g in find_gemeenten("plaats 102")] == [
        "GM1020", "GM1021", "GM1022", "GM1023", "GM1024", "GM1025", "GM1026", "GM1027",
        "GM1028", "GM1029"]
    assert [g.name for g in find_gemeenten("gm9999")] == ["Buurtstad (demo)"]


def test_buurt_suggestions_endpoint(client, country):
    response = client.get("/api/v1/buurten/zoeken?q=centrum+1017")
    assert response.status_code == 200
    assert response.json == {"results": [{
        "code": "BU10170100", "name": "Centrum", "label": "Centrum, Plaats 1017", "wijk": "Kern",
        "gemeente": "Plaats 1017", "gemeente_code": "GM1017", "postcode": None}]}
    assert len(client.get("/api/v1/buurten/zoeken?q=centrum").json["results"]) == 10
    assert len(client.get("/api/v1/buurten/zoeken?q=centrum&limit=20").json["results"]) == 20
    assert client.get("/api/v1/buurten/zoeken?q=centrum&gemeente=GM1003").json["results"][0][
        "code"] == "BU10030100"
    assert client.get("/api/v1/buurten/zoeken?q=centrum&gemeente=GM0000").json == {"results": []}
    assert client.get("/api/v1/buurten/zoeken?q=").status_code == 400  # empty, as for every API param
    assert client.get("/api/v1/buurten/zoeken").json == {"results": []}


@pytest.mark.parametrize("query, param", [
    ("q=centrum&limit=21", "limit"), ("q=centrum&limit=x", "limit"),
    ("q=centrum&gemeente=Utrecht", "gemeente"), ("q=" + "a" * 61, "q")])
def test_buurt_suggestions_refuse_bad_parameters(client, country, query, param):
    response = client.get(f"/api/v1/buurten/zoeken?{query}", headers={"Accept-Language": "nl"})
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.json["param"] == param


def test_gemeente_suggestions_endpoint(client, country):
    assert client.get("/api/v1/gemeenten?q=buurtstad").json == {"results": [
        {"code": "GM9999", "name": "Buurtstad (demo)", "label": "Buurtstad (demo)"}]}
    assert client.get("/api/v1/gemeenten?q=x&limit=0").status_code == 400


def _fresh(user: User) -> User:
    """The person as the database has them now (the views changed them in another session)."""
    db.session.expire_all()
    return db.session.get(User, user.id)


# The profile: the picker field without JavaScript (typed words) and with it (a chosen code).

def _profile(client, **fields):
    data = {"display_name": "Anna", "locale": "nl", **fields}
    return client.post("/mijn-account/", data=data)


def test_profile_takes_a_typed_buurt_that_fits_one(client, auth, make_user, country):
    user = make_user()
    auth.login(user)
    response = _profile(client, home_buurt="centrum 1017")
    assert response.status_code == 302
    assert _fresh(user).home_buurt.code == "BU10170100"


def test_profile_offers_the_matches_when_words_fit_several(client, auth, make_user, country):
    user = make_user()
    auth.login(user)
    response = _profile(client, home_buurt="centrum plaats 101")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Which one do you mean?" in page or "Welke bedoel je?" in page
    assert page.count('name="home_buurt-keuze"') == 8  # the first few, as radio buttons
    assert _fresh(user).home_buurt is None
    # Choosing one of them saves it.
    assert _profile(client, **{"home_buurt": "centrum plaats 101",
                               "home_buurt-keuze": "BU10120100"}).status_code == 302
    assert _fresh(user).home_buurt.code == "BU10120100"


def test_profile_says_when_no_buurt_fits_and_keeps_the_old_one(client, auth, make_user, country):
    user = make_user()
    auth.login(user)
    _profile(client, **{"home_buurt": "Stationsbuurt", "home_buurt-keuze": "BU99990102"})
    response = _profile(client, **{"home_buurt": "Atlantis", "home_buurt-keuze": "BU99990102"})
    assert response.status_code == 400
    assert "Atlantis" in response.get_data(as_text=True)
    assert _fresh(user).home_buurt.code == "BU99990102"
    # Emptying the box forgets the buurt, whatever code the page still carried.
    assert _profile(client, **{"home_buurt": "", "home_buurt-keuze": "BU99990102"}
                    ).status_code == 302
    assert _fresh(user).home_buurt is None


def test_what_was_typed_beats_a_code_left_on_the_page(client, auth, make_user, country):
    """Without JavaScript the hidden code of the old buurt is sent along with new words."""
    user = make_user()
    auth.login(user)
    _profile(client, home_buurt="binnenstad")
    assert _fresh(user).home_buurt.code == "BU99990101"
    assert _profile(client, **{"home_buurt": "Watertoren", "home_buurt-keuze": "BU99990101"}
                    ).status_code == 302
    assert _fresh(user).home_buurt.name == "Watertoren"
    # A chosen code that fits the words is taken as it is (the suggestion or match chosen).
    assert _profile(client, **{"home_buurt": "centrum", "home_buurt-keuze": "BU10200100"}
                    ).status_code == 302
    assert _fresh(user).home_buurt.code == "BU10200100"


def test_profile_shows_the_buurt_with_its_gemeente(client, auth, make_user, country):
    user = make_user()
    user.home_buurt = db.session.scalar(sa.select(Buurt).where(Buurt.code == "BU10040100"))
    db.session.commit()
    auth.login(user)
    page = client.get("/mijn-account/").get_data(as_text=True)
    assert 'value="Centrum, Plaats 1004"' in page
    assert 'name="home_buurt-keuze" value="BU10040100"' in page
    assert "<option" not in page.split('id="home_buurt"')[1].split("</div>")[0]


# The map page's filter.

def test_map_filter_by_code_text_or_choice(client, make_listing, country):
    listing = make_listing(title="Moestuin")
    code = listing.buurt.code
    for query in (f"buurt={code}", f"buurt={listing.buurt.name}",
                  f"buurt={listing.buurt.name}&buurt-keuze={code}",
                  f"buurt={listing.buurt.name}&buurt-keuze=BU99990304"):
        page = client.get(f"/kaart?{query}").get_data(as_text=True)
        assert "Moestuin" in page, query
        assert f"buurt={code}" in page.split('data-query="')[1].split('"')[0]
    other = client.get("/kaart?buurt=BU99990304").get_data(as_text=True)
    assert "Moestuin" not in other.split('class="list-panel"')[1]


def test_map_filter_for_an_unknown_buurt_finds_nothing_and_says_why(client, make_listing,
                                                                      country):
    make_listing(title="Moestuin")
    response = client.get("/kaart?buurt=Atlantis")
    page = response.get_data(as_text=True)
    assert "Atlantis" in page.split('class="error-summary"')[1]
    assert "Moestuin" not in page.split('class="list-panel"')[1]


def test_pages_never_carry_every_buurt(client, auth, make_user, country):
    import_buurten(many_gemeenten(300, buurten_per_gemeente=5, first_code=2001))
    db.session.commit()
    admin = make_user(Role.ADMIN)
    auth.login(admin)
    for url in ("/", "/kaart", "/mijn-account/", "/gemeenten", "/beheer/gemeenten",
                f"/beheer/gebruikers/{admin.id}", "/gemeente/GM9999/verantwoording"):
        page = client.get(url).get_data(as_text=True)
        assert len(re.findall(r"Buurt \d van 2", page)) == 0, url
        assert len(re.findall(r"Plaats 2\d{3}", page)) <= 50, url
        assert len(page) < 100_000, url


# Finding one's buurt, the home page and the gemeente index.

def test_find_a_buurt_goes_to_its_page(client, country):
    response = client.get("/buurten?buurt=centrum+1017")
    assert response.status_code == 302
    assert response.location.endswith("/buurt/BU10170100")
    ambiguous = client.get("/buurten?buurt=centrum")
    assert ambiguous.status_code == 400
    assert ambiguous.get_data(as_text=True).count('name="buurt-keuze"') == 8
    assert client.get("/buurten?buurt=centrum&buurt-keuze=BU10030100").location.endswith(
        "/buurt/BU10030100")
    assert client.get("/buurten").status_code == 200


def test_the_buurt_at_a_position(client, country):
    inside = client.get("/buurten/hier?plek=53.005,6.175")
    assert inside.status_code == 302 and inside.location.endswith("/buurt/BU10180100")
    assert client.get("/buurten/hier?plek=40.0,-30.0").status_code == 404
    assert client.get("/buurten/hier?plek=nergens").status_code == 400


def test_home_shows_ones_own_buurt_or_a_way_to_find_it(client, auth, make_user, make_listing,
                                                      country):
    listing = make_listing(title="Moestuin")
    page = client.get("/").get_data(as_text=True)
    assert 'name="buurt"' in page and "Plaats 1017" not in page
    assert "31" in page.split('id="gemeenten-title"')[1]  # a count and a link, not 31 cards
    user = make_user()
    user.home_buurt = listing.buurt
    db.session.commit()
    auth.login(user)
    page = client.get("/").get_data(as_text=True)
    assert f"{listing.buurt.name}, Buurtstad (demo)" in page
    assert "Moestuin" in page.split('id="own-buurt-title"')[1]


def test_gemeente_index_is_paged_and_searchable(client, country):
    first = client.get("/gemeenten").get_data(as_text=True)
    assert first.count('class="card"') == 25
    assert "Pagina 1 van 2" in first or "Page 1 of 2" in first
    assert client.get("/gemeenten?page=2").get_data(as_text=True).count('class="card"') == 6
    found = client.get("/gemeenten?q=plaats+1007").get_data(as_text=True)
    assert found.count('class="card"') == 1 and "Plaats 1007" in found
    assert client.get("/gemeenten?q=atlantis").status_code == 200


def test_admin_gemeenten_page_is_paged_and_searchable(client, auth, make_user, country):
    auth.login(make_user(Role.ADMIN))
    page = client.get("/beheer/gemeenten?q=plaats").get_data(as_text=True)
    assert page.count("<tr>") == 31  # a header and 30 rows
    assert "GM1029" in client.get("/beheer/gemeenten?q=1029").get_data(as_text=True)


# Admin and moderation pages pick with the same field.

def test_admin_gives_a_wijkwerker_a_gemeente_and_a_buurt_by_typing(client, auth, make_user,
                                                                   country):
    auth.login(make_user(Role.ADMIN))
    worker = make_user()
    # The buurt is looked for in the gemeente typed in the same form.
    response = client.post(f"/beheer/gebruikers/{worker.id}", data={
        "roles": "wijkwerker", "gemeente": "Plaats 1008", "add_buurt": "centrum", "active": "y"})
    assert response.status_code == 302
    worker = _fresh(worker)
    assert worker.gemeente.code == "GM1008"
    assert [b.code for b in worker.buurten] == ["BU10080100"]  # only this gemeente's Centrum
    page = client.get(f"/beheer/gebruikers/{worker.id}").text
    assert 'value="Plaats 1008"' in page and "Centrum (Kern)" in page
    # Unticking takes it away again (as staff, who need no area).
    assert client.post(f"/beheer/gebruikers/{worker.id}", data={
        "roles": "staff", "gemeente": "Plaats 1008", "active": "y"}).status_code == 302
    assert _fresh(worker).buurten == []


def test_admin_types_a_gemeente_code_or_a_name_with_accents(client, auth, make_user, country):
    collection = many_gemeenten(1, buurten_per_gemeente=1, first_code=1900)
    collection["features"][0]["properties"]["gemeentenaam"] = "Súdwest-Fryslân"
    import_buurten(collection)
    db.session.commit()
    auth.login(make_user(Role.ADMIN))
    worker = make_user()
    for typed in ("GM1900", "sudwest", "Súdwest-Fryslân"):
        response = client.post(f"/beheer/gebruikers/{worker.id}", data={
            "roles": "staff", "gemeente": typed, "active": "y"})
        assert response.status_code == 302, typed
        assert _fresh(worker).gemeente.code == "GM1900"
    assert [g.code for g in find_gemeenten("fryslan")] == ["GM1900"]
    assert "Súdwest-Fryslân" in client.get("/gemeenten?q=sudwest").text


def test_admin_gemeente_field_offers_matches(client, auth, make_user, country):
    auth.login(make_user(Role.ADMIN))
    worker = make_user()
    response = client.post(f"/beheer/gebruikers/{worker.id}", data={
        "roles": "staff", "gemeente": "plaats", "active": "y"})
    assert response.status_code == 400
    assert response.get_data(as_text=True).count('name="gemeente-keuze"') == 8
    assert not _fresh(worker).roles


def test_moderator_moves_a_listing_to_a_typed_buurt(client, auth, make_user, make_listing,
                                                   country):
    listing = make_listing(title="Moestuin")
    auth.login(make_user(Role.ADMIN))
    response = client.post(f"/moderatie/aanbod/{listing.id}/verplaatsen", data={
        "category": listing.category_id, "buurt": "Watertoren", "reason": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(listing), listing.id).buurt.name == "Watertoren"
    # Another gemeente's buurt cannot be chosen here.
    response = client.post(f"/moderatie/aanbod/{listing.id}/verplaatsen", data={
        "category": listing.category_id, "buurt": "centrum 1003", "reason": ""})
    assert response.status_code == 400


def test_accents_and_capitals_do_not_matter(country):
    collection = many_gemeenten(1, buurten_per_gemeente=1, first_code=1900)
    collection["features"][0]["properties"].update(gemeentenaam="Súdwest-Fryslân",
                                                   buurtnaam="Âldegea", postcode="8711")
    import_buurten(collection)
    db.session.commit()
    for typed in ("sudwest", "Súdwest fryslân", "ALDEGEA", "aldeg 871", "bu1900"):
        assert [m.code for m in find_buurten(typed)] == ["BU19000100"], typed
    assert find_buurten("aldegea")[0].label == "Âldegea, Súdwest-Fryslân"
