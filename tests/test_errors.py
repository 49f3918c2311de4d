"""Error pages in the site's style, never a stack trace; /healthz for load balancers."""

import pytest
from sqlalchemy.exc import OperationalError

from marketplace.extensions import db


def test_404_page_in_dutch_with_layout(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.text
    assert 'class="site-header"' in response.text


def test_405_is_friendly(client):
    response = client.get("/uitloggen")
    assert response.status_code == 405
    assert "Dit werkt zo niet" in response.text


@pytest.fixture
def broken_app_config(app_config):
    app_config["PROPAGATE_EXCEPTIONS"] = False
    return app_config


def test_500_shows_no_stack_trace(broken_app_config, app, client):
    @app.route("/kapot")
    def broken():
        raise RuntimeError("geheime details")

    response = client.get("/kapot")
    assert response.status_code == 500
    assert "Er ging iets mis aan onze kant" in response.text
    assert "geheime details" not in response.text and "Traceback" not in response.text


def test_api_errors_are_problem_details(client):
    response = client.get("/api/v1/bestaat-niet")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 404


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_503_when_database_is_down(client, monkeypatch):
    def fail(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", fail)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"
