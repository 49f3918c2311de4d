"""What residents and moderators do: flag, approve, hide, restore, move, warn, suspend, escalate.

Every moderator action is written to the audit log and told to the author. Services flush; the
request commits. Views check the policy; these functions check the area again, because a
moderator's power must never reach beyond the buurten assigned to them.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace import clock, policy
from marketplace.atomic import change_if, lock
from marketplace.audit.services import record
from marketplace.auth.models import User
from marketplace.commitments.models import Message
from marketplace.extensions import db
from marketplace.geo.models import Buurt
from marketplace.listings.models import Category, Listing, ListingStatus
from marketplace.listings.services import publish
from marketplace.moderation.cases import open_case, open_case_for, tell_admins
from marketplace.moderation.items import (
    ItemModel,
    author_of,
    item_type_of,
    listing_of,
)
from marketplace.moderation.models import (
    CaseCause,
    CaseOutcome,
    Flag,
    FlagReason,
    ModerationCase,
)
from marketplace.notifications.models import ModerationEvent, NotificationKind
from marketplace.notifications.services import notify
from marketplace.refused import Refused

MAX_NOTE = 1000
MAX_SUSPENSION_DAYS = 365


class ModerationRefused(Refused):
    """The action is not possible like this; the message says why, in the user's language."""


def was_reported(item: ItemModel) -> bool:
    return db.session.scalar(sa.select(ModerationCase.id).where(
        ModerationCase.item_type == item_type_of(item), ModerationCase.item_id == item.id)
        .limit(1)) is not None


def _check_moderator(moderator: User, item: ItemModel) -> Listing:
    """Check the moderator's area, then hold the item: two moderators (or a moderator and a
    report) deciding at the same moment take turns, and each sees what the other did."""
    listing = listing_of(item)
    if not policy.can(moderator, "buurt.moderate", listing.buurt):
        raise ModerationRefused(_("Only a wijkwerker of this buurt can do this."))
    if isinstance(item, Message) and not was_reported(item):
        raise ModerationRefused(_("Private messages are moderated only after a report."))
    lock(item)
    return listing


def _reason(text: str | None, *, required: bool = True) -> str | None:
    text = (text or "").strip()
    if required and not text:
        raise ModerationRefused(_("Give a reason: the author will read it."))
    if len(text) > MAX_NOTE:
        raise ModerationRefused(_("Keep the reason under %(max)d characters.", max=MAX_NOTE))
    return text or None


def _state(item: ItemModel) -> dict:
    state = {"hidden": item.hidden_at is not None, "hidden_reason": item.hidden_reason}
    if isinstance(item, Listing):
        state["status"] = item.status.value
    return state


def _audit(moderator: User | None, action: str, item: ItemModel, before: dict,
           reason: str | None = None) -> None:
    listing = listing_of(item)
    # Labelled by the listing's title, never by a comment's or message's words: the log
    # outlives what it is about, and a person's words go when their account does.
    record(moderator, action, item, reason=reason, before=before, after=_state(item),
           buurt_id=listing.buurt_id, gemeente_id=listing.gemeente_id, label=listing.title)


def _tell_author(item: ItemModel, moderator: User | None, event: ModerationEvent,
                 note: str | None = None) -> None:
    notify(author_of(item), NotificationKind.MODERATION, actor=moderator,
           listing=listing_of(item), event=event, note=note)


def _tell_reporters(item: ItemModel, moderator: User, event: ModerationEvent) -> None:
    """The residents who reported the item hear what was decided (before the case closes).
    Named by title only: what was hidden is no longer theirs to open."""
    case = open_case_for(item)
    if case is None:
        return
    title = listing_of(item).title
    for report in case.flags:
        notify(report.reporter, NotificationKind.MODERATION, actor=moderator, event=event,
               note=title)


def _close(item: ItemModel, moderator: User, outcome: CaseOutcome) -> None:
    case = open_case_for(item)
    if case is not None:
        change_if(case, ModerationCase.closed_at.is_(None), closed_at=clock.now(),
                  closed_by_id=moderator.id, outcome=outcome)


# Residents ---------------------------------------------------------------------------------

