"""Benchmark: the map's bbox API with 100,000 listings, beside a trivial endpoint of the same app.

Fills a fresh database, serves the app with gunicorn on 127.0.0.1, sends a bounded number of
requests from a few client threads and prints p50/p95 latency and throughput per endpoint, and
each as a ratio to /healthz. Nothing is asserted: read the figures.

    .venv/bin/python bench/bbox_api.py                      # SQLite in a temporary folder
    .venv/bin/python bench/bbox_api.py --database-url postgresql+psycopg://postgres@127.0.0.1/test
"""

import argparse
import contextlib
import http.client
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CITY = (5.00, 52.00, 5.16, 52.10)  # west, south, east north: about 11 × 11 km
GRID = 20  # 20 × 20 buurten over the city


def city_geojson() -> dict:
    west, south, east, north = CITY
    width, height = (east - west) / GRID, (north - south) / GRID
    features = []
    for row in range(GRID):
        for column in range(GRID):
            x, y = west + column * width, south + row * height
            ring = [[x, y], [x + width, y], [x + width, y + height], [x, y + height], [x, y]]
            wijk = f"WK7777{row:02d}"
            features.append({"type": "Feature", "properties": {
                "buurtcode": f"BU7777{row:02d}{column:02d}", "buurtnaam": f"Buurt {row}-{column}",
                "wijkcode": wijk, "gemeentecode": "GM7777", "gemeentenaam": "Benchstad"},
                "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return {"type": "FeatureCollection", "features": features}


def fill(database_url: str, listings: int) -> None:
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from marketplace import create_app
    from marketplace.auth.models import User
    from marketplace.extensions import db
    from marketplace.geo.importer import import_buurten
    from marketplace.geo.models import Buurt
    from marketplace.listings.models import Category, Listing
    from marketplace.mapdata.triggers import after_bulk_load_statements, drop_statements

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": False})
    with app.app_context():
        upgrade()
        import_buurten(city_geojson())
        owner = User(email="bench@example.org", display_name="Bench", password_hash="x")
        db.session.add(owner)
        db.session.commit()
        buurten = db.session.execute(sa.select(Buurt.id, Buurt.min_lon, Buurt.min_lat,
                                               Buurt.max_lon, Buurt.max_lat)).all()
        gemeente_id = db.session.scalar(sa.text("select id from gemeente"))
        categories = db.session.scalars(sa.select(Category.id)).all()
        # Counted once at the end, not row by row (marketplace/mapdata/triggers.py).
        dialect = db.engine.dialect.name
        for statement in drop_statements(dialect):
            db.session.execute(sa.text(statement))
        rng = random.Random(1)
        kinds, statuses = ["initiative", "offer", "request"], ["open"] * 8 + ["running", "closed"]
        batch = []
        started = time.perf_counter()
        for number in range(listings):
            buurt = rng.choice(buurten)
            lat, lon = rng.uniform(buurt[2], buurt[4]), rng.uniform(buurt[1], buurt[3])
            batch.append({"kind": rng.choice(kinds), "status": rng.choice(statuses),
                          "title": f"Plaatsing {number}", "description": "Benchmark",
                          "category_id": rng.choice(categories), "owner_id": owner.id,
                          "buurt_id": buurt[0], "gemeente_id": gemeente_id, "lat": lat, "lon": lon,
                          "public_lat": lat + 0.0005, "public_lon": lon + 0.0005,
                          "is_public_space": False, "blur_seed": secrets.token_hex(8)})
            if len(batch) == 5000:
                db.session.execute(sa.insert(Listing), batch)
                batch = []
        if batch:
            db.session.execute(sa.insert(Listing), batch)
        db.session.execute(sa.text(
            "insert into resource (listing_id, kind, description, quantity, unit, committed, "
            "position) select id, 'volunteers', 'Hulp', 4, 'personen', 0, 0 from listing"))
        for statement in after_bulk_load_statements(dialect):
            db.session.execute(sa.text(statement))
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does within a minute of a bulk load: give the planner statistics.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("ANALYZE"))
        print(f"filled {listings} listings in {time.perf_counter() - started:.1f} s")
        db.engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def neighbourhood_bbox(rng: random.Random) -> str:
    # About 600 × 600 m, as at zoom 16 on a phone.
    lon, lat = rng.uniform(CITY[0], CITY[2] - 0.009), rng.uniform(CITY[1], CITY[3] - 0.0055)
    return f"{lon:.5f},{lat:.5f},{lon + 0.009:.5f},{lat + 0.0055:.5f}"


def city_bbox(rng: random.Random) -> str:
    # The whole city, as at zoom 12-13: far more listings than one response may carry.
    return ",".join(f"{v:.5f}" for v in CITY)


def run_load(port: int, path_for, requests: int, threads: int) -> tuple[list[float], float]:
    latencies: list[float] = []
    lock = threading.Lock()
    per_thread = requests // threads

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for _ in range(per_thread):
            start = time.perf_counter()
            connection.request("GET", path_for(rng))
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status}")
            mine.append(time.perf_counter() - start)
        connection.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return latencies, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=400, help="per endpoint")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="buurtmarkt-bench-"))
    drop = None
    if args.database_url:
        url, drop = own_postgres_database(args.database_url)
    else:
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
    try:
        fill(url, args.listings)
        measure(url, folder, args)
    finally:
        if drop:
            drop()


