"""Logging in and out, remember me, and answering alike for unknown and wrong credentials."""

import pytest


def test_login_and_logout(client, auth, make_user):
    user = make_user()
    response = auth.login(user)
    assert response.status_code == 302
    assert client.get("/mijn-account/").status_code == 200
    auth.logout()
    assert client.get("/mijn-account/").status_code == 302


def test_login_accepts_address_in_other_case(client, auth, make_user):
    make_user(email="anna@example.org")
    assert auth.login("  ANNA@example.org ").status_code == 302


def test_unknown_address_and_wrong_password_answer_the_same(client, auth, make_user):
    make_user(email="anna@example.org")
    unknown = auth.login("niemand@example.org", "een-lange-zin-als-wachtwoord")
    wrong = auth.login("anna@example.org", "verkeerd-wachtwoord!")
    assert unknown.status_code == wrong.status_code == 400
    assert "E-mailadres of wachtwoord klopt niet." in unknown.text
    assert unknown.text.replace("niemand@example.org", "X") == wrong.text.replace(
        "anna@example.org", "X")


def test_blocked_account_cannot_log_in(client, auth, make_user):
    user = make_user(active=False)
    response = auth.login(user)
    assert "E-mailadres of wachtwoord klopt niet." in response.text


def test_remember_me_sets_a_lasting_cookie(client, auth, make_user):
    user = make_user()
    response = auth.login(user, remember="y")
    assert "remember_token=" in " ".join(response.headers.getlist("Set-Cookie"))


def test_without_remember_me_no_lasting_cookie(client, auth, make_user):
    response = auth.login(make_user())
    assert "remember_token=" not in " ".join(response.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize(("target", "expected"), [
    ("/mijn-account/", "/mijn-account/"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
    ("/\\evil.example", "/"),
])
def test_login_follows_only_local_next(client, auth, make_user, target, expected):
    user = make_user()
    response = client.post(f"/inloggen?next={target}",
                           data={"email": user.email, "password": "een-lange-zin-als-wachtwoord"})
    assert response.headers["Location"] == expected


def test_anonymous_is_sent_to_login_with_next(client):
    response = client.get("/mijn-account/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/inloggen?next=")


def test_unconfirmed_user_sees_banner_and_can_resend(client, auth, make_user, outbox):
    user = make_user(confirmed=False)
    auth.login(user)
    page = client.get("/")
    assert "Bevestig je e-mailadres" in page.text
    client.post("/bevestiging-opnieuw", data={"next": "/"})
    [mail] = outbox()
    assert mail.to == user.email
