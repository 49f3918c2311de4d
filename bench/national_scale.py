"""Benchmark for issue 11: the whole country on one platform, on SQLite and PostgreSQL.

For each database (a SQLite file in WAL mode under a temporary folder; a fresh PostgreSQL
database beside the given one, dropped at the end) it:

1. migrates, seeds the demo gemeente, and imports the synthetic national buurten file
   (bench/national_buurten.py: 14,000 buurten in RD New, ~116 MB .gpkg) with
   ``flask import-buurten PATH --yes`` in a process of its own, whose wall time and peak RSS are
   the import's own; the same for the .geojson.gz into a second, fresh database;
2. fills N listings (Dutch titles from bench/text_search.py, spread over the national buurten,
   ~2 % pending and ~1 % hidden), one resident with a home buurt and one admin; ANALYZE;
3. serves the app with gunicorn (2 workers, production settings, rate limits off) and times,
   from a few client threads, the buurt picker and gemeente endpoints with what people type
   (keystroke by keystroke), the listing text search of the API, and every page that lists or
   picks buurten or gemeenten: p50/p95 in ms and the HTML size;
4. times ``find_buurten`` in-process, to tell the query from the server around it;
5. prints one table per database with the target beside each figure, and with ``--json`` writes
   the figures to a file.

Targets (issue 11): import ≤ 60 s and ≤ 500 MB; picker and search p95 ≤ 50 ms at 1 M listings;
every page ≤ 100 KB of HTML and p95 < 300 ms. Nothing is asserted: read the table.

    .venv/bin/python bench/national_scale.py                                # 14,000 buurten, 1 M
    .venv/bin/python bench/national_scale.py --listings 20000 --buurten 2000  # a quick try
    .venv/bin/python bench/national_scale.py --databases postgresql --json national.json
    .venv/bin/python bench/national_scale.py --files /tmp/nl   # reuse national files written there
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bbox_api import own_postgres_database, serve  # noqa: E402
from national_buurten import write_files  # noqa: E402
from text_search import COLUMNS, Words, _sqlite_value, searches  # noqa: E402

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEMO_GEMEENTE = "GM9999"
RESIDENT = ("bewoner@bench.example.org", "Bewoner (bench)", "bench-bewoner-wachtwoord-7")
ADMIN = ("beheer@bench.example.org", "Beheer (bench)", "bench-beheerder-wachtwoord-7")
DEMO_WIJKWERKER = "wijkwerker@demo.buurtmarkt.nl"
OWNERS = 1000  # listings are spread over this many people
RESIDENT_EVERY = 40_000  # the resident owns every so many-th listing
SEARCH_INDEX = "ix_listing_text_search"  # PostgreSQL's GIN index of migration 0012

IMPORT_SECONDS, IMPORT_MB = 60, 500
SEARCH_P95_MS = 50
PAGE_KB, PAGE_P95_MS = 100, 300


# --- the national file, the databases, the flask commands ---------------------------------------

def national_files(folder: Path, buurten: int) -> tuple[Path, Path, float]:
    """The .gpkg and .geojson.gz of ``buurten`` buurten, written unless they are there already."""
    target = folder / f"national-{buurten}"
    gpkg, packed = target / "national_buurten.gpkg", target / "national_buurten.geojson.gz"
    if gpkg.exists() and packed.exists():
        return gpkg, packed, 0.0
    started = time.perf_counter()
    gpkg, packed = write_files(target, buurten, points=100)
    return gpkg, packed, time.perf_counter() - started


def fresh_database(kind: str, folder: Path, name: str):
    """(url, drop) of an empty database of ``kind``; drop() removes it (PostgreSQL only)."""
    if kind == "postgresql":
        return own_postgres_database(POSTGRES_URL)
    path = folder / f"{name}.sqlite3"
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    return f"sqlite:///{path}", lambda: None


def flask_command(url: str, folder: Path, *arguments: str) -> tuple[float, float, str]:
    """Run ``flask ARGUMENTS`` in a process of its own: (seconds, peak RSS in MB, output)."""
    env = {**os.environ, "DATABASE_URL": url, "INSTANCE_PATH": str(folder),
           "SECRET_KEY": "national-scale-bench", "IMPORT_DIR": str(folder / "imports"),
           "BUURTMARKT_CONFIG": "development"}
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "marketplace",
                                    *arguments], cwd=ROOT, env=env, stdout=output,
                                   stderr=subprocess.STDOUT)
        # wait4 gives this child's own resource use, not that of every child so far.
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode(errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"flask {' '.join(arguments)} failed:\n{text[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, text.strip()


def prepare_database(url: str, folder: Path, gpkg: Path) -> dict:
    """Migrate, seed the demo and import the national GeoPackage; the import's time and memory."""
    migrate = flask_command(url, folder, "db", "upgrade")
    seed = flask_command(url, folder, "seed-demo")
    seconds, peak, output = flask_command(url, folder, "import-buurten", str(gpkg), "--yes")
    print(f"  migrated in {migrate[0]:.1f} s, demo seeded in {seed[0]:.1f} s; "
          f"{gpkg.name}: {seconds:.1f} s, {peak:.0f} MB ({output.splitlines()[-1]})", flush=True)
    return {"seconds": round(seconds, 1), "peak_mb": round(peak)}


