"""From the whole country down to a street: clusters with counts when zoomed out, a tap on one
zooms in, pins when few are left, and a pin opens its listing."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import local_errors


def test_zoom_from_the_country_to_a_street(phone: Page, live_server, make_listing, make_user):
    page = phone
    owner = make_user()
    for number in range(12):
        make_listing(owner=owner, title=f"Plan {number}", lat=52.471 + number * 0.0022,
                     lon=3.681 + number * 0.006)
    page.goto(live_server + "/kaart")
    expect(page.locator("#map-status")).to_have_text("12 op de kaart")

    # Out to the country: a cluster or two carry all twelve, each saying what it holds.
    for _ in range(5):
        page.get_by_role("button", name="Uitzoomen").click()
        page.wait_for_timeout(400)  # one step at a time: a click during the animation is lost
    clusters = page.locator(".map-cluster")
    page.wait_for_function("""() => [...document.querySelectorAll('.map-cluster')]
        .reduce((sum, node) => sum + Number(node.textContent), 0) === 12""")
    expect(page.locator(".leaflet-marker-icon.pin")).to_have_count(0)
    expect(page.locator("#map-status")).to_have_text("12 op de kaart")
    # Buurt outlines this far out would be a smudge: the map says to zoom in instead.
    page.get_by_label("Buurtgrenzen").check()
    expect(page.locator("#outline-hint")).to_have_text(
        "Zoom in tot een dorp of stad om de buurtgrenzen te zien.")
    page.get_by_label("Buurtgrenzen").uncheck()
    expect(page.locator("#outline-hint")).to_have_text("")
    counts = [int(text) for text in clusters.all_text_contents()]
    expect(clusters.first).to_have_attribute(
        "aria-label", re.compile(rf"^{counts[0]} plaatsingen hier \(\d+ initiatie(f|ven)\): inzoomen$"))

    # Each tap on a cluster zooms in, until the listings show as pins (pins close together
    # the browser groups: a tap on such a group zooms in too).
    pin = page.locator(".leaflet-marker-icon.pin").first
    for _ in range(10):
        page.wait_for_timeout(600)  # the zoom animation, and the tiles of the new view
        if pin.is_visible():
            break
        page.locator(".map-cluster, .marker-cluster").first.click()
    expect(page.locator(".map-cluster")).to_have_count(0)
    expect(pin).to_be_visible()
    pin.click()
    expect(page.locator(".leaflet-popup").get_by_role("link")).to_have_text(
        re.compile(r"^Plan \d+$"))
    assert local_errors(page) == []


def test_a_buurt_outline_opens_its_buurt_page(phone: Page, live_server, gemeente):
    page = phone
    buurt = gemeente.wijken[0].buurten[0]
    page.goto(f"{live_server}/kaart?buurt={buurt.code}")  # the map opens on this buurt
    page.get_by_label("Buurtgrenzen").check()
    page.wait_for_function("() => document.querySelectorAll('path.leaflet-interactive').length > 0")
    box = page.locator("#listing-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    link = page.locator(".leaflet-popup a").first
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(buurt.name)
    assert page.url.endswith(f"/buurt/{buurt.code}")
    assert local_errors(page) == []
