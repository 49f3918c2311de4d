"""Posting, editing and showing listings through the pages, and the map page's list."""

import sqlalchemy as sa

from marketplace.auth.models import Role
from marketplace.extensions import db
from marketplace.listings.categories import category_by_slug
from marketplace.listings.models import Listing, ListingKind, ListingStatus, ResourceKind


def _form(**changes) -> dict:
    data = {
        "title": "Moestuin op het Kerkplein", "description": "Samen groente kweken naast de kerk.",
        "category": category_by_slug("groen").id, "lat": "52.495", "lon": "3.69", "address": "",
        "resources-0-kind": "volunteers", "resources-0-description": "Spitters",
        "resources-0-quantity": "4", "resources-0-unit": "personen",
        "resources-1-kind": "", "resources-1-description": "", "resources-1-quantity": "",
        "resources-1-unit": "", "publish": "Publiceren",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_resident_posts_initiative_with_need(client, auth, make_user, gemeente):
    auth.login(make_user())
    response = client.post("/nieuw/initiatief", data=_form())
    assert response.status_code == 302
    listing = db.session.scalar(sa.select(Listing))
    assert response.headers["Location"] == f"/l/{listing.id}"
    assert listing.kind is ListingKind.INITIATIVE and listing.status is ListingStatus.OPEN
    assert [(r.description, r.quantity, r.unit) for r in listing.resources] == [
        ("Spitters", 4, "personen")]
    page = client.get(f"/l/{listing.id}")
    assert "Moestuin op het Kerkplein" in page.text and "Spitters" in page.text


def test_save_as_draft(client, auth, make_user, gemeente):
    auth.login(make_user())
    client.post("/nieuw/aanbod", data=_form(publish=None, save_draft="Opslaan als concept"))
    assert db.session.scalar(sa.select(Listing)).status is ListingStatus.DRAFT


def test_bad_input_keeps_what_was_typed_and_saves_nothing(client, auth, make_user, gemeente):
    auth.login(make_user())
    response = client.post("/nieuw/initiatief", data=_form(
        title="Ab", **{"resources-0-quantity": "-3", "resources-1-description": "Gieters"}))
    assert response.status_code == 200
    assert 'value="Ab"' in response.text and "Samen groente kweken" in response.text
    assert 'value="Gieters"' in response.text
    assert "Controleer het formulier" in response.text
    assert db.session.scalar(sa.select(sa.func.count(Listing.id))) == 0


def test_spot_outside_gemeente_is_refused_clearly(client, auth, make_user, gemeente):
    auth.login(make_user())
    response = client.post("/nieuw/initiatief", data=_form(lat="52.37", lon="4.89"))
    assert response.status_code == 200
    assert "niet in een buurt" in response.text
    assert 'value="Moestuin op het Kerkplein"' in response.text


def test_typed_address_is_looked_up_without_javascript(client, auth, make_user, gemeente):
    auth.login(make_user())
    response = client.post("/nieuw/vraag", data=_form(
        lat="", lon="", address="Molenstraat 12",
        **{"resources-0-kind": "materials", "resources-0-description": "Tafels"}))
    assert response.status_code == 302
    listing = db.session.scalar(sa.select(Listing))
    assert (listing.lat, listing.lon) == (52.485, 3.71)


def test_unknown_address_and_no_spot_give_clear_messages(client, auth, make_user, gemeente):
    auth.login(make_user())
    response = client.post("/nieuw/vraag", data=_form(lat="", lon="", address="Nergensstraat 9"))
    assert "vinden dit adres niet" in response.text
    response = client.post("/nieuw/vraag", data=_form(lat="", lon="", address=""))
    assert "Kies de plek op de kaart" in response.text


def test_geocoder_failure_is_explained(client, auth, make_user, gemeente, app):
    class Broken:
        def geocode(self, *args, **kwargs):
            from geopy.exc import GeocoderUnavailable

            raise GeocoderUnavailable("no network")

    app.config["GEOCODER_INSTANCE"] = Broken()
    auth.login(make_user())
    response = client.post("/nieuw/vraag", data=_form(lat="", lon="", address="Kerkplein 1"))
    assert "Adressen zoeken lukt nu even niet" in response.text
    response = client.get("/adres-zoeken?q=Kerkplein")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"


def test_geocode_endpoint(client):
    response = client.get("/adres-zoeken?q=kerkplein")
    assert response.json["results"] == [
        {"label": "Kerkplein 1, Buurtstad", "lat": 52.495, "lon": 3.69}]
    assert client.get("/adres-zoeken?q=a").status_code == 400


def test_unconfirmed_resident_cannot_post(client, auth, make_user, gemeente):
    auth.login(make_user(confirmed=False))
    assert client.get("/nieuw/initiatief").status_code == 403
    assert client.post("/nieuw/initiatief", data=_form()).status_code == 403


def test_owner_edits_listing_and_need(client, auth, make_user, make_listing):
    owner = make_user()
    listing = make_listing(owner=owner)
    auth.login(owner)
    assert "Handen" in client.get(f"/l/{listing.id}/bewerken").text
    need = listing.resources[0]
    response = client.post(f"/l/{listing.id}/bewerken", data=_form(
        title="Moestuin, nu groter", publish=None, save="Opslaan",
        **{"resources-0-id": str(need.id), "resources-0-quantity": "9"}))
    assert response.status_code == 302
    db.session.refresh(listing)
    assert listing.title == "Moestuin, nu groter"
    assert listing.resources[0].id == need.id and listing.resources[0].quantity == 9


def test_other_resident_cannot_edit_or_close(client, auth, make_user, make_listing):
    listing = make_listing()
    auth.login(make_user())
    assert client.post(f"/l/{listing.id}/bewerken", data=_form(save="x")).status_code == 403
    assert client.post(f"/l/{listing.id}/status", data={"status": "stopped"}).status_code == 403
    db.session.refresh(listing)
    assert listing.status is ListingStatus.OPEN


def test_admin_may_edit(client, auth, make_user, make_listing):
    listing = make_listing()
    auth.login(make_user(Role.ADMIN))
    assert client.get(f"/l/{listing.id}/bewerken").status_code == 200


def test_owner_moves_status_and_wrong_step_is_refused(client, auth, make_user, make_listing):
    owner = make_user()
    listing = make_listing(owner=owner)
    auth.login(owner)
    response = client.post(f"/l/{listing.id}/status", data={"status": "realised"},
                           follow_redirects=True)
    assert "Deze stap kan nu niet" in response.text
    client.post(f"/l/{listing.id}/status", data={"status": "running"})
    client.post(f"/l/{listing.id}/status", data={"status": "realised"})
    db.session.refresh(listing)
    assert listing.status is ListingStatus.REALISED


def test_draft_is_not_public(client, auth, make_user, make_listing):
    owner = make_user()
    draft = make_listing(owner=owner, publish=False, title="Geheim plan")
    assert client.get(f"/l/{draft.id}").status_code == 404
    assert "Geheim plan" not in client.get("/kaart").text
    auth.login(owner)
    assert "Geheim plan" in client.get("/mijn-pagina").text
    assert "alleen jij" in client.get(f"/l/{draft.id}").text


def test_map_list_filters(client, make_listing):
    from marketplace.listings.models import ListingKind as K

    make_listing(title="Moestuin")
    make_listing(K.OFFER, title="Ladder te leen", category="klussen")
    make_listing(K.REQUEST, title="Gezocht: fietsje", category="spelen",
                 lat=52.475, lon=3.75)
    page = client.get("/kaart")
    assert all(t in page.text for t in ("Moestuin", "Ladder te leen", "Gezocht: fietsje"))
    page = client.get("/kaart?kind=offer")
    assert "Ladder te leen" in page.text and "Moestuin" not in page.text
    page = client.get("/kaart?category=spelen")
    assert "fietsje" in page.text and "Ladder" not in page.text
    page = client.get("/kaart?q=LADDER")
    assert "Ladder te leen" in page.text and "Moestuin" not in page.text
    page = client.get("/kaart?buurt=BU99990304")
    assert "fietsje" in page.text and "Moestuin" not in page.text
    page = client.get("/kaart?near=52.495,3.69&radius_km=1")
    assert "Moestuin" in page.text and "fietsje" not in page.text
    page = client.get("/kaart?near=52.495,3.69&radius_km=10")
    assert page.text.index("Moestuin") < page.text.index("fietsje")  # nearest first
    assert " km" in page.text


def test_bad_filters_are_explained_not_500(client, make_listing):
    make_listing(title="Moestuin")
    page = client.get("/kaart?kind=auto&near=hier&radius_km=900&bbox=1,2&category=nee")
    assert page.status_code == 200
    assert "Onbekende waarde" in page.text and "Moestuin" in page.text


def test_list_pages(client, make_user, make_listing):
    owner = make_user()
    for number in range(23):
        make_listing(owner=owner, title=f"Plan nummer {number:02d}")
    first, second = client.get("/kaart"), client.get("/kaart?page=2")
    assert first.text.count("Plan nummer") == 20 and second.text.count("Plan nummer") == 3
    assert 'rel="next"' in first.text


def test_buurt_page(client, make_user, make_listing):
    owner = make_user()
    make_listing(owner=owner, title="Moestuin")
    make_listing(owner=owner, title="Bankjes", lat=52.495, lon=3.69)
    make_listing(title="Elders", lat=52.475, lon=3.75)
    page = client.get("/buurt/BU99990101")
    assert "Binnenstad" in page.text and "Moestuin" in page.text and "Elders" not in page.text
    assert "<dt>Actieve bewoners</dt><dd>1</dd>" in page.text
    assert client.get("/buurt/BU00000000").status_code == 404


def test_description_is_plain_text_with_links(client, make_listing):
    listing = make_listing(description="Kom langs!\n<script>alert(1)</script>\nhttps://buurt.nl/plan")
    page = client.get(f"/l/{listing.id}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert '<a href="https://buurt.nl/plan" rel="nofollow ugc noopener"' in page
    assert "Kom langs!<br>" in page


def test_home_shows_the_newest_public_listings(client, make_listing):
    make_listing(title="Nieuwste plan")
    make_listing(title="Geheim concept", publish=False)
    page = client.get("/").text
    assert "Nieuwste plan" in page and "Geheim concept" not in page


def test_buurt_page_names_its_wijkwerker_and_links_the_gemeente_figures(client, make_user,
                                                                        gemeente):
    from marketplace.auth.models import Role

    centrum, oost = gemeente.wijken[0], gemeente.wijken[1]
    make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=[centrum], display_name="Wendy")
    make_user(Role.WIJKWERKER, gemeente=gemeente, buurten=[oost.buurten[0]], display_name="Omar")
    page = client.get("/buurt/BU99990101").text
    assert "Wendy" in page and "Omar" not in page
    assert "/gemeente/GM9999/verantwoording?buurt=BU99990101" in page
    assert "Omar" in client.get(f"/buurt/{oost.buurten[0].code}").text


def test_map_list_counts_up_to_a_cap(client, make_listing, monkeypatch):
    from marketplace.listings import routes

    for number in range(4):
        make_listing(title=f"Plan {number}")
    assert "4 resultaten" in client.get("/kaart").text
    monkeypatch.setattr(routes, "COUNT_CAP", 3)
    page = client.get("/kaart").text
    assert "Meer dan 3 resultaten" in page
    assert page.count("<article") == 4  # the page itself is not cut short
    assert "1 resultaat" in client.get("/kaart?q=plan+2").text
    # Ranked text search looks at the newest RANKED_AMONG matches: reaching them says "more".
    monkeypatch.setattr(routes, "RANKED_AMONG", 4)
    from marketplace.listings import search
    monkeypatch.setattr(search, "RANKED_AMONG", 4)
    assert "Meer dan 4 resultaten" in client.get("/kaart?q=plan").text


def test_no_category_is_chosen_for_the_poster(client, auth, make_user):
    auth.login(make_user())
    page = client.get("/nieuw/initiatief").text
    first_option = page.split('id="category"', 1)[1].split("<option", 2)[1]
    assert 'value=""' in first_option and "Kies een categorie…" in first_option
    response = client.post("/nieuw/initiatief", data=_form(category=""))
    assert "Kies een categorie." in response.text
    assert db.session.scalar(sa.select(sa.func.count(Listing.id))) == 0
    assert "Moestuin op het Kerkplein" in response.text  # what was typed is kept


def test_without_javascript_the_form_asks_only_for_what_works(client, auth, make_user):
    auth.login(make_user())
    page = client.get("/nieuw/initiatief").text
    assert 'id="picker-map" class="map picker-map" role="group" hidden' in page  # no empty box
    assert 'class="picker-actions" hidden' in page  # no buttons that do nothing
    assert "Tik op de kaart" not in page.split('id="address-hint"', 1)[1].split("</p>", 1)[0]
    css = client.get("/static/css/app.css").text
    assert "[hidden] { display: none !important; }" in css


def test_coordinates_pasted_from_a_map_app_place_the_listing(client, auth, make_user, gemeente):
    auth.login(make_user())
    response = client.post("/nieuw/initiatief", data=_form(lat=None, lon=None,
                                                             address="52,4951 3,6902"))
    assert response.status_code == 302
    listing = db.session.scalar(sa.select(Listing))
    assert (round(listing.lat, 4), round(listing.lon, 4)) == (52.4951, 3.6902)


def test_the_picker_opens_at_the_posters_home_buurt(client, auth, make_user, gemeente):
    home = gemeente.wijken[1].buurten[0]
    auth.login(make_user(home_buurt=home))
    page = client.get("/nieuw/initiatief").text
    assert f'data-area="{",".join(str(edge) for edge in home.bbox)}"' in page


def test_after_filtering_the_results_come_first(client, gemeente):
    page = client.get("/kaart?kind=offer&q=ladder&radius_km=2.0&status=open&status=running").text
    assert '<details class="filters-panel">' in page  # closed: the results are in view
    assert "(2 aan)" in page  # and it says which filters narrow the list
    untouched = client.get("/kaart?q=&radius_km=2.0&status=open&status=running").text
    assert "aan)" not in untouched
    assert 'action="/kaart#list-title"' in page
    wrong = client.get("/kaart?kind=nothing").text
    assert '<details class="filters-panel" open>' in wrong  # open to show what was wrong


def test_one_person_and_one_pot_not_one_personen(client, make_listing):
    from marketplace.listings.services import ResourceData
    from marketplace.listings.units import counted

    assert [counted("personen", 1), counted("personen", 2), counted("Potten", 1),
            counted("zakjes zaad", 1)] == ["persoon", "personen", "Pot", "zakjes zaad"]
    listing = make_listing(resources=[ResourceData(ResourceKind.VOLUNTEERS, "Kok", 1, "personen")])
    page = client.get(f"/l/{listing.id}").text
    assert "0 van 1 persoon geregeld" in page and "1 personen" not in page
