"""Queueing messages with the event that causes them, and delivering them with retries.

A message is a :class:`Delivery` row written in the same transaction as what it reports, so it
exists exactly when the event does. After the commit a job tries to send it; the row says
``sent`` only once the mail server or push service accepted it. A failed attempt is tried again
after 1, 2, 4, … minutes (at most two hours apart) until ``DELIVERY_MAX_ATTEMPTS``; then it waits,
``failed``, for an admin. Every state change is one conditional UPDATE, so two workers (or a
worker and a sweep) never take the same attempt; each attempt holds a random claim, and only
its holder records the outcome. Delivery is at least once: a worker that dies after the
provider took a message, before it could record that, leaves it to be sent again when its claim
runs out (ten minutes later), which beats losing it.
"""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from email.message import EmailMessage
from email.policy import SMTP

import sqlalchemy as sa
from flask import current_app
from huey import crontab

from marketplace import clock, jobs
from marketplace.auth.models import LoginSession
from marketplace.auth.sessions import idle_limit
from marketplace.delivery import Undeliverable
from marketplace.delivery.models import Channel, Delivery, DeliveryStatus, PushSubscription
from marketplace.delivery.push import push
from marketplace.extensions import db
from marketplace.mail import PEOPLE_HEADER, compose_mail, transmit

# A worker that took a message and then died: after this long another takes it up.
CLAIM = timedelta(minutes=10)
LONGEST_WAIT = timedelta(hours=2)
SWEEP_BATCH = 500


def queue_mail(message: EmailMessage, user_id: int | None = None) -> Delivery:
    """Keep ``message`` for sending once the current transaction commits."""
    named = str(message.get(PEOPLE_HEADER, "")).split()
    delivery = Delivery(channel=Channel.EMAIL, user_id=user_id, address=str(message["To"]),
                        people=f" {' '.join(named)} " if named else "",
                        subject=str(message["Subject"])[:200],
                        payload=message.as_bytes(policy=SMTP), next_attempt_at=clock.now())
    return _queue(delivery)


def queue_push(user_id: int, title: str, body: str, url: str, tag: str,
               people: tuple[int, ...] = ()) -> int:
    """One push message per browser of the person, sent after the commit; returns how many.
    ``people`` are the accounts it names, as for mail."""
    named = " ".join(str(person) for person in sorted({user_id, *people}))
    payload = json.dumps({"title": title, "body": body, "url": url, "tag": tag}).encode()
    count = 0
    now = clock.now()
    for subscription, login in db.session.execute(
            sa.select(PushSubscription, LoginSession)
            .join(LoginSession, PushSubscription.login_session_id == LoginSession.id)
            .where(PushSubscription.user_id == user_id)).all():
        if now - login.last_seen_at > idle_limit(login.remember):
            continue  # that login ended by itself: the browser is someone else's again
        _queue(Delivery(channel=Channel.PUSH, user_id=user_id, people=f" {named} ",
                        push_subscription_id=subscription.id, address="",
                        subject=title[:200], payload=payload, next_attempt_at=clock.now()))
        count += 1
    return count


def _queue(delivery: Delivery) -> Delivery:
    delivery.created_at = clock.now()
    db.session.add(delivery)
    db.session.flush()
    jobs.after_commit(deliver, delivery.id)
    return delivery


def naming(person_id: int) -> sa.ColumnElement[bool]:
    """Messages that name the person (as recipient or as the one who acted)."""
    return Delivery.people.contains(f" {person_id} ")


