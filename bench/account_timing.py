"""Benchmark: do sign-up and password reset answer as fast for an address that has an account
as for one that has not? (If not, the timing tells who has an account.)

Serves the app with gunicorn on 127.0.0.1 (SMTP off: mail goes to the outbox folder), then sends
the two kinds of request alternately and prints the median and 90th percentile of each, and the
difference. Nothing is asserted: read the figures.

    .venv/bin/python bench/account_timing.py [--requests 300]
"""

import argparse
import http.client
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bbox_api import serve  # noqa: E402

KNOWN = "bestaat@example.org"


def prepare(database_url: str, instance: Path) -> None:
    from flask_migrate import upgrade

    from marketplace import create_app
    from marketplace.auth.models import User
    from marketplace.auth.passwords import hash_password
    from marketplace.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": False,
                      "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        db.session.add(User(email=KNOWN, display_name="Bestaat",
                            password_hash=hash_password("een-lange-zin-als-wachtwoord")))
        db.session.commit()


class Client:
    """One keep-alive-free HTTP client with its own cookies and CSRF token."""

    def __init__(self, port: int):
        self.port, self.cookie = port, ""

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": self.cookie}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, data, headers)
        response = connection.getresponse()
        text = response.read().decode()
        if cookie := response.getheader("Set-Cookie"):
            self.cookie = cookie.split(";", 1)[0]
        connection.close()
        return response.status, text

    def token(self, path: str) -> str:
        _status, page = self.request("GET", path)
        return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def timed(client: Client, path: str, body: dict) -> float:
    start = time.perf_counter()
    status, _ = client.request("POST", path, body)
    elapsed = time.perf_counter() - start
    assert status in (302, 200), status
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="per kind and form")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="buurtmarkt-bench-"))
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    prepare(url, folder)
    with serve(url, folder, workers=2, RATELIMIT_ENABLED="0",
               # (for versions before RATELIMIT_ENABLED was read from the environment)
               RATELIMIT_SIGNUP="100000 per minute",
               RATELIMIT_PASSWORD_RESET="100000 per minute") as port:
        client = Client(port)
        for path, form in (("/wachtwoord-vergeten", lambda email: {"email": email}),
                           ("/aanmelden", lambda email: {
                               "email": email, "display_name": "Iemand",
                               "password": "een-lange-zin-als-wachtwoord",
                               "accept_privacy": "y"})):
            times = {"known": [], "unknown": []}
            for number in range(options.requests):
                for kind in ("known", "unknown") if number % 2 else ("unknown", "known"):
                    email = KNOWN if kind == "known" else f"nieuw{number}@example.org"
                    body = {**form(email), "csrf_token": client.token(path)}
                    times[kind].append(timed(client, path, body))
            medians = {kind: statistics.median(values) * 1000 for kind, values in times.items()}
            p90 = {kind: statistics.quantiles(values, n=10)[-1] * 1000
                   for kind, values in times.items()}
            print(f"{path}: known address median {medians['known']:.1f} ms "
                  f"(p90 {p90['known']:.1f}), unknown {medians['unknown']:.1f} ms "
                  f"(p90 {p90['unknown']:.1f}); difference of medians "
                  f"{medians['known'] - medians['unknown']:+.1f} ms")


if __name__ == "__main__":
    main()
