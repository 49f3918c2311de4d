"""Benchmark: a busy resident's data download and account deletion, and a listing page with
thousands of comments, beside the same page without comments.

Fills a fresh database (SQLite in a temporary folder, or the PostgreSQL database given), then
times requests through the app in-process (no network, so the figures are the app's own work).
Nothing is asserted: read the figures.

    .venv/bin/python bench/privacy_and_comments.py
    .venv/bin/python bench/privacy_and_comments.py --database-url postgresql+psycopg://postgres@127.0.0.1/test
"""

import argparse
import io
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

LISTINGS = 300
PHOTOS = 60  # listings of hers with a photo
COMMENTS = 3000
CONVERSATIONS = 200
MESSAGES_EACH = 5
NOTIFICATIONS = 2000
THREAD_COMMENTS = 5000  # on one popular listing


def fill(app, upload_dir: Path) -> dict:
    import sqlalchemy as sa
    from PIL import Image

    from marketplace import clock
    from marketplace.auth.models import User
    from marketplace.auth.passwords import hash_password
    from marketplace.comments.models import Comment
    from marketplace.commitments.models import Commitment, CommitmentStatus, Message
    from marketplace.demo import demo_buurten_geojson
    from marketplace.extensions import db
    from marketplace.geo.importer import import_buurten
    from marketplace.geo.models import Buurt
    from marketplace.listings.categories import ensure_default_categories
    from marketplace.listings.models import (
        Category,
        Listing,
        ListingKind,
        ListingStatus,
        Photo,
        Resource,
        ResourceKind,
    )
    from marketplace.notifications.models import Notification, NotificationKind

    import_buurten(demo_buurten_geojson())
    ensure_default_categories()
    buurt = db.session.scalar(sa.select(Buurt))
    category = db.session.scalar(sa.select(Category))
    now = clock.now()
    password = hash_password("een-lange-zin-als-wachtwoord")
    people = [User(email=f"p{n}@example.org", display_name=f"Persoon {n}", password_hash=password,
                   email_confirmed_at=now) for n in range(50)]
    she = people[0]
    db.session.add_all(people)
    db.session.flush()

    def listing(owner, title):
        return Listing(kind=ListingKind.INITIATIVE, status=ListingStatus.OPEN, title=title,
                       description="Een initiatief " * 20, category=category, owner=owner,
                       buurt=buurt, gemeente=buurt.wijk.gemeente, lat=52.095, lon=5.09,
                       public_lat=52.095, public_lon=5.09, blur_seed=secrets.token_hex(16),
                       published_at=now,
                       resources=[Resource(kind=ResourceKind.VOLUNTEERS, description=f"Hulp {i}",
                                           quantity=10, unit="personen") for i in range(3)])

    hers = [listing(she, f"Initiatief {n}") for n in range(LISTINGS)]
    popular = listing(people[1], "Druk besproken plan")
    quiet = listing(people[1], "Stil plan")
    db.session.add_all([*hers, popular, quiet])
    db.session.flush()
    upload_dir.mkdir(parents=True, exist_ok=True)
    for n, item in enumerate(hers[:PHOTOS]):
        buffer = io.BytesIO()
        Image.new("RGB", (1600, 1200), (n % 255, 120, 80)).save(buffer, "JPEG", quality=84)
        name = uuid.uuid4().hex
        (upload_dir / f"{name}.jpg").write_bytes(buffer.getvalue())
        (upload_dir / f"{name}-thumb.jpg").write_bytes(buffer.getvalue()[:20000])
        db.session.add(Photo(listing=item, filename=f"{name}.jpg", thumbnail=f"{name}-thumb.jpg",
                             width=1600, height=1200))
    db.session.add_all(Comment(listing_id=popular.id, author_id=people[n % 50].id,
                               body=f"Opmerking {n}: " + "bla " * 40,
                               created_at=now - timedelta(seconds=THREAD_COMMENTS - n))
                       for n in range(THREAD_COMMENTS))
    db.session.add_all(Comment(listing_id=hers[n % LISTINGS].id, author_id=she.id,
                               body=f"Mijn opmerking {n}", created_at=now)
                       for n in range(COMMENTS))
    for n in range(CONVERSATIONS):
        target = hers[n % LISTINGS]
        commitment = Commitment(resource=target.resources[0], listing=target,
                                helper=people[1 + n % 49], quantity=1,
                                status=CommitmentStatus.ACCEPTED)
        target.resources[0].committed += 1
        db.session.add(commitment)
        db.session.flush()
        db.session.add_all(Message(commitment=commitment, sender_id=she.id if m % 2 else
                                   commitment.helper_id, body=f"Bericht {m}")
                           for m in range(MESSAGES_EACH))
    db.session.add_all(Notification(user_id=she.id, kind=NotificationKind.COMMENT,
                                    actor_id=people[2].id, listing_id=hers[n % LISTINGS].id)
                       for n in range(NOTIFICATIONS))
    db.session.commit()
    return {"she": she.email, "she_id": she.id, "popular": popular.id, "quiet": quiet.id}


def timed(call, runs: int) -> tuple[float, object]:
    seconds, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = call()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="buurtmarkt-bench-"))
    drop = None
    if options.database_url:
        from bbox_api import own_postgres_database

        url, drop = own_postgres_database(options.database_url)
    else:
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
    try:
        measure(url, folder)
    finally:
        if drop:
            drop()


def measure(url: str, folder: Path) -> None:

    from flask_migrate import upgrade

    from marketplace import create_app
    from marketplace.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False,
                      "UPLOAD_DIR": str(folder / "uploads"),
                      "MAIL_OUTBOX_DIR": str(folder / "outbox")})
    with app.app_context():
        upgrade()
        start = time.perf_counter()
        made = fill(app, folder / "uploads")
        print(f"filled in {time.perf_counter() - start:.1f} s ({db.engine.dialect.name})")

    client = app.test_client()
    client.post("/inloggen", data={"email": made["she"], "password": "een-lange-zin-als-wachtwoord"})

    def download():
        response = client.get("/mijn-account/gegevens/buurtmarkt.zip")
        assert response.status_code == 200, response.status_code
        return len(response.data)

    seconds, size = timed(download, 5)
    print(f"download my data: {LISTINGS} listings ({PHOTOS} with a photo), {COMMENTS} comments, "
          f"{CONVERSATIONS * MESSAGES_EACH} messages, {NOTIFICATIONS} notifications: "
          f"median {seconds:.2f} s, {size / 1e6:.1f} MB")

    visitor = app.test_client()
    for name, listing_id in (("no comments", made["quiet"]),
                             (f"{THREAD_COMMENTS:,} comments", made["popular"])):
        seconds, size = timed(lambda i=listing_id: len(visitor.get(f"/l/{i}").data), 20)
        print(f"listing page, {name}: median {seconds * 1000:.1f} ms, {size / 1000:.0f} KB")
    seconds, size = timed(lambda: len(visitor.get(f"/l/{made['popular']}?opmerkingen=250").data),
                          20)
    print(f"listing page, 5,000 comments, last page: median {seconds * 1000:.1f} ms, "
          f"{size / 1000:.0f} KB")

    start = time.perf_counter()
    response = client.post("/mijn-account/verwijderen",
                           data={"password": "een-lange-zin-als-wachtwoord", "confirm": "y"})
    assert response.status_code == 302, response.status_code
    print(f"delete the account: {time.perf_counter() - start:.2f} s")
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    main()
