"""The committed migrations build exactly the schema the models describe, and carry old data
along."""

import os
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from marketplace.extensions import db
from marketplace.jobs import is_queue_object
from marketplace.listings.search import is_search_object
from marketplace.models_base import render_migration_item
from tests.conftest import _create_postgres_database


@pytest.fixture
def old_app(tmp_path, make_app):
    """An app on a database of its own (PostgreSQL when the run uses it), for a test that
    migrates it up to a revision, writes data the old way, and migrates on."""
    postgres = os.environ.get("TEST_DATABASE_URL")
    url, drop = (_create_postgres_database(postgres) if postgres
                 else (f"sqlite:///{tmp_path / 'old.sqlite3'}", None))
    app = make_app({"SQLALCHEMY_DATABASE_URI": url})
    try:
        with app.app_context():
            yield app
            db.session.remove()  # give the connection back before the engine goes
            db.engine.dispose()
    finally:
        if drop:
            drop()


def test_migrations_match_the_models(app):
    with db.engine.connect() as connection:
        # Text search (migration 0012) and the job queue's tables are not in the models; env.py
        # leaves them out the same way.
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "render_item": render_migration_item,
            "include_name": lambda name, type_, parents: not is_queue_object(
                name, type_, parents) and not is_search_object(
                name, type_, parents)})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_0010_names_people_by_number_in_the_old_audit_log(old_app):
    """Entries written before 0010 named people and quoted comments; after it they do not."""
    upgrade(revision="0009")
    with db.engine.begin() as connection:
        entries = sa.table("audit_entry", sa.column("at", sa.DateTime(timezone=True)),
                           sa.column("action"), sa.column("subject_type"),
                           sa.column("subject_id"), sa.column("subject_label"),
                           sa.column("before", sa.JSON), sa.column("after", sa.JSON))
        now = datetime.now(UTC)
        connection.execute(entries.insert(), [
            {"at": now, "action": "user.warn", "subject_type": "user", "subject_id": 7,
             "subject_label": "Zwaantje Vermeulen"},
            {"at": now, "action": "item.hide", "subject_type": "comment",
             "subject_id": 99, "subject_label": "Bel Zwaantje op 0612345678"},
            {"at": now, "action": "listing.handover", "subject_type": "listing",
             "subject_id": 3, "subject_label": "Moestuin",
             "before": {"initiator": "Zwaantje Vermeulen"},
             "after": {"initiator": "Bram"}},
        ])
    upgrade(revision="0010")
    rows = db.session.execute(sa.text(
        "SELECT subject_label, before, after FROM audit_entry ORDER BY id")).all()
    text = repr(rows)
    assert "Zwaantje" not in text and "0612345678" not in text and "Bram" not in text
    assert rows[0][0] == "#7" and rows[1][0] == "–"
    # The log is append-only again afterwards.
    with pytest.raises(sa.exc.DatabaseError), db.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE audit_entry SET subject_label = 'x'")


def test_0015_keeps_each_persons_role_and_drops_a_gemeente_role_without_gemeente(old_app):
    """One role per person becomes a role grant; a gemeente role left without its gemeente (the
    demo was removed) is not kept, and only people with a gemeente role keep a gemeente."""
    upgrade(revision="0014")
    with db.engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO gemeente (code, name, is_demo, created_at, min_lon, min_lat, "
            "max_lon, max_lat) VALUES ('GM0001', 'Eerstedorp', false, :now, 5, 52, 5.1, "
            "52.1)"), {"now": datetime.now(UTC)})
        gemeente_id = connection.execute(sa.text("SELECT id FROM gemeente")).scalar()
        people = [("bewoner", "resident", None), ("werker", "wijkwerker", gemeente_id),
                  ("balie", "staff", gemeente_id), ("wees", "staff", None),
                  ("baas", "admin", gemeente_id)]
        for name, role, works_for in people:
            connection.execute(sa.text(
                'INSERT INTO "user" (email, display_name, password_hash, role, '
                "gemeente_id, active, privacy_accepted_at, created_at) VALUES "
                "(:email, :name, 'x', :role, :gemeente, true, :now, :now)"),
                {"email": f"{name}@example.org", "name": name, "role": role,
                 "gemeente": works_for, "now": datetime.now(UTC)})
    upgrade(revision="0015")
    rows = db.session.execute(sa.text(
        'SELECT u.display_name, g.role, u.gemeente_id FROM "user" u '
        "LEFT JOIN role_grant g ON g.user_id = u.id ORDER BY u.id")).all()
    assert [tuple(row) for row in rows] == [
        ("bewoner", None, None), ("werker", "wijkwerker", gemeente_id),
        ("balie", "staff", gemeente_id), ("wees", None, None), ("baas", "admin", None)]