def import_geojson_into_fresh_database(kind: str, folder: Path, packed: Path) -> dict:
    """The .geojson.gz imported into an empty database of the same kind (no demo beside it)."""
    url, drop = fresh_database(kind, folder, "geojson")
    try:
        flask_command(url, folder, "db", "upgrade")
        seconds, peak, output = flask_command(url, folder, "import-buurten", str(packed), "--yes")
    finally:
        drop()
    print(f"  {packed.name} into an empty database: {seconds:.1f} s, {peak:.0f} MB "
          f"({output.splitlines()[-1]})", flush=True)
    return {"seconds": round(seconds, 1), "peak_mb": round(peak)}


# --- people and listings ------------------------------------------------------------------------

def app_for(url: str):
    from marketplace import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False})


def national_buurten() -> list[tuple]:
    """(buurt id, gemeente id, min_lon, min_lat, max_lon, max_lat, code, gemeente code) of every
    buurt outside the demo, by id."""
    import sqlalchemy as sa

    from marketplace.extensions import db
    from marketplace.geo.models import Buurt, Gemeente, Wijk

    return db.session.execute(
        sa.select(Buurt.id, Wijk.gemeente_id, Buurt.min_lon, Buurt.min_lat, Buurt.max_lon,
                  Buurt.max_lat, Buurt.code, Gemeente.code)
        .join(Buurt.wijk).join(Wijk.gemeente)
        .where(Gemeente.code != DEMO_GEMEENTE).order_by(Buurt.id)).all()


def create_people(home_buurt_id: int) -> dict[str, int]:
    """The resident (with a home buurt), the admin and the owners of the listings; their ids."""
    from marketplace import clock
    from marketplace.auth import passwords
    from marketplace.auth.models import Role, User
    from marketplace.extensions import db

    def person(email: str, name: str, password: str, *roles: Role, **extra) -> User:
        user = User(email=email, display_name=name, locale="nl",
                    password_hash=passwords.hash_password(password),
                    email_confirmed_at=clock.now(), **extra)
        user.roles = roles
        db.session.add(user)
        return user

    resident = person(*RESIDENT, home_buurt_id=home_buurt_id)
    admin = person(*ADMIN, Role.ADMIN)
    owners = [User(email=f"eigenaar{n}@bench.example.org", display_name=f"Buur {n}",
                   password_hash="x", locale="nl") for n in range(OWNERS)]
    db.session.add_all(owners)
    db.session.flush()
    ids = {"resident": resident.id, "admin": admin.id, "owners": [o.id for o in owners]}
    db.session.commit()
    return ids


