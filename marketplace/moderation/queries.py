"""The moderation queue: the open cases in a moderator's area, oldest first."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace import clock
from marketplace.auth.models import User
from marketplace.auth.queries import covered_buurt_ids
from marketplace.comments.models import Comment
from marketplace.commitments.models import Commitment, Message
from marketplace.extensions import db
from marketplace.geo.models import Buurt, Wijk
from marketplace.listings.models import Listing
from marketplace.moderation.items import MODELS, ItemModel, author_of, listing_of
from marketplace.moderation.models import CaseCause, FlagReason, ItemType, ModerationCase


@dataclass
class QueueRow:
    case: ModerationCase
    item: ItemModel

    @property
    def listing(self):
        return listing_of(self.item)

    @property
    def author(self) -> User:
        return author_of(self.item)

    @property
    def reasons(self) -> list[tuple[FlagReason, int]]:
        return Counter(flag.reason for flag in self.case.flags).most_common()


def open_cases(moderator: User, escalated_only: bool = False) -> sa.Select:
    query = (sa.select(ModerationCase).where(ModerationCase.closed_at.is_(None))
             # The queue names each buurt with its gemeente.
             .options(selectinload(ModerationCase.flags),
                      selectinload(ModerationCase.buurt).selectinload(Buurt.wijk)
                      .selectinload(Wijk.gemeente))
             .order_by(ModerationCase.opened_at, ModerationCase.id))
    covered = covered_buurt_ids(moderator)
    if covered is not None:
        query = query.where(ModerationCase.buurt_id.in_(covered))
    if escalated_only:
        query = query.where(ModerationCase.escalated_at.is_not(None))
    return query


# What a queue row shows of each kind of item (its author and listing), loaded in a few queries.
_ROW_DETAILS = {
    ItemType.LISTING: [selectinload(Listing.owner)],
    ItemType.COMMENT: [selectinload(Comment.author), selectinload(Comment.listing)],
    ItemType.MESSAGE: [selectinload(Message.sender),
                       selectinload(Message.commitment).selectinload(Commitment.listing)],
}


def queue_size(moderator: User) -> int:
    """How many open cases wait in the moderator's area (shown beside "Moderation" in the menu)."""
    query = open_cases(moderator).order_by(None)
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0


def queue_rows(cases: list[ModerationCase]) -> list[QueueRow]:
    """The cases with their items, loaded with one query per kind of item."""
    wanted: dict = defaultdict(list)
    for case in cases:
        wanted[case.item_type].append(case.item_id)
    items = {}
    for item_type, ids in wanted.items():
        model = MODELS[item_type]
        query = sa.select(model).where(model.id.in_(ids)).options(*_ROW_DETAILS[item_type])
        for item in db.session.scalars(query):
            items[(item_type, item.id)] = item
    return [QueueRow(case, items[(case.item_type, case.item_id)]) for case in cases
            if (case.item_type, case.item_id) in items]



REVIEW_HISTORY_DAYS = 90
REVIEW_HISTORY_MIN = 5  # fewer decisions than this say nothing about how long one takes


def typical_review_hours(gemeente_id: int) -> float | None:
    """The median time first listings in the gemeente waited for approval over the last 90 days,
    in hours; None when there were too few to tell."""
    since = clock.now() - timedelta(days=REVIEW_HISTORY_DAYS)
    rows = db.session.execute(
        sa.select(ModerationCase.opened_at, ModerationCase.closed_at)
        .join(Buurt, Buurt.id == ModerationCase.buurt_id).join(Wijk, Wijk.id == Buurt.wijk_id)
        .where(Wijk.gemeente_id == gemeente_id, ModerationCase.cause == CaseCause.APPROVAL,
               ModerationCase.closed_at >= since)
        .order_by(ModerationCase.closed_at.desc()).limit(1000)).all()
    if len(rows) < REVIEW_HISTORY_MIN:
        return None
    return statistics.median((closed - opened).total_seconds() / 3600 for opened, closed in rows)
