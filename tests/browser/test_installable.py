"""On the phone like an app: the manifest and service worker install, visited pages open
offline with a notice, other pages show the offline page, and after log-out nothing of the
previous person is kept on the device."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import local_errors, log_in

KEPT_PAGES = """async () => {
  const cache = await caches.open('buurtmarkt-pages');
  return (await cache.keys()).map((request) => new URL(request.url).pathname);
}"""


def test_install_open_offline_and_forget_on_log_out(phone: Page, live_server, make_user,
                                                   make_listing):
    page = phone
    mira = make_user(email="mira@example.org", display_name="Mira")
    listing = make_listing(owner=mira, title="Repair café in het buurthuis")
    log_in(page, live_server, mira.email)

    manifest = page.request.get(live_server + "/manifest.webmanifest").json()
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert page.request.get(live_server + icon["src"]).ok

    page.goto(f"{live_server}/l/{listing.id}")
    page.wait_for_function("() => navigator.serviceWorker.ready.then(() => true)")
    # The worker takes over the page on the next visit; the visit after that is kept.
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15000)
    page.goto(f"{live_server}/l/{listing.id}")
    page.wait_for_function(f"""async () => (await ({KEPT_PAGES})()).includes('/l/{listing.id}')""",
                           timeout=15000)

    page.context.set_offline(True)
    page.goto(f"{live_server}/l/{listing.id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Repair café in het buurthuis")
    expect(page.locator("[data-offline-notice]")).to_be_visible()
    expect(page.locator("[data-offline-notice]")).to_contain_text("Je bent offline")
    page.goto(live_server + "/kaart")  # never visited
    expect(page.get_by_role("heading", level=1)).to_have_text("Je bent offline")
    page.context.set_offline(False)

    page.goto(live_server + "/")
    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("link", name="Inloggen").first).to_be_attached()
    # Log-out clears what the site kept on the device (Clear-Site-Data), and the worker, which
    # comes back on the next page, also hears that nobody is logged in: Mira's pages are gone.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15000)
    assert f"/l/{listing.id}" not in page.evaluate(KEPT_PAGES)
    page.context.set_offline(True)
    page.goto(f"{live_server}/l/{listing.id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Je bent offline")
    page.context.set_offline(False)
    assert local_errors(page) == []
