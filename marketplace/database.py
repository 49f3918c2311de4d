"""Database engine settings: SQLite in WAL mode with a busy timeout."""

import sqlalchemy as sa
from flask import Flask

from marketplace.extensions import db


def _tune_sqlite(dbapi_connection, _record) -> None:
    # WAL lets readers work while one writer writes; the busy timeout makes a second writer wait
    # instead of failing at once with "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def init_app(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            sa.event.listen(db.engine, "connect", _tune_sqlite)
