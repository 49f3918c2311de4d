"""Reading a listing's conversation a page at a time, as a reader may see it.

A listing can gather thousands of comments; its page shows :data:`THREADS_PER_PAGE` threads and
the first :data:`REPLIES_SHOWN` replies of each, and a thread's own page shows the rest, paged.
Hidden comments and those of suspended people are left out in SQL, except for their author (who
sees why) and the moderators of the buurt. A hidden first comment's replies stay, under a neutral
marker: they are other people's words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import aliased, selectinload

from marketplace import policy
from marketplace.comments.models import Comment
from marketplace.comments.services import can_see, visible_comments
from marketplace.extensions import db
from marketplace.listings.models import Listing

THREADS_PER_PAGE = 20
REPLIES_SHOWN = 20
REPLIES_PER_PAGE = 50


@dataclass
class Thread:
    root_id: int
    comment: Comment | None  # None: the first comment is not shown to this reader
    replies: list[Comment] = field(default_factory=list)
    more_replies: int = 0  # replies beyond REPLIES_SHOWN, on the thread's own page


def _shown(viewer, listing: Listing, model=Comment) -> sa.ColumnElement[bool]:
    """SQL for the comments ``viewer`` may read on ``listing``."""
    if viewer is not None and viewer.is_authenticated:
        if policy.can(viewer, "buurt.moderate", listing.buurt):
            return sa.true()
        return sa.or_(visible_comments(model), model.author_id == viewer.id)
    return visible_comments(model)


def _roots(listing: Listing, viewer) -> sa.Select:
    """First comments in order; one that is not shown still counts when a reply is."""
    reply = aliased(Comment)
    return (sa.select(Comment)
            .where(Comment.listing_id == listing.id, Comment.parent_id.is_(None),
                   sa.or_(_shown(viewer, listing),
                          sa.exists().where(reply.parent_id == Comment.id,
                                            _shown(viewer, listing, reply))))
            .order_by(Comment.created_at, Comment.id))


def conversation(listing: Listing, viewer, page: int = 1) -> tuple[list[Thread], Pagination]:
    """One page of threads, each with its first replies, and the pagination."""
    pagination = db.paginate(_roots(listing, viewer).options(selectinload(Comment.author)),
                             page=page, per_page=THREADS_PER_PAGE, error_out=False)
    roots = pagination.items
    numbered = (sa.select(Comment.id,
                          sa.func.row_number().over(partition_by=Comment.parent_id,
                                                    order_by=(Comment.created_at, Comment.id))
                          .label("number"),
                          sa.func.count().over(partition_by=Comment.parent_id).label("total"))
                .where(Comment.parent_id.in_([root.id for root in roots]),
                       _shown(viewer, listing))
                .subquery())
    rows = db.session.execute(
        sa.select(Comment, numbered.c.total).join(numbered, numbered.c.id == Comment.id)
        .where(numbered.c.number <= REPLIES_SHOWN)
        .options(selectinload(Comment.author))
        .order_by(Comment.created_at, Comment.id)).all() if roots else []
    threads = {root.id: Thread(root.id, root if can_see(viewer, root) else None)
               for root in roots}
    for reply, total in rows:
        thread = threads[reply.parent_id]
        thread.replies.append(reply)
        thread.more_replies = total - REPLIES_SHOWN if total > REPLIES_SHOWN else 0
    return list(threads.values()), pagination


def thread_replies(root: Comment, viewer, page: int = 1) -> Pagination:
    """A thread's replies, a page at a time, for the thread's own page."""
    return db.paginate(sa.select(Comment)
                       .where(Comment.parent_id == root.id, _shown(viewer, root.listing))
                       .options(selectinload(Comment.author))
                       .order_by(Comment.created_at, Comment.id),
                       page=page, per_page=REPLIES_PER_PAGE, error_out=False)


def _position(query: sa.Select, comment: Comment) -> int:
    """How many rows of ``query`` come before ``comment``, and it (1-based)."""
    before = query.where(sa.or_(
        Comment.created_at < comment.created_at,
        sa.and_(Comment.created_at == comment.created_at, Comment.id <= comment.id)))
    return db.session.scalar(sa.select(sa.func.count()).select_from(
        before.order_by(None).subquery())) or 1


def where_it_is(comment: Comment, viewer) -> tuple[str, dict]:
    """The page that shows ``comment`` to ``viewer``: an endpoint and its arguments."""
    listing = comment.listing
    if comment.parent_id is None:
        page = math.ceil(_position(_roots(listing, viewer), comment) / THREADS_PER_PAGE)
        return "listings.detail", {"listing_id": listing.id, "opmerkingen": page}
    root = db.session.get(Comment, comment.parent_id)
    number = _position(sa.select(Comment).where(Comment.parent_id == root.id,
                                                _shown(viewer, listing)), comment)
    if number <= REPLIES_SHOWN:
        endpoint, args = where_it_is(root, viewer)
        return endpoint, args
    return "comments.thread", {"listing_id": listing.id, "comment_id": root.id,
                               "pagina": math.ceil(number / REPLIES_PER_PAGE)}
