"""The map's API beside a hello-world Flask app, measured from the outside with wrk.

For each database and number of listings (spread over the national buurten of
``bench/national_buurten.py``), serves the app and a hello-world Flask app (``@app.get("/")``,
same venv, same gunicorn and worker count), and runs wrk against them in turns (A B A B …, the
machine is shared), each run cycling through many URLs of one kind:

- street: what the map asks at street zoom (16): the grid tiles of level 16 around a random
  spot in a random buurt;
- city: the same at city zoom (13), tiles of level 13;
- country: the level-7 tiles over the whole of the Netherlands (clusters);
- 304: the street tiles again, each with the ETag it was answered with (If-None-Match);
- street-bbox, city-bbox: the open-data endpoint /api/v1/listings with a 1 km and an 8 km box.

Before wrk, every URL is asked once in turn, uncached (the "cold p95": what building an answer
costs); wrk then measures the steady state, where most answers come from the cache, as they do
for a map that many people look at. It prints requests per second, the app's ÷ hello-world's
(median of the rounds), the app's p95 under load and cold. Issue 12's targets: street ≥ 0.6×,
city ≥ 0.3×, country p95 ≤ 20 ms, 304 ≥ 0.8×, p95 at 1 M ÷ p95 at 10 k ≤ 2.

    .venv/bin/python bench/national_buurten.py /tmp/ns-files/national-14000   # once
    .venv/bin/python bench/map_speed.py --files /tmp/ns-files --listings 10000,100000
    (needs wrk: apt-get install wrk)
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bbox_api import free_port, serve  # noqa: E402
from national_scale import (  # noqa: E402
    app_for,
    fill,
    fresh_database,
    national_buurten,
    national_files,
    prepare_database,
)

from marketplace.mapdata import grid  # noqa: E402

NETHERLANDS = (3.35, 50.75, 7.25, 53.55)  # west, south, east, north
URLS_PER_KIND = 500
HELLO = '''from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
'''
# wrk calls request() for every request and done() once; p95 is printed for the parser below.
LUA = '''local urls = {}
for line in io.lines("%s") do urls[#urls + 1] = line end
local i = 0
request = function()
  i = i %% #urls + 1
  local url, tag = urls[i]:match("([^\t]+)\t?(.*)")
  if tag ~= "" then return wrk.format("GET", url, {["If-None-Match"] = tag}) end
  return wrk.format("GET", url)
end
done = function(summary, latency, requests)
  io.write(string.format("P95_US %%d\\n", latency:percentile(95.0)))
end
'''


def box_around(lat: float, lon: float, km: float) -> str:
    half_lat = km / 2 / 111.32
    half_lon = km / 2 / (111.32 * math.cos(math.radians(lat)))
    return f"{lon - half_lon:.5f},{lat - half_lat:.5f},{lon + half_lon:.5f},{lat + half_lat:.5f}"


def tile(lat: float, lon: float, level: int) -> str:
    x, y = grid.cell_of(lat, lon, level)
    return f"/api/v1/map/{level}/{x}/{y}"


def urls_of_each_kind(url: str, seed: int = 5) -> dict[str, list[str]]:
    rng = random.Random(seed)
    with app_for(url).app_context():
        buurten = national_buurten()
    spots = []
    for _ in range(URLS_PER_KIND):
        _id, _gemeente, west, south, east, north = rng.choice(buurten)[:6]
        spots.append((rng.uniform(south, north), rng.uniform(west, east)))
    west, south, east, north = NETHERLANDS
    (x0, y0), (x1, y1) = grid.cell_of(south, west, 7), grid.cell_of(north, east, 7)
    return {
        "street": [tile(lat, lon, 16) for lat, lon in spots],
        "city": [tile(lat, lon, 13) for lat, lon in spots],
        "country": [f"/api/v1/map/7/{x}/{y}" for x in range(x0, x1 + 1)
                    for y in range(y0, y1 + 1)],
        "street-bbox": [f"/api/v1/listings?bbox={box_around(lat, lon, 1)}" for lat, lon in spots],
        "city-bbox": [f"/api/v1/listings?bbox={box_around(lat, lon, 8)}" for lat, lon in spots],
    }


def wrk(port: int, urls: list[str], folder: Path, seconds: int) -> tuple[float, float]:
    """(requests per second, p95 ms) of wrk -t1 -c8 cycling through ``urls``."""
    (folder / "urls.txt").write_text("\n".join(urls) + "\n")
    (folder / "cycle.lua").write_text(LUA % (folder / "urls.txt"))
    output = subprocess.run(
        ["wrk", "-t1", "-c8", f"-d{seconds}s", "-s", str(folder / "cycle.lua"),
         f"http://127.0.0.1:{port}/"], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"failed requests:\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p95 = int(re.search(r"P95_US (\d+)", output).group(1)) / 1000
    return rate, p95


def serve_hello(folder: Path, workers: int):
    (folder / "hello.py").write_text(HELLO)
    port = free_port()
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "--workers", str(workers),
                               "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
                               "--no-control-socket", "--chdir", str(folder), "hello:app"])
    return server, port


def cold(port: int, paths: list[str]) -> tuple[float, dict[str, str]]:
    """Each path asked once in turn, before anything is cached: p95 in ms, and the ETags."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    seconds, tags = [], {}
    for path in dict.fromkeys(paths):
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        seconds.append(time.perf_counter() - started)
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status}")
        tags[path] = response.getheader("ETag") or ""
    connection.close()
    return statistics.quantiles(seconds, n=20)[-1] * 1000 if len(seconds) > 1 else \
        seconds[0] * 1000, tags


