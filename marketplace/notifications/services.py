"""Creating notifications and sending them by e-mail: at once, in a daily digest, or not at all.

`notify` writes rows (services flush, the request commits): one per event and person, and events
of a kind that adds up (comments on a listing, matches, messages in a conversation) add to the
person's one unread notification of that group. Mail that should go at once is composed just
before the commit, once per notification however many events it gathered, and written as a
:class:`~marketplace.delivery.models.Delivery` in the same transaction; the worker sends it.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from marketplace import clock, policy
from marketplace.auth.models import User
from marketplace.auth.tokens import InvalidToken, make_token, read_token
from marketplace.delivery.push import has_devices
from marketplace.delivery.services import queue_mail, queue_push, send_mail
from marketplace.extensions import db
from marketplace.links import external_url
from marketplace.listings.models import Listing
from marketplace.listings.queries import publicly_visible
from marketplace.mail import compose_mail
from marketplace.notifications.models import (
    DEFAULT_FREQUENCY,
    DEFAULT_PUSH,
    Frequency,
    ModerationEvent,
    Notification,
    NotificationKind,
    NotificationPreference,
    group_key,
)
from marketplace.notifications.texts import SUBJECTS, describe

_MAIL_NOW = "buurtmarkt.notifications_to_mail"  # ids, mailed just before the commit
_PUSH_NOW = "buurtmarkt.notifications_to_push"  # ids, pushed just before the commit
_TOLD = "buurtmarkt.notified"  # (person, event) pairs told in this transaction
_SILENT = "buurtmarkt.notifications_silenced"


def choice_for(user: User, kind: NotificationKind) -> tuple[Frequency, bool]:
    """How often the person wants e-mail of this kind, and whether as a push message too."""
    chosen = db.session.get(NotificationPreference, (user.id, kind))
    frequency = chosen.frequency if chosen else DEFAULT_FREQUENCY[kind]
    push = chosen.push if chosen is not None and chosen.push is not None else kind in DEFAULT_PUSH
    return frequency, push


def push_choices_of(user: User) -> dict[NotificationKind, bool]:
    chosen = {p.kind: p.push for p in db.session.scalars(
        sa.select(NotificationPreference).where(NotificationPreference.user_id == user.id))}
    return {kind: chosen[kind] if chosen.get(kind) is not None else kind in DEFAULT_PUSH
            for kind in NotificationKind}


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


def set_preferences(user: User, choices: dict[NotificationKind, Frequency],
                    push: dict[NotificationKind, bool] | None = None) -> None:
    """Keep the person's choices: how often e-mail per kind, and push per kind."""
    push = push or {}
    for kind in choices.keys() | push.keys():
        row = db.session.get(NotificationPreference, (user.id, kind))
        if row is None:
            row = NotificationPreference(user_id=user.id, kind=kind,
                                         frequency=DEFAULT_FREQUENCY[kind])
            db.session.add(row)
        row.frequency = choices.get(kind, row.frequency)
        if kind in push:
            row.push = push[kind]
    db.session.flush()


def notify(user: User, kind: NotificationKind, *, actor: User | None = None,
           listing: Listing | None = None, commitment=None, event: ModerationEvent | None = None,
           note: str | None = None) -> None:
    """Tell ``user`` about something; never about their own action, never blocked accounts,
    never about a listing they may not see (hidden, pending or by a suspended person), never
    twice about one event, and not at all while the session is silenced (the demo's history)."""
    session = db.session()
    if session.info.get(_SILENT):
        return
    if (actor is not None and actor.id == user.id) or not user.active:
        return
    if listing is not None and not policy.can(user, "listing.view", listing):
        return
    listing_id = listing.id if listing is not None else None
    commitment_id = commitment.id if commitment is not None else None
    key = group_key(kind, listing_id, commitment_id)
    if key is None:  # grouped events are counted, each told once by its caller
        told = session.info.setdefault(_TOLD, set())
        this_event = (user.id, kind, listing_id, commitment_id, event, actor.id if actor else None)
        if this_event in told:  # one service telling the same person twice about one thing
            return
        told.add(this_event)
    values = {"user_id": user.id, "kind": kind, "actor_id": actor.id if actor else None,
              "listing_id": listing_id, "commitment_id": commitment_id, "event": event,
              "note": note, "created_at": clock.now(),
              "group_key": key}
    db.session.flush()
    notification_id = db.session.scalar(_add_or_count(values))
    frequency, push = choice_for(user, kind)
    if user.email_confirmed and frequency is Frequency.IMMEDIATELY:
        session.info.setdefault(_MAIL_NOW, set()).add(notification_id)
    if push and has_devices(user.id):
        session.info.setdefault(_PUSH_NOW, set()).add(notification_id)


