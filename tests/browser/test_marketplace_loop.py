"""Two residents complete the loop on their phones: post, respond, accept, notify, message."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import fill_first_need, local_errors, log_in


def test_two_residents_complete_the_loop(phone: Page, second_phone: Page, live_server, gemeente,
                                         make_user, outbox):
    ilse, henk = phone, second_phone
    make_user(email="ilse@example.org", display_name="Ilse")
    make_user(email="henk@example.org", display_name="Henk")

    # Ilse posts an initiative that needs 4 volunteers; the picker takes her typed address.
    log_in(ilse, live_server, "ilse@example.org")
    ilse.goto(live_server + "/nieuw/initiatief")
    ilse.get_by_label("Titel").fill("Buurtmoestuin")
    ilse.get_by_label("Beschrijving").fill("Samen een moestuin aanleggen achter de school.")
    ilse.get_by_label("Categorie").select_option(label="Groen")
    ilse.get_by_label("Adres of plaats").fill("Kerkplein")
    ilse.get_by_role("button", name="Adres zoeken").click()
    ilse.get_by_role("button", name="Kerkplein 1, Buurtstad").click()
    expect(ilse.locator("[data-picker-status]")).to_contain_text("Plek gekozen")
    fill_first_need(ilse, "volunteers", "Vrijwilligers om te spitten", 4, "personen")
    ilse.get_by_role("button", name="Publiceren").click()
    expect(ilse.get_by_role("heading", level=1)).to_have_text("Buurtmoestuin")
    listing_url = ilse.url

    # Henk finds it in the list on the map page and commits 2.
    log_in(henk, live_server, "henk@example.org")
    henk.goto(live_server + "/kaart")
    henk.locator(".listing-list").get_by_role("link", name="Buurtmoestuin").click()
    henk.get_by_label("Hoeveel (personen, hoogstens 4)").fill("2")
    henk.get_by_label("Een opmerking (niet verplicht)").fill("Ik neem mijn zoon mee")
    henk.get_by_role("button", name="Ik help mee").click()
    expect(henk.get_by_role("status").first).to_contain_text("Ilse")
    expect(henk.get_by_text("wacht op antwoord")).to_be_visible()

    # Ilse is notified (menu count and e-mail), and accepts.
    ilse.goto(listing_url)
    expect(ilse.locator("summary .count")).to_have_text("1")
    assert any(m.to == "ilse@example.org" and "Henk" in m.body for m in outbox())
    ilse.get_by_role("button", name="Accepteren").click()
    expect(ilse.get_by_text("geaccepteerd", exact=True)).to_be_visible()
    ilse.goto(listing_url)
    expect(ilse.get_by_text("2 van 4 personen")).to_be_visible()

    # Henk sees the acceptance among his notifications and writes a message.
    henk.goto(live_server + "/meldingen/")
    henk.get_by_role("link", name="Ilse heeft je reactie op “Buurtmoestuin” geaccepteerd.").click()
    henk.get_by_role("textbox", name="Bericht").fill("Hoe laat zullen we beginnen?")
    henk.get_by_role("button", name="Versturen").click()
    expect(henk.locator(".messages")).to_contain_text("Hoe laat zullen we beginnen?")

    # Ilse reads it in the same private conversation and answers.
    ilse.goto(live_server + "/meldingen/")
    ilse.get_by_role("link", name="Henk heeft je een bericht gestuurd over “Buurtmoestuin”.").click()
    expect(ilse.locator(".messages")).to_contain_text("Hoe laat zullen we beginnen?")
    ilse.get_by_role("textbox", name="Bericht").fill("Om tien uur bij het hek!")
    ilse.get_by_role("button", name="Versturen").click()
    expect(ilse.locator(".messages")).to_contain_text("Om tien uur bij het hek!")
    assert "henk@example.org" not in ilse.content()

    for page in (ilse, henk):
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert local_errors(page) == []
