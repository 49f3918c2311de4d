"""A synthetic national CBS buurten file: 14,000 buurten shaped like the real wijk- en buurtkaart.

Writes ``national_buurten.gpkg`` (layer ``cbs_buurten_2023``, RD New EPSG:28992, the CBS property
names plus 40 statistics columns the import does not read) and ``national_buurten.geojson.gz``
(WGS84), and with ``--import`` imports the GeoPackage into a fresh SQLite database (or
``DATABASE_URL``) and prints the time and the peak memory (twice: the second run changes nothing).

The buurten tile the country's extent in RD without gaps or overlaps; neighbours share their
jagged borders point for point, ~400 points a buurt, as real ones do. ~330 gemeenten of 42
buurten, 6 wijken each.

    .venv/bin/python bench/national_buurten.py [FOLDER] [--buurten 14000] [--points 100] [--import]
"""

from __future__ import annotations

import argparse
import gzip
import math
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely
from pyproj import Transformer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WEST, SOUTH, EAST, NORTH = 13_000, 306_000, 278_000, 620_000  # the Netherlands in RD metres
LAYER = "cbs_buurten_2023"
GEMEENTE_BLOCK = (6, 7)  # buurten per gemeente: columns × rows


def _edge(start: np.ndarray, end: np.ndarray, points: int, rng: np.random.Generator,
          amplitude: float) -> np.ndarray:
    """A jagged line from start to end; the wiggle is 0 at both ends, so edges meet cleanly."""
    t = np.linspace(0, 1, points + 2)
    line = start + np.outer(t, end - start)
    normal = np.array([-(end - start)[1], (end - start)[0]])
    normal /= np.linalg.norm(normal)
    wiggle = np.sin(np.pi * t) * rng.uniform(-amplitude, amplitude, t.size)
    wiggle[0] = wiggle[-1] = 0
    return line + np.outer(wiggle, normal)


