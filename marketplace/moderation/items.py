"""The three kinds of content a moderator handles, seen through one small interface."""

from __future__ import annotations

from flask import url_for

from marketplace.auth.models import User
from marketplace.comments.models import Comment
from marketplace.commitments.models import Message
from marketplace.extensions import db
from marketplace.listings.models import PUBLIC_STATUSES, Listing
from marketplace.moderation.labels import ITEM_SLUGS
from marketplace.moderation.models import ItemType

MODELS = {ItemType.LISTING: Listing, ItemType.COMMENT: Comment, ItemType.MESSAGE: Message}
ItemModel = Listing | Comment | Message


def item_type_of(item: ItemModel) -> ItemType:
    return next(kind for kind, model in MODELS.items() if isinstance(item, model))


def load_item(item_type: ItemType, item_id: int) -> ItemModel | None:
    return db.session.get(MODELS[item_type], item_id)


def listing_of(item: ItemModel) -> Listing:
    """The listing the item is, or belongs to; its buurt decides who moderates the item."""
    if isinstance(item, Listing):
        return item
    if isinstance(item, Comment):
        return item.listing
    return item.commitment.listing


def author_of(item: ItemModel) -> User:
    if isinstance(item, Listing):
        return item.owner
    if isinstance(item, Comment):
        return item.author
    return item.sender


def visible_to(viewer: User, item: ItemModel) -> bool:
    """Whether ``viewer`` may read the item now."""
    from marketplace import policy
    from marketplace.comments.services import can_see

    if isinstance(item, Listing):
        return policy.can(viewer, "listing.view", item)
    if isinstance(item, Comment):
        return item.deleted_at is None and can_see(viewer, item)
    return (policy.can(viewer, "commitment.take_part", item.commitment)
            and (item.hidden_at is None or item.sender_id == viewer.id))


def may_report(reporter: User, item: ItemModel) -> bool:
    """Reporters report what they can see. An item hidden by reports until a wijkwerker decides
    still takes reports from whoever could see it before (reports arrive together, and each one
    counts; a moderator's own decision ends that), without being shown to them again."""
    if visible_to(reporter, item):
        return True
    if not item.hidden_by_flags or author_of(item).is_suspended:
        return False
    from marketplace import policy

    if isinstance(item, Listing):
        return item.status in PUBLIC_STATUSES
    if isinstance(item, Comment):
        return item.deleted_at is None and policy.can(reporter, "listing.view", item.listing)
    return policy.can(reporter, "commitment.take_part", item.commitment)


def text_of(item: ItemModel) -> str:
    if isinstance(item, Listing):
        return f"{item.title}\n\n{item.description}"
    return item.body


def label_of(item: ItemModel) -> str:
    """A short name for the item in lists and the audit log."""
    return item.title if isinstance(item, Listing) else item.body[:120]


def public_url(item: ItemModel) -> str:
    """Where the item is shown to the people who may see it."""
    if isinstance(item, Listing):
        return url_for("listings.detail", listing_id=item.id)
    if isinstance(item, Comment):
        return url_for("listings.detail", listing_id=item.listing_id, _anchor=f"comment-{item.id}")
    return url_for("commitments.show", commitment_id=item.commitment_id, _anchor="messages")


def moderation_url(item: ItemModel) -> str:
    return url_for("moderation.item", slug=ITEM_SLUGS[item_type_of(item)], item_id=item.id)