def flag(reporter: User, item: ItemModel, reason: FlagReason, note: str | None) -> Flag:
    """Report an item; enough open flags hide it until a wijkwerker decides."""
    if author_of(item).id == reporter.id:
        raise ModerationRefused(_("You cannot report your own words."))
    note = (note or "").strip() or None
    if reason is FlagReason.OTHER and not note:
        raise ModerationRefused(_("Tell the wijkwerker what is wrong."))
    if note and len(note) > MAX_NOTE:
        raise ModerationRefused(_("Keep the reason under %(max)d characters.", max=MAX_NOTE))
    item_type = item_type_of(item)
    # Reports on one item take turns: each one counts, and the one that reaches the threshold
    # (and only that one) hides the item.
    lock(item)
    already = db.session.scalar(sa.select(Flag.id).where(
        Flag.item_type == item_type, Flag.item_id == item.id, Flag.reporter_id == reporter.id))
    if already is not None:
        raise ModerationRefused(_("You already reported this. A wijkwerker will look at it."))
    case = open_case(item, CaseCause.FLAGS)
    report = Flag(case=case, item_type=item_type, item_id=item.id, reporter_id=reporter.id,
                  reason=reason, note=note, created_at=clock.now())
    db.session.add(report)
    db.session.flush()
    count = db.session.scalar(sa.select(sa.func.count(Flag.id)).where(Flag.case_id == case.id))
    if item.hidden_at is None and count >= listing_of(item).gemeente.flag_threshold:
        before = _state(item)
        item.hidden_at = clock.now()
        item.hidden_by_flags = True
        _audit(None, "flags.hide", item, before,
               reason=_("%(count)d open reports", count=count))
        _tell_author(item, None, ModerationEvent.HIDDEN_BY_FLAGS)
    return report


# Moderators --------------------------------------------------------------------------------

def approve(moderator: User, listing: ItemModel) -> None:
    """Publish a new resident's listing that waited for approval."""
    _check_moderator(moderator, listing)
    if not isinstance(listing, Listing) or listing.status is not ListingStatus.PENDING:
        raise ModerationRefused(_("This listing is not waiting for approval."))
    before = _state(listing)
    listing.hidden_at, listing.hidden_reason, listing.hidden_by_flags = None, None, False
    publish(listing)
    _close(listing, moderator, CaseOutcome.APPROVED)
    _audit(moderator, "listing.approve", listing, before)
    _tell_author(listing, moderator, ModerationEvent.APPROVED)


def hide(moderator: User, item: ItemModel, reason: str) -> None:
    _check_moderator(moderator, item)
    reason = _reason(reason)
    before = _state(item)
    item.hidden_at = clock.now()
    item.hidden_reason = reason
    item.hidden_by_flags = False
    _tell_reporters(item, moderator, ModerationEvent.REPORT_HIDDEN)
    _close(item, moderator, CaseOutcome.HIDDEN)
    _audit(moderator, "item.hide", item, before, reason)
    _tell_author(item, moderator, ModerationEvent.HIDDEN, reason)


def restore(moderator: User, item: ItemModel, reason: str | None = None) -> None:
    """Show the item again, or keep it after reports: the open case closes, the flags stay."""
    _check_moderator(moderator, item)
    if isinstance(item, Listing) and item.status is ListingStatus.PENDING:
        raise ModerationRefused(_("This listing waits for approval: approve it instead."))
    reason = _reason(reason, required=False)
    was_hidden = item.hidden_at is not None
    if not was_hidden and open_case_for(item) is None:
        raise ModerationRefused(_("This is visible and nobody reported it: nothing to restore."))
    before = _state(item)
    item.hidden_at, item.hidden_reason, item.hidden_by_flags = None, None, False
    _tell_reporters(item, moderator, ModerationEvent.REPORT_KEPT)
    _close(item, moderator, CaseOutcome.KEPT)
    _audit(moderator, "item.restore" if was_hidden else "flags.dismiss", item, before, reason)
    if was_hidden:
        _tell_author(item, moderator, ModerationEvent.RESTORED, reason)


def escalate(moderator: User, item: ItemModel, note: str) -> ModerationCase:
    """Ask an admin to decide; the case stays in the queue, marked."""
    listing = _check_moderator(moderator, item)
    note = _reason(note)
    case = open_case_for(item)
    if case is None:
        raise ModerationRefused(_("There is nothing open to hand on for this item."))
    # Decided by the database: of two moderators handing it on at once, one does.
    if not change_if(case, ModerationCase.escalated_at.is_(None), escalated_at=clock.now(),
                     escalation_note=note):
        raise ModerationRefused(_("This is already with an admin."))
    _audit(moderator, "case.escalate", item, _state(item), note)
    tell_admins(listing, moderator)
    return case


