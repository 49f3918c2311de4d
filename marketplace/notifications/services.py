"""Creating notifications and sending them by e-mail: at once, in a daily digest, or not at all.

`notify` only writes rows (services flush, the request commits). Mail that should go at once is
queued on the database session, built just before the commit and sent once the answer has gone
out, so a rolled-back action sends nothing and nobody waits for the mail server.
"""

from __future__ import annotations

from collections import defaultdict
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session, selectinload

from marketplace import clock, policy
from marketplace.auth.models import User
from marketplace.deferred import after_response
from marketplace.extensions import db
from marketplace.links import external_url
from marketplace.listings.models import Listing
from marketplace.listings.queries import publicly_visible
from marketplace.mail import compose_mail, deliver, send_mail
from marketplace.notifications.models import (
    DEFAULT_FREQUENCY,
    Frequency,
    ModerationEvent,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from marketplace.notifications.texts import SUBJECTS, describe

_OUTBOX_KEY = "buurtmarkt.immediate_notifications"
_READY_KEY = "buurtmarkt.prepared_notification_mail"


def frequency_for(user: User, kind: NotificationKind) -> Frequency:
    chosen = db.session.get(NotificationPreference, (user.id, kind))
    return chosen.frequency if chosen else DEFAULT_FREQUENCY[kind]


def preferences_of(user: User) -> dict[NotificationKind, Frequency]:
    chosen = {p.kind: p.frequency for p in db.session.scalars(
        sa.select(NotificationPreference).where(NotificationPreference.user_id == user.id))}
    return {kind: chosen.get(kind, default) for kind, default in DEFAULT_FREQUENCY.items()}


def kinds_for(user: User) -> list[NotificationKind]:
    """The kinds a person can receive: queue news for moderators, reminders for staff only."""
    kinds = list(NotificationKind)
    if not policy.can(user, "moderation.queue"):
        kinds.remove(NotificationKind.QUEUE)
    if not policy.can(user, "gemeente.desk"):
        kinds.remove(NotificationKind.REMINDER)
    return kinds


def set_preferences(user: User, choices: dict[NotificationKind, Frequency]) -> None:
    for kind, frequency in choices.items():
        row = db.session.get(NotificationPreference, (user.id, kind))
        if row is None:
            db.session.add(NotificationPreference(user_id=user.id, kind=kind, frequency=frequency))
        else:
            row.frequency = frequency
    db.session.flush()


def notify(user: User, kind: NotificationKind, *, actor: User | None = None,
           listing: Listing | None = None, commitment=None, event: ModerationEvent | None = None,
           note: str | None = None) -> Notification | None:
    """Tell ``user`` about something; never about their own action, never blocked accounts,
    never about a listing they may not see (hidden, pending or by a suspended person)."""
    if (actor is not None and actor.id == user.id) or not user.active:
        return None
    if listing is not None and not policy.can(user, "listing.view", listing):
        return None
    notification = Notification(user=user, kind=kind, actor=actor, listing=listing,
                                commitment_id=commitment.id if commitment is not None else None,
                                event=event, note=note)
    db.session.add(notification)
    if user.email_confirmed and frequency_for(user, kind) is Frequency.IMMEDIATELY:
        notification.emailed_at = clock.now()
        db.session.info.setdefault(_OUTBOX_KEY, []).append(notification)
    return notification


def about_visible_listing(recipient_id) -> sa.ColumnElement[bool]:
    """Leaves out notifications about a listing hidden since, for everyone but its initiator.

    Moderation notices stay: they only ever go to people who may see the item.
    """
    return sa.or_(
        Notification.listing_id.is_(None),
        Notification.kind.in_([NotificationKind.MODERATION, NotificationKind.QUEUE]),
        # Correlated, so each notification looks up its own listing by primary key.
        sa.exists().where(Listing.id == Notification.listing_id,
                          sa.or_(publicly_visible(), Listing.owner_id == recipient_id)))


def notifications_of(user: User) -> sa.Select:
    return (sa.select(Notification)
            .where(Notification.user_id == user.id, about_visible_listing(user.id))
            .options(selectinload(Notification.actor), selectinload(Notification.listing))
            .order_by(Notification.created_at.desc(), Notification.id.desc()))


def link_for(notification: Notification) -> str:
    if notification.kind is NotificationKind.QUEUE:
        return external_url("moderation.queue")
    if notification.commitment_id:
        return external_url("commitments.show", commitment_id=notification.commitment_id)
    if notification.listing_id:
        return external_url("listings.detail", listing_id=notification.listing_id)
    return external_url("notifications.index")


def _mail_for(notification: Notification) -> EmailMessage:
    """The e-mail, composed now: after the commit the database cannot be asked any more."""
    user = notification.user
    named = (user.id, notification.actor_id) if notification.actor_id else (user.id,)
    return compose_mail(user.email, SUBJECTS[notification.kind], "notification",
                        locale=user.locale, people=named, name=user.display_name,
                        text=describe(notification, user.locale), link=link_for(notification),
                        settings=external_url("notifications.settings"))


@sa.event.listens_for(Session, "before_commit")
def _prepare_queued_mail(session) -> None:
    queued = session.info.pop(_OUTBOX_KEY, [])
    if queued:
        session.info[_READY_KEY] = [_mail_for(notification) for notification in queued]


@sa.event.listens_for(Session, "after_commit")
def _send_prepared_mail(session) -> None:
    messages = session.info.pop(_READY_KEY, [])
    if messages:  # only what was committed goes out, and nobody waits for the mail server
        after_response(_deliver_all, messages)


def _deliver_all(messages: list[EmailMessage]) -> None:
    for message in messages:
        try:
            deliver(message)
        except Exception:  # a failed mail must not undo or block what was committed
            current_app.logger.exception("sending a notification to %s failed", message["To"])


@sa.event.listens_for(Session, "after_soft_rollback")
def _drop_queued_mail(session, _previous_transaction) -> None:
    session.info.pop(_OUTBOX_KEY, None)
    session.info.pop(_READY_KEY, None)


def send_digests() -> int:
    """One e-mail per person with their not yet mailed "daily" notifications; returns how many."""
    waiting = db.session.scalars(
        sa.select(Notification).join(Notification.user)
        .where(Notification.emailed_at.is_(None), User.active,
               User.email_confirmed_at.is_not(None), about_visible_listing(Notification.user_id))
        .options(selectinload(Notification.actor), selectinload(Notification.listing))
        .order_by(Notification.user_id, Notification.created_at)).all()
    per_user: dict[int, list[Notification]] = defaultdict(list)
    choices: dict[int, dict[NotificationKind, Frequency]] = {}
    for notification in waiting:
        if notification.user_id not in choices:
            choices[notification.user_id] = preferences_of(notification.user)
        if choices[notification.user_id][notification.kind] is Frequency.DAILY:
            per_user[notification.user_id].append(notification)
    now = clock.now()
    for notifications in per_user.values():  # only people with something to say: no empty mail
        user = notifications[0].user
        items = [(describe(n, user.locale), link_for(n)) for n in notifications]
        send_mail(user.email, SUBJECTS["digest"], "digest", locale=user.locale,
                  people=(user.id, *(n.actor_id for n in notifications if n.actor_id)),
                  name=user.display_name, items=items,
                  settings=external_url("notifications.settings"))
        for notification in notifications:
            notification.emailed_at = now
        db.session.commit()
    return len(per_user)


def unread_count(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None),
        about_visible_listing(user.id))) or 0


def mark_read(user: User, notification_ids: list[int] | None = None) -> None:
    """Mark some (or all) of the person's own notifications read."""
    query = sa.update(Notification).where(Notification.user_id == user.id,
                                           Notification.read_at.is_(None))
    if notification_ids is not None:
        query = query.where(Notification.id.in_(notification_ids))
    db.session.execute(query.values(read_at=clock.now()))