def listing_rows(count: int, buurten: list[tuple], categories: list[int], owners: list[int],
                 resident_id: int):
    """Rows for text_search.COLUMNS over the last three years, ids in the order of creation
    (the SQLite search reads the newest by id); ~2 % pending and ~1 % hidden."""
    rng = random.Random(1)
    words = Words(rng)
    kinds = ["initiative", "offer", "request"]
    statuses = ["open"] * 6 + ["running"] * 2 + ["realised", "closed"]
    start = datetime.now(UTC) - timedelta(days=3 * 365)
    step = timedelta(days=3 * 365) / max(count, 1)
    for number in range(count):
        buurt_id, gemeente_id, min_lon, min_lat, max_lon, max_lat = rng.choice(buurten)[:6]
        lat, lon = rng.uniform(min_lat, max_lat), rng.uniform(min_lon, max_lon)
        status = "pending" if rng.random() < 0.02 else rng.choice(statuses)
        created = start + step * number
        hidden = created if rng.random() < 0.01 else None
        owner = resident_id if number % RESIDENT_EVERY == 0 else rng.choice(owners)
        yield (rng.choice(kinds), status, words.title(), words.description(),
               rng.choice(categories), owner, buurt_id, gemeente_id, lat, lon, lat + 0.0005,
               lon + 0.0005, False, secrets.token_hex(8), created, created,
               None if status == "pending" else created, hidden)


def insert_listings(rows, postgresql: bool) -> None:
    """COPY on PostgreSQL; on SQLite executemany in batches, in one transaction. The text
    search index is set aside meanwhile and built once at the end (as migration 0012 does for
    the listings already there): row by row it takes four times as long. So are the map's
    counting triggers (marketplace/mapdata/triggers.py), and the counts made once at the end."""
    from marketplace.extensions import db
    from marketplace.mapdata.triggers import after_bulk_load_statements, drop_statements

    dialect = "postgresql" if postgresql else "sqlite"
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement in drop_statements(dialect):
            cursor.execute(statement)
        if postgresql:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s",
                           (SEARCH_INDEX,))
            rebuild = [row[0] for row in cursor.fetchall()]
            cursor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")
            with cursor.copy(f"COPY listing ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                           "AND name LIKE 'listing_fts%'")
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f"DROP TRIGGER {name}")
            insert = (f"INSERT INTO listing ({', '.join(COLUMNS)}) "
                      f"VALUES ({', '.join('?' * len(COLUMNS))})")
            batch = []
            for row in rows:
                batch.append(tuple(_sqlite_value(value) for value in row))
                if len(batch) == 20_000:
                    cursor.executemany(insert, batch)
                    batch = []
            cursor.executemany(insert, batch)
            rebuild = ["INSERT INTO listing_fts (listing_fts) VALUES ('rebuild')",
                       *(sql for _name, sql in triggers)]
        for statement in (*rebuild, *after_bulk_load_statements(dialect)):
            cursor.execute(statement)
        raw.commit()
    finally:
        raw.close()


def analyze(postgresql: bool) -> None:
    """What autovacuum does soon after a bulk load: statistics (and on PostgreSQL the
    visibility map)."""
    import sqlalchemy as sa

    from marketplace.extensions import db

    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text("VACUUM ANALYZE" if postgresql else "ANALYZE"))


