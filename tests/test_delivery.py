"""Mail that must arrive: written with the event, sent by the worker, tried again with back-off
while the mail server is down, never marked sent before the server took it, and shown to admins
when every attempt failed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from marketplace import jobs
from marketplace.auth.models import Role
from marketplace.delivery import services
from marketplace.delivery.models import Delivery, DeliveryStatus
from marketplace.extensions import db
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notify
from tests.smtp_stand_in import StandInSmtp

ROOT = Path(__file__).resolve().parent.parent
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def smtp(app):
    with StandInSmtp() as server:
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, SMTP_STARTTLS=False)
        yield server


@pytest.fixture
def at(app):
    """Set the clock: ``at(minutes)`` after START."""
    def set_clock(minutes: float) -> datetime:
        moment = START + timedelta(minutes=minutes)
        app.config["CLOCK"] = lambda: moment
        return moment
    set_clock(0)
    return set_clock


def _mail(user) -> Delivery:
    delivery = services.send_mail(user.email, "Test", "password_changed", user=user,
                                  user_id=user.id, reset_link="http://x")
    db.session.commit()
    return delivery


def _reread(delivery: Delivery) -> Delivery | None:
    delivery_id = sa.inspect(delivery).identity[0]
    db.session.expire_all()
    return db.session.get(Delivery, delivery_id)


def test_a_mail_is_sent_by_a_job_after_the_commit(app, smtp, make_user, job_queue):
    user = make_user()
    delivery = _mail(user)
    assert job_queue.pending() == [("deliver", (delivery.id,))]
    assert _reread(delivery).status is DeliveryStatus.QUEUED and smtp.received == []
    job_queue.run()
    sent = _reread(delivery)
    assert sent.status is DeliveryStatus.SENT and sent.sent_at is not None
    [message] = smtp.received
    assert message["To"] == user.email and "X-Buurtmarkt-People" not in message


def test_nothing_is_queued_when_the_event_is_rolled_back(app, make_user, make_listing,
                                                         job_queue):
    owner, helper = make_user(), make_user()
    listing = make_listing(owner=owner)
    db.session.commit()
    notify(owner, NotificationKind.COMMITMENT_NEW, actor=helper, listing=listing)
    job_queue.run()  # what publishing the listing queued (finding its matches)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Delivery.id))) == 0
    assert job_queue.pending() == []
    notify(owner, NotificationKind.COMMITMENT_NEW, actor=helper, listing=listing)
    db.session.commit()
    [delivery] = db.session.scalars(sa.select(Delivery)).all()
    assert delivery.user_id == owner.id and job_queue.pending() == [("deliver", (delivery.id,))]


def test_a_mail_server_down_for_an_hour_loses_nothing(app, smtp, make_user, job_queue, at):
    smtp.failing = True
    delivery = _mail(make_user())
    job_queue.run()
    failed_once = _reread(delivery)
    assert failed_once.status is DeliveryStatus.QUEUED and failed_once.attempts == 1
    assert "451" in failed_once.last_error
    assert failed_once.next_attempt_at == START + timedelta(minutes=1)
    for minute in range(1, 61):  # the sweep runs every minute; attempts at 1, 3, 7, 15, 31
        at(minute)
        services.sweep()
        job_queue.run()
    waiting = _reread(delivery)
    assert waiting.status is DeliveryStatus.QUEUED and waiting.attempts == 6
    assert waiting.next_attempt_at == START + timedelta(minutes=63) and smtp.received == []
    smtp.failing = False  # back after an hour
    at(62)
    services.sweep()
    job_queue.run()
    assert _reread(delivery).attempts == 6  # not due yet
    at(63)
    services.sweep()
    job_queue.run()
    sent = _reread(delivery)
    assert sent.status is DeliveryStatus.SENT and sent.attempts == 7 and len(smtp.received) == 1


def test_after_the_last_attempt_admins_see_it_and_send_it_again(app, smtp, make_user, job_queue,
                                                               at, client, auth):
    app.config["DELIVERY_MAX_ATTEMPTS"] = 2
    smtp.failing = True
    person = make_user(display_name="Grietje")
    delivery = _mail(person)
    job_queue.run()
    at(1)
    services.sweep()
    job_queue.run()
    assert _reread(delivery).status is DeliveryStatus.FAILED
    at(500)
    services.sweep()
    job_queue.run()
    assert _reread(delivery).attempts == 2  # failed is left alone until an admin acts

    auth.login(make_user(Role.ADMIN))
    page = client.get("/beheer/berichten")
    assert page.status_code == 200
    assert "Grietje" in page.text and "451" in page.text and "Test" in page.text
    smtp.failing = False
    response = client.post("/beheer/berichten/opnieuw", data={"delivery_id": delivery.id})
    assert response.status_code == 302
    assert job_queue.pending() == [("deliver", (delivery.id,))]
    # A second tap finds nothing left to send again.
    client.post("/beheer/berichten/opnieuw", data={"delivery_id": delivery.id})
    assert len(job_queue.pending()) == 1
    job_queue.run()
    assert _reread(delivery).status is DeliveryStatus.SENT and len(smtp.received) == 1
    assert "Every message arrived" in client.get("/beheer/berichten",
                                                 headers={"Accept-Language": "en"}).text


def test_the_retry_form_refuses_nonsense(app, client, auth, make_user):
    auth.login(make_user(Role.ADMIN))
    response = client.post("/beheer/berichten/opnieuw", data={"delivery_id": "drie"},
                           follow_redirects=True)
    assert response.status_code == 200 and 'class="flash flash-error"' in response.text


def test_a_message_being_sent_is_not_sent_twice(app, smtp, make_user, job_queue, at):
    delivery = _mail(make_user())  # its job waits; meanwhile a worker took it and died
    db.session.execute(sa.update(Delivery).values(
        status=DeliveryStatus.SENDING, attempts=1, claimed_until=START + services.CLAIM))
    db.session.commit()
    assert services.attempt(delivery.id) is None
    at(5)
    services.sweep()
    job_queue.run()
    assert smtp.received == []  # still claimed
    at(11)
    services.sweep()
    job_queue.run()
    assert _reread(delivery).status is DeliveryStatus.SENT and len(smtp.received) == 1


def test_sent_and_failed_messages_go_after_the_retention_period(app, smtp, make_user, runner,
                                                                job_queue, at):
    app.config["DELIVERY_MAX_ATTEMPTS"] = 1
    sent = _mail(make_user())
    job_queue.run()
    smtp.failing = True
    failed = _mail(make_user())  # a reset link, say, that never arrived
    job_queue.run()
    assert (_reread(sent).status, _reread(failed).status) == (DeliveryStatus.SENT,
                                                              DeliveryStatus.FAILED)
    at(29 * 24 * 60)
    runner.invoke(args=["apply-retention"])
    assert _reread(sent) is not None and _reread(failed) is not None
    at(31 * 24 * 60)
    runner.invoke(args=["apply-retention"])
    assert _reread(sent) is None and _reread(failed) is None  # never sent a month late


@pytest.mark.parametrize("storage", ["database", "redis"])
def test_the_worker_picks_up_jobs_queued_before_it_started(app, app_config, make_user, tmp_path,
                                                           storage):
    """Jobs wait in the queue's storage (the SQLite file or PostgreSQL, or Redis) while no
    worker runs, as after a crash; a worker started later delivers them."""
    redis_url = os.environ.get("TEST_REDIS_URL") if storage == "redis" else None
    if storage == "redis" and not redis_url:
        pytest.skip("TEST_REDIS_URL is not set")
    app.config.update(JOBS_SQLITE_PATH=str(tmp_path / "jobs.sqlite3"), JOBS_REDIS_URL=redis_url,
                      JOBS_QUEUE_NAME=f"test-{os.getpid()}-{time.monotonic_ns()}")
    jobs.huey.immediate = False
    jobs.huey.storage = jobs.storage_for(app)
    try:
        delivery = _mail(make_user())
        assert len(jobs.huey.pending()) == 1
        env = {**os.environ, "BUURTMARKT_CONFIG": "development", "SECRET_KEY": "worker-test",
               "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": app_config["SQLALCHEMY_DATABASE_URI"],
               "JOBS_SQLITE_PATH": app.config["JOBS_SQLITE_PATH"],
               "JOBS_QUEUE_NAME": app.config["JOBS_QUEUE_NAME"],
               "MAIL_OUTBOX_DIR": app.config["MAIL_OUTBOX_DIR"], "REDIS_URL": "",
               "JOBS_REDIS_URL": redis_url or ""}
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "marketplace", "worker", "--threads", "2",
             "--no-schedule"], cwd=ROOT, env=env)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and _reread(delivery).status is not DeliveryStatus.SENT:
                time.sleep(0.2)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
        assert _reread(delivery).status is DeliveryStatus.SENT
        assert len(list(Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))) == 1
        assert jobs.huey.pending() == []
    finally:
        jobs.huey.storage.flush_all()
        jobs.huey.storage.close()
        jobs.huey.immediate = True


def test_the_schedule_runs_the_daily_jobs_and_the_sweep():
    from marketplace import schedule  # noqa: F401  (declares the scheduled jobs)

    def due_at(hour: int, minute: int) -> set[str]:
        moment = datetime(2026, 3, 2, hour, minute)  # Huey reads its schedule in naive UTC
        return {task.name.rsplit(".", 1)[-1] for task in jobs.huey.read_periodic(moment)}

    assert due_at(6, 0) == {"daily_digests", "sweep"}
    assert due_at(6, 15) == {"staff_reminders", "sweep"}
    assert due_at(2, 30) == {"retention", "sweep"}
    assert due_at(13, 7) == {"sweep"}


def test_workers_racing_for_one_message_send_it_once(app, smtp, make_user, job_queue):
    import threading

    delivery = _mail(make_user())
    delivery_id = delivery.id
    barrier = threading.Barrier(8)
    outcomes = []

    def worker() -> None:
        with app.app_context():
            barrier.wait()
            outcomes.append(services.attempt(delivery_id))
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes.count(DeliveryStatus.SENT) == 1 and outcomes.count(None) == 7
    assert len(smtp.received) == 1 and _reread(delivery).attempts == 1


def test_servers_starting_together_make_the_queue_tables_once():
    """Four gunicorn workers booting at once on PostgreSQL (without Redis) each make Huey's
    tables; PostgreSQL's CREATE TABLE IF NOT EXISTS races, so they take turns."""
    import threading

    import psycopg

    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("the queue lives in PostgreSQL only on PostgreSQL")
    server = sa.make_url(url).set(drivername="postgresql")
    name = f"buurtmarkt_queue_{os.getpid()}"
    with psycopg.connect(server.set(database="postgres").render_as_string(hide_password=False),
                         autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            dsn = server.set(database=name).render_as_string(hide_password=False)
            errors = []

            def boot() -> None:
                try:
                    jobs.PostgresQueue("buurtmarkt", dsn=dsn).close()
                except Exception as error:  # what made a worker fail to boot
                    errors.append(error)

            threads = [threading.Thread(target=boot) for _ in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            assert errors == []
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
