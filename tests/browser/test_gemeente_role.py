"""Gemeente staff take a role and pledge support on a phone; the initiator sees it and is told."""

from datetime import date, timedelta

from playwright.sync_api import Page, expect

from marketplace.auth.models import Role
from tests.browser.conftest import local_errors, log_in


def test_staff_facilitates_and_pledges(phone: Page, second_phone: Page, live_server, gemeente,
                                       make_user, make_listing, outbox):
    staff, ilse = phone, second_phone
    make_user(Role.STAFF, email="mehmet@example.org", display_name="Mehmet", gemeente=gemeente)
    initiator = make_user(email="ilse@example.org", display_name="Ilse")
    listing = make_listing(owner=initiator, title="Buurtmoestuin")
    url = f"{live_server}/l/{listing.id}"
    next_week = date.today() + timedelta(days=7)

    log_in(staff, live_server, "mehmet@example.org")
    staff.goto(url)
    staff.get_by_label("Rol van de gemeente").select_option("facilitating")
    staff.get_by_label("Uitleg voor de bewoners").fill(
        "We regelen de vergunning en betalen de zaden. Wijkbeheer helpt bij het aanleggen.")
    staff.get_by_label("Contactpersoon of team").fill("Team Groen, 14 020")
    staff.get_by_role("button", name="Rol opslaan").click()
    expect(staff.get_by_text("De gemeente faciliteert dit initiatief sinds")).to_be_visible()

    for kind, amount, text, department in (("budget", "500", "Zaden en compost", "Groen"),
                                           ("staff_hours", "10", "Hulp van wijkbeheer",
                                            "Wijkbeheer")):
        staff.get_by_text("Voor medewerkers van de gemeente: steun toezeggen").click()
        staff.get_by_label("Soort steun").select_option(kind)
        staff.get_by_label("Bedrag of aantal (euro of uren)").fill(amount)
        staff.get_by_label("Wat precies").fill(text)
        staff.get_by_label("Afdeling").fill(department)
        staff.get_by_label("Uiterlijk op").fill(next_week.isoformat())
        staff.get_by_role("button", name="Toezeggen").click()
        expect(staff.locator(".pledges")).to_contain_text(text)

    log_in(ilse, live_server, "ilse@example.org")
    ilse.goto(url)
    expect(ilse.get_by_text("De gemeente faciliteert dit initiatief sinds")).to_be_visible()
    expect(ilse.locator(".pledges")).to_contain_text("€ 500")
    expect(ilse.locator(".pledges")).to_contain_text("Uren van medewerkers: 10")
    expect(ilse.locator("summary .count")).to_have_text("3")
    assert sum(m.to == "ilse@example.org" for m in outbox()) == 3
    for page in (staff, ilse):
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert local_errors(page) == []


def test_gemeente_admin_appoints_a_colleague_who_then_has_both_roles(
        phone: Page, second_phone: Page, live_server, gemeente, make_user):
    beheer, fatima = phone, second_phone
    make_user(Role.GEMEENTE_ADMIN, email="gijs@example.org", display_name="Gijs",
              gemeente=gemeente)
    make_user(email="fatima@example.org", display_name="Fatima")

    log_in(beheer, live_server, "gijs@example.org")
    beheer.get_by_text("Menu").click()
    beheer.get_by_role("link", name="Beheerder", exact=True).click()
    expect(beheer.get_by_role("heading", level=1)).to_contain_text(gemeente.name)
    beheer.get_by_role("link", name="Iemand aanstellen").first.click()
    beheer.get_by_label("Zijn of haar e-mailadres").fill("fatima@example.org")
    beheer.get_by_role("checkbox", name="Wijkwerker (").check()
    beheer.get_by_role("checkbox", name="Medewerker gemeente (").check()
    beheer.get_by_label(gemeente.wijken[0].name, exact=True).check()
    beheer.get_by_role("button", name="Aanstellen").click()
    expect(beheer.get_by_text("Fatima heeft nu de rollen Wijkwerker, Medewerker gemeente")
           ).to_be_visible()
    assert beheer.evaluate("document.documentElement.scrollWidth") <= 390

    log_in(fatima, live_server, "fatima@example.org")
    fatima.get_by_text("Menu").click()
    expect(fatima.get_by_role("link", name="Balie")).to_be_visible()
    expect(fatima.get_by_role("link", name="Moderatie")).to_be_visible()
    for page in (beheer, fatima):
        assert local_errors(page) == []
