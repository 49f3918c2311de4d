"""Benchmark: placing a point in its buurt among 14,000 buurten (the size of the Netherlands).

Builds a synthetic country of 14,000 square buurten in a fresh SQLite database, then times the
first lookup (which builds the STRtree) and many lookups after it. Prints the figures.

    .venv/bin/python bench/buurt_lookup.py
"""

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROWS, COLUMNS = 100, 140  # 14,000 buurten
WEST, SOUTH, CELL = 3.4, 50.8, 0.025


def country() -> list[dict]:
    features = []
    for row in range(ROWS):
        for column in range(COLUMNS):
            number = row * COLUMNS + column
            gemeente, wijk, buurt = number // 40, (number // 8) % 5, number % 8
            x, y = WEST + column * CELL, SOUTH + row * CELL * 0.6
            ring = [[x, y], [x + CELL, y], [x + CELL, y + CELL * 0.6], [x, y + CELL * 0.6], [x, y]]
            features.append({"type": "Feature", "properties": {
                "buurtcode": f"BU{gemeente:04d}{wijk:02d}{buurt:02d}", "buurtnaam": f"Buurt {number}",
                "wijkcode": f"WK{gemeente:04d}{wijk:02d}", "gemeentecode": f"GM{gemeente:04d}",
                "gemeentenaam": f"Gemeente {gemeente}"},
                "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return features


def main() -> None:
    from flask_migrate import upgrade

    from marketplace import create_app
    from marketplace.extensions import db
    from marketplace.geo import locator
    from marketplace.geo.importer import import_buurten

    folder = Path(tempfile.mkdtemp(prefix="buurtmarkt-lookup-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'country.sqlite3'}",
                      "TESTING": False})
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        import_buurten({"type": "FeatureCollection", "features": country()})
        db.session.commit()
        print(f"imported {ROWS * COLUMNS} buurten in {time.perf_counter() - started:.1f} s")
        locator.forget_buurten()
        rng = random.Random(3)
        started = time.perf_counter()
        locator.buurt_id_at(52.0, 5.0)
        print(f"first lookup (loads and indexes all outlines): {time.perf_counter() - started:.2f} s")
        timings, found = [], 0
        for _ in range(20_000):
            lat = rng.uniform(SOUTH, SOUTH + ROWS * CELL * 0.6)
            lon = rng.uniform(WEST, WEST + COLUMNS * CELL)
            started = time.perf_counter()
            found += locator.buurt_id_at(lat, lon) is not None
            timings.append(time.perf_counter() - started)
        timings.sort()
        print(f"20,000 lookups: p50 {statistics.median(timings) * 1e6:.0f} µs, "
              f"p95 {timings[int(len(timings) * 0.95)] * 1e6:.0f} µs, "
              f"{found} found in a buurt")


if __name__ == "__main__":
    main()
