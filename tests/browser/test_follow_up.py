"""Follow-up nobody can lose: the initiator asks the gemeente for help with a need, staff pledge
an answer that covers part of it and deliver, the initiator says something is missing, staff
deliver again, and the initiator confirms; a visitor sees each step on the public page."""

from datetime import date, timedelta

from playwright.sync_api import Page, expect

from marketplace.auth.models import Role
from marketplace.listings.models import ResourceKind
from marketplace.listings.services import ResourceData
from tests.browser.conftest import local_errors, log_in


def test_ask_pledge_deliver_contest_resolve(phone: Page, second_phone: Page, browser,
                                            browser_context_args, live_server, gemeente,
                                            make_user, make_listing):
    ilse, staff = phone, second_phone
    visitor = browser.new_context(**browser_context_args).new_page()
    make_user(Role.STAFF, email="mehmet@example.org", display_name="Mehmet", gemeente=gemeente)
    initiator = make_user(email="ilse@example.org", display_name="Ilse")
    listing = make_listing(owner=initiator, title="Buurtmoestuin", resources=[
        ResourceData(ResourceKind.MATERIALS, "Plantenbakken", 10, "stuks")])
    url = f"{live_server}/l/{listing.id}"

    log_in(ilse, live_server, "ilse@example.org")
    ilse.goto(url)
    ilse.get_by_text("Vraag de gemeente om hulp hierbij").click()
    ilse.get_by_label("Waar vraag je om?").select_option("materials")
    ilse.get_by_label("Waarom vraag je het de gemeente?").fill(
        "De gemeente heeft nog bakken van de oude markt.")
    ilse.get_by_role("button", name="Vraag het de gemeente").click()
    expect(ilse.get_by_text("Wacht op antwoord van de gemeente.")).to_be_visible()

    log_in(staff, live_server, "mehmet@example.org")
    staff.goto(live_server + "/gemeente/balie")
    expect(staff.get_by_text("De gemeente heeft nog bakken van de oude markt.")).to_be_visible()
    staff.get_by_role("link", name="Buurtmoestuin").first.click()
    staff.get_by_text("Voor medewerkers van de gemeente: steun toezeggen").click()
    staff.get_by_label("Soort steun").select_option("materials")
    staff.get_by_label("Wat precies").fill("Zes plantenbakken van de markt")
    staff.get_by_label("Afdeling").fill("Wijkbeheer")
    staff.get_by_label("Uiterlijk op").fill((date.today() + timedelta(days=7)).isoformat())
    staff.get_by_label("Antwoord op de vraag van de initiatiefnemer").select_option(index=1)
    staff.get_by_label("Hoeveel van de behoefte dit dekt").fill("6")
    staff.get_by_role("button", name="Toezeggen").click()
    expect(staff.locator("#needs-title ~ ul")).to_contain_text("6 van 10 stuks geregeld")

    visitor.goto(url)
    expect(visitor.get_by_text("De gemeente antwoordde met een toezegging")).to_be_visible()

    staff.get_by_label("Wat is geleverd, of de reden").fill("Bezorgd bij de kerk")
    staff.get_by_role("button", name="Geleverd").click()
    ilse.reload()
    ilse.get_by_text("Nee, er mist iets").click()
    ilse.get_by_label("Wat mist er?").fill("Er kwamen er maar vier.")
    ilse.get_by_role("button", name="Laat het de gemeente weten").click()
    visitor.reload()
    expect(visitor.locator(".pledges .contest-note")).to_contain_text("Er kwamen er maar vier.")

    staff.goto(live_server + "/gemeente/balie")
    expect(staff.get_by_text("betwist: Er kwamen er maar vier.")).to_be_visible()
    staff.goto(url)
    staff.get_by_label("Wat is geleverd, of de reden").fill("De laatste twee gebracht")
    staff.get_by_role("button", name="Geleverd").click()
    ilse.reload()
    ilse.get_by_role("button", name="Ja, het klopt").click()
    visitor.reload()
    expect(visitor.locator(".pledges .kept")).to_contain_text("De initiatiefnemer bevestigde het")
    expect(visitor.locator(".pledges")).not_to_contain_text("Er kwamen er maar vier.")
    for page in (ilse, staff):
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert local_errors(page) == []
    visitor.context.close()
