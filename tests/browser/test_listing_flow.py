"""A resident posts an initiative by tapping the map, then finds it on the map and in the list."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import UNLABELLED, fill_first_need, local_errors, log_in


def test_post_initiative_by_tapping_the_map_and_find_it(phone: Page, live_server, gemeente,
                                                        make_user):
    page = phone
    make_user(email="sanne@example.org", display_name="Sanne")
    log_in(page, live_server, "sanne@example.org")

    page.goto(live_server + "/nieuw")
    page.get_by_role("link", name="Een initiatief").click()
    page.get_by_label("Titel").fill("Bankjes bij de speeltuin")
    page.get_by_label("Beschrijving").fill("We zetten samen drie bankjes neer bij de speeltuin.")
    page.get_by_label("Categorie").select_option(label="Spelen")

    # Tap the middle of the map: the demo gemeente fills it, so the spot lies in a buurt.
    picker = page.locator("#picker-map")
    picker.scroll_into_view_if_needed()
    expect(page.locator("[data-picker-status]")).to_have_text("Tik op de kaart om de plek te kiezen.")
    box = picker.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("[data-picker-status]")).to_contain_text("Plek gekozen")
    assert page.locator("#lat").input_value() != ""

    fill_first_need(page, "volunteers", "Mensen om te sjouwen", 4, "personen")
    assert page.evaluate(UNLABELLED) == []
    page.get_by_role("button", name="Publiceren").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bankjes bij de speeltuin")
    expect(page.get_by_text("0 van 4 personen")).to_be_visible()

    page.goto(live_server + "/kaart")
    expect(page.locator("#listing-map")).to_have_attribute("data-loaded", "1")
    expect(page.locator("#map-status")).to_have_text("1 op de kaart")
    list_link = page.locator(".listing-list").get_by_role("link", name="Bankjes bij de speeltuin")
    expect(list_link).to_be_visible()
    # The marker opens a popup that links to the same listing.
    page.locator(".leaflet-marker-icon").first.click()
    expect(page.locator(".leaflet-popup").get_by_role("link")).to_have_text(
        "Bankjes bij de speeltuin")
    assert page.evaluate(UNLABELLED) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert local_errors(page) == []


def test_map_works_without_tiles_and_shows_many_listings(phone: Page, live_server, make_listing,
                                                         make_user):
    page = phone
    owner = make_user()
    for number in range(12):
        make_listing(owner=owner, title=f"Plan {number}", lat=52.471 + number * 0.0022,
                     lon=3.681 + number * 0.006)
    page.goto(live_server + "/kaart")
    expect(page.locator("#map-status")).to_have_text("12 op de kaart")
    assert page.locator(".leaflet-marker-icon").count() >= 1
    expect(page.locator(".listing-list > li")).to_have_count(12)
    assert local_errors(page) == []
