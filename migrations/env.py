"""Alembic environment for Flask-Migrate: the app's engine and metadata."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from marketplace.jobs import is_queue_object
from marketplace.listings.search import is_search_object

config = context.config
if config.config_file_name:
    # Keep the app's own loggers working when migrations run inside it (tests, seed).
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
engine = target_db.engine
config.set_main_option(
    "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))


def include_name(name, type_, parent_names) -> bool:
    """Leave text search out of autogenerate: migration 0012 builds it by hand (an FTS5 virtual
    table with its shadow tables on SQLite, a generated column with its GIN index on PostgreSQL)
    and the models do not declare it, so it would otherwise show as something to drop. The job
    queue's own tables (``huey_*``, on PostgreSQL without Redis) are Huey's to keep."""
    return not (is_search_object(name, type_, parent_names)
                or is_queue_object(name, type_, parent_names))


def run_migrations_offline() -> None:
    """Write the SQL to standard output instead of running it."""
    context.configure(url=config.get_main_option("sqlalchemy.url"),
                      target_metadata=target_db.metadata, literal_binds=True,
                      **current_app.extensions["migrate"].configure_args)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def skip_empty_revision(_context, _revision, directives) -> None:
        # `flask db migrate` with no model change writes no empty migration.
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    configure_args = dict(current_app.extensions["migrate"].configure_args)
    configure_args.setdefault("process_revision_directives", skip_empty_revision)
    configure_args.setdefault("include_name", include_name)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a SQLite table by copying it and dropping the old one; with
            # foreign keys enforced, dropping a table others point at (user) fails. The rows keep
            # their ids, so the references hold; foreign_key_check below proves it.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()  # so the migration's transaction below is its own, and commits
        context.configure(connection=connection, target_metadata=target_db.metadata,
                          **configure_args)
        with context.begin_transaction():
            context.run_migrations()
            if sqlite and (broken := connection.exec_driver_sql(
                    "PRAGMA foreign_key_check").fetchall()):
                raise RuntimeError(f"the migration broke references: {broken[:5]}")
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
