"""A resident signs up on a phone, confirms the e-mail from the outbox and logs in."""

import re

from playwright.sync_api import Page, expect


def _fits_the_screen(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_sign_up_confirm_and_log_in(phone: Page, live_server, outbox, gemeente):
    page = phone
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maak je buurt samen")
    _fits_the_screen(page)

    page.get_by_text("Menu").click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Aanmelden").click()
    page.get_by_label("E-mailadres").fill("fatima@example.org")
    page.get_by_label("Naam die anderen zien").fill("Fatima")
    page.get_by_label("Wachtwoord").fill("kort")
    page.get_by_label("Ik heb de privacyverklaring gelezen").check()
    page.get_by_role("button", name="Account maken").click()
    # Refused, with the reason, and nothing typed is lost.
    expect(page.get_by_role("alert")).to_contain_text("Gebruik minstens 10 tekens")
    expect(page.get_by_label("E-mailadres")).to_have_value("fatima@example.org")
    _fits_the_screen(page)

    page.get_by_label("Wachtwoord").fill("samen de straat vergroenen")
    page.get_by_label("Ik heb de privacyverklaring gelezen").check()
    page.get_by_role("button", name="Account maken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kijk in je e-mail")

    [mail] = outbox()
    assert mail.to == "fatima@example.org"
    link = re.search(r"http://127\.0\.0\.1:\d+/\S+", mail.body).group(0)
    page.goto(link)
    # Confirmed, and logged in at once: no second log-in right after signing up.
    expect(page.get_by_role("status").first).to_contain_text("Je e-mailadres is bevestigd")
    expect(page.get_by_role("status").nth(1)).to_contain_text("Welkom, Fatima")
    _fits_the_screen(page)

    page.get_by_text("Menu").click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")
    assert page.console_errors == []


def test_keyboard_user_can_skip_to_content(phone: Page, live_server):
    page = phone
    page.goto(live_server + "/inloggen")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
