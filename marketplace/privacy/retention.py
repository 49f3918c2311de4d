"""Removing what is no longer needed, after the periods set in the configuration (the privacy
statement shows the same numbers). ``flask apply-retention`` runs it; ``flask daily-jobs`` runs
it with the digests and reminders once a day."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from marketplace import clock
from marketplace.auth.models import Role, User
from marketplace.auth.sessions import delete_idle_sessions
from marketplace.commitments.models import ACTIVE, Commitment, Message
from marketplace.extensions import db
from marketplace.mail import remove_old_outbox_files
from marketplace.moderation.models import Flag, ItemType, ModerationCase
from marketplace.notifications.models import Notification
from marketplace.privacy.erasure import delete_account

BATCH = 200  # accounts deleted per transaction


def _days(setting: str) -> timedelta:
    return timedelta(days=current_app.config[setting])


def remove_unconfirmed_accounts(now) -> int:
    """Accounts whose e-mail address was never confirmed: deleted like any other account."""
    removed = 0
    while True:
        batch = list(db.session.scalars(sa.select(User).where(
            User.email_confirmed_at.is_(None), User.deleted_at.is_(None),
            User.role == Role.RESIDENT,
            User.created_at < now - _days("RETENTION_UNCONFIRMED_ACCOUNT_DAYS")).limit(BATCH)))
        if not batch:
            return removed
        erasures = [delete_account(user, by=None, reason="retention: e-mail address never "
                                                         "confirmed") for user in batch]
        db.session.commit()
        for erasure in erasures:
            erasure.clean_up()
        removed += len(batch)


def remove_old_notifications(now) -> int:
    return db.session.execute(sa.delete(Notification).where(
        Notification.created_at < now - _days("RETENTION_NOTIFICATION_DAYS"))).rowcount


def _open_case_about(item_type: ItemType, item_id) -> sa.Exists:
    return sa.exists().where(ModerationCase.item_type == item_type,
                             ModerationCase.item_id == item_id,
                             ModerationCase.closed_at.is_(None))


def remove_old_messages(now) -> int:
    """Private messages of conversations that ended long ago (none under review)."""
    ended = sa.select(Commitment.id).where(
        Commitment.status.not_in(ACTIVE),
        Commitment.closed_at < now - _days("RETENTION_MESSAGE_DAYS"))
    old = list(db.session.scalars(sa.select(Message.id).where(
        Message.commitment_id.in_(ended), ~_open_case_about(ItemType.MESSAGE, Message.id))))
    if not old:
        return 0
    _remove_cases(ItemType.MESSAGE, old)
    return db.session.execute(sa.delete(Message).where(Message.id.in_(old))).rowcount


def _remove_cases(item_type: ItemType, ids: list[int]) -> None:
    for model in (Flag, ModerationCase):
        db.session.execute(sa.delete(model).where(model.item_type == item_type,
                                                  model.item_id.in_(ids)))


def remove_moderation_evidence(now) -> int:
    """Cases closed long ago, with their reports (who reported, and why); the decision itself
    stays in the audit log."""
    cases = list(db.session.scalars(sa.select(ModerationCase.id).where(
        ModerationCase.closed_at < now - _days("RETENTION_MODERATION_DAYS"))))
    if cases:
        db.session.execute(sa.delete(Flag).where(Flag.case_id.in_(cases)))
        db.session.execute(sa.delete(ModerationCase).where(ModerationCase.id.in_(cases)))
    return len(cases)


def apply_retention() -> dict[str, int]:
    """Remove everything past its period; returns how much of each kind."""
    now = clock.now()
    removed = {"unconfirmed accounts": remove_unconfirmed_accounts(now)}
    removed["notifications"] = remove_old_notifications(now)
    removed["private messages"] = remove_old_messages(now)
    removed["closed moderation cases"] = remove_moderation_evidence(now)
    removed["idle login sessions"] = delete_idle_sessions()
    db.session.commit()
    removed["outbox files"] = remove_old_outbox_files(now - _days("RETENTION_OUTBOX_DAYS"))
    return removed
