"""Posting, editing and deleting comments, and reading a listing's conversation.

Services flush; the request commits. What a reader sees depends on who reads: hidden comments
and those of suspended people are left out, except for their author (who sees why) and the
moderators of the buurt.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace import clock, policy
from marketplace.atomic import lock
from marketplace.auth.models import User
from marketplace.auth.queries import suspended_people
from marketplace.comments.models import Comment
from marketplace.extensions import db
from marketplace.listings.models import Listing
from marketplace.moderation.cases import open_case_for
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notify
from marketplace.refused import Refused

EDIT_WINDOW = timedelta(minutes=15)
MAX_COMMENT = 2000


class CommentRefused(Refused):
    """The comment cannot be posted or changed like this; the message says why."""


def _clean(body: str | None) -> str:
    body = (body or "").strip()
    if not body or len(body) > MAX_COMMENT:
        raise CommentRefused(_("Write a comment of 1 to %(max)d characters.", max=MAX_COMMENT))
    return body


def post_comment(author: User, listing: Listing, body: str,
                 parent_id: int | None = None) -> Comment:
    """A comment, or a reply; a reply to a reply joins the thread of the first comment."""
    if listing.comments_locked:
        raise CommentRefused(_("The comments on this listing are closed."))
    parent = db.session.get(Comment, parent_id) if parent_id is not None else None
    if parent_id is not None and parent is None:
        raise CommentRefused(_("This comment is gone; you cannot reply to it."))
    if parent is not None:
        if parent.listing_id != listing.id:
            raise CommentRefused(_("This reply does not belong here."))
        if parent.parent_id is not None:
            parent = db.session.get(Comment, parent.parent_id)
        if parent.deleted_at is not None or not can_see(author, parent):
            raise CommentRefused(_("This comment is gone; you cannot reply to it."))
    comment = Comment(listing=listing, author=author, parent_id=parent.id if parent else None,
                      body=_clean(body), created_at=clock.now())
    db.session.add(comment)
    db.session.flush()
    told = set()
    for person in [listing.owner, *listing.co_initiators,
                   *([parent.author] if parent is not None else [])]:
        if person.id not in told:
            told.add(person.id)
            notify(person, NotificationKind.COMMENT, actor=author, listing=listing)
    return comment


def thread_root(listing: Listing, comment_id: int) -> Comment | None:
    """The first comment of the thread ``comment_id`` belongs to, on this listing."""
    comment = db.session.get(Comment, comment_id)
    if comment is not None and comment.parent_id is not None:
        comment = db.session.get(Comment, comment.parent_id)
    return comment if comment is not None and comment.listing_id == listing.id else None


def _check_not_under_review(comment: Comment) -> None:
    """A reported comment stays as it was reported until the wijkwerker has decided; the comment
    is held first, so a report arriving at the same moment waits for this change or sees it."""
    lock(comment)
    if open_case_for(comment) is not None:
        raise CommentRefused(_("This comment was reported; it cannot be changed or deleted "
                               "until a wijkwerker has looked at it."))


def may_still_edit(comment: Comment) -> bool:
    return comment.deleted_at is None and clock.now() - comment.created_at <= EDIT_WINDOW


def edit_comment(author: User, comment: Comment, body: str) -> None:
    if comment.author_id != author.id:
        raise CommentRefused(_("Only the author can edit a comment."))
    _check_not_under_review(comment)
    if not may_still_edit(comment):
        raise CommentRefused(_("A comment can be edited for %(minutes)d minutes after posting.",
                               minutes=EDIT_WINDOW.seconds // 60))
    comment.body = _clean(body)
    comment.edited_at = clock.now()


def delete_comment(author: User, comment: Comment) -> None:
    """The text goes; a tombstone keeps its place so the replies still read."""
    if comment.author_id != author.id:
        raise CommentRefused(_("Only the author can delete a comment."))
    _check_not_under_review(comment)
    if comment.deleted_at is None:
        comment.deleted_at = clock.now()
        comment.body = ""


def is_public(comment: Comment) -> bool:
    return comment.hidden_at is None and not comment.author.is_suspended


def can_see(viewer: User | None, comment: Comment) -> bool:
    """Everyone sees a public comment; a hidden one its author and the buurt's moderators."""
    if is_public(comment):
        return True
    if viewer is None or not viewer.is_authenticated:
        return False
    return viewer.id == comment.author_id or policy.can(viewer, "buurt.moderate",
                                                        comment.listing.buurt)


def visible_comments(model=Comment) -> sa.ColumnElement[bool]:
    """SQL for comments everyone may see (for counts, searches and pages); ``model`` may be an
    alias of Comment."""
    return sa.and_(model.hidden_at.is_(None), model.author_id.not_in(suspended_people()))


def public_comment_count(listing: Listing) -> int:
    return db.session.scalar(sa.select(sa.func.count(Comment.id)).where(
        Comment.listing_id == listing.id, Comment.deleted_at.is_(None), visible_comments())) or 0
