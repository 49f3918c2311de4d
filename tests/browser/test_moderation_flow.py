"""Moderation on a phone: a newcomer's first listing waits for the wijkwerker, three neighbours
report a comment that then disappears until the wijkwerker restores it (with the keyboard), and
the audit log shows all of it."""

from playwright.sync_api import Page, expect

from marketplace.auth.models import Role
from marketplace.comments.services import post_comment
from marketplace.extensions import db
from tests.browser.conftest import UNLABELLED, fill_first_need, local_errors, log_in


def _post_initiative(page: Page, base: str, title: str) -> None:
    page.goto(base + "/nieuw")
    page.get_by_role("link", name="Een initiatief").click()
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Beschrijving").fill("Met de buren een bankje neerzetten en onderhouden.")
    page.get_by_label("Categorie").select_option(label="Groen")
    picker = page.locator("#picker-map")
    picker.scroll_into_view_if_needed()
    box = picker.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("[data-picker-status]")).to_contain_text("Plek gekozen")
    fill_first_need(page, "materials", "Planken", 6, "stuks")
    page.get_by_role("button", name="Publiceren").click()


def test_pre_moderation_flags_restore_and_the_audit_log(phone: Page, second_phone: Page,
                                                        live_server, gemeente, make_user):
    resident, wijkwerker = phone, second_phone
    gemeente.premoderation_count = 2
    db.session.commit()
    make_user(email="noor@example.org", display_name="Noor")
    make_user(Role.WIJKWERKER, email="wendy@example.org", display_name="Wendy",
              gemeente=gemeente, wijken=gemeente.wijken)
    for number in range(3):
        make_user(email=f"buur{number}@example.org", display_name=f"Buur {number}")

    # A new resident posts: it waits.
    log_in(resident, live_server, "noor@example.org")
    _post_initiative(resident, live_server, "Bankje bij de bushalte")
    expect(resident.get_by_role("heading", level=1)).to_have_text("Bankje bij de bushalte")
    expect(resident.get_by_text("Wachten op goedkeuring")).to_be_visible()
    listing_url = resident.url

    log_in(wijkwerker, live_server, "wendy@example.org")
    wijkwerker.goto(live_server + "/kaart")
    expect(wijkwerker.locator("#map-status")).to_have_text("0 op de kaart")
    expect(wijkwerker.locator(".listing-list").get_by_text("Bankje bij de bushalte")).to_have_count(0)

    # The wijkwerker approves it from the queue: then it is on the map.
    wijkwerker.goto(live_server + "/moderatie/")
    expect(wijkwerker.get_by_text("Wacht op goedkeuring")).to_be_visible()
    assert wijkwerker.evaluate(UNLABELLED) == []
    wijkwerker.get_by_role("link", name="Bankje bij de bushalte").click()
    assert wijkwerker.evaluate(UNLABELLED) == []
    wijkwerker.get_by_role("button", name="Goedkeuren en publiceren").click()
    expect(wijkwerker.get_by_role("status").first).to_contain_text("Goedgekeurd")
    wijkwerker.goto(live_server + "/kaart")
    expect(wijkwerker.locator("#listing-map")).to_have_attribute("data-loaded", "1")
    expect(wijkwerker.locator("#map-status")).to_have_text("1 op de kaart")
    expect(wijkwerker.locator(".listing-list").get_by_role(
        "link", name="Bankje bij de bushalte")).to_be_visible()

    # Three neighbours report a comment: it disappears.
    from marketplace.listings.models import Listing

    listing = db.session.scalar(db.select(Listing).where(Listing.title == "Bankje bij de bushalte"))
    post_comment(make_user(display_name="Karel"), listing, "Wat een onzin, ga toch weg")
    db.session.commit()
    for number in range(3):
        resident.context.clear_cookies()
        log_in(resident, live_server, f"buur{number}@example.org")
        resident.goto(listing_url)
        expect(resident.get_by_text("Wat een onzin, ga toch weg")).to_be_visible()
        resident.get_by_role("link", name="Meld deze opmerking").click()
        resident.get_by_label("Kwetsend of beledigend").check()
        assert resident.evaluate(UNLABELLED) == []
        resident.get_by_role("button", name="Melding versturen").click()
        expect(resident.get_by_role("status").first).to_contain_text("wijkwerker")
    expect(resident.get_by_text("Wat een onzin, ga toch weg")).to_have_count(0)

    # The wijkwerker restores it, with the keyboard only.
    wijkwerker.goto(live_server + "/moderatie/")
    expect(wijkwerker.get_by_text("3 meldingen")).to_be_visible()
    link = wijkwerker.get_by_role("link", name="Wat een onzin, ga toch weg")
    link.focus()
    wijkwerker.keyboard.press("Enter")
    expect(wijkwerker.get_by_text("Verborgen na meldingen, tot jij beslist.")).to_be_visible()
    wijkwerker.locator("#terugzetten-reason").focus()
    wijkwerker.keyboard.type("Scherp, maar binnen de regels.")
    wijkwerker.keyboard.press("Tab")
    wijkwerker.keyboard.press("Enter")
    expect(wijkwerker.get_by_role("status").first).to_contain_text("zichtbaar")
    resident.goto(listing_url)
    expect(resident.get_by_text("Wat een onzin, ga toch weg")).to_be_visible()

    # The audit log shows all of it.
    wijkwerker.goto(live_server + "/logboek/")
    log = wijkwerker.locator(".audit-list")
    expect(log).to_contain_text("Plaatsing goedgekeurd")
    expect(log).to_contain_text("Automatisch verborgen na meldingen")
    expect(log).to_contain_text("Inhoud teruggezet")
    expect(log).to_contain_text("Scherp, maar binnen de regels.")
    assert wijkwerker.evaluate(UNLABELLED) == []
    for page in (resident, wijkwerker):
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert local_errors(page) == []
