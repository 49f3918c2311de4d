"""Login sessions live on the server: logging out ends one for good (a copied cookie opens
nothing), "log out everywhere" ends them all, a session unused for too long ends by itself, and
guessing one account's password from many addresses is throttled."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace.auth.models import LoginSession, Role
from marketplace.extensions import db
from marketplace.models_base import utcnow
from tests.conftest import PASSWORD, AuthActions


def _copy_cookies(source, target) -> None:
    for name in ("session", "remember_token"):
        cookie = source.get_cookie(name)
        if cookie is not None:
            target.set_cookie(name, cookie.value, domain=cookie.domain)


def test_a_copied_session_cookie_dies_at_log_out(app, client, auth, make_user):
    auth.login(make_user())
    thief = app.test_client()
    _copy_cookies(client, thief)
    assert thief.get("/mijn-pagina").status_code == 200  # the copy works while logged in
    auth.logout()
    response = thief.get("/mijn-pagina")
    assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen")


def test_a_copied_remember_me_cookie_dies_at_log_out(app, client, auth, make_user):
    auth.login(make_user(), remember="y")
    thief = app.test_client()
    thief.set_cookie("remember_token", client.get_cookie("remember_token").value)
    assert thief.get("/mijn-pagina").status_code == 200  # remember-me logs the copy in
    auth.logout()
    fresh = app.test_client()
    fresh.set_cookie("remember_token", thief.get_cookie("remember_token").value)
    assert fresh.get("/mijn-pagina").status_code == 302


def test_the_database_holds_no_usable_key(client, auth, make_user):
    auth.login(make_user(), remember="y")
    token = client.get_cookie("remember_token").value
    stored = db.session.scalar(sa.select(LoginSession))
    key = token.split("|")[0].partition(".")[2]
    assert key and key not in stored.key_digest


def test_log_out_everywhere_ends_every_session(app, client, auth, make_user):
    user = make_user()
    phone = app.test_client()
    AuthActions(phone).login(user, remember="y")
    auth.login(user)
    page = client.get("/mijn-account/apparaten").text
    assert "Dit apparaat" in page and "Ander apparaat" in page
    response = client.post("/mijn-account/apparaten/uitloggen")
    assert response.status_code == 302 and response.headers["Location"] == "/inloggen"
    assert phone.get("/mijn-pagina").status_code == 302
    assert client.get("/mijn-pagina").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(LoginSession.id))) == 0


def test_a_password_change_ends_the_other_sessions_but_not_this_one(app, client, auth,
                                                                    make_user):
    user = make_user()
    phone = app.test_client()
    AuthActions(phone).login(user)
    auth.login(user)
    response = client.post("/mijn-account/wachtwoord", data={
        "current_password": PASSWORD, "password": "een-nieuwe-lange-zin", "confirm":
        "een-nieuwe-lange-zin"})
    assert response.status_code == 302
    assert client.get("/mijn-pagina").status_code == 200
    assert phone.get("/mijn-pagina").status_code == 302


def test_blocking_an_account_ends_its_sessions(app, client, auth, make_user, gemeente):
    person = make_user()
    phone = app.test_client()
    AuthActions(phone).login(person)
    admin = make_user(Role.ADMIN)
    auth.login(admin)
    client.post(f"/beheer/gebruikers/{person.id}", data={"gemeente": ""})
    assert phone.get("/mijn-pagina").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(LoginSession.id)).where(
        LoginSession.user_id == person.id)) == 0


@pytest.mark.parametrize(("remember", "idle", "still_in"), [
    (False, timedelta(minutes=100), True),
    (False, timedelta(minutes=130), False),
    (True, timedelta(days=29), True),
    (True, timedelta(days=31), False),
])
def test_a_session_unused_for_too_long_ends(app, client, auth, make_user, remember, idle,
                                            still_in):
    start = utcnow()
    app.config["CLOCK"] = lambda: start
    auth.login(make_user(), **({"remember": "y"} if remember else {}))
    app.config["CLOCK"] = lambda: start + idle
    assert (client.get("/mijn-pagina").status_code == 200) is still_in


def test_use_keeps_a_session_alive(app, client, auth, make_user):
    start = utcnow()
    app.config["CLOCK"] = lambda: start
    auth.login(make_user())
    for hours in (1, 2, 3):  # three hours in all, never two without a click
        app.config["CLOCK"] = lambda h=hours: start + timedelta(hours=h)
        assert client.get("/mijn-pagina").status_code == 200


@pytest.fixture
def throttled(app_config):
    app_config.update(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="1000 per minute",
                      RATELIMIT_LOGIN_ACCOUNT="5 per minute")
    return app_config


def _attempts(client, email: str, count: int) -> list[int]:
    """Wrong passwords for one account, each from another address."""
    return [client.post("/inloggen", data={"email": email, "password": "fout-wachtwoord!"},
                        environ_base={"REMOTE_ADDR": f"10.0.0.{number}"}).status_code
            for number in range(1, count + 1)]


def test_wrong_passwords_from_many_addresses_are_throttled_per_account(throttled, app,
                                                                       client, make_user):
    make_user(email="anna@example.org")
    statuses = _attempts(client, "anna@example.org", 30)
    assert statuses[:5] == [400] * 5 and set(statuses[5:]) == {429}
    response = client.post("/inloggen", data={"email": "ANNA@example.org ", "password": "x"},
                           environ_base={"REMOTE_ADDR": "10.0.1.1"})
    assert response.status_code == 429
    assert "Te veel verkeerde wachtwoorden voor dit account" in response.text
    assert response.headers.get("Retry-After")
    # Other accounts are not touched.
    assert _attempts(client, "bram@example.org", 1) == [400]


def test_unknown_addresses_are_throttled_alike(throttled, app, client, make_user):
    make_user(email="anna@example.org")
    assert _attempts(client, "anna@example.org", 8) == _attempts(client, "niemand@example.org", 8)


def test_logging_in_right_does_not_count_against_the_account(throttled, app, client,
                                                               make_user):
    user = make_user()
    for number in range(8):
        response = client.post("/inloggen", data={"email": user.email, "password": PASSWORD},
                               environ_base={"REMOTE_ADDR": f"10.0.0.{number}"})
        assert response.status_code == 302
        client.post("/uitloggen")


def test_a_new_password_lets_the_locked_out_owner_in_again(throttled, app, client, make_user,
                                                           outbox):
    from tests.conftest import link_in

    make_user(email="anna@example.org")
    _attempts(client, "anna@example.org", 6)
    right = {"email": "anna@example.org", "password": PASSWORD}
    assert client.post("/inloggen", data=right).status_code == 429  # even the right one waits
    client.post("/wachtwoord-vergeten", data={"email": "anna@example.org"})
    new = "een-nieuwe-lange-zin"
    client.post(link_in(outbox()[-1].body), data={"password": new, "confirm": new})
    response = client.post("/inloggen", data={"email": "anna@example.org", "password": new})
    assert response.status_code == 302


def test_log_out_one_lost_device_and_only_ones_own(app, client, auth, make_user):
    user, other = make_user(), make_user()
    phone = app.test_client()
    AuthActions(phone).login(user, headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14) "
                                            "AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"})
    stranger = app.test_client()
    AuthActions(stranger).login(other)
    auth.login(user)
    page = client.get("/mijn-account/apparaten").text
    assert "Chrome · Android" in page
    phone_session = db.session.scalar(sa.select(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.device == "Chrome · Android"))
    theirs = db.session.scalar(sa.select(LoginSession).where(LoginSession.user_id == other.id))
    client.post(f"/mijn-account/apparaten/{theirs.id}/uitloggen")  # not hers: nothing happens
    assert stranger.get("/mijn-pagina").status_code == 200
    client.post(f"/mijn-account/apparaten/{phone_session.id}/uitloggen")
    assert phone.get("/mijn-pagina").status_code == 302
    assert client.get("/mijn-pagina").status_code == 200  # this device stays in


def test_device_names_come_from_the_browser():
    from marketplace.auth.sessions import device_label

    assert device_label("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit "
                        "Version/17.0 Mobile/15E148 Safari/604.1") == "Safari · iPhone"
    assert device_label("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0 Safari/537.36 "
                        "Edg/131.0") == "Edge · Windows"
    assert device_label(None) == ""
