"""No over-booking under load: many people press "I'll help" at the same moment, through real
HTTP requests to a gunicorn server with several worker processes, on this run's database."""

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from marketplace.commitments.models import HOLDING, Commitment
from marketplace.extensions import db
from marketplace.listings.models import ResourceKind
from marketplace.listings.services import ResourceData
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 4
PEOPLE = 50


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's cookies and CSRF token, speaking plain HTTP to the server."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode()

    def post(self, path: str, data: dict) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(self.base + path, body, timeout=60) as response:
                return response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as error:  # 302 arrives here because redirects are off
            return error.code, error.headers.get("Location", "")

    def csrf(self, path: str) -> str:
        return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"',
                         self.get(path)).group(1)

    def log_in(self, email: str) -> None:
        token = self.csrf("/inloggen")
        status, _ = self.post("/inloggen", {"csrf_token": token, "email": email,
                                            "password": PASSWORD})
        assert status == 302, email


@pytest.fixture
def server(app, database_url, tmp_path):
    """The app under gunicorn with several workers, on the same database as the test."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": database_url, "BUURTMARKT_CONFIG": "development",
           "SECRET_KEY": "concurrency-test", "INSTANCE_PATH": str(tmp_path),
           "RATELIMIT_LOGIN": "10000 per minute", "RATELIMIT_STORAGE_URI": "memory://"}
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    process = subprocess.Popen(
        [gunicorn, "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "--log-level",
         "warning", "marketplace:create_app()"], cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).close()
            break
        except OSError:
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=20)


def _fire_together(requests) -> list[tuple[int, str]]:
    """Run all callables at the same instant from their own threads; their results in order."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(index, request):
        barrier.wait()
        results[index] = request()

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_fifty_people_at_once_never_overbook_a_need_of_ten(server, make_user, make_listing):
    listing = make_listing(title="Grote schoonmaak", resources=[
        ResourceData(ResourceKind.VOLUNTEERS, "Handen", 10, "personen")])
    need = listing.resources[0]
    path = f"/l/{listing.id}/reageren/{need.id}"
    people = []
    for _ in range(PEOPLE):
        browser = Browser(server)
        browser.log_in(make_user().email)
        people.append((browser, browser.csrf(f"/l/{listing.id}")))

    results = _fire_together([
        (lambda b=browser, t=token: b.post(path, {"csrf_token": t, "quantity": "1"}))
        for browser, token in people])

    accepted = [location for status, location in results if "/reacties/" in location]
    refused = [location for status, location in results if location.endswith(f"#need-{need.id}")]
    assert len(accepted) == 10 and len(refused) == PEOPLE - 10, results
    db.session.expire_all()
    assert need.committed == 10
    holding = db.session.scalars(sa.select(Commitment).where(
        Commitment.resource_id == need.id, Commitment.status.in_(HOLDING))).all()
    assert sum(c.quantity for c in holding) == 10 and len(holding) == 10


def test_double_tap_on_two_workers_makes_one_commitment(server, make_user, make_listing):
    listing = make_listing(title="Bankjes", resources=[
        ResourceData(ResourceKind.VOLUNTEERS, "Handen", 10, "personen")])
    need = listing.resources[0]
    browser = Browser(server)
    browser.log_in(make_user().email)
    token = browser.csrf(f"/l/{listing.id}")
    path = f"/l/{listing.id}/reageren/{need.id}"
    results = _fire_together([lambda: browser.post(path, {"csrf_token": token, "quantity": "2"})
                              for _ in range(4)])
    assert all("/reacties/" in location for _, location in results), results
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Commitment.id))) == 1
    assert need.committed == 2
