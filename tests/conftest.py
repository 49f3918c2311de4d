"""Fixtures: the app on a migrated database (SQLite, or PostgreSQL with TEST_DATABASE_URL),
a client, a CLI runner, and factories for users of each role and for buurten."""

import os
import re
import secrets
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from itertools import count

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from marketplace import create_app
from marketplace.auth import passwords
from marketplace.auth.models import Role, User
from marketplace.demo import demo_buurten_geojson
from marketplace.extensions import db
from marketplace.geo.geocoding import StaticGeocoder
from marketplace.geo.importer import import_buurten
from marketplace.geo.locator import forget_buurten
from marketplace.geo.models import Gemeente
from marketplace.listings.categories import ensure_default_categories
from marketplace.mapdata.models import MapCell, MapVersion
from marketplace.models_base import utcnow

# The gunicorn server fixture for races between real processes.
pytest_plugins = ["tests.live_gunicorn"]

PASSWORD = "een-lange-zin-als-wachtwoord"
# Places the stand-in geocoder knows; tests never reach a real address service.
TEST_PLACES = {
    "Kerkplein 1, Buurtstad": (52.4950, 3.6900),
    "Molenstraat 12, Buurtstad": (52.4850, 3.7100),
    "Dam 1, Amsterdam": (52.3731, 4.8926),
}


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing() -> Iterator[None]:
    """Still argon2id, with the cheapest parameters: hashing cost is not under test."""
    original = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    passwords._hasher = original


def _create_postgres_database(url: str) -> tuple[str, Callable[[], None]]:
    """A fresh database beside the one in ``url``, and a function that drops it."""
    name = f"buurtmarkt_test_{uuid.uuid4().hex[:10]}"
    admin_engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin_engine.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()

    return sa.make_url(url).set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    """One migrated database for the whole run, dropped at the end."""
    postgres_url = os.environ.get("TEST_DATABASE_URL")
    if postgres_url:
        url, drop = _create_postgres_database(postgres_url.replace(
            "postgresql://", "postgresql+psycopg://", 1))
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        drop = None
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    yield url
    if drop:
        drop()


def _empty_all_tables() -> None:
    """Back to the freshly migrated state: no rows but the default categories.

    The audit log refuses deletes in the session and in the database; only here, between tests,
    are its triggers set aside (and the session's guard bypassed through the connection).
    """
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
        triggers = []
    else:
        triggers = connection.execute(sa.text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = 'audit_entry'")).all()
        for name, _sql in triggers:
            connection.execute(sa.text(f"DROP TRIGGER {name}"))
    for table in reversed(db.metadata.sorted_tables):
        connection.execute(table.delete())
    # Deleting listings made SQLite's map triggers count them down again: start from nothing.
    connection.execute(MapCell.__table__.delete())
    connection.execute(MapVersion.__table__.delete())
    for _name, sql in triggers:
        connection.execute(sa.text(sql))
    ensure_default_categories()
    db.session.commit()
    forget_buurten()


@pytest.fixture
def app_config(database_url, tmp_path) -> dict:
    """Settings for this test's app; a test may change them before asking for ``app``."""
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "GEOCODER_INSTANCE": StaticGeocoder(TEST_PLACES),
        # Each test starts its data versions afresh; a shared answer cache must not mix them.
        "CACHE_KEY_PREFIX": f"test-{secrets.token_hex(6)}:",
    }