def lock_comments(actor: User, listing: Listing, locked: bool) -> None:
    """The initiator or a wijkwerker closes (or reopens) the comments; what is there stays."""
    if not policy.can(actor, "comment.lock", listing):
        raise ModerationRefused(_("Only the initiator or a wijkwerker of this buurt can do this."))
    lock(listing)  # two people closing at once record it once
    if listing.comments_locked == locked:
        return
    listing.comments_locked = locked
    record(actor, "comments.lock" if locked else "comments.unlock", listing,
           before={"comments_locked": not locked}, after={"comments_locked": locked})


def recategorise(moderator: User, listing: Listing, category: Category, buurt: Buurt,
                 reason: str | None) -> None:
    """Put a listing in the right category or buurt (of the same gemeente)."""
    _check_moderator(moderator, listing)
    if buurt.wijk.gemeente_id != listing.gemeente_id:
        raise ModerationRefused(_("Choose a buurt of %(gemeente)s.",
                                  gemeente=listing.gemeente.name))
    if category.id == listing.category_id and buurt.id == listing.buurt_id:
        raise ModerationRefused(_("Nothing changed: choose another category or buurt."))
    if not category.fits(listing.gemeente_id):
        raise ModerationRefused(_("Choose a category of Buurtmarkt or of %(gemeente)s.",
                                  gemeente=listing.gemeente.name))
    if not policy.can(moderator, "buurt.moderate", buurt):
        raise ModerationRefused(_("You can move a listing only to a buurt you moderate; hand it "
                                  "on to an admin for another one."))
    reason = _reason(reason, required=False)
    before = {"category": listing.category.slug, "buurt": listing.buurt.code}
    listing.category, listing.buurt = category, buurt
    case = open_case_for(listing)
    if case is not None:  # the case moves along, into the queue of the new buurt
        case.buurt_id = buurt.id
    record(moderator, "listing.move", listing, reason=reason, before=before,
           after={"category": category.slug, "buurt": buurt.code})
    _tell_author(listing, moderator, ModerationEvent.MOVED, reason)


def _check_resident(moderator: User, person: User, item: ItemModel) -> Listing:
    listing = _check_moderator(moderator, item)
    if author_of(item).id != person.id:
        raise ModerationRefused(_("Act on the author of this item only."))
    if person.deleted_at is not None:
        raise ModerationRefused(_("This account is deleted."))
    if person.roles:
        raise ModerationRefused(_("Only residents can be warned or suspended here."))
    return listing


def warn(moderator: User, person: User, item: ItemModel, reason: str) -> None:
    listing = _check_resident(moderator, person, item)
    reason = _reason(reason)
    record(moderator, "user.warn", person, reason=reason, buurt_id=listing.buurt_id,
           gemeente_id=listing.gemeente_id)
    notify(person, NotificationKind.MODERATION, actor=moderator, listing=listing,
           event=ModerationEvent.WARNED, note=reason)


def suspend(moderator: User, person: User, item: ItemModel, days: int, reason: str) -> None:
    """No posting, commenting or messaging for ``days``; what they posted is hidden meanwhile."""
    listing = _check_resident(moderator, person, item)
    reason = _reason(reason)
    if not 1 <= days <= MAX_SUSPENSION_DAYS:
        raise ModerationRefused(_("Suspend for 1 to %(max)d days.", max=MAX_SUSPENSION_DAYS))
    now = clock.now()
    # A second suspension must not quietly shorten the first, also when two moderators suspend
    # at the same moment: only a person who is not suspended now can be.
    if not change_if(person, sa.or_(User.suspended_until.is_(None), User.suspended_until <= now),
                     suspended_until=now + timedelta(days=days), suspension_reason=reason):
        raise ModerationRefused(_("This person is already suspended. Lift the suspension first "
                                  "to set another period."))
    record(moderator, "user.suspend", person, reason=reason, before={"suspended_until": None},
           after={"suspended_until": person.suspended_until.isoformat()},
           buurt_id=listing.buurt_id, gemeente_id=listing.gemeente_id)
    notify(person, NotificationKind.MODERATION, actor=moderator, listing=listing,
           event=ModerationEvent.SUSPENDED, note=reason)


def lift_suspension(moderator: User, person: User, item: ItemModel) -> None:
    listing = _check_resident(moderator, person, item)
    until = person.suspended_until
    if not change_if(person, User.suspended_until > clock.now(), suspended_until=None,
                     suspension_reason=None):
        raise ModerationRefused(_("This person is not suspended."))
    before = {"suspended_until": until.isoformat()}
    record(moderator, "user.unsuspend", person, before=before, after={"suspended_until": None},
           buurt_id=listing.buurt_id, gemeente_id=listing.gemeente_id)
    notify(person, NotificationKind.MODERATION, actor=moderator, listing=listing,
           event=ModerationEvent.UNSUSPENDED)

