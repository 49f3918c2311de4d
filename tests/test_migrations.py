"""The committed migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from marketplace.extensions import db
from marketplace.models_base import render_migration_item


def test_migrations_match_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "render_item": render_migration_item})
        differences = compare_metadata(context, db.metadata)
    assert differences == []
