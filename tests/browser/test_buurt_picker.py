"""On a phone, a resident finds her buurt among many gemeenten' by typing a few letters: by touch,
by keyboard alone, and without JavaScript."""

import pytest
from playwright.sync_api import Page, expect

from marketplace.extensions import db
from marketplace.geo.importer import import_buurten
from tests.browser.conftest import UNLABELLED, local_errors, log_in
from tests.test_buurt_picker import many_gemeenten


@pytest.fixture
def country(gemeente):
    import_buurten(many_gemeenten(40))
    db.session.commit()
    return gemeente


def _profile(page: Page, base: str) -> None:
    page.goto(base + "/mijn-account/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_choose_a_buurt_by_touch(phone: Page, live_server, make_user, country):
    page = phone
    log_in(page, live_server, make_user().email)
    _profile(page, live_server)
    box = page.get_by_role("combobox", name="Mijn buurt")
    box.fill("centrum 1017")
    option = page.get_by_role("option", name="Centrum, Plaats 1017")
    expect(option).to_be_visible()
    option.tap()
    expect(box).to_have_value("Centrum, Plaats 1017")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("opgeslagen")
    expect(page.get_by_role("combobox", name="Mijn buurt")).to_have_value("Centrum, Plaats 1017")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate(UNLABELLED) == []
    assert local_errors(page) == []


def test_choose_a_buurt_by_keyboard(phone: Page, live_server, make_user, country):
    page = phone
    log_in(page, live_server, make_user().email)
    _profile(page, live_server)
    box = page.get_by_role("combobox", name="Mijn buurt")
    box.focus()
    page.keyboard.type("centrum plaats 102", delay=20)
    expect(page.get_by_role("listbox").get_by_role("option")).to_have_count(10)
    expect(page.get_by_role("status").filter(has_text="suggesties")).to_have_count(1)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "home_buurt-suggestions-1")
    page.keyboard.press("Enter")  # chooses; does not send the form
    expect(box).to_have_value("Centrum, Plaats 1021")
    expect(box).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")  # now it sends the form
    expect(page.get_by_role("status").first).to_contain_text("opgeslagen")
    expect(page.get_by_role("combobox", name="Mijn buurt")).to_have_value("Centrum, Plaats 1021")
    assert local_errors(page) == []


def test_choose_a_buurt_without_javascript(browser, browser_context_args, live_server,
                                           make_user, country):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in_without_script(page, live_server, make_user().email)
        page.goto(live_server + "/mijn-account/")
        box = page.get_by_role("textbox", name="Mijn buurt")
        box.fill("centrum plaats 103")
        page.get_by_role("button", name="Opslaan").click()
        # The matches come back to choose from; nothing is saved yet.
        expect(page.get_by_role("group", name="Welke bedoel je?")).to_be_visible()
        page.get_by_role("radio", name="Centrum, Plaats 1035").check()
        page.get_by_role("button", name="Opslaan").click()
        expect(page.get_by_role("textbox", name="Mijn buurt")).to_have_value(
            "Centrum, Plaats 1035")
        # The home page then shows that buurt.
        page.goto(live_server + "/")
        expect(page.get_by_role("heading", name="In jouw buurt: Centrum, Plaats 1035")).to_be_visible()
    finally:
        context.close()


def log_in_without_script(page: Page, base: str, email: str) -> None:
    from tests.conftest import PASSWORD

    page.goto(base + "/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/inloggen" not in url)
