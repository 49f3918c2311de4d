"""Following listings and posting progress updates. Services flush; the request commits."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace import clock, jobs
from marketplace.atomic import lock
from marketplace.auth.models import User
from marketplace.auth.queries import suspended_people
from marketplace.extensions import db
from marketplace.following.models import BuurtFollow, Follow, ProgressUpdate
from marketplace.geo.models import Buurt
from marketplace.listings import events
from marketplace.listings.models import Listing
from marketplace.listings.photos import StoredPhoto
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import is_silenced, notify
from marketplace.refused import Refused

MAX_UPDATE = 3000
BATCH = 500


class UpdateRefused(Refused):
    """The update cannot be posted; the message says why."""


def is_following(user: User, listing: Listing) -> bool:
    return db.session.get(Follow, (user.id, listing.id)) is not None


def follow(user: User, listing: Listing) -> None:
    """Follow once, however often the button is pressed (the person's taps take turns)."""
    lock(user)
    if not is_following(user, listing):
        db.session.add(Follow(user_id=user.id, listing_id=listing.id))
        db.session.flush()


def unfollow(user: User, listing: Listing) -> None:
    db.session.execute(sa.delete(Follow).where(Follow.user_id == user.id,
                                               Follow.listing_id == listing.id))


def follower_count(listing: Listing) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Follow)
                             .where(Follow.listing_id == listing.id)) or 0


def post_update(author: User, listing: Listing, body: str,
                photo: StoredPhoto | None = None) -> ProgressUpdate:
    """The initiator tells how things go; every follower is notified."""
    body = (body or "").strip()
    if not body or len(body) > MAX_UPDATE:
        raise UpdateRefused(_("Write an update of 1 to %(max)d characters.", max=MAX_UPDATE))
    update = ProgressUpdate(listing_id=listing.id, author_id=author.id, body=body,
                            photo=photo.filename if photo else None,
                            thumbnail=photo.thumbnail if photo else None,
                            created_at=clock.now())
    db.session.add(update)
    listing.show_life()
    followers = db.session.scalars(sa.select(User).join(Follow, Follow.user_id == User.id)
                                   .where(Follow.listing_id == listing.id)).all()
    for follower in followers:
        notify(follower, NotificationKind.LISTING_UPDATE, actor=author, listing=listing)
    db.session.flush()
    return update


def updates_of(listing: Listing) -> list[ProgressUpdate]:
    """The news, newest first; a suspended person's news is hidden while the suspension lasts."""
    return list(db.session.scalars(sa.select(ProgressUpdate)
                                   .where(ProgressUpdate.listing_id == listing.id,
                                          ProgressUpdate.author_id.not_in(suspended_people()))
                                   .order_by(ProgressUpdate.created_at.desc())))


def is_following_buurt(user: User, buurt: Buurt) -> bool:
    return db.session.get(BuurtFollow, (user.id, buurt.id)) is not None


def follow_buurt(user: User, buurt: Buurt) -> None:
    """Follow once, however often the button is pressed (the person's taps take turns)."""
    lock(user)
    if not is_following_buurt(user, buurt):
        db.session.add(BuurtFollow(user_id=user.id, buurt_id=buurt.id, created_at=clock.now()))
        db.session.flush()


def unfollow_buurt(user: User, buurt: Buurt) -> None:
    db.session.execute(sa.delete(BuurtFollow).where(BuurtFollow.user_id == user.id,
                                                    BuurtFollow.buurt_id == buurt.id))


def buurt_follower_count(buurt: Buurt) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(BuurtFollow)
                             .where(BuurtFollow.buurt_id == buurt.id)) or 0


@events.published.connect
def _on_published(listing: Listing) -> None:
    if not is_silenced():  # the demo's listings are history, not news
        jobs.after_commit(tell_buurt_followers, listing.id)


@jobs.job(retries=3, retry_delay=30)
def tell_buurt_followers(listing_id: int) -> int:
    """Tell the followers of its buurt about a newly published listing, a batch of followers
    at a time (a busy buurt has thousands); returns how many were told. A job, so publishing
    does not wait for it."""
    listing = db.session.get(Listing, listing_id)
    if listing is None or not listing.is_public:
        return 0
    told, after = 0, 0
    while followers := db.session.scalars(
            sa.select(User).join(BuurtFollow, BuurtFollow.user_id == User.id)
            .where(BuurtFollow.buurt_id == listing.buurt_id, User.id > after,
                   User.id != listing.owner_id)
            .order_by(User.id).limit(BATCH)).all():
        for follower in followers:
            notify(follower, NotificationKind.BUURT_LISTING, actor=listing.owner,
                   listing=listing, note=listing.buurt.name)
            told += 1
        after = followers[-1].id
        db.session.commit()
    return told