def country(buurten: int, points: int, seed: int = 1) -> tuple[np.ndarray, dict[str, list]]:
    """Outlines in RD and the CBS properties of ``buurten`` buurten on a jagged grid."""
    rng = np.random.default_rng(seed)
    columns = round(math.sqrt(buurten * (EAST - WEST) / (NORTH - SOUTH)))
    rows = math.ceil(buurten / columns)
    xs = np.linspace(WEST, EAST, columns + 1)
    ys = np.linspace(SOUTH, NORTH, rows + 1)
    amplitude = min(xs[1] - xs[0], ys[1] - ys[0]) / 12
    horizontal = {(i, j): _edge(np.array([xs[i], ys[j]]), np.array([xs[i + 1], ys[j]]),
                                points, rng, amplitude)
                  for i in range(columns) for j in range(rows + 1)}
    vertical = {(i, j): _edge(np.array([xs[i], ys[j]]), np.array([xs[i], ys[j + 1]]),
                              points, rng, amplitude)
                for i in range(columns + 1) for j in range(rows)}
    outlines, props = [], {key: [] for key in (
        "buurtcode", "buurtnaam", "wijkcode", "wijknaam", "gemeentecode", "gemeentenaam",
        "meest_voorkomende_postcode")}
    gemeente_columns = math.ceil(columns / GEMEENTE_BLOCK[0])
    for number in range(buurten):
        j, i = divmod(number, columns)
        ring = np.concatenate([horizontal[i, j][:-1], vertical[i + 1, j][:-1],
                               horizontal[i, j + 1][::-1][:-1], vertical[i, j][::-1]])
        outlines.append(shapely.Polygon(ring))
        gemeente = 1 + (j // GEMEENTE_BLOCK[1]) * gemeente_columns + i // GEMEENTE_BLOCK[0]
        local = (j % GEMEENTE_BLOCK[1]) * GEMEENTE_BLOCK[0] + i % GEMEENTE_BLOCK[0]
        wijk, buurt = divmod(local, 7)
        props["buurtcode"].append(f"BU{gemeente:04d}{wijk:02d}{buurt:02d}")
        props["buurtnaam"].append(f"Buurt {buurt} van wijk {wijk}, gemeente {gemeente}")
        props["wijkcode"].append(f"WK{gemeente:04d}{wijk:02d}")
        props["wijknaam"].append(f"Wijk {wijk}")
        props["gemeentecode"].append(f"GM{gemeente:04d}")
        props["gemeentenaam"].append(f"Gemeente {gemeente}")
        props["meest_voorkomende_postcode"].append(f"{1000 + number % 9000}")
    return np.array(outlines, dtype=object), props


def write_files(folder: Path, buurten: int, points: int) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    outlines, props = country(buurten, points)
    rng = np.random.default_rng(2)
    statistics = {f"stat_{n:02d}": rng.integers(0, 10_000, len(outlines)) for n in range(40)}
    fields = {**props, **statistics}
    gpkg = folder / "national_buurten.gpkg"
    gpkg.unlink(missing_ok=True)
    pyogrio.raw.write(gpkg, shapely.to_wkb(outlines),
                      [np.asarray(v, dtype=object if isinstance(v, list) else None)
                       for v in fields.values()], list(fields), layer=LAYER, driver="GPKG",
                      geometry_type="Polygon", crs="EPSG:28992")
    to_wgs84 = Transformer.from_crs(28992, 4326, always_xy=True)
    in_degrees = shapely.transform(
        outlines, lambda xy: np.column_stack(to_wgs84.transform(xy[:, 0], xy[:, 1])))
    plain = folder / "national_buurten.geojson"
    plain.unlink(missing_ok=True)
    pyogrio.raw.write(plain, shapely.to_wkb(in_degrees),
                      [np.asarray(v, dtype=object) for v in props.values()], list(props),
                      driver="GeoJSON", geometry_type="Polygon", crs="EPSG:4326",
                      layer_options={"COORDINATE_PRECISION": 7})
    packed = folder / "national_buurten.geojson.gz"
    with open(plain, "rb") as source, gzip.open(packed, "wb", compresslevel=6) as target:
        shutil.copyfileobj(source, target)
    plain.unlink()
    return gpkg, packed


def import_and_measure(path: Path) -> None:
    import os

    from flask_migrate import upgrade

    from marketplace import create_app
    from marketplace.extensions import db
    from marketplace.geo.importer import import_buurten

    url = os.environ.get("DATABASE_URL") or \
        f"sqlite:///{Path(tempfile.mkdtemp(prefix='buurtmarkt-national-')) / 'nl.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False})
    with app.app_context():
        upgrade()
        for attempt in ("first import", "same file again"):
            started = time.perf_counter()
            result = import_buurten(path, check_overlaps=True)
            db.session.commit()
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{attempt}: {time.perf_counter() - started:.1f} s, peak memory {peak:.0f} MB "
                  f"(whole process); {result.created} added, {result.updated} changed, "
                  f"{result.unchanged} unchanged, {len(result.gemeenten)} gemeenten")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=None)
    parser.add_argument("--buurten", type=int, default=14_000)
    parser.add_argument("--points", type=int, default=100, help="points per side of a buurt")
    parser.add_argument("--import", dest="do_import", action="store_true")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the import, in a fresh process
    args = parser.parse_args()
    if args.measure:
        import_and_measure(Path(args.measure))
        return
    folder = Path(args.folder or tempfile.mkdtemp(prefix="buurtmarkt-national-"))
    started = time.perf_counter()
    gpkg, packed = write_files(folder, args.buurten, args.points)
    print(f"wrote {gpkg} ({gpkg.stat().st_size / 1e6:.0f} MB) and {packed} "
          f"({packed.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.0f} s")
    if args.do_import:  # in a process of its own, so the peak memory is the import's alone
        import subprocess

        for path in (gpkg, packed):
            print(f"importing {path.name}:", flush=True)
            subprocess.run([sys.executable, __file__, "--measure", str(path)], check=True)


if __name__ == "__main__":
    main()