def fill(url: str, listings: int) -> dict:
    """People and ``listings`` listings; what the measurements need to know about them."""
    import sqlalchemy as sa

    from marketplace.auth.models import User
    from marketplace.extensions import db
    from marketplace.listings.models import Category, Listing

    app = app_for(url)
    with app.app_context():
        postgresql = db.engine.dialect.name == "postgresql"
        buurten = national_buurten()
        categories = db.session.scalars(sa.select(Category.id)).all()
        home = buurten[len(buurten) // 2]
        people = create_people(home_buurt_id=home[0])
        # No transaction of this session may stay open: it would keep VACUUM from marking the
        # new rows visible to all (no index-only scans on PostgreSQL afterwards).
        db.session.close()
        started = time.perf_counter()
        insert_listings(listing_rows(listings, buurten, categories, people["owners"],
                                     people["resident"]), postgresql)
        inserted = time.perf_counter() - started
        analyze(postgresql)
        seconds = time.perf_counter() - started
        in_home = db.session.scalar(sa.select(sa.func.count(Listing.id))
                                    .where(Listing.buurt_id == home[0]))
        wijkwerker = db.session.scalar(sa.select(User.id).where(User.email == DEMO_WIJKWERKER))
        db.engine.dispose()
    print(f"  filled {listings:,} listings in {inserted:.0f} s, with ANALYZE {seconds:.0f} s; "
          f"{in_home} in the home buurt {home[6]}", flush=True)
    return {"seconds": round(seconds, 1), "insert_seconds": round(inserted, 1),
            "home_buurt": home[6], "home_gemeente": home[7], "resident_id": people["resident"],
            "admin_id": people["admin"], "wijkwerker_id": wijkwerker}


# --- what people type ---------------------------------------------------------------------------

def keystrokes(text: str) -> list[str]:
    """What the picker asks for while ``text`` is typed: every prefix from two characters on."""
    return [text[:end] for end in range(2, len(text) + 1) if not text[:end].endswith(" ")]


def place_names() -> tuple[list[tuple[str, str, str, str, str]], list[tuple[str, str]]]:
    """(buurt name, wijk name, gemeente name, postcode, code) of every buurt; (gemeente name,
    code) of every gemeente."""
    import sqlalchemy as sa

    from marketplace.extensions import db
    from marketplace.geo.models import Buurt, Gemeente, Wijk

    buurten = db.session.execute(
        sa.select(Buurt.name, Wijk.name, Gemeente.name, sa.func.coalesce(Buurt.postcode, ""),
                  Buurt.code).join(Buurt.wijk).join(Wijk.gemeente).order_by(Buurt.id)).all()
    gemeenten = db.session.execute(sa.select(Gemeente.name, Gemeente.code)
                                   .order_by(Gemeente.id)).all()
    return [tuple(row) for row in buurten], [tuple(row) for row in gemeenten]


def picker_texts(buurten, count: int, seed: int = 11) -> list[str]:
    """``count`` picker queries of 1-3 words, taken keystroke by keystroke from real names,
    postcodes and codes, and from what people type for a town centre."""
    rng = random.Random(seed)
    pool: list[str] = []
    for phrase in ("centrum", "centrum a", "cen", "binnenstad", "station", "buurtstad"):
        pool += keystrokes(phrase)
    while len(pool) < count * 3:
        name, wijk, gemeente, postcode, code = rng.choice(buurten)
        words = name.lower().split()
        choice = rng.randrange(7)
        if choice == 0:  # a buurt's name, a word or two of it
            phrase = " ".join(words[:rng.randint(1, 2)])
        elif choice == 1:  # name and gemeente, in any order
            phrase = f"{words[0]} {gemeente.lower().split()[-1]}"
        elif choice == 2:  # the gemeente's name
            phrase = gemeente.lower()
        elif choice == 3:  # the wijk and gemeente
            phrase = f"{wijk.lower()} {gemeente.lower()}"[:30]
        elif choice == 4 and postcode:  # a postcode area
            phrase = postcode
        elif choice == 5:  # a CBS code: BU…, WK…, GM…
            phrase = rng.choice([code, "WK" + code[2:8], "GM" + code[2:6]])
        else:  # a few letters of a longer name
            phrase = f"{name}, {gemeente}".lower()[:rng.randint(3, 12)]
        pool += keystrokes(phrase.strip())
    return rng.sample(pool, count)


def gemeente_texts(gemeenten, count: int, seed: int = 12) -> list[str]:
    rng = random.Random(seed)
    pool: list[str] = []
    while len(pool) < count * 3:
        name, code = rng.choice(gemeenten)
        pool += keystrokes(rng.choice([name.lower(), code, name.lower().split()[-1]]))
    return rng.sample(pool, count)


# --- the HTTP client ----------------------------------------------------------------------------

def get(port: int, path: str, cookie: str = "", connection=None):
    """(status, body, set-cookie headers) of one GET."""
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    body = response.read()
    if own:
        connection.close()
    return response.status, body, response.headers.get_all("Set-Cookie") or []


def _merge_cookies(jar: dict[str, str], headers: list[str]) -> None:
    for header in headers:
        name, _, value = header.split(";", 1)[0].partition("=")
        jar[name.strip()] = value.strip()


def log_in(port: int, email: str, password: str) -> str:
    """A Cookie header of a logged-in session: the log-in form, posted with its CSRF token."""
    jar: dict[str, str] = {}
    _status, body, cookies = get(port, "/inloggen")
    _merge_cookies(jar, cookies)
    field = re.search(rb'<input[^>]*name="csrf_token"[^>]*>', body)
    token = re.search(rb'value="([^"]+)"', field.group(0)).group(1).decode()
    form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("POST", "/inloggen", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
    response = connection.getresponse()
    response.read()
    _merge_cookies(jar, response.headers.get_all("Set-Cookie") or [])
    connection.close()
    if response.status != 302:
        raise RuntimeError(f"log-in as {email} answered {response.status}")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * share) - 1)]