def own_postgres_database(url: str):
    """A fresh database beside the given one, so the benchmark never touches real data."""
    import sqlalchemy as sa

    name = f"buurtmarkt_bench_{secrets.token_hex(4)}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return sa.make_url(url).set(database=name).render_as_string(hide_password=False), drop


@contextlib.contextmanager
def serve(url: str, folder: Path, workers: int, **settings: str):
    """The app under gunicorn in production settings on a free port; yields the port."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "BUURTMARKT_CONFIG": "production",
           "PUBLIC_URL": "https://buurtmarkt.example.nl",
           "SECRET_KEY": secrets.token_urlsafe(32), "INSTANCE_PATH": str(folder),
           "RATELIMIT_STORAGE_URI": "memory://", **settings}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "--workers", str(workers), "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning", "marketplace:create_app()"],
        cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


def measure(url: str, folder: Path, args) -> None:
    with serve(url, folder, args.workers) as port:
        endpoints = {
            "/healthz (trivial)": lambda rng: "/healthz",
            "bbox, neighbourhood": lambda rng: f"/api/v1/listings?bbox={neighbourhood_bbox(rng)}",
            "bbox, whole city": lambda rng: f"/api/v1/listings?bbox={city_bbox(rng)}",
        }
        for path_for in endpoints.values():  # warm up every worker
            run_load(port, path_for, 20, args.threads)
        results = {}
        for name, path_for in endpoints.items():
            latencies, seconds = run_load(port, path_for, args.requests, args.threads)
            latencies.sort()
            results[name] = (statistics.median(latencies) * 1000,
                             latencies[int(len(latencies) * 0.95) - 1] * 1000,
                             len(latencies) / seconds)
        base = results["/healthz (trivial)"]
        print(f"\n{args.listings} listings, {'PostgreSQL' if 'postgres' in url else 'SQLite'}, "
              f"gunicorn {args.workers} workers, {args.threads} client threads, "
              f"{args.requests} requests per endpoint\n")
        print(f"{'endpoint':24} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} "
              f"{'p50 ×':>7} {'p95 ×':>7} {'req/s ×':>8}")
        for name, (p50, p95, rate) in results.items():
            print(f"{name:24} {p50:8.1f} {p95:8.1f} {rate:8.0f} {p50 / base[0]:7.1f} "
                  f"{p95 / base[1]:7.1f} {rate / base[2]:8.2f}")


if __name__ == "__main__":
    main()
