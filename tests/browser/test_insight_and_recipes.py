"""Insight and recipes, on a phone: a wijkwerker opens the dashboard and sees which buurten are
quiet; a visitor opens the wijk's report and its open data; a neighbour in another buurt starts
a realised initiative's recipe and finds its needs filled in."""

from playwright.sync_api import Page, expect

from marketplace.auth.models import Role
from marketplace.extensions import db
from marketplace.listings.models import ListingStatus, ResourceKind
from marketplace.listings.services import ResourceData, change_status
from tests.browser.conftest import local_errors, log_in, watched


def test_quiet_buurten_the_report_and_a_recipe(phone: Page, second_phone: Page, browser,
                                               browser_context_args, live_server, gemeente,
                                               make_user, make_listing):
    wijk, gemeente_code = gemeente.wijken[0], gemeente.code
    make_user(Role.WIJKWERKER, email="wendy@example.org", display_name="Wendy",
              gemeente=gemeente, wijken=[wijk])
    owner = make_user(email="ilse@example.org", display_name="Ilse")
    bench = make_listing(owner=owner, title="Buurtbankje", resources=[
        ResourceData(ResourceKind.MATERIALS, "Planken", 6, "stuks")])
    for number in range(6):  # a busy buurt beside quiet ones
        make_listing(owner=owner, title=f"Plan {number}")
    wijk_name, bench_id = bench.buurt.wijk.name, bench.id
    change_status(owner, bench, ListingStatus.RUNNING)
    change_status(owner, bench, ListingStatus.REALISED)
    db.session.commit()

    wendy = phone
    log_in(wendy, live_server, "wendy@example.org")
    wendy.get_by_text("Menu").click()
    wendy.get_by_role("link", name="Dashboard").click()
    expect(wendy.get_by_role("heading", level=1)).to_have_text("Dashboard: Mijn gebied")
    expect(wendy.get_by_role("heading", name="Stille en drukke buurten")).to_be_visible()
    quiet = wendy.locator("#quiet-title ~ .two-columns")
    expect(quiet.get_by_role("heading", name="Stil")).to_be_visible()
    assert quiet.locator("li").count() > 0
    expect(wendy.locator("svg[role=img]").first).to_be_visible()
    assert local_errors(wendy) == []

    visitor = second_phone
    visitor.goto(f"{live_server}/gemeente/{gemeente_code}/buurten")
    visitor.get_by_role("link", name=f"Rapport van wijk {wijk_name}").first.click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("Rapport voor de raad")
    expect(visitor.get_by_text("Buurtbankje")).to_be_visible()
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="De plaatsingen als CSV").click()
    with open(download.value.path(), encoding="utf-8") as downloaded:
        assert "Buurtbankje" in downloaded.read()

    ilse = visitor
    log_in(ilse, live_server, "ilse@example.org")
    ilse.goto(f"{live_server}/l/{bench_id}")
    ilse.get_by_role("button", name="Publiceer als recept").click()
    expect(ilse.get_by_text("Gepubliceerd als recept")).to_be_visible()
    make_user(email="noor@example.org", display_name="Noor")
    noor_context = browser.new_context(**browser_context_args)
    noor = watched(noor_context.new_page())
    log_in(noor, live_server, "noor@example.org")
    noor.goto(f"{live_server}/recepten")
    noor.get_by_role("link", name="Begin dit in jouw buurt: Buurtbankje").click()
    expect(noor.get_by_label("Titel")).to_have_value("Buurtbankje")
    expect(noor.locator("input[value=Planken]")).to_have_count(1)
    assert local_errors(noor) == []
    noor_context.close()