def load(port: int, paths: list[str], threads: int, cookie: str = "",
         budget_seconds: float = 60.0, expected: int = 200) -> dict:
    """GET every path once, from ``threads`` threads (each its own connection); stops early after
    ``budget_seconds``. p50/p95 in ms, the largest body in KB, and the answers that were not ``expected``."""
    latencies: list[float] = []
    sizes: list[int] = []
    failures: list[str] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + budget_seconds
    queue = list(reversed(paths))

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while time.perf_counter() < deadline:
            with lock:
                if not queue:
                    break
                path = queue.pop()
            started = time.perf_counter()
            status, body, _cookies = get(port, path, cookie, connection)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed * 1000)
                sizes.append(len(body))
                if status != expected:
                    failures.append(f"{status} {path}")
        connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return {"p50": round(statistics.median(latencies), 1), "p95": round(percentile(latencies, 0.95), 1),
            "n": len(latencies), "kb": round(max(sizes) / 1024, 1), "failures": failures[:5],
            "failed": len(failures)}


# --- the measurements ---------------------------------------------------------------------------

def api_paths(buurten, gemeenten, requests: int) -> dict[str, list[str]]:
    def quoted(path: str, text: str) -> str:
        return f"{path}?q={urllib.parse.quote(text)}"

    return {
        "picker /api/v1/buurten/zoeken": [quoted("/api/v1/buurten/zoeken", t)
                                          for t in picker_texts(buurten, requests)],
        "gemeenten /api/v1/gemeenten": [quoted("/api/v1/gemeenten", t)
                                        for t in gemeente_texts(gemeenten, requests)],
        "text search /api/v1/listings": [quoted("/api/v1/listings", t)
                                         for _kind, t in searches(requests, seed=13)],
    }


