"""What publishing costs now that it finds matches and tells people, in the densest place.

Fills the demo gemeente with ``--offers`` open offers (materials and volunteers, Dutch titles
from a small vocabulary) inside 2 km of one spot: far denser than any real town centre (the
national average is ~100 offers within 2 km at a million listings), so matching always compares
its full ``CANDIDATES`` (200). Then publishes ``--needs`` initiatives at that spot, one per
transaction as a request would, each with a materials need and a volunteers need, and reports
per publish: time to find and rank the matches (``find_matches`` for both needs) and the whole
publish with its writes (the commit, then the matching job run in the process: matches kept,
grouped notifications, immediate mail queued), median and p95, plus the rows it wrote.

    .venv/bin/python bench/matching_speed.py --offers 5000 --needs 100 --databases sqlite,postgresql
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from national_scale import fresh_database  # noqa: E402

THINGS = ["ladder", "verf", "muurverf", "kwasten", "boormachine", "partytent", "tafels",
          "stoelen", "aanhanger", "grasmaaier", "schep", "kruiwagen", "zaailingen", "potgrond",
          "hout", "schroeven", "naaimachine", "fietspomp", "koffiezetapparaat", "geluidsinstallatie"]
HELP = ["sjouwen", "koken", "tuinieren", "schilderen", "opruimen", "fietsen repareren",
        "kinderen bezighouden", "flyers rondbrengen"]
CENTRE = (52.485, 3.72)  # the middle of the demo gemeente, at sea


def _spot(rng: random.Random) -> tuple[float, float]:
    return CENTRE[0] + rng.uniform(-0.012, 0.012), CENTRE[1] + rng.uniform(-0.018, 0.018)


def fill_offers(count: int, rng: random.Random) -> None:
    import sqlalchemy as sa

    from marketplace.auth.models import User
    from marketplace.extensions import db
    from marketplace.listings import services
    from marketplace.listings.models import Category, ListingKind, ResourceKind
    from marketplace.notifications.services import silenced

    owners = db.session.scalars(sa.select(User).where(User.email.like("%@demo.buurtmarkt.nl"))
                                .order_by(User.id)).all()
    category = db.session.scalar(sa.select(Category).where(Category.slug == "klussen"))
    with silenced():
        for index in range(count):
            lat, lon = _spot(rng)
            if index % 2:
                kind, what = ResourceKind.MATERIALS, rng.choice(THINGS)
                title = f"{what.capitalize()} te leen"
            else:
                kind, what = ResourceKind.VOLUNTEERS, rng.choice(HELP)
                title = f"Ik help met {what}"
            listing = services.create_listing(rng.choice(owners), ListingKind.OFFER,
                                              services.ListingData(
                title=title, description=f"{title}, vraag maar.", category=category, lat=lat,
                lon=lon, resources=[services.ResourceData(kind, what, 2, "keer")]),
                publish=False)
            services.publish(listing)
            if index % 500 == 499:
                db.session.commit()
        db.session.commit()


def measure(kind: str, offers: int, needs: int, folder: Path) -> dict:
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from marketplace import create_app
    from marketplace.auth.models import User
    from marketplace.delivery.models import Delivery
    from marketplace.demo import seed_demo
    from marketplace.extensions import db
    from marketplace.listings import services
    from marketplace.listings.models import Category, ListingKind, ResourceKind
    from marketplace.matching.models import Match
    from marketplace.matching.services import find_matches
    from marketplace.notifications.models import Notification

    url, drop = fresh_database(kind, folder, "matching")
    # Jobs run in this process as they are queued: matching is measured with the publish.
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False, "JOBS_IMMEDIATE": True,
                      "MAIL_OUTBOX_DIR": str(folder / "outbox")})
    try:
        with app.app_context():
            upgrade()
            seed_demo()
            db.session.commit()
            rng = random.Random(13)
            started = time.perf_counter()
            fill_offers(offers, rng)
            print(f"  {kind}: {offers} offers filled in {time.perf_counter() - started:.0f} s",
                  flush=True)
            initiator = db.session.scalar(sa.select(User).where(
                User.email == "bewoner@demo.buurtmarkt.nl"))
            category = db.session.scalar(sa.select(Category).where(Category.slug == "klussen"))
            before = {model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
                      for model in (Match, Notification, Delivery)}
            finding, publishing = [], []
            for index in range(needs):
                with app.test_request_context():
                    thing, help_with = rng.choice(THINGS), rng.choice(HELP)
                    listing = services.create_listing(initiator, ListingKind.INITIATIVE,
                                                      services.ListingData(
                        title=f"Buurtproject {index}", description=f"We zoeken {thing}.",
                        category=category, lat=CENTRE[0], lon=CENTRE[1], resources=[
                            services.ResourceData(ResourceKind.MATERIALS, thing, 3, "stuks"),
                            services.ResourceData(ResourceKind.VOLUNTEERS, help_with, 4,
                                                  "personen")]), publish=False)
                    db.session.commit()
                    started = time.perf_counter()
                    for resource in listing.resources:
                        find_matches(resource)
                    finding.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    services.publish(listing)
                    db.session.commit()
                    publishing.append(time.perf_counter() - started)
            after = {name: db.session.scalar(sa.select(sa.func.count()).select_from(model))
                     for name, model in (("match", Match), ("notification", Notification),
                                         ("delivery", Delivery))}
            db.engine.dispose()
    finally:
        drop()

    def ms(values, q):
        return round(statistics.quantiles(values, n=100)[q - 1] * 1000, 1)

    return {"find_median_ms": ms(finding, 50), "find_p95_ms": ms(finding, 95),
            "publish_median_ms": ms(publishing, 50), "publish_p95_ms": ms(publishing, 95),
            "per_publish": {name: round((after[name] - before[name]) / needs, 1)
                            for name in after}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offers", type=int, default=5000)
    parser.add_argument("--needs", type=int, default=100)
    parser.add_argument("--databases", default="sqlite,postgresql")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for kind in arguments.databases.split(","):
            print(kind, measure(kind, arguments.offers, arguments.needs, Path(folder)),
                  flush=True)


if __name__ == "__main__":
    main()
