"""A person's own account: profile, home buurt, language, password and e-mail address."""

import sqlalchemy as sa

from marketplace.auth.models import User
from marketplace.extensions import db
from tests.conftest import PASSWORD, link_in


def test_profile_saves_name_buurt_and_language(client, auth, make_user, gemeente):
    user = make_user()
    auth.login(user)
    buurt = gemeente.wijken[0].buurten[1]
    response = client.post("/mijn-account/", data={
        "display_name": "Noor B.", "home_buurt": buurt.code, "locale": "en"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.display_name, user.home_buurt_id, user.locale) == ("Noor B.", buurt.id, "en")
    assert "My account" in client.get("/mijn-account/").text


def test_profile_refuses_unknown_buurt(client, auth, make_user, gemeente):
    auth.login(make_user())
    response = client.post("/mijn-account/", data={
        "display_name": "Noor", "home_buurt": 999999, "locale": "nl"})
    assert response.status_code == 400
    assert "Geen buurt past bij “999999”" in response.text


def test_change_password_needs_current_one(client, auth, make_user, outbox):
    user = make_user()
    auth.login(user)
    response = client.post("/mijn-account/wachtwoord", data={
        "current_password": "fout-fout-fout", "password": "nieuw-en-lang-genoeg",
        "confirm": "nieuw-en-lang-genoeg"})
    assert "Dit is niet je huidige wachtwoord." in response.text
    response = client.post("/mijn-account/wachtwoord", data={
        "current_password": PASSWORD, "password": "nieuw-en-lang-genoeg",
        "confirm": "nieuw-en-lang-genoeg"})
    assert response.status_code == 302
    # This device stays logged in; the old password no longer works.
    assert client.get("/mijn-account/").status_code == 200
    auth.logout()
    assert auth.login(user).status_code == 400
    assert auth.login(user, "nieuw-en-lang-genoeg").status_code == 302
    assert outbox()[-1].subject == "Je wachtwoord is gewijzigd"


def test_change_email_after_confirming_new_address(client, auth, make_user, outbox):
    user = make_user(email="oud@example.org")
    auth.login(user)
    response = client.post("/mijn-account/e-mail", data={
        "email": "Nieuw@Example.org", "current_password": PASSWORD})
    assert response.status_code == 302
    [mail] = outbox()
    assert mail.to == "nieuw@example.org"
    db.session.refresh(user)
    assert user.email == "oud@example.org"  # not before the link is followed
    client.get(link_in(mail.body))
    db.session.refresh(user)
    assert user.email == "nieuw@example.org"
    assert outbox()[-1].to == "oud@example.org"  # the old address is told


def test_change_email_refused_when_taken_at_confirmation(client, auth, make_user, outbox):
    user = make_user(email="oud@example.org")
    auth.login(user)
    client.post("/mijn-account/e-mail", data={
        "email": "bezet@example.org", "current_password": PASSWORD})
    make_user(email="bezet@example.org")
    response = client.get(link_in(outbox()[0].body), follow_redirects=True)
    assert "Een ander account gebruikt dit e-mailadres al." in response.text
    assert db.session.get(User, user.id).email == "oud@example.org"


def test_change_email_needs_current_password(client, auth, make_user, outbox):
    auth.login(make_user())
    response = client.post("/mijn-account/e-mail", data={
        "email": "nieuw@example.org", "current_password": "fout-fout-fout"})
    assert "Dit is niet je huidige wachtwoord." in response.text
    assert outbox() == []
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
