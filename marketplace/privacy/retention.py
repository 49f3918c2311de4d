"""Removing what is no longer needed, after the periods set in the configuration (the privacy
statement shows the same numbers). ``flask apply-retention`` runs it; ``flask daily-jobs`` runs
it with the digests and reminders once a day."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from marketplace import clock
from marketplace.assisted.models import AssistedResident
from marketplace.auth.models import User
from marketplace.auth.sessions import delete_idle_sessions
from marketplace.commitments.models import ACTIVE, Commitment, Message
from marketplace.delivery.services import remove_old as remove_old_deliveries
from marketplace.extensions import db
from marketplace.mail import remove_old_outbox_files
from marketplace.moderation.cases import remove_cases_about
from marketplace.moderation.models import Flag, ItemType, ModerationCase
from marketplace.notifications.models import Notification
from marketplace.privacy.erasure import delete_account
from marketplace.refused import Refused

BATCH = 200  # accounts looked up at a time


def _days(setting: str) -> timedelta:
    return timedelta(days=current_app.config[setting])


def remove_unconfirmed_accounts(now) -> int:
    """Accounts whose e-mail address was never confirmed: deleted like any other account, each
    in its own transaction; one that cannot be deleted now is logged and tried again tomorrow."""
    removed, skipped = 0, set()
    while True:
        cutoff = now - _days("RETENTION_UNCONFIRMED_ACCOUNT_DAYS")
        batch = list(db.session.scalars(sa.select(User.id).where(
            User.email_confirmed_at.is_(None), User.deleted_at.is_(None),
            ~User.holding_any_role(), User.id.not_in(skipped) if skipped else sa.true(),
            User.created_at < cutoff,
            # A resident the gemeente helps has no address to confirm; one who took the account
            # over has as long to confirm it as anyone who signs up.
            ~sa.exists().where(AssistedResident.user_id == User.id, sa.or_(
                AssistedResident.taken_over_at.is_(None),
                AssistedResident.taken_over_at >= cutoff)),
        ).limit(BATCH)))
        if not batch:
            return removed
        for user_id in batch:
            try:
                erasure = delete_account(db.session.get(User, user_id), by=None,
                                         reason="retention: e-mail address never confirmed")
                db.session.commit()
            except (Refused, SQLAlchemyError):
                db.session.rollback()
                current_app.logger.exception("retention could not delete account %s", user_id)
                skipped.add(user_id)
                continue
            erasure.clean_up()
            removed += 1


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
    # Selected in the database, not loaded: the first run on a national database finds many.
    old = sa.select(Message.id).where(Message.commitment_id.in_(ended),
                                      ~_open_case_about(ItemType.MESSAGE, Message.id))
    remove_cases_about(ItemType.MESSAGE, old)
    return db.session.execute(sa.delete(Message).where(Message.id.in_(old))
                              .execution_options(synchronize_session=False)).rowcount


def remove_moderation_evidence(now) -> int:
    """Cases closed long ago, with their reports (who reported, and why); the decision itself
    stays in the audit log."""
    closed_long_ago = ModerationCase.closed_at < now - _days("RETENTION_MODERATION_DAYS")
    db.session.execute(sa.delete(Flag).where(Flag.case_id.in_(
        sa.select(ModerationCase.id).where(closed_long_ago)))
        .execution_options(synchronize_session=False))
    return db.session.execute(sa.delete(ModerationCase).where(closed_long_ago)
                              .execution_options(synchronize_session=False)).rowcount


def apply_retention() -> dict[str, int]:
    """Remove everything past its period; returns how much of each kind."""
    now = clock.now()
    removed = {"unconfirmed accounts": remove_unconfirmed_accounts(now)}
    removed["notifications"] = remove_old_notifications(now)
    removed["private messages"] = remove_old_messages(now)
    removed["closed moderation cases"] = remove_moderation_evidence(now)
    removed["idle login sessions"] = delete_idle_sessions()
    removed["mail and push messages"] = remove_old_deliveries(
        now - _days("RETENTION_OUTBOX_DAYS"))
    db.session.commit()
    removed["outbox files"] = remove_old_outbox_files(now - _days("RETENTION_OUTBOX_DAYS"))
    return removed
