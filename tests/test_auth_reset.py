"""Password reset by a signed link that expires and works once."""

from datetime import timedelta

from marketplace.extensions import db
from marketplace.models_base import utcnow
from tests.conftest import AuthActions, link_in

NEW = {"password": "nieuw-en-lang-genoeg", "confirm": "nieuw-en-lang-genoeg"}


def test_reset_sets_new_password_and_link_works_once(client, auth, make_user, outbox):
    user = make_user(email="anna@example.org")
    response = client.post("/wachtwoord-vergeten", data={"email": "anna@example.org"})
    assert response.status_code == 302
    link = link_in(outbox()[0].body)
    assert client.get(link).status_code == 200
    response = client.post(link, data=NEW)
    assert response.status_code == 302
    assert auth.login(user, NEW["password"]).status_code == 302
    auth.logout()
    # Used once: the same link no longer works.
    response = client.post(link, data=NEW, follow_redirects=True)
    assert "niet (meer) geldig" in response.text
    assert outbox()[-1].subject == "Je wachtwoord is gewijzigd"


def test_reset_link_expires_after_an_hour(app, client, make_user, outbox):
    make_user(email="anna@example.org")
    client.post("/wachtwoord-vergeten", data={"email": "anna@example.org"})
    link = link_in(outbox()[0].body)
    later = utcnow() + timedelta(hours=1, minutes=1)
    app.config["CLOCK"] = lambda: later
    response = client.get(link, follow_redirects=True)
    assert "niet (meer) geldig" in response.text


def test_unknown_address_gets_same_answer_and_no_mail(client, outbox):
    response = client.post("/wachtwoord-vergeten", data={"email": "niemand@example.org"},
                           follow_redirects=True)
    assert "Als er een account is met niemand@example.org" in response.text
    assert outbox() == []


def test_reset_refuses_weak_password_and_keeps_link_valid(client, make_user, outbox):
    user = make_user(email="anna@example.org")
    client.post("/wachtwoord-vergeten", data={"email": "anna@example.org"})
    link = link_in(outbox()[0].body)
    response = client.post(link, data={"password": "password123", "confirm": "password123"})
    assert response.status_code == 200
    assert "meest gebruikte" in response.text
    db.session.refresh(user)
    assert client.get(link).status_code == 200


def test_reset_logs_out_every_session(app, client, auth, make_user, outbox):
    user = make_user(email="anna@example.org")
    phone = app.test_client()
    AuthActions(phone).login(user)
    assert phone.get("/mijn-account/").status_code == 200
    client.post("/wachtwoord-vergeten", data={"email": "anna@example.org"})
    client.post(link_in(outbox()[0].body), data=NEW)
    assert phone.get("/mijn-account/").status_code == 302



def _answer_and_queue(client, path: str, data: dict) -> tuple[int, str]:
    """Post; the answer, with the address left out, for comparing two answers."""
    response = client.post(path, data=data)
    return response.status_code, response.headers["Location"].replace(data["email"], "X")
