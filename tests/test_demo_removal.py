"""The demo lies at sea, apart from every real gemeente, and one command removes all of it."""

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from shapely.affinity import scale
from shapely.geometry import Polygon, box
from sqlalchemy.exc import DatabaseError

from marketplace.audit.models import AuditEntry
from marketplace.auth.models import Role, User
from marketplace.comments.models import Comment
from marketplace.comments.services import post_comment
from marketplace.commitments.services import respond, send_message
from marketplace.demo import DEMO_ACCOUNTS, demo_buurten_geojson, seed_demo
from marketplace.demo_removal import remove_demo
from marketplace.extensions import db
from marketplace.following.services import follow, post_update
from marketplace.geo import locator
from marketplace.geo.importer import import_buurten
from marketplace.geo.models import Buurt, Gemeente, Wijk
from marketplace.listings.models import Listing, ListingKind, Photo
from marketplace.listings.photos import StoredPhoto
from marketplace.moderation.models import FlagReason
from marketplace.moderation.services import flag, hide

# A rough, generous outline of the Netherlands (lon, lat): the coast from Cadzand to the
# Dollard, pushed a little out to sea and round the Wadden islands, then the borders with
# Germany and Belgium. Hand-drawn from a map; it only has to be roughly right, because the demo
# must lie far outside it.
NETHERLANDS = Polygon([
    (3.30, 51.38), (3.38, 51.56), (3.62, 51.74), (3.80, 51.86), (3.98, 51.99),
    (4.22, 52.12), (4.38, 52.27), (4.50, 52.45), (4.58, 52.65), (4.63, 52.90),
    (4.65, 53.10), (4.85, 53.30), (5.20, 53.45), (6.00, 53.55), (6.95, 53.60),
    (7.25, 53.25), (7.10, 52.65), (7.10, 52.20), (6.80, 51.95), (6.25, 51.40),
    (6.10, 50.73), (5.65, 50.73), (5.05, 51.40), (4.25, 51.35), (3.30, 51.38),
])
KM_PER_DEGREE_LAT, KM_PER_DEGREE_LON = 111.2, 67.7  # at 52.5° N
ENGLAND_EASTERNMOST_LON = 1.77  # Lowestoft Ness, at 52.48° N: the same latitude as the demo

# A real gemeente where the demo used to lie: the centre of Utrecht.
UTRECHT_SPOT = (52.095, 5.09)


def _demo_bbox() -> tuple[float, float, float, float]:
    points = [point for feature in demo_buurten_geojson()["features"]
              for point in feature["geometry"]["coordinates"][0]]
    return (min(p[0] for p in points), min(p[1] for p in points),
            max(p[0] for p in points), max(p[1] for p in points))