def page_paths(setup: dict) -> list[tuple[str, str, str, int]]:
    """(label, path, who, status) of every page that lists or picks buurten or gemeenten."""
    home, gemeente = setup["home_buurt"], setup["home_gemeente"]
    return [
        ("home, anonymous", "/", "anonymous", 200),
        ("home, with a home buurt", "/", "resident", 200),
        ("map", "/kaart", "anonymous", 200),
        ("map of a buurt", f"/kaart?buurt={home}", "anonymous", 200),
        ("map, text search", "/kaart?q=ladder+tui", "anonymous", 200),
        ("my account", "/mijn-account/", "resident", 200),
        # Several buurten match: the form comes back (400) with them to choose from.
        ("find a buurt (no JS)", "/buurten?buurt=centrum", "anonymous", 400),
        ("map, buurt typed (no JS)", "/kaart?buurt=centrum", "anonymous", 200),
        ("gemeenten", "/gemeenten", "anonymous", 200),
        ("gemeenten, searched", "/gemeenten?q=gemeente+1", "anonymous", 200),
        ("buurt page", f"/buurt/{home}", "anonymous", 200),
        ("gemeente figures", f"/gemeente/{gemeente}/verantwoording", "anonymous", 200),
        ("demo gemeente figures", f"/gemeente/{DEMO_GEMEENTE}/verantwoording", "anonymous", 200),
        ("admin: gemeenten", "/beheer/gemeenten", "admin", 200),
        ("admin: gemeenten, searched", "/beheer/gemeenten?q=gemeente+1", "admin", 200),
        ("admin: one gemeente", f"/beheer/gemeenten/{gemeente}", "admin", 200),
        ("admin: a resident", f"/beheer/gebruikers/{setup['resident_id']}", "admin", 200),
        ("admin: a wijkwerker", f"/beheer/gebruikers/{setup['wijkwerker_id']}", "admin", 200),
    ]


def measure_server(url: str, folder: Path, setup: dict, names, args) -> dict:
    buurten, gemeenten = names
    results: dict[str, dict] = {"api": {}, "pages": {}}
    with serve(url, folder, args.workers, RATELIMIT_ENABLED="false",
               IMPORT_DIR=str(folder / "imports")) as port:
        cookies = {"anonymous": "", "resident": log_in(port, RESIDENT[0], RESIDENT[2]),
                   "admin": log_in(port, ADMIN[0], ADMIN[2])}
        for label, paths in api_paths(buurten, gemeenten, args.requests).items():
            load(port, paths[:40], args.threads)  # warm up both workers
            results["api"][label] = figures = load(port, paths, args.threads,
                                                   budget_seconds=args.budget)
            print(f"  {label:34} p50 {figures['p50']:7.1f} ms  p95 {figures['p95']:7.1f} ms",
                  flush=True)
        for label, path, who, status in page_paths(setup):
            load(port, [path] * 10, args.threads, cookies[who], expected=status)
            figures = load(port, [path] * args.requests, args.threads, cookies[who],
                           budget_seconds=args.budget, expected=status)
            results["pages"][label] = {"path": path, "who": who, **figures}
            print(f"  {label:34} p50 {figures['p50']:7.1f} ms  p95 {figures['p95']:7.1f} ms  "
                  f"{figures['kb']:6.1f} KB  n={figures['n']}"
                  + (f"  FAILED {figures['failed']}: {figures['failures']}"
                     if figures["failed"] else ""), flush=True)
    return results


def time_find_buurten(url: str, requests: int) -> tuple[dict, tuple]:
    """find_buurten in this process, for the same kind of typing as the picker endpoint; also
    returns the place names the HTTP measurements sample from."""
    from marketplace.extensions import db
    from marketplace.geo.search import find_buurten

    app = app_for(url)
    with app.app_context():
        names = place_names()
        texts = picker_texts(names[0], requests, seed=21)
        for text in texts[:30]:
            find_buurten(text)
        times = []
        for text in texts:
            started = time.perf_counter()
            find_buurten(text)
            times.append((time.perf_counter() - started) * 1000)
        db.session.remove()
        db.engine.dispose()
    return {"p50": round(statistics.median(times), 1), "p95": round(percentile(times, 0.95), 1),
            "n": len(times)}, names


def run_database(kind: str, folder: Path, gpkg: Path, packed: Path, args) -> dict:
    print(f"\n{kind}:", flush=True)
    url, drop = fresh_database(kind, folder, "national")
    try:
        figures: dict = {"database": kind, "listings": args.listings, "buurten": args.buurten}
        figures["import_gpkg"] = prepare_database(url, folder, gpkg)
        if not args.skip_geojson:
            figures["import_geojson_gz"] = import_geojson_into_fresh_database(kind, folder, packed)
        figures["fill"] = setup = fill(url, args.listings)
        figures["find_buurten_in_process"], names = time_find_buurten(url, args.requests)
        figures.update(measure_server(url, folder, setup, names, args))
        return figures
    finally:
        if args.keep:
            print(f"  kept the database: {url}")
        else:
            drop()