def send_mail(to: str, subject: str, template: str, locale: str | None = None, *,
              people: tuple[int, ...] = (), user_id: int | None = None, **context) -> Delivery:
    """Render ``templates/email/<template>.txt`` in the recipient's language and queue it."""
    return queue_mail(compose_mail(to, subject, template, locale, people=people, **context),
                      user_id=user_id)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt."""
    return min(timedelta(minutes=2 ** (attempts - 1)), LONGEST_WAIT)


def _due(now) -> sa.ColumnElement[bool]:
    return sa.or_(
        sa.and_(Delivery.status == DeliveryStatus.QUEUED, Delivery.next_attempt_at <= now),
        sa.and_(Delivery.status == DeliveryStatus.SENDING, Delivery.claimed_until < now))


def due_ids(limit: int = SWEEP_BATCH) -> list[int]:
    """Messages whose (next) attempt is due, or whose worker died while sending; oldest first."""
    return list(db.session.scalars(sa.select(Delivery.id).where(_due(clock.now()))
                                   .order_by(Delivery.next_attempt_at, Delivery.id).limit(limit)))


def attempt(delivery_id: int) -> DeliveryStatus | None:
    """Try to send one message, if it is due and nobody else is at it; returns its new status
    (None when there was nothing to do). Commits its claim first: a crash while sending leaves
    the message to be taken up again when the claim runs out."""
    now = clock.now()
    claim = secrets.token_hex(16)
    claimed = db.session.execute(
        sa.update(Delivery).where(Delivery.id == delivery_id, _due(now))
        .values(status=DeliveryStatus.SENDING, claimed_until=now + CLAIM, claim=claim,
                attempts=Delivery.attempts + 1)
        .execution_options(synchronize_session=False))
    db.session.commit()
    if claimed.rowcount != 1:
        return None
    delivery = db.session.get(Delivery, delivery_id)
    attempts = delivery.attempts
    try:
        _send(delivery)
    except Undeliverable as gone:
        return _finish(delivery_id, claim, DeliveryStatus.FAILED, error=str(gone))
    except Exception as error:  # whatever the provider or the network said: try again later
        current_app.logger.warning("delivery %s, attempt %s failed: %s", delivery_id,
                                   attempts, error)
        if attempts >= current_app.config["DELIVERY_MAX_ATTEMPTS"]:
            return _finish(delivery_id, claim, DeliveryStatus.FAILED, error=_describe(error))
        return _finish(delivery_id, claim, DeliveryStatus.QUEUED, error=_describe(error),
                       next_attempt_at=clock.now() + backoff(attempts))
    return _finish(delivery_id, claim, DeliveryStatus.SENT, sent_at=clock.now())


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:1000]


def _finish(delivery_id: int, claim: str, status: DeliveryStatus, *, error: str | None = None,
            **values) -> DeliveryStatus:
    """Record the attempt's outcome, if the message is still this attempt's (and still there:
    a push message goes with a browser that is gone)."""
    db.session.execute(
        sa.update(Delivery).where(Delivery.id == delivery_id,
                                  Delivery.status == DeliveryStatus.SENDING,
                                  Delivery.claim == claim)
        .values(status=status, claimed_until=None, claim=None, last_error=error, **values)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return status


def _send(delivery: Delivery) -> None:
    if delivery.channel is Channel.EMAIL:
        transmit(delivery.payload)
    else:
        push(delivery)


def retry(delivery_ids: list[int] | None = None) -> int:
    """An admin sends failed messages again (all of them, or those given); returns how many."""
    query = sa.update(Delivery).where(Delivery.status == DeliveryStatus.FAILED)
    if delivery_ids is not None:
        query = query.where(Delivery.id.in_(delivery_ids))
    ids = list(db.session.scalars(
        query.values(status=DeliveryStatus.QUEUED, attempts=0, next_attempt_at=clock.now())
        .returning(Delivery.id)))
    for delivery_id in ids:
        jobs.after_commit(deliver, delivery_id)
    return len(ids)


def failed() -> sa.Select:
    return (sa.select(Delivery).where(Delivery.status == DeliveryStatus.FAILED)
            .order_by(Delivery.created_at.desc(), Delivery.id.desc()))


def waiting_summary() -> tuple[int, object]:
    """How many messages wait for an attempt, and since when the oldest."""
    count, oldest = db.session.execute(
        sa.select(sa.func.count(Delivery.id), sa.func.min(Delivery.created_at))
        .where(Delivery.status.in_([DeliveryStatus.QUEUED, DeliveryStatus.SENDING]))).one()
    return count, oldest


def remove_old(before) -> int:
    """The retention rule: messages hold personal data. Sent ones go a while after they were
    sent; failed ones (and any still waiting) a while after they were written, so an old reset
    link is never sent after all."""
    return db.session.execute(
        sa.delete(Delivery).where(sa.or_(
            sa.and_(Delivery.status == DeliveryStatus.SENT, Delivery.sent_at < before),
            sa.and_(Delivery.status != DeliveryStatus.SENDING, Delivery.created_at < before)))
        .execution_options(synchronize_session=False)).rowcount


@jobs.job()
def deliver(delivery_id: int) -> None:
    attempt(delivery_id)


@jobs.scheduled(crontab(minute="*"))
def sweep() -> int:
    """Every minute: queue the attempts that are due (retries, and what a crash left behind)."""
    due = due_ids()
    for delivery_id in due:
        deliver(delivery_id)
    return len(due)
