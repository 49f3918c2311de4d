"""A gemeente's own categories: its admins keep them, they are offered only for listings in that
gemeente, and the national ones stay the installation's."""

import re

import sqlalchemy as sa

from marketplace.auth.models import Role
from marketplace.extensions import db
from marketplace.listings.categories import category_by_slug
from marketplace.listings.models import Category, Listing
from tests.test_listings_routes import _form

# Column 3 of the demo's first row: a buurt of Buurtstad only (Andersdorp copies columns 1-2).
IN_BUURTSTAD_ONLY = {"lat": "52.495", "lon": "3.73"}


def _add_category(client, code: str, slug: str = "bollenveld", name: str = "Bollenveld"):
    return client.post(f"/beheer/gemeenten/{code}/categorieen", data={
        "name_nl": name, "name_en": "Bulb field", "slug": slug, "position": "0", "active": "y"})


def test_gemeente_admin_adds_a_category_offered_only_in_their_gemeente(
        client, auth, make_user, gemeente, other_gemeente):
    auth.login(make_user(Role.GEMEENTE_ADMIN, gemeente=other_gemeente))
    assert _add_category(client, other_gemeente.code).status_code == 302
    bollen = category_by_slug("bollenveld")
    assert bollen.gemeente_id == other_gemeente.id
    assert "Bollenveld" in client.get(f"/beheer/gemeenten/{other_gemeente.code}/categorieen").text
    assert _add_category(client, gemeente.code, "anders").status_code == 403
    auth.logout()

    # Offered to a resident of Andersdorp, not to one of Buurtstad.
    andersdorper = make_user(home_buurt=other_gemeente.wijken[0].buurten[0])
    auth.login(andersdorper)
    assert "Bollenveld" in client.get("/nieuw/initiatief").text
    # Posting it at a spot in Buurtstad: a clear answer on the field, nothing saved.
    response = client.post("/nieuw/initiatief", data=_form(category=bollen.id,
                                                           **IN_BUURTSTAD_ONLY))
    assert "is een categorie van alleen Andersdorp" in response.text
    assert db.session.scalar(sa.select(sa.func.count(Listing.id))) == 0
    auth.logout()
    auth.login(make_user(home_buurt=gemeente.wijken[0].buurten[2]))
    assert "Bollenveld" not in client.get("/nieuw/initiatief").text
    # The map offers it once a buurt of Andersdorp is chosen.
    assert "Bollenveld" not in client.get("/kaart").text
    buurt = other_gemeente.wijken[0].buurten[0]
    assert "Bollenveld" in client.get(f"/kaart?buurt={buurt.code}").text
    # Asked for by its short name, it stays chosen.
    assert re.search(r'<option value="bollenveld" selected', client.get(
        "/kaart?category=bollenveld").text)


def test_who_keeps_which_category(client, auth, make_user, gemeente, other_gemeente):
    own = Category(slug="bollenveld", name_nl="Bollenveld", name_en="Bulb field",
                   gemeente=other_gemeente)
    db.session.add(own)
    db.session.commit()
    national = category_by_slug("groen")
    change = {"name_nl": "Bollen", "name_en": "Bulbs", "slug": "bollenveld", "position": "1",
              "active": "y"}
    auth.login(make_user(Role.GEMEENTE_ADMIN, gemeente=gemeente))
    assert client.get(f"/beheer/categorieen/{own.id}").status_code == 403
    assert client.get(f"/beheer/categorieen/{national.id}").status_code == 403
    assert client.get("/beheer/categorieen").status_code == 403
    auth.logout()
    auth.login(make_user(Role.GEMEENTE_ADMIN, gemeente=other_gemeente))
    assert client.get(f"/beheer/categorieen/{national.id}").status_code == 403
    response = client.post(f"/beheer/categorieen/{own.id}", data=change)
    assert response.headers["Location"] == f"/beheer/gemeenten/{other_gemeente.code}/categorieen"
    db.session.refresh(own)
    assert own.name_nl == "Bollen"
    # A slug is unique across the country: a clear answer with a way out, not a server error.
    response = _add_category(client, other_gemeente.code, slug="groen", name="Groen")
    assert response.status_code == 400 and "gebruikt al “groen”" in response.text
    assert "“groen-andersdorp”" in response.text


def test_a_moderator_moves_only_to_a_category_the_gemeente_offers(
        client, auth, make_user, make_listing, gemeente, other_gemeente):
    from marketplace.moderation.services import ModerationRefused, recategorise

    foreign = Category(slug="bollenveld", name_nl="Bollenveld", name_en="Bulb field",
                       gemeente=other_gemeente)
    own = Category(slug="kermis", name_nl="Kermis", name_en="Fair", gemeente=gemeente)
    db.session.add_all([foreign, own])
    db.session.commit()
    wijkwerker = make_user(Role.WIJKWERKER, gemeente=gemeente, wijken=gemeente.wijken)
    listing = make_listing(lat=52.495, lon=3.73)
    assert listing.gemeente_id == gemeente.id
    auth.login(wijkwerker)
    page = client.get(f"/moderatie/aanbod/{listing.id}").text
    assert "Kermis" in page and "Bollenveld" not in page
    try:
        recategorise(wijkwerker, listing, foreign, listing.buurt, None)
        raise AssertionError("moved to another gemeente's category")
    except ModerationRefused:
        db.session.rollback()
    recategorise(wijkwerker, listing, own, listing.buurt, None)
    assert listing.category == own
