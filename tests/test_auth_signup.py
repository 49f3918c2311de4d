"""Signing up, confirming the e-mail address and the password rules."""

import sqlalchemy as sa

from marketplace.auth.models import User
from marketplace.extensions import db
from tests.conftest import link_in

GOOD = {"email": "Noor@Example.org", "display_name": "Noor", "password": "fietsen-door-de-wijk",
        "accept_privacy": "y"}


def test_sign_up_creates_resident_and_sends_confirmation(client, outbox):
    response = client.post("/aanmelden", data=GOOD)
    assert response.status_code == 302
    assert "/aanmelden/controleer-je-mail" in response.headers["Location"]
    user = db.session.scalar(sa.select(User))
    assert user.email == "noor@example.org"
    assert not user.roles
    assert user.password_hash.startswith("$argon2id$")
    assert user.privacy_accepted_at is not None
    assert not user.email_confirmed
    [mail] = outbox()
    assert mail.to == "noor@example.org"
    assert mail.subject == "Bevestig je e-mailadres"


def test_confirmation_link_confirms_once_and_bad_link_is_refused(client, outbox):
    client.post("/aanmelden", data=GOOD)
    link = link_in(outbox()[0].body)
    response = client.get(link, follow_redirects=True)
    assert "Je e-mailadres is bevestigd" in response.text
    assert db.session.scalar(sa.select(User)).email_confirmed
    response = client.get(link[:-3] + "abc", follow_redirects=True)
    assert "niet (meer) geldig" in response.text


def test_existing_address_gets_same_answer_and_owner_is_told(client, make_user, outbox):
    make_user(email="noor@example.org")
    response = client.post("/aanmelden", data=GOOD)
    assert response.status_code == 302
    assert "/aanmelden/controleer-je-mail" in response.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
    [mail] = outbox()
    assert mail.subject == "Je hebt al een account"


def test_short_common_and_missing_consent_are_refused_in_dutch(client, outbox):
    response = client.post("/aanmelden", data={**GOOD, "password": "kort"})
    assert "Gebruik minstens 10 tekens" in response.text
    response = client.post("/aanmelden", data={**GOOD, "password": "1234567890"})
    assert "een van de meest gebruikte" in response.text
    response = client.post("/aanmelden", data={**GOOD, "accept_privacy": ""})
    assert "privacyverklaring" in response.text
    response = client.post("/aanmelden", data={**GOOD, "email": "geen-adres"})
    assert "Ongeldig e-mailadres" in response.text
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
    assert outbox() == []


def test_refused_form_keeps_what_was_typed(client):
    response = client.post("/aanmelden", data={**GOOD, "password": "kort"})
    assert response.status_code == 200
    assert 'value="Noor"' in response.text
    assert 'value="Noor@Example.org"' in response.text


def test_no_composition_rules(client):
    """A long lower-case passphrase without digits or symbols is fine."""
    response = client.post("/aanmelden", data={**GOOD, "password": "mijn hond heet bobbie"})
    assert response.status_code == 302


def test_the_confirming_click_logs_in_and_a_second_one_does_not(app, client, outbox):
    client.post("/aanmelden", data=GOOD)
    link = link_in(outbox()[0].body)
    response = client.get(link, follow_redirects=True)
    assert "Welkom, Noor." in response.text  # no second log-in after signing up
    assert client.get("/mijn-account/").status_code == 200
    other = app.test_client()  # the same link again, e.g. a forwarded mail
    response = other.get(link, follow_redirects=True)
    assert "Je e-mailadres is bevestigd" in response.text and "Welkom" not in response.text
    assert other.get("/mijn-account/").status_code == 302


def test_the_link_logs_in_only_the_browser_that_signed_up(app, client, outbox):
    """Someone signs up with another person's address: when that person follows the link, the
    address is confirmed, but they are not logged into an account whose password someone
    else chose (a mail scanner following the link first gets nothing either)."""
    client.post("/aanmelden", data=GOOD)  # the one who signed up, with Noor's address
    link = link_in(outbox()[0].body)
    noor = app.test_client()
    response = noor.get(link, follow_redirects=True)
    assert "Je e-mailadres is bevestigd" in response.text and "Welkom" not in response.text
    assert noor.get("/mijn-account/").status_code == 302
    assert db.session.scalar(sa.select(User)).email_confirmed
    assert client.get("/mijn-account/").status_code == 302  # the link was spent on confirming
