"""The app under gunicorn with several worker processes, on the test's own database, and people
who speak plain HTTP to it: for races that only show between real processes."""

from __future__ import annotations

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
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 4


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
        """The status and the redirect target (empty when there is none)."""
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


def logged_in(server: str, user, page: str = "/") -> tuple[Browser, str]:
    """A browser logged in as ``user`` and a CSRF token for its posts."""
    browser = Browser(server)
    browser.log_in(user.email)
    return browser, browser.csrf(page)


@pytest.fixture
def server(app, database_url, tmp_path) -> Iterator[str]:
    """The app under gunicorn with several workers, on the same database as the test."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": database_url, "BUURTMARKT_CONFIG": "development",
           "SECRET_KEY": "concurrency-test", "INSTANCE_PATH": str(tmp_path),
           "RATELIMIT_ENABLED": "0", "RATELIMIT_STORAGE_URI": "memory://"}
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


def fire_together(requests: list[Callable[[], tuple[int, str]]]) -> list[tuple[int, str]]:
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