# --- the report ---------------------------------------------------------------------------------

def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def print_table(figures: dict) -> None:
    print(f"\n=== {figures['database']}: {figures['buurten']:,} buurten, "
          f"{figures['listings']:,} listings ===")
    print(f"{'measurement':44} {'p50 ms':>8} {'p95 ms':>8} {'KB':>7}  {'target':22} verdict")
    for key, name in (("import_gpkg", ".gpkg"), ("import_geojson_gz", ".geojson.gz")):
        if key in figures:
            found = figures[key]
            print(f"{'import ' + name:44} {found['seconds']:>7.1f}s {found['peak_mb']:>6} MB "
                  f"{'':7}  {'≤ 60 s, ≤ 500 MB':22} "
                  f"{verdict(found['seconds'] <= IMPORT_SECONDS and found['peak_mb'] <= IMPORT_MB)}")
    print(f"{'fill (setup, no target)':44} {figures['fill']['seconds']:>7.1f}s")
    found = figures["find_buurten_in_process"]
    print(f"{'find_buurten() in-process':44} {found['p50']:8.1f} {found['p95']:8.1f} {'':7}  "
          f"{'p95 ≤ 50 ms':22} {verdict(found['p95'] <= SEARCH_P95_MS)}")
    for name, found in figures["api"].items():
        failed = f" ({found['failed']} unexpected status)" if found["failed"] else ""
        print(f"{name:44} {found['p50']:8.1f} {found['p95']:8.1f} {found['kb']:7.1f}  "
              f"{'p95 ≤ 50 ms':22} {verdict(found['p95'] <= SEARCH_P95_MS and not failed)}{failed}")
    for name, found in figures["pages"].items():
        ok = found["p95"] < PAGE_P95_MS and found["kb"] <= PAGE_KB and not found["failed"]
        failed = f" ({found['failed']} unexpected status)" if found["failed"] else ""
        label = f"{name} {found['path']}"[:44]
        print(f"{label:44} {found['p50']:8.1f} {found['p95']:8.1f} {found['kb']:7.1f}  "
              f"{'≤ 100 KB, p95 < 300 ms':22} {verdict(ok)}{failed}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--listings", type=int, default=1_000_000)
    parser.add_argument("--buurten", type=int, default=14_000)
    parser.add_argument("--databases", default="sqlite,postgresql",
                        help="comma-separated: sqlite, postgresql")
    parser.add_argument("--requests", type=int, default=200, help="per measurement")
    parser.add_argument("--threads", type=int, default=2, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--budget", type=float, default=60.0,
                        help="stop a measurement after this many seconds (a very slow page)")
    parser.add_argument("--skip-geojson", action="store_true",
                        help="do not time the .geojson.gz import")
    parser.add_argument("--files", type=Path, help="write (or reuse) the national files here")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder and the PostgreSQL database")
    args = parser.parse_args()
    databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    unknown = set(databases) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown database(s): {', '.join(sorted(unknown))}")

    folder = Path(tempfile.mkdtemp(prefix="buurtmarkt-national-scale-"))
    print(f"working in {folder}")
    try:
        gpkg, packed, seconds = national_files(args.files or folder, args.buurten)
        print(f"national files: {gpkg} ({gpkg.stat().st_size / 1e6:.0f} MB), {packed.name} "
              f"({packed.stat().st_size / 1e6:.0f} MB)"
              + (f", written in {seconds:.0f} s" if seconds else ", reused"), flush=True)
        results = [run_database(kind, folder, gpkg, packed, args) for kind in databases]
        for figures in results:
            print_table(figures)
        if args.json:
            args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))
            print(f"\nfigures written to {args.json}")
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
