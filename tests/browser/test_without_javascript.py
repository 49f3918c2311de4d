"""Without JavaScript a resident posts an initiative by typing an address, and responds to a
neighbour's need: no map box or buttons that do nothing, and the text says what works."""

from playwright.sync_api import expect

from tests.conftest import PASSWORD


def test_post_and_respond_without_javascript(browser, browser_context_args, live_server,
                                             gemeente, make_user, make_listing):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    make_user(email="joop@example.org", display_name="Joop")
    neighbours = make_listing(title="Schoonmaakdag", lat=52.4852, lon=3.7102)

    page.goto(live_server + "/inloggen")
    page.get_by_label("E-mailadres").fill("joop@example.org")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("status").first).to_contain_text("Welkom, Joop")

    page.goto(live_server + "/nieuw/initiatief")
    expect(page.locator("#picker-map")).to_be_hidden()
    expect(page.get_by_role("button", name="Adres zoeken")).to_be_hidden()
    expect(page.get_by_role("button", name="Gebruik mijn locatie")).to_be_hidden()
    expect(page.locator("#address-hint")).to_contain_text("postcode en huisnummer")
    page.get_by_label("Titel").fill("Bloembakken in de straat")
    page.get_by_label("Beschrijving").fill("We vullen samen de bloembakken langs de stoep.")
    page.get_by_label("Categorie").select_option(label="Groen")
    page.get_by_label("Adres of plaats").fill("Kerkplein 1, Buurtstad")
    need = page.locator(".resource-row").first
    need.get_by_label("Soort").select_option("volunteers")
    need.get_by_label("Wat precies").fill("Planters")
    need.get_by_label("Hoeveel").fill("3")
    need.get_by_label("Eenheid").fill("personen")
    page.get_by_role("button", name="Publiceren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bloembakken in de straat")

    page.goto(f"{live_server}/l/{neighbours.id}")
    page.get_by_role("button", name="Ik help mee").click()
    expect(page.get_by_role("status").first).to_contain_text("Dank je wel!")
    context.close()