def _utrecht() -> dict:
    """Two buurten of a real gemeente, where the demo used to lie before it moved to sea."""
    features = []
    for feature in demo_buurten_geojson()["features"][:2]:
        props = {key: value.replace("9999", "0344") for key, value in
                 feature["properties"].items() if key.endswith("code")}
        props.update(buurtnaam=f"Utrecht {props['buurtcode'][-2:]}", wijknaam="Binnenstad",
                     gemeentenaam="Utrecht")
        ring = [[round(lon + 1.40, 6), round(lat - 0.40, 6)]
                for lon, lat in feature["geometry"]["coordinates"][0]]
        features.append({"type": "Feature", "properties": props,
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return {"type": "FeatureCollection", "features": features}


def _comparable(table: sa.Table) -> sa.Select:
    if table.name == "map_cell":
        # A cell counted down to nothing is as good as no row; the sums of positions carry
        # rounding from the additions and subtractions.
        return sa.select(*(column for column in table.c if not column.name.endswith("_sum"))
                         ).where(table.c.listings != 0)
    return sa.select(table)


def _rows() -> dict[str, set[tuple]]:
    """Every row of every table, comparable between two moments; not the map's data versions,
    which move on with every write by design."""
    return {table.name: {tuple(json.dumps(value, sort_keys=True, default=str) for value in row)
                         for row in db.session.execute(_comparable(table))}
            for table in db.metadata.sorted_tables if table.name != "map_version"}


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_demo_lies_at_sea_far_from_dutch_and_english_land():
    west, south, east, north = _demo_bbox()
    demo = box(west, south, east, north)
    assert (east - west, north - south) == pytest.approx((0.08, 0.03))  # 4 × 3 buurten
    assert not demo.intersects(NETHERLANDS)
    # Gemeenten reach at most a few km past the low-water line: the demo keeps 40 km away.
    in_km = {"xfact": KM_PER_DEGREE_LON, "yfact": KM_PER_DEGREE_LAT, "origin": (0, 0)}
    assert scale(NETHERLANDS, **in_km).distance(scale(demo, **in_km)) > 40
    assert (west - ENGLAND_EASTERNMOST_LON) * KM_PER_DEGREE_LON > 100


def test_a_spot_in_utrecht_lands_in_utrecht_not_in_the_demo(app):
    import_buurten(_utrecht())
    seed_demo()
    db.session.commit()
    assert locator.buurt_at(*UTRECHT_SPOT).code == "BU03440101"
    assert locator.buurt_at(52.495, 3.69).code == "BU99990101"


@pytest.fixture
def real_world(app, make_user):
    """A real gemeente with residents, an admin, a wijkwerker and a listing with a photo."""
    from marketplace.listings import services
    from marketplace.listings.categories import category_by_slug
    from marketplace.listings.models import ResourceKind

    import_buurten(_utrecht())
    utrecht = db.session.scalar(sa.select(Gemeente).where(Gemeente.code == "GM0344"))
    utrecht.premoderation_count = 0
    db.session.commit()
    home = db.session.scalar(sa.select(Buurt).where(Buurt.code == "BU03440101"))
    rita = make_user(display_name="Rita", home_buurt=home)
    rob = make_user(display_name="Rob")  # no home buurt yet
    admin = make_user(Role.ADMIN, display_name="Echte beheerder")
    wim = make_user(Role.WIJKWERKER, display_name="Wim", gemeente=utrecht,
                    wijken=list(utrecht.wijken))
    data = services.ListingData(
        title="Bankjes op het Domplein", description="Samen bankjes neerzetten.",
        category=category_by_slug("groen"), lat=UTRECHT_SPOT[0], lon=UTRECHT_SPOT[1],
        is_public_space=False,
        resources=[services.ResourceData(ResourceKind.VOLUNTEERS, "Handen", 5, "personen")])
    listing = services.create_listing(rita, ListingKind.INITIATIVE, data, publish=True)
    db.session.add(Photo(listing=listing, filename="echt.jpg", thumbnail="echt_t.jpg",
                         width=10, height=10))
    db.session.commit()
    uploads = Path(app.config["UPLOAD_DIR"])
    uploads.mkdir(parents=True, exist_ok=True)
    for name in ("echt.jpg", "echt_t.jpg"):
        (uploads / name).write_bytes(b"real photo")
    return {"rita": rita, "rob": rob, "admin": admin, "wim": wim, "listing": listing,
            "uploads": uploads}


def _demo_account(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _take_part_in_each_other(world) -> None:
    """Real people act on the demo and demo accounts on the real gemeente, with photo files."""
    rita, rob, admin, wim, real_listing = (world[k] for k in ("rita", "rob", "admin", "wim",
                                                               "listing"))
    anna = _demo_account("bewoner@demo.buurtmarkt.nl")
    demo_listing = db.session.scalar(sa.select(Listing).where(
        Listing.owner_id == anna.id, Listing.kind == ListingKind.INITIATIVE)
        .order_by(Listing.id).limit(1))
    # Real people on the demo: a response with a message, a comment, a follow, a report.
    commitment = respond(rita, demo_listing.resources[0], 1, "Ik help mee")
    send_message(rita, commitment, "Wanneer beginnen we?")
    reported = post_comment(rita, demo_listing, "Leuk plan!")
    follow(rita, demo_listing)
    flag(rob, reported, FlagReason.OTHER, "Test")
    hide(admin, demo_listing, "Een echte beheerder verbergt een demo-oproep")
    rob.home_buurt = db.session.scalar(sa.select(Buurt).where(Buurt.code == "BU99990203"))
    wim.wijken = [*wim.wijken, db.session.scalar(sa.select(Wijk).where(Wijk.code == "WK999902"))]
    # Demo accounts on the real gemeente: a response that holds an amount, a comment with a
    # real reply, a follow.
    respond(anna, real_listing.resources[0], 2, "Ik kom ook")
    question = post_comment(anna, real_listing, "Hoe laat?")
    post_comment(rita, real_listing, "Om tien uur.", parent_id=question.id)
    follow(anna, real_listing)
    # Photos on the demo listing and its news, as files too.
    db.session.add(Photo(listing=demo_listing, filename="demo.jpg", thumbnail="demo_t.jpg",
                         width=10, height=10))
    post_update(anna, demo_listing, "We zijn begonnen",
                StoredPhoto("nieuws.jpg", "nieuws_t.jpg", 10, 10))
    for name in ("demo.jpg", "demo_t.jpg", "nieuws.jpg", "nieuws_t.jpg"):
        (world["uploads"] / name).write_bytes(b"demo photo")
    db.session.commit()


def test_remove_demo_brings_back_the_real_world_as_it_was(real_world):
    before = _rows()
    seed_demo()
    db.session.commit()
    _take_part_in_each_other(real_world)
    assert _count(AuditEntry) > len(before["audit_entry"])

    removal = remove_demo()
    db.session.commit()
    removal.clean_up()

    after = _rows()
    assert removal.counts["gemeente"] == 1 and removal.counts["wijk"] == 3
    assert removal.counts["buurt"] == 12 and removal.counts["user"] == len(DEMO_ACCOUNTS)
    assert removal.counts["listing"] == 91 and removal.counts["audit_entry"] > 0
    for name in ("resource", "photo", "comment", "commitment", "message", "follow", "flag",
                 "moderation_case", "pledge", "role_decision", "progress_update"):
        assert removal.counts[name] > 0, name
    # Every table as it was before the demo came, the real people, gemeente and listing
    # included; only the reply to the demo account's comment stays (now a comment of its own),
    # and one new audit entry says the demo was removed.
    for table, rows in after.items():
        if table not in ("comment", "audit_entry"):
            assert rows == before[table], table
    assert before["comment"] < after["comment"] and before["audit_entry"] < after["audit_entry"]
    reply = db.session.scalar(sa.select(Comment).where(Comment.body == "Om tien uur."))
    assert reply.parent_id is None and reply.author_id == real_world["rita"].id
    assert len(after["comment"]) == len(before["comment"]) + 1
    entry = db.session.scalar(sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    assert entry.action == "demo.remove" and entry.actor_id is None
    assert entry.before["listing"] == 91
    assert len(after["audit_entry"]) == len(before["audit_entry"]) + 1
    assert real_world["listing"].resources[0].committed == 0  # the amount Anna held is free
    # The demo's photo files are gone, the real one stays.
    assert sorted(path.name for path in real_world["uploads"].iterdir()) == [
        "echt.jpg", "echt_t.jpg"]


def test_the_audit_log_is_append_only_again_afterwards(app):
    seed_demo()
    db.session.commit()
    remove_demo()
    db.session.commit()
    assert _count(AuditEntry) == 1
    with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM audit_entry"))
    assert _count(AuditEntry) == 1


def test_remove_demo_command_asks_first_says_what_it_removed_and_runs_twice(runner, make_user):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    make_user(Role.ADMIN)
    refused = runner.invoke(args=["remove-demo"], input="n\n")
    assert refused.exit_code == 1 and "Aborted" in refused.output
    assert _count(Gemeente) == 1 and _count(User) == len(DEMO_ACCOUNTS) + 1

    result = runner.invoke(args=["remove-demo"], input="y\n")
    assert result.exit_code == 0, result.output
    assert "Removed the demo:" in result.output
    assert "  gemeente: 1\n" in result.output and "  buurt: 12\n" in result.output
    assert f"  user: {len(DEMO_ACCOUNTS)}\n" in result.output
    assert "  listing: 91\n" in result.output
    assert "No admin account is left" not in result.output
    assert (_count(Gemeente), _count(Wijk), _count(Buurt), _count(Listing), _count(User)) == (
        0, 0, 0, 0, 1)

    again = runner.invoke(args=["remove-demo", "--yes"])
    assert again.exit_code == 0 and "There is no demo" in again.output
    assert _count(User) == 1


def test_remove_demo_says_when_no_admin_is_left(runner):
    runner.invoke(args=["seed-demo"])
    result = runner.invoke(args=["remove-demo", "--yes"])
    assert result.exit_code == 0, result.output
    assert "No admin account is left: create one with flask create-admin." in result.output


def test_seeding_again_after_removal_brings_the_demo_back(runner, client, auth):
    runner.invoke(args=["seed-demo"])
    runner.invoke(args=["remove-demo", "--yes"])
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert "12 buurten, 7 accounts and 90 listings added" in again.output
    assert locator.buurt_at(52.495, 3.69).code == "BU99990101"
    response = auth.login("bewoner@demo.buurtmarkt.nl", "appelboom-op-het-plein")
    assert response.status_code == 302


def test_remove_demo_takes_its_teams_help_questions_and_nudges(runner, make_user):
    import sqlalchemy as sa

    from marketplace.accountability.models import GemeenteRequest, PledgeKind
    from marketplace.accountability.requests import ask
    from marketplace.assisted.models import AssistedResident, Channel, ConsentWay
    from marketplace.assisted.services import NewResident, register
    from marketplace.demo import DEMO_ACCOUNTS
    from marketplace.listings.models import ListingKind
    from marketplace.nudges.models import ListingNudge
    from marketplace.teams.models import InitiativeOwner, Team

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    wijkwerker = db.session.scalar(sa.select(User).where(User.email == next(
        a.email for a in DEMO_ACCOUNTS if a.roles == (Role.WIJKWERKER,))))
    register(wijkwerker, wijkwerker.gemeente, NewResident(
        name="Mevrouw Jansen", channel=Channel.SMS, contact="0612345678",
        consent_way=ConsentWay.PHONE))
    initiative = db.session.scalar(sa.select(Listing).where(
        Listing.kind == ListingKind.INITIATIVE, Listing.status == "open").order_by(Listing.id))
    ask(initiative.owner, initiative, initiative.resources[0], PledgeKind.SPACE, "Een schuur")
    from marketplace import clock
    db.session.add(ListingNudge(listing_id=initiative.id, nudged_at=clock.now()))
    db.session.commit()
    assert _count(Team) == 1 and _count(InitiativeOwner) > 0
    make_user(Role.ADMIN)
    result = runner.invoke(args=["remove-demo", "--yes"])
    assert result.exit_code == 0, result.output
    assert (_count(Team), _count(InitiativeOwner), _count(GemeenteRequest), _count(ListingNudge),
            _count(AssistedResident), _count(Gemeente)) == (0, 0, 0, 0, 0, 0)