def _add_or_count(values: dict) -> sa.Insert:
    """Insert the notification, or add one to the person's unread one of the same group (one
    statement, so two requests at the same moment count both events)."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(Notification).values(**values)
    if values["group_key"] is None:
        return insert.returning(Notification.id)
    counted = {"count": Notification.count + 1, "created_at": values["created_at"],
               "actor_id": values["actor_id"], "mail_queued_at": None}
    if values["kind"] is NotificationKind.QUEUE:  # "5 new items": about no one item, and
        counted["listing_id"] = None  # not removed with the first one's listing
    return insert.on_conflict_do_update(
        index_elements=[Notification.user_id, Notification.group_key],
        index_where=sa.and_(Notification.read_at.is_(None), Notification.group_key.is_not(None)),
        set_=counted,
    ).returning(Notification.id)


def is_silenced() -> bool:
    return bool(db.session.info.get(_SILENT))


class silenced:
    """Within this block nobody is notified: seeding the demo is not news for anyone."""

    def __enter__(self) -> None:
        db.session.info[_SILENT] = True

    def __exit__(self, *_exc) -> None:
        db.session.info.pop(_SILENT, None)


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
    if notification.kind is NotificationKind.NUDGE:
        return external_url("listings.detail", listing_id=notification.listing_id,
                            _anchor="still-current")
    if notification.kind is NotificationKind.BUURT_QUESTION:
        return external_url("buurten.questions_to_answer")
    if notification.kind is NotificationKind.BUURT_ANSWER:
        return external_url("buurten.my_questions")
    if notification.kind is NotificationKind.NEED_DUE:
        return external_url("listings.detail", listing_id=notification.listing_id,
                            _anchor="needs-due")
    if notification.listing_id:
        return external_url("listings.detail", listing_id=notification.listing_id)
    return external_url("notifications.index")


UNSUBSCRIBE_MAX_AGE = 400 * 24 * 3600  # a link in an old mail still works for over a year


def unsubscribe_link(user: User, kinds: list[NotificationKind]) -> str:
    """The one-click address that stops e-mail of these kinds for the person."""
    token = make_token("unsubscribe", {"uid": user.id, "kinds": [kind.value for kind in kinds]})
    return external_url("notifications.unsubscribe", token=token)


def unsubscribe(token: str) -> list[NotificationKind]:
    """Stop e-mail of the kinds the link names; the notifications stay in the app."""
    payload = read_token("unsubscribe", token, UNSUBSCRIBE_MAX_AGE)
    user = db.session.get(User, payload.get("uid"))
    try:
        kinds = [NotificationKind(kind) for kind in payload.get("kinds", [])]
    except ValueError as error:
        raise InvalidToken from error
    if user is None or user.deleted_at is not None or not kinds:
        raise InvalidToken
    set_preferences(user, dict.fromkeys(kinds, Frequency.OFF))
    return kinds


def _mail_for(notification: Notification):
    user = notification.user
    named = (user.id, notification.actor_id) if notification.actor_id else (user.id,)
    return compose_mail(user.email, SUBJECTS[notification.kind], "notification",
                        locale=user.locale, people=named, name=user.display_name,
                        unsubscribe=unsubscribe_link(user, [notification.kind]),
                        text=describe(notification, user.locale), link=link_for(notification),
                        settings=external_url("notifications.settings"))


def _push_for(notification: Notification) -> None:
    user = notification.user
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        title = str(SUBJECTS[notification.kind])
    link = urlsplit(link_for(notification))  # the service worker opens it on its own site
    queue_push(user.id, title, describe(notification, user.locale),
               urlunsplit(("", "", link.path, link.query, link.fragment)),
               tag=notification.group_key or f"notification-{notification.id}",
               people=(notification.actor_id,) if notification.actor_id else ())


@sa.event.listens_for(Session, "before_commit")
def _queue_mail_and_push_now(session) -> None:
    """Each notification that should be mailed or pushed at once, once, with all the events
    it gathered."""
    mail = session.info.pop(_MAIL_NOW, set())
    pushed = session.info.pop(_PUSH_NOW, set())
    session.info.pop(_TOLD, None)
    if not mail and not pushed:
        return
    now = clock.now()
    for notification in session.scalars(
            sa.select(Notification).where(Notification.id.in_(mail | pushed))
            .options(selectinload(Notification.user), selectinload(Notification.actor),
                     selectinload(Notification.listing))
            .execution_options(populate_existing=True)):  # the count as the upserts left it
        if notification.id in mail:
            queue_mail(_mail_for(notification), user_id=notification.user_id)
            notification.mail_queued_at = now
        if notification.id in pushed:
            _push_for(notification)
    session.flush()


@sa.event.listens_for(Session, "after_soft_rollback")
def _forget_unmailed(session, _previous_transaction) -> None:
    session.info.pop(_MAIL_NOW, None)
    session.info.pop(_PUSH_NOW, None)
    session.info.pop(_TOLD, None)


def send_digests() -> int:
    """One e-mail per person with their not yet mailed "daily" notifications; returns how many
    were queued. Each person's digest is a transaction of its own: one that fails is logged and
    tried again the next day, and the others still go."""
    waiting = db.session.execute(
        sa.select(Notification.user_id, Notification.kind).join(Notification.user)
        .where(Notification.mail_queued_at.is_(None), User.active,
               User.email_confirmed_at.is_not(None), about_visible_listing(Notification.user_id))
        .distinct()).all()
    kinds_waiting: dict[int, set[NotificationKind]] = defaultdict(set)
    for user_id, kind in waiting:
        kinds_waiting[user_id].add(kind)
    queued = 0
    for user_id, kinds in kinds_waiting.items():
        try:
            user = db.session.get(User, user_id)
            daily = [kind for kind, frequency in preferences_of(user).items()
                     if frequency is Frequency.DAILY]
            if set(daily) & kinds and _send_digest(user, daily):
                queued += 1
        except Exception:
            db.session.rollback()
            current_app.logger.exception("the digest for person %s failed", user_id)
    return queued


def _send_digest(user: User, daily: list[NotificationKind]) -> bool:
    """Claim the person's unmailed daily notifications first (one conditional UPDATE), then
    mail exactly those: another run at the same moment claims none of them."""
    claimed = db.session.scalars(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.kind.in_(daily),
               Notification.mail_queued_at.is_(None), about_visible_listing(user.id))
        .values(mail_queued_at=clock.now()).returning(Notification.id)
        .execution_options(synchronize_session=False)).all()
    if not claimed:  # only people with something to say: no empty mail
        db.session.rollback()
        return False
    notifications = db.session.scalars(
        sa.select(Notification).where(Notification.id.in_(claimed))
        .options(selectinload(Notification.actor), selectinload(Notification.listing))
        .order_by(Notification.created_at, Notification.id)).all()
    items = [(describe(n, user.locale), link_for(n)) for n in notifications]
    send_mail(user.email, SUBJECTS["digest"], "digest", locale=user.locale, user_id=user.id,
              unsubscribe=unsubscribe_link(user, daily),
              people=(user.id, *(n.actor_id for n in notifications if n.actor_id)),
              name=user.display_name, items=items,
              settings=external_url("notifications.settings"))
    db.session.commit()
    return True


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
