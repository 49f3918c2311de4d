"""Benchmark for issue 15: the follow-up pages and queries with many listings, in process.

Fills a fresh database (SQLite file, or a PostgreSQL database beside the given one, dropped at
the end) with N listings over a city of buurten (bench/bbox_api.py ``fill``), publishes them
over the last 200 days, leaves ~3 % of initiatives unanswered and gives ~1 % a pledge (half of
them overdue); then times, with the test client, the public list of what waits, the map list and
the API with ``?wacht=1``, a wijkwerker's quiet listings, the buurt index, the figures as JSON,
and the daily nudge job. Prints p50/p95 in ms over a few runs. Nothing is asserted.

    .venv/bin/python bench/follow_up_scale.py --listings 100000
    .venv/bin/python bench/follow_up_scale.py --listings 100000 --databases postgresql
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bbox_api import fill, own_postgres_database  # noqa: E402

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def shape(app) -> None:
    """Publication dates, answers and pledges as a gemeente that is a little behind has them."""
    import sqlalchemy as sa

    from marketplace.extensions import db

    with app.app_context():
        days = "(id % 200)"
        if db.engine.dialect.name == "sqlite":
            published = f"datetime('now', (0 - {days}) || ' days')"
            answered = f"datetime('now', (3 - {days}) || ' days')"
            due = "date('now', (30 - id % 60) || ' days')"
        else:
            published = f"now() + ((0 - {days}) || ' days')::interval"
            answered = f"now() + ((3 - {days}) || ' days')::interval"
            due = "(now() + ((30 - id % 60) || ' days')::interval)::date"
        db.session.execute(sa.text(
            f"update listing set published_at = {published}, last_active_at = {published}, "
            f"created_at = {published}"))
        db.session.execute(sa.text(
            f"update listing set first_answer_at = {answered} "
            f"where kind = 'initiative' and id % 33 != 0"))
        staff = db.session.scalar(sa.text("select id from \"user\" limit 1"))
        db.session.execute(sa.text(
            "insert into pledge (listing_id, kind, description, department, due_on, status, "
            f"created_by_id, created_at) select id, 'space', 'Een zaal', 'Vastgoed', {due}, "
            f"'pledged', {staff}, {published} from listing "
            "where kind = 'initiative' and id % 100 = 1"))
        db.session.commit()


def timed(client, url: str, runs: int = 7) -> tuple[float, float, int]:
    times, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.data)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], size


def run(database_url: str, listings: int) -> None:
    import sqlalchemy as sa

    from marketplace import create_app
    from marketplace.auth.models import Role, User
    from marketplace.extensions import db
    from marketplace.nudges.services import nudge_quiet_listings

    started = time.perf_counter()
    fill(database_url, listings)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": False,
                      "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False,
                      "SECRET_KEY": "bench", "PUBLIC_URL": "http://bench.local"})
    shape(app)
    with app.app_context():
        gemeente = db.session.scalar(sa.text("select code from gemeente"))
        gemeente_id = db.session.scalar(sa.text("select id from gemeente"))
        wijkwerker = User(email="wijk@bench.example.org", display_name="Wim",
                          password_hash="x", gemeente_id=gemeente_id)
        wijkwerker.roles = {Role.WIJKWERKER}
        db.session.add(wijkwerker)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("analyze"))
            db.session.commit()
    print(f"\n{database_url.split(':')[0]}: {listings:,} listings filled in "
          f"{time.perf_counter() - started:.0f} s")
    client = app.test_client()
    rows = [
        ("what waits (public)", f"/gemeente/{gemeente}/wacht-op-de-gemeente"),
        ("what waits, page 5", f"/gemeente/{gemeente}/wacht-op-de-gemeente?page=5"),
        ("map list ?wacht=1", "/kaart?wacht=1"),
        ("API ?wacht=1", "/api/v1/listings?wacht=1"),
        ("figures JSON", f"/api/v1/gemeenten/{gemeente}/cijfers"),
        ("buurt index", f"/gemeente/{gemeente}/buurten"),
    ]
    print(f"{'page':28} {'p50 ms':>8} {'p95 ms':>8} {'KB':>6}")
    for label, url in rows:
        p50, p95, size = timed(client, url)
        print(f"{label:28} {p50:8.1f} {p95:8.1f} {size / 1024:6.1f}")
    from marketplace.auth.sessions import start_session

    with app.app_context():
        person = db.session.scalar(sa.select(User).where(User.email == "wijk@bench.example.org"))
        token = start_session(person, remember=False)
        db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    p50, p95, size = timed(client, "/moderatie/stil")
    print(f"{'quiet listings (wijkwerker)':28} {p50:8.1f} {p95:8.1f} {size / 1024:6.1f}")
    with app.app_context():
        started = time.perf_counter()
        nudged = nudge_quiet_listings()
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = nudge_quiet_listings()
        second = time.perf_counter() - started
    print(f"nudge job: {nudged:,} nudged in {first:.1f} s; the next day's run {again} in "
          f"{second:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--postgres", default=POSTGRES_URL)
    args = parser.parse_args()
    for database in args.databases:
        if database == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                run(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", args.listings)
        else:
            url, drop = own_postgres_database(args.postgres)
            try:
                run(url, args.listings)
            finally:
                drop()


if __name__ == "__main__":
    main()