class IsolatedClient(FlaskClient):
    """Runs each request in an app context of its own, as a server does: ``g`` and the database
    session of one request never leak into the next one or into the test."""

    def open(self, *args, **kwargs):
        # Buffered, as a server sends it: the body is read and closed.
        kwargs.setdefault("buffered", True)
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(app_config) -> Iterator[Flask]:
    app = create_app(app_config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.rollback()
        _empty_all_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def make_app() -> Iterator[Callable[[dict], Flask]]:
    """Extra app instances (another server, another environment), closed after the test."""
    apps = []

    def make(config: dict | None = None) -> Flask:
        apps.append(create_app(config))
        return apps[-1]

    yield make
    for extra in apps:
        with extra.app_context():
            db.engine.dispose()


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def gemeente(app) -> Gemeente:
    """The demo gemeente: 3 wijken of 4 buurten each."""
    import_buurten(demo_buurten_geojson())
    found = db.session.scalar(sa.select(Gemeente).where(Gemeente.code == "GM9999"))
    # Listings publish at once in tests; pre-moderation has its own tests that switch it on.
    found.premoderation_count = 0
    db.session.commit()
    return found


@pytest.fixture
def other_gemeente(app) -> Gemeente:
    """A second gemeente (GM8888) with one wijk of two buurten."""
    collection = demo_buurten_geojson()
    features = []
    for feature in collection["features"][:2]:
        props = dict(feature["properties"])
        props.update(
            buurtcode=props["buurtcode"].replace("9999", "8888", 1),
            wijkcode=props["wijkcode"].replace("9999", "8888", 1),
            gemeentecode="GM8888", gemeentenaam="Andersdorp")
        features.append({**feature, "properties": props})
    import_buurten({"type": "FeatureCollection", "features": features})
    found = db.session.scalar(sa.select(Gemeente).where(Gemeente.code == "GM8888"))
    found.premoderation_count = 0
    db.session.commit()
    return found


_numbers = count(1)


@pytest.fixture
def make_user(app) -> Callable[..., User]:
    """Create a confirmed user; pass a role (or several as ``roles``; none: a resident),
    gemeente, wijken, buurten or any column."""

    def make(role: Role | None = None, *, roles: tuple[Role, ...] = (), email: str | None = None,
             password: str = PASSWORD, confirmed: bool = True, **values) -> User:
        number = next(_numbers)
        user = User(
            email=email or f"user{number}@example.org",
            display_name=values.pop("display_name", f"Persoon {number}"),
            password_hash=passwords.hash_password(password),
            email_confirmed_at=utcnow() if confirmed else None,
            **values,
        )
        user.roles = set(roles) | ({role} if role else set())
        db.session.add(user)
        db.session.commit()
        return user

    return make


class AuthActions:
    def __init__(self, client: FlaskClient):
        self._client = client

    def login(self, user_or_email, password: str = PASSWORD, headers=None, **extra):
        email = getattr(user_or_email, "email", user_or_email)
        return self._client.post("/inloggen", data={"email": email, "password": password, **extra},
                                 headers=headers)

    def logout(self):
        return self._client.post("/uitloggen")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


class JobQueue:
    """The job queue held instead of run at once: see what was queued, then run it."""

    def pending(self) -> list[tuple[str, tuple]]:
        from marketplace.jobs import huey

        return [(task.name.rsplit(".", 1)[-1], tuple(task.args)) for task in huey.pending()]

    def run(self) -> int:
        """Run what is queued, and what that queues, until nothing is left; returns how many."""
        from marketplace.jobs import huey

        done = 0
        while (task := huey.dequeue()) is not None:
            huey.execute(task)
            done += 1
        return done


@pytest.fixture
def job_queue(app):
    """Jobs wait in an in-memory queue (as they wait for a worker) until the test runs them."""
    from marketplace.jobs import huey

    huey.immediate = False
    try:
        yield JobQueue()
    finally:
        huey.immediate = True


@pytest.fixture
def outbox(app):
    """The messages in the local mail outbox, read afresh on each call."""
    from marketplace.mail import read_outbox

    return read_outbox


def link_in(body: str) -> str:
    """The first link in a mail body, as a path for the test client."""
    match = re.search(r"https?://[^/\s]+(/\S+)", body)
    assert match, body
    return match.group(1)


@pytest.fixture
def make_listing(app, make_user, gemeente):
    """Create a listing through the service; published unless ``publish=False``."""
    from marketplace.listings import services
    from marketplace.listings.categories import category_by_slug
    from marketplace.listings.models import ListingKind, ResourceKind

    def make(kind: ListingKind = ListingKind.INITIATIVE, *, owner: User | None = None,
             publish: bool = True, lat: float = 52.495, lon: float = 3.69,
             title: str = "Moestuin op het plein", is_public_space: bool = False,
             resources=None, category: str = "groen", description: str = "Samen tuinieren.",
             ) -> "Listing":  # noqa: F821
        owner = owner or make_user()
        resources = resources if resources is not None else [
            services.ResourceData(ResourceKind.VOLUNTEERS, "Handen", 4, "personen")]
        data = services.ListingData(title=title, description=description,
                                    category=category_by_slug(category), lat=lat, lon=lon,
                                    is_public_space=is_public_space, resources=resources)
        listing = services.create_listing(owner, kind, data, publish=publish)
        db.session.commit()
        return listing

    return make


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    """A moment in Dutch time (UTC-aware), for tests that set the clock."""
    from marketplace.clock import AMSTERDAM

    return datetime(year, month, day, hour, tzinfo=AMSTERDAM).astimezone(UTC)


@pytest.fixture
def travel(app):
    """Set the app's clock: travel(datetime) moves 'now' for everything after it."""
    def to(moment: datetime) -> None:
        app.config["CLOCK"] = lambda: moment
    return to
