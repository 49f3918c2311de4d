"""Benchmark for issue 16: the dashboard, the raad's report, the open data and the buurt pages
with the national buurten and many listings, on SQLite and PostgreSQL.

For each database it migrates, seeds the demo and imports the synthetic national buurten
(bench/national_buurten.py, as bench/national_scale.py does), gives every buurt a residents
figure, then fills N listings of which a third lie in one large gemeente (the worst case: a
city's dashboard counts its own listings), one need each, a response on every other listing,
and ANALYZE. It serves the app with gunicorn (production settings, rate limits off) and times,
from a few client threads, as a staff member of that gemeente: the dashboard of the gemeente,
of a wijk and of a buurt, the report of a wijk, the trends JSON and CSV, the buurt index and the
busiest buurt page; the first answer (counted; the figures are kept five minutes after),
p50/p95 in ms and the HTML size. Nothing is asserted: read the table.

Targets (issue 16): every page ≤ 100 KB of HTML and < 300 ms with the national buurten and
100,000 listings.

    .venv/bin/python bench/insight_scale.py                          # 14,000 buurten, 100,000
    .venv/bin/python bench/insight_scale.py --buurten 2000 --listings 20000   # a quick try
    .venv/bin/python bench/insight_scale.py --databases postgresql --files /tmp/nl
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bbox_api import serve
from national_scale import (
    analyze,
    app_for,
    create_people,
    fresh_database,
    insert_listings,
    listing_rows,
    load,
    log_in,
    national_buurten,
    national_files,
    prepare_database,
)

STAFF = ("medewerker@bench.example.org", "Medewerker (bench)", "bench-medewerker-wachtwoord-7")
CITY_SHARE = 1 / 3  # of the listings, in the one large gemeente


def fill(url: str, listings: int) -> dict:
    """Residents per buurt, a staff member of the largest gemeente, the listings (a third in
    that gemeente), one need each and a response on every other one."""
    import sqlalchemy as sa

    from marketplace import clock
    from marketplace.auth import passwords
    from marketplace.auth.models import Role, User
    from marketplace.extensions import db
    from marketplace.geo.models import Buurt, Gemeente, Wijk
    from marketplace.listings.models import Category

    app = app_for(url)
    with app.app_context():
        postgresql = db.engine.dialect.name == "postgresql"
        db.session.execute(sa.update(Buurt).values(residents=500 + (Buurt.id * 37) % 3000))
        buurten = national_buurten()
        by_gemeente: dict[int, list[tuple]] = {}
        for buurt in buurten:
            by_gemeente.setdefault(buurt[1], []).append(buurt)
        city_id, city_buurten = max(by_gemeente.items(), key=lambda item: len(item[1]))
        city = db.session.execute(sa.select(Gemeente.code, Gemeente.name)
                                  .where(Gemeente.id == city_id)).one()
        # rng.choice over this list puts about CITY_SHARE of the listings in the city.
        weight = max(1, round(CITY_SHARE * len(buurten) / ((1 - CITY_SHARE) * len(city_buurten))))
        biased = buurten + city_buurten * weight
        staff = User(email=STAFF[0], display_name=STAFF[1], locale="nl",
                     password_hash=passwords.hash_password(STAFF[2]),
                     email_confirmed_at=clock.now(), gemeente_id=city_id)
        staff.roles = (Role.STAFF,)
        db.session.add(staff)
        db.session.commit()
        people = create_people(home_buurt_id=city_buurten[0][0])
        categories = db.session.scalars(sa.select(Category.id)).all()
        db.session.close()
        insert_listings(listing_rows(listings, biased, categories, people["owners"],
                                     people["resident"]), postgresql)
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO resource (listing_id, kind, description, quantity, unit, committed,"
                " position) SELECT id, 'volunteers', 'Handen', 5, 'personen', 1, 0 FROM listing"))
            connection.execute(sa.text(
                "INSERT INTO commitment (resource_id, listing_id, helper_id, quantity, note, "
                "status, created_at) SELECT r.id, l.id, l.owner_id, 1, '', 'accepted', "
                "l.created_at FROM resource r JOIN listing l ON l.id = r.listing_id "
                "WHERE l.id % 2 = 0"))
        analyze(postgresql)
        wijk = db.session.scalar(sa.select(Wijk.code).where(Wijk.gemeente_id == city_id)
                                 .order_by(Wijk.code))
        busiest = db.session.execute(sa.text(
            "SELECT b.code FROM listing l JOIN buurt b ON b.id = l.buurt_id "
            "WHERE l.gemeente_id = :city GROUP BY b.code ORDER BY count(*) DESC LIMIT 1"),
            {"city": city_id}).scalar()
        in_city = db.session.execute(sa.text("SELECT count(*) FROM listing WHERE gemeente_id ="
                                             " :city"), {"city": city_id}).scalar()
        setup = {"city": city.code, "city_name": city.name, "wijk": wijk,
                 "buurt": busiest, "city_buurten": len(city_buurten), "in_city": in_city}
        db.engine.dispose()
    print(f"  {listings:,} listings, {in_city:,} of them in {setup['city_name']} "
          f"({len(city_buurten)} buurten)", flush=True)
    return setup


def pages(setup: dict) -> list[tuple[str, str]]:
    city, wijk, buurt = setup["city"], setup["wijk"], setup["buurt"]
    return [
        ("dashboard, gemeente, 12 months", f"/gemeente/{city}/dashboard"),
        ("dashboard, gemeente, 30 days",
         f"/gemeente/{city}/dashboard?van=2026-11-01&tot=2026-11-30"),
        ("dashboard, wijk", f"/gemeente/{city}/dashboard?gebied={wijk}"),
        ("dashboard, buurt", f"/gemeente/{city}/dashboard?buurt={buurt}"),
        ("report of a wijk (public)", f"/gemeente/{city}/wijk/{wijk}/rapport"),
        ("trends JSON, gemeente", f"/api/v1/gemeenten/{city}/trends"),
        ("trends CSV of the buurten", f"/api/v1/gemeenten/{city}/trends/buurten.csv"),
        ("buurt index", f"/gemeente/{city}/buurten"),
        ("busiest buurt page", f"/buurt/{buurt}"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--buurten", type=int, default=14_000)
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--files", type=Path, help="where the national files are (re)used")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        gpkg, _packed, _seconds = national_files(args.files or folder, args.buurten)
        random.seed(16)
        for kind in args.databases:
            print(f"\n{kind}", flush=True)
            url, drop = fresh_database(kind, folder, "insight")
            try:
                prepare_database(url, folder, gpkg)
                setup = fill(url, args.listings)
                with serve(url, folder, args.workers, RATELIMIT_ENABLED="false") as port:
                    cookie = log_in(port, STAFF[0], STAFF[2])
                    for label, path in pages(setup):
                        # The first answer counts (the figures are kept five minutes after).
                        first = load(port, [path], 1, cookie)["p50"]
                        load(port, [path] * 4, args.threads, cookie)  # warm both workers
                        figures = load(port, [path] * args.requests, args.threads, cookie)
                        print(f"  {label:32} first {first:7.1f} ms  p50 {figures['p50']:7.1f} ms"
                              f"  p95 {figures['p95']:7.1f} ms  {figures['kb']:6.1f} KB"
                              + (f"  FAILED {figures['failures']}" if figures["failed"] else ""),
                              flush=True)
            finally:
                drop()


if __name__ == "__main__":
    main()
