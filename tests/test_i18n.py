"""Dutch first, English second: by choice, then by the browser's Accept-Language."""

import pytest

from marketplace.extensions import db


def test_dutch_by_default(client):
    page = client.get("/")
    assert '<html lang="nl">' in page.text
    assert "Maak je buurt samen" in page.text


def test_english_from_accept_language(client):
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in page.text
    assert "Make your neighbourhood together" in page.text


def test_unsupported_language_falls_back_to_dutch(client):
    page = client.get("/", headers={"Accept-Language": "de-DE"})
    assert '<html lang="nl">' in page.text


def test_switch_language_and_back(client):
    response = client.post("/taal", data={"language": "en", "next": "/privacy"})
    assert response.headers["Location"] == "/privacy"
    assert "Privacy statement" in client.get("/privacy").text
    client.post("/taal", data={"language": "nl"})
    assert "Privacyverklaring" in client.get("/privacy").text


def test_bad_language_changes_nothing(client):
    client.post("/taal", data={"language": "xx"})
    assert '<html lang="nl">' in client.get("/").text


def test_logged_in_choice_is_remembered_on_the_account(client, auth, make_user, app):
    user = make_user()
    auth.login(user)
    client.post("/taal", data={"language": "en"})
    db.session.refresh(user)
    assert user.locale == "en"


@pytest.mark.parametrize(("language", "message"), [
    ("nl", "Dit veld is vereist."),
    ("en", "This field is required."),
])
def test_wtforms_messages_are_translated(client, language, message):
    page = client.post("/inloggen", data={}, headers={"Accept-Language": language})
    assert message in page.text


def test_mail_goes_out_in_the_recipients_language(client, make_user, outbox):
    make_user(email="ann@example.org", locale="en")
    client.post("/wachtwoord-vergeten", data={"email": "ann@example.org"})
    assert outbox()[0].subject == "Choose a new password"
