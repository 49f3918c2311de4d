"""On a phone, a resident downloads her data, logs out a lost phone, and deletes her account."""

import json
import zipfile

from playwright.sync_api import Page, expect

from tests.browser.conftest import UNLABELLED, local_errors, log_in
from tests.conftest import PASSWORD


def _fits_the_screen(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate(UNLABELLED) == []


def test_download_my_data_then_delete_my_account(phone: Page, live_server, make_user,
                                                make_listing, tmp_path):
    page = phone
    anna = make_user(email="anna@example.org", display_name="Anna Appelboom")
    listing_id = make_listing(owner=anna, title="Annas appeltaarten").id
    log_in(page, live_server, anna.email)

    page.goto(live_server + "/mijn-account/")
    page.get_by_role("navigation", name="Mijn account").get_by_role(
        "link", name="Mijn gegevens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn gegevens")
    _fits_the_screen(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Mijn gegevens downloaden").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("buurtmarkt-mijn-gegevens-") and saved.suffix == ".zip"
    with zipfile.ZipFile(saved) as archive:
        [profile] = json.loads(archive.read("profile.json"))
        titles = [row["title"] for row in json.loads(archive.read("listings.json"))]
    assert profile["email"] == "anna@example.org" and titles == ["Annas appeltaarten"]

    page.get_by_role("link", name="Je account verwijderen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account verwijderen")
    _fits_the_screen(page)
    page.get_by_label("Je wachtwoord").fill("niet het goede wachtwoord")
    page.get_by_label("Ik begrijp dat mijn account").check()
    page.get_by_role("button", name="Mijn account definitief verwijderen").click()
    expect(page.get_by_role("alert")).to_contain_text("Dit is niet je wachtwoord.")

    page.get_by_label("Je wachtwoord").fill(PASSWORD)
    page.get_by_label("Ik begrijp dat mijn account").check()
    page.get_by_role("button", name="Mijn account definitief verwijderen").click()
    expect(page.get_by_role("status").first).to_contain_text("Je account is verwijderd")
    expect(page.get_by_text("Menu")).to_be_visible()
    # Nobody took part in her listing: it is gone with her account.
    assert page.goto(f"{live_server}/l/{listing_id}").status == 404
    # The browser logs the refused form (400) and the gone listing (404); nothing else failed.
    assert [e for e in local_errors(page)
            if "status of 400" not in e and "status of 404" not in e] == []


def test_log_out_a_lost_phone_from_another_device(phone: Page, second_phone: Page,
                                                  live_server, make_user):
    anna = make_user(email="anna@example.org")
    log_in(second_phone, live_server, anna.email)  # the phone she lost
    log_in(phone, live_server, anna.email)
    phone.goto(live_server + "/mijn-account/apparaten")
    expect(phone.get_by_text("Dit apparaat", exact=True)).to_be_visible()
    expect(phone.get_by_text("Ander apparaat", exact=True)).to_be_visible()
    _fits_the_screen(phone)
    phone.get_by_role("button", name="Overal uitloggen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Inloggen")
    second_phone.goto(live_server + "/mijn-pagina")
    expect(second_phone.get_by_role("heading", level=1)).to_have_text("Inloggen")
