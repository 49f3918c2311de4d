"""A person with only a keyboard posts an initiative: the picker map takes focus, the arrow keys
move it under a cross, Enter puts the pin there, and the buurt is said in the live region."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import local_errors, log_in


def test_post_an_initiative_with_the_keyboard_alone(phone: Page, live_server, gemeente,
                                                    make_user):
    page = phone
    make_user(email="karin@example.org", display_name="Karin")
    log_in(page, live_server, "karin@example.org")
    page.goto(live_server + "/nieuw/initiatief")
    page.get_by_label("Titel").focus()
    page.keyboard.type("Zitbank bij de bushalte")
    page.keyboard.press("Tab")
    page.keyboard.type("Een bank om op de bus te wachten, samen gemaakt.")
    page.get_by_label("Categorie").focus()
    page.keyboard.press("ArrowDown")  # the first real category, chosen by the person
    expect(page.get_by_text("Met het toetsenbord: ga naar de kaart")).to_be_visible()

    picker = page.locator("#picker-map")
    picker.focus()
    expect(picker).to_be_focused()
    for key in ("ArrowRight", "ArrowRight", "ArrowDown"):
        page.keyboard.press(key)
    page.keyboard.press("Enter")
    status = page.locator("[data-picker-status]")
    expect(status).to_contain_text("Plek gekozen in ")
    expect(status).to_have_attribute("aria-live", "polite")
    assert page.locator("#lat").input_value() != ""

    need = page.locator(".resource-row").first
    need.get_by_label("Soort").focus()
    page.keyboard.press("ArrowDown")
    need.get_by_label("Wat precies").focus()
    page.keyboard.type("Handen om te timmeren")
    page.keyboard.press("Tab")
    page.keyboard.type("3")
    page.keyboard.press("Tab")
    page.keyboard.type("personen")
    page.get_by_role("button", name="Publiceren").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zitbank bij de bushalte")
    assert local_errors(page) == []


def _tab_to(page: Page, name: str, limit: int = 80) -> None:
    """Press Tab until the control named ``name`` has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => (document.activeElement.textContent || '').trim() + '|'"
                                " + (document.activeElement.labels?.[0]?.textContent || '')")
        if name in focused:
            return
    raise AssertionError(f"{name!r} cannot be reached with Tab")


def test_respond_and_write_with_the_keyboard_alone(phone: Page, live_server, gemeente,
                                                   make_user, make_listing):
    page = phone
    make_user(email="otto@example.org", display_name="Otto")
    neighbours = make_listing(title="Schoonmaakdag", owner=make_user(display_name="Ilse"))
    log_in(page, live_server, "otto@example.org")
    page.goto(f"{live_server}/l/{neighbours.id}")
    _tab_to(page, "Hoeveel")
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    _tab_to(page, "Ik help mee")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("Dank je wel!")
    _tab_to(page, "Bericht")
    page.keyboard.type("Ik neem twee bezems mee.")
    _tab_to(page, "Versturen")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Ik neem twee bezems mee.")).to_be_visible()
    assert local_errors(page) == []
