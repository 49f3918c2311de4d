"""Opening cases in the queue and telling the wijkwerkers of the area, in one digest a day.

Kept apart from :mod:`marketplace.moderation.services` so that listing services can open an
approval case without importing the moderator's actions (which publish listings themselves).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace import clock
from marketplace.auth.models import Role, User
from marketplace.auth.queries import holders_of, reviewers_for
from marketplace.extensions import db
from marketplace.listings.models import Listing
from marketplace.moderation.items import ItemModel, item_type_of, listing_of
from marketplace.moderation.models import CaseCause, Flag, ItemType, ModerationCase
from marketplace.notifications.models import ModerationEvent, NotificationKind
from marketplace.notifications.services import notify


def open_case_for(item: ItemModel) -> ModerationCase | None:
    return db.session.scalar(sa.select(ModerationCase).where(
        ModerationCase.item_type == item_type_of(item), ModerationCase.item_id == item.id,
        ModerationCase.closed_at.is_(None))
        .options(selectinload(ModerationCase.flags).selectinload(Flag.reporter)))


def open_case(item: ItemModel, cause: CaseCause) -> ModerationCase:
    """The item's open case, or a new one; whoever reviews the buurt hears of a new one."""
    case = open_case_for(item)
    if case is not None:
        return case
    listing = listing_of(item)
    case = ModerationCase(item_type=item_type_of(item), item_id=item.id, cause=cause,
                          buurt_id=listing.buurt_id, opened_at=clock.now())
    db.session.add(case)
    db.session.flush()
    for reviewer in reviewers_for(listing.buurt).people:
        notify(reviewer, NotificationKind.QUEUE, listing=listing, event=ModerationEvent.QUEUED)
    return case


def remove_cases_about(item_type: ItemType, ids: list[int] | sa.Select) -> None:
    """Remove the cases, and the reports in them, about items that are gone (or whose record
    is past its retention period); ``ids`` is a list or a query of item ids."""
    if isinstance(ids, sa.Select) or ids:
        for model in (Flag, ModerationCase):
            db.session.execute(sa.delete(model).where(model.item_type == item_type,
                                                      model.item_id.in_(ids))
                               .execution_options(synchronize_session=False))


def tell_admins(listing: Listing, actor: User) -> None:
    """Who decides what a moderator hands on: the gemeente's admins, or the installation's when
    the gemeente has none or one of its admins handed it on."""
    admins = [] if actor.holds(Role.GEMEENTE_ADMIN) else holders_of(Role.GEMEENTE_ADMIN,
                                                                      listing.gemeente)
    for admin in admins or holders_of(Role.ADMIN):
        notify(admin, NotificationKind.QUEUE, actor=actor, listing=listing,
               event=ModerationEvent.ESCALATED)


def awaits_approval(listing: Listing) -> bool:
    """A resident's first few listings (the gemeente's setting) wait for a wijkwerker."""
    owner = listing.owner
    if owner.roles:
        return False
    approved = db.session.scalar(sa.select(sa.func.count(Listing.id)).where(
        Listing.owner_id == owner.id, Listing.published_at.is_not(None))) or 0
    return approved < listing.gemeente.premoderation_count
