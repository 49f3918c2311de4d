"""Security baseline: headers, CSRF, cookies, rate limits."""

import os
import uuid

import pytest

import config
from marketplace import create_app


def test_security_headers_and_csp_without_unsafe_inline(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_no_inline_scripts_or_styles_in_pages(client):
    for url in ("/", "/inloggen", "/aanmelden", "/privacy", "/nergens"):
        html = client.get(url).text
        assert "<script>" not in html and "style=" not in html and "<style" not in html


@pytest.fixture
def csrf_app_config(app_config):
    app_config["WTF_CSRF_ENABLED"] = True
    return app_config


def test_forms_without_csrf_token_are_refused(csrf_app_config, app, client, make_user):
    user = make_user()
    response = client.post("/inloggen", data={"email": user.email,
                                              "password": "een-lange-zin-als-wachtwoord"})
    assert response.status_code == 400
    assert "Het formulier was verlopen" in response.text
    assert client.post("/uitloggen").status_code == 400


def test_production_cookies_are_secure(monkeypatch, make_app):
    monkeypatch.setenv("BUURTMARKT_CONFIG", "production")
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "x" * 40)
    monkeypatch.setattr(config.ProductionConfig, "PUBLIC_URL", "https://buurtmarkt.example.nl")
    app = make_app()
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/privacy")
    assert "Strict-Transport-Security" in response.headers


def test_production_refuses_to_start_without_public_url(monkeypatch):
    """Links in mail must not follow a Host header someone sent (password-reset poisoning)."""
    monkeypatch.setenv("BUURTMARKT_CONFIG", "production")
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "x" * 40)
    monkeypatch.setattr(config.ProductionConfig, "PUBLIC_URL", None)
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app()


def test_mail_links_ignore_the_host_a_visitor_sends(app_config, make_app, make_user, outbox):
    app = make_app({**app_config, "PUBLIC_URL": "https://buurtmarkt.example.nl"})
    with app.app_context():
        make_user(email="anna@example.org")
        app.test_client().post("/wachtwoord-vergeten", data={"email": "anna@example.org"},
                               headers={"Host": "evil.example"}, buffered=True)
        [mail] = outbox()
    assert "https://buurtmarkt.example.nl/wachtwoord-herstellen/" in mail.body
    assert "evil.example" not in mail.body


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.setenv("BUURTMARKT_CONFIG", "production")
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


@pytest.fixture
def limited_app_config(app_config):
    app_config.update(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute")
    return app_config


def test_login_is_rate_limited(limited_app_config, app, client):
    for _ in range(3):
        client.post("/inloggen", data={"email": "a@example.org", "password": "x"})
    response = client.post("/inloggen", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 429
    assert "Te veel pogingen" in response.text
    assert client.get("/inloggen").status_code == 200  # reading the page is not limited


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL is not set")
def test_rate_limits_are_shared_between_servers_through_redis(app_config, make_app):
    """Two app servers behind a load balancer count log-in attempts together."""
    config = {**app_config, "RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "2 per minute",
              "REDIS_URL": os.environ["TEST_REDIS_URL"],
              "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    first, second = make_app(config), make_app(config)
    assert first.config["RATELIMIT_STORAGE_URI"].startswith("redis://")
    data = {"email": "a@example.org", "password": "x"}
    with first.app_context():
        assert first.test_client().post("/inloggen", data=data).status_code == 400
    with second.app_context():
        assert second.test_client().post("/inloggen", data=data).status_code == 400
        assert second.test_client().post("/inloggen", data=data).status_code == 429


def test_form_fields_carry_no_bogus_aria_values(client):
    """aria-invalid="None" would make screen readers call every field invalid."""
    html = client.get("/aanmelden").text
    assert '="None"' not in html and 'aria-invalid' not in html
    html = client.post("/aanmelden", data={"email": "x"}).text
    assert 'aria-invalid="true"' in html and '="None"' not in html


def test_nul_characters_are_refused_before_they_reach_the_database(client):
    assert client.get("/kaart?category=%00").status_code == 400
    response = client.get("/api/v1/listings?q=a%00b")
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert client.post("/inloggen", data={"email": "a\x00@example.org", "password": "x"}
                       ).status_code == 400
