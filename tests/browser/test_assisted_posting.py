"""A wijkwerker helps a resident without e-mail: registers her with her consent, posts an
initiative and responds in her name, passes her news on by letter, and gives her a code with
which she takes the account over herself."""

import re

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from marketplace.auth.models import Role
from marketplace.commitments.services import respond
from marketplace.extensions import db
from marketplace.listings.models import Listing
from tests.browser.conftest import local_errors, log_in


def test_a_wijkwerker_posts_and_responds_for_a_resident_who_takes_over_later(
        phone: Page, live_server, gemeente, make_user, make_listing):
    page = phone
    make_user(Role.WIJKWERKER, email="wim@example.org", display_name="Wim",
              gemeente=gemeente, wijken=gemeente.wijken)
    neighbours = make_listing(title="Schoonmaakdag", lat=52.4852, lon=3.7102)
    log_in(page, live_server, "wim@example.org")

    page.get_by_text("Menu").click()
    page.get_by_role("link", name="Een bewoner helpen").click()
    page.get_by_role("link", name="Bewoner inschrijven").click()
    page.get_by_label("Naam die anderen zien").fill("Mevrouw Jansen")
    page.get_by_label("Per brief").check()
    page.get_by_label("Postadres of mobiel nummer").fill("Dorpsstraat 1\n9999 AA Buurtstad")
    page.get_by_label("Persoonlijk").check()
    page.get_by_label("De bewoner vindt het goed").check()
    page.get_by_role("button", name="Inschrijven").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mevrouw Jansen")

    page.get_by_role("button", name="Nu helpen").click()
    expect(page.locator(".notice-helping")).to_contain_text("Je helpt nu Mevrouw Jansen")
    page.get_by_role("link", name="Een initiatief").click()
    page.get_by_label("Titel").fill("Bankje bij de vijver")
    page.get_by_label("Beschrijving").fill("Een bank om even uit te rusten bij de vijver.")
    page.get_by_label("Categorie").select_option(label="Groen")
    picker = page.locator("#picker-map")
    picker.scroll_into_view_if_needed()
    box = picker.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("[data-picker-status]")).to_contain_text("Plek gekozen")
    need = page.locator(".resource-row").first
    need.get_by_label("Soort").select_option("volunteers")
    need.get_by_label("Wat precies").fill("Sjouwers")
    need.get_by_label("Hoeveel").fill("2")
    need.get_by_label("Eenheid").fill("personen")
    page.get_by_role("button", name="Publiceren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bankje bij de vijver")
    expect(page.get_by_text("Geplaatst met hulp van de gemeente")).to_be_visible()
    expect(page.get_by_text("door Mevrouw Jansen")).to_be_visible()

    page.goto(f"{live_server}/l/{neighbours.id}")
    page.get_by_role("button", name="Ik help mee").click()
    expect(page.get_by_role("status").first).to_contain_text("Dank je wel!")
    page.get_by_role("button", name="Stoppen met helpen").click()
    expect(page.get_by_role("status").first).to_contain_text("Je werkt weer als jezelf")

    # A neighbour answers her initiative: the news waits for the wijkwerker to pass on.
    bench = db.session.scalar(sa.select(Listing).where(Listing.title == "Bankje bij de vijver"))
    respond(make_user(display_name="Henk"), bench.resources[0], 1)
    db.session.commit()
    page.reload()
    expect(page.get_by_text("Henk heeft gereageerd op “Bankje bij de vijver”").first).to_be_visible()
    page.get_by_role("link", name="Brief om te printen").click()
    expect(page.locator(".letter")).to_contain_text("Beste Mevrouw Jansen")
    expect(page.locator(".letter")).to_contain_text("Dorpsstraat 1")
    page.get_by_role("link", name="Terug naar Mevrouw Jansen").click()
    page.get_by_role("button", name="Zet de gekozen berichten op doorgegeven").click()
    expect(page.get_by_text("Er wacht niets")).to_be_visible()

    page.get_by_role("button", name="Maak een overnamecode").click()
    code = re.search(r"[A-Z2-9]{5}-[A-Z2-9]{5}", page.locator(".takeover-code").inner_text())[0]
    page.get_by_text("Menu").click()
    page.get_by_role("button", name="Uitloggen").click()

    page.goto(live_server + "/inloggen")
    page.get_by_role("link", name="Je account overnemen").click()
    page.get_by_label("Overnamecode").fill(code)
    page.get_by_label("E-mailadres").fill("jansen@example.org")
    page.get_by_label("Wachtwoord").fill("een lange zin als wachtwoord")
    page.get_by_label("Ik heb de privacyverklaring gelezen").check()
    page.get_by_role("button", name="Mijn account overnemen").click()
    expect(page.locator(".flash-success")).to_contain_text("Het account is nu van jou")
    expect(page.get_by_text("Bankje bij de vijver").first).to_be_visible()
    assert local_errors(page) == []