def measure(url: str, folder: Path, args) -> dict:
    kinds = urls_of_each_kind(url)
    hello_server, hello_port = serve_hello(folder, args.workers)
    results = {}
    try:
        with serve(url, folder, args.workers, RATELIMIT_ENABLED="false",
                   **({"REDIS_URL": args.redis} if args.redis else {})) as port:
            cold_p95, tags = {}, {}
            for kind, urls in kinds.items():
                cold_p95[kind], found = cold(port, urls)
                tags.update(found)
            kinds["304"] = [f"{path}\t{tags[path]}" for path in kinds["street"]]
            cold_p95["304"] = None
            for urls in kinds.values():  # warm up every worker
                wrk(port, urls, folder, 2)
            wrk(hello_port, ["/"], folder, 2)
            for kind, urls in kinds.items():
                rounds = []
                for _ in range(args.rounds):
                    app_rate, app_p95 = wrk(port, urls, folder, args.seconds)
                    hello_rate, _hello_p95 = wrk(hello_port, ["/"], folder, args.seconds)
                    rounds.append((app_rate / hello_rate, app_rate, hello_rate, app_p95))
                ratio, app_rate, hello_rate, p95 = (statistics.median(r[i] for r in rounds)
                                                    for i in range(4))
                results[kind] = {"ratio": round(ratio, 3), "app_rps": round(app_rate),
                                 "hello_rps": round(hello_rate), "p95_ms": round(p95, 1),
                                 "cold_p95_ms": cold_p95[kind] and round(cold_p95[kind], 1)}
                print(f"    {kind:11} {app_rate:8.0f} req/s  hello {hello_rate:8.0f} req/s  "
                      f"ratio {ratio:6.3f}  p95 {p95:7.1f} ms  cold p95 "
                      f"{cold_p95[kind] or 0:7.1f} ms", flush=True)
    finally:
        hello_server.terminate()
        hello_server.wait(timeout=20)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", default="10000,100000",
                        help="comma-separated numbers of listings")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=8, help="per wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--buurten", type=int, default=14_000)
    parser.add_argument("--files", type=Path, required=True,
                        help="folder of the national files (bench/national_buurten.py)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--redis", help="REDIS_URL for the app (answers cached in Redis)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    gpkg, _packed, _seconds = national_files(args.files, args.buurten)
    figures: dict = {}
    folder = Path(tempfile.mkdtemp(prefix="buurtmarkt-map-speed-"))
    try:
        for kind in args.databases.split(","):
            for count in (int(n) for n in args.listings.split(",")):
                print(f"{kind}, {count:,} listings:", flush=True)
                url, drop = fresh_database(kind, folder, f"map-{count}")
                try:
                    prepare_database(url, folder, gpkg)
                    fill(url, count)
                    figures[f"{kind} {count}"] = measure(url, folder, args)
                finally:
                    drop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("\nview         database     listings   ratio ÷ hello-world   p95 ms   cold p95 ms")
    for key, result in figures.items():
        kind, count = key.split()
        for view in ("street", "city", "country", "304", "street-bbox", "city-bbox"):
            print(f"{view:12} {kind:12} {int(count):>9,}   {result[view]['ratio']:>8.3f}"
                  f"   {result[view]['p95_ms']:>13.1f}   {result[view]['cold_p95_ms'] or 0:>8.1f}")
    for kind in args.databases.split(","):
        sizes = sorted(int(key.split()[1]) for key in figures if key.startswith(kind))
        if len(sizes) > 1:
            small, large = figures[f"{kind} {sizes[0]}"], figures[f"{kind} {sizes[-1]}"]
            print(f"{kind}: street p95 at {sizes[-1]:,} ÷ at {sizes[0]:,}: "
                  f"{large['street']['p95_ms'] / small['street']['p95_ms']:.1f}; cold: "
                  f"{large['street']['cold_p95_ms'] / small['street']['cold_p95_ms']:.1f}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
