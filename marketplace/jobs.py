"""Work that runs beside the web processes, on a job queue (Huey).

The queue lives in the embedded default's own SQLite file (``instance/jobs.sqlite3``), in
PostgreSQL when ``DATABASE_URL`` names one, or in Redis when ``REDIS_URL`` is set; ``flask worker``
runs the jobs and the scheduled ones (digests, reminders, retention). Tests run each job at once,
in the process (``JOBS_IMMEDIATE``).

A job is queued with :func:`after_commit`: it enters the queue only once the transaction that
asked for it is committed, so a rolled-back action starts nothing. Each job runs in an app
context of its own (its own database session, committed when the job returns) with links under
PUBLIC_URL. What must never be lost is not only a job: mail and push messages are rows in the
database (see :mod:`marketplace.delivery`), and a job sweeping for them every minute picks up
whatever a crash left behind.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from huey import MemoryHuey, crontab
from huey.api import TaskWrapper
from huey.storage import PostgresStorage, RedisStorage, SqliteStorage
from sqlalchemy.orm import Session

from marketplace.extensions import db

log = logging.getLogger(__name__)

huey = MemoryHuey("buurtmarkt", utc=True, results=False)
_PENDING = "buurtmarkt.jobs_after_commit"
_apps: list[Flask] = []  # the app jobs run in when no app context is current (the worker)


def init_app(app: Flask) -> None:
    """Point the queue at the storage the configuration names."""
    _apps[:] = [app]
    immediate = app.config["JOBS_IMMEDIATE"]
    huey.immediate = immediate
    if not immediate:
        huey.storage = storage_for(app)


class PostgresQueue(PostgresStorage):
    """Huey's PostgreSQL storage, making its tables under an advisory lock: app servers and
    workers that start at the same moment would otherwise race on ``CREATE TABLE IF NOT
    EXISTS`` (which PostgreSQL does not make safe) and fail to boot."""

    SCHEMA_LOCK = 0x6875657900000001  # any constant the app uses for nothing else

    def initialize_schema(self):
        with self.db(commit=True, close=True) as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (self.SCHEMA_LOCK,))
            for statement in self.ddl:
                cursor.execute(statement)


def is_queue_object(name: str | None, type_: str, parent_names: dict | None = None) -> bool:
    """Whether a database object is the queue's own (Huey's ``huey_*`` tables and their
    indexes, on PostgreSQL without Redis): Huey keeps them, not our migrations."""
    if type_ == "table":
        return bool(name and name.startswith("huey_"))
    return str((parent_names or {}).get("table_name") or "").startswith("huey_")


def storage_for(app: Flask):
    """Redis when the configuration names one, else the database's own kind."""
    name = app.config["JOBS_QUEUE_NAME"]
    redis_url = app.config.get("JOBS_REDIS_URL") or app.config.get("REDIS_URL")
    if redis_url:
        return RedisStorage(name, url=redis_url)
    database = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if database.get_backend_name() == "postgresql":
        dsn = database.set(drivername="postgresql").render_as_string(hide_password=False)
        return PostgresQueue(name, dsn=dsn)
    path = Path(app.config["JOBS_SQLITE_PATH"])
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteStorage(name, filename=str(path))


def _app() -> Flask:
    return current_app._get_current_object() if has_app_context() else _apps[-1]


def _in_app(function: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``function`` in a fresh app context, with links under PUBLIC_URL, and commit."""
    from marketplace.links import mail_base_url

    @functools.wraps(function)
    def run(*args: Any) -> Any:
        app = _app()
        # A new app context gives the job a database session of its own, also when it runs
        # at once inside a request (tests) whose session has just committed.
        with app.app_context(), app.test_request_context(base_url=mail_base_url()):
            try:
                result = function(*args)
                db.session.commit()
                return result
            except Exception:
                db.session.rollback()
                raise
            finally:
                db.session.remove()

    return run


def job(**options: Any) -> Callable[[Callable[..., Any]], TaskWrapper]:
    """Declare a job: ``my_job(args)`` queues it (prefer :func:`after_commit`). Huey names it
    by its module and function."""
    return lambda function: huey.task(**options)(_in_app(function))


def scheduled(schedule: crontab, **options: Any) -> Callable[[Callable[..., Any]], TaskWrapper]:
    """Declare a job the worker runs on a schedule (``crontab``, in UTC)."""
    return lambda function: huey.periodic_task(schedule, **options)(_in_app(function))


def after_commit(task: TaskWrapper, *args: Any) -> None:
    """Queue ``task(*args)`` once the current transaction commits; pass ids, not objects."""
    db.session.info.setdefault(_PENDING, []).append((task, args))


@sa.event.listens_for(Session, "after_commit")
def _queue_committed(session: Session) -> None:
    for task, args in session.info.pop(_PENDING, []):
        try:
            task(*args)
        except Exception:  # the action stands; a sweep picks up what must not be lost
            log.exception("queueing %s failed", task.name)


@sa.event.listens_for(Session, "after_soft_rollback")
def _drop_uncommitted(session: Session, _previous_transaction) -> None:
    session.info.pop(_PENDING, None)


def run_worker(workers: int, periodic: bool) -> None:
    """Run the jobs until stopped (``flask worker``)."""
    from marketplace import schedule  # noqa: F401  (the jobs it runs by the clock)

    if huey.immediate:
        raise RuntimeError("JOBS_IMMEDIATE is set: jobs run in the web process, not here")
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Each job as it runs is noise (the sweep runs every minute); failures still show.
    logging.getLogger("huey").setLevel(logging.WARNING)
    huey.create_consumer(workers=workers, worker_type="thread", periodic=periodic,
                         check_worker_health=True).run()
