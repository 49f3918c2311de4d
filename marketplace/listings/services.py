"""Posting, editing and closing listings. Services flush; the view that calls them commits."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import get_locale
from flask_babel import gettext as _

from marketplace import clock
from marketplace.atomic import change_if, lock_where
from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.geo.locator import buurt_at
from marketplace.listings import events, lifecycle
from marketplace.listings.models import (
    Category,
    Listing,
    ListingKind,
    ListingStatus,
    Photo,
    Resource,
    ResourceKind,
)
from marketplace.listings.photos import MAX_PHOTOS, StoredPhoto
from marketplace.listings.privacy import blurred_position
from marketplace.moderation.cases import awaits_approval, open_case
from marketplace.moderation.models import CaseCause
from marketplace.ownership.services import record_start
from marketplace.refused import Refused

MAX_NEEDS = 10
MAX_NEEDED_AHEAD = timedelta(days=2 * 365)


class ListingRefused(Refused):
    """The listing cannot be saved like this; the message says why, in the person's language."""


@dataclass
class ResourceData:
    kind: ResourceKind
    description: str
    quantity: int
    unit: str
    id: int | None = None  # an existing resource being edited
    needed_by: date | None = None


@dataclass
class ListingData:
    title: str
    description: str
    category: Category
    lat: float
    lon: float
    is_public_space: bool = False
    when_text: str | None = None
    resources: list[ResourceData] = field(default_factory=list)


def _place(listing: Listing, lat: float, lon: float, is_public_space: bool) -> None:
    buurt = buurt_at(lat, lon)
    if buurt is None:
        raise ListingRefused(_("This spot is not in a buurt of a gemeente on Buurtmarkt. "
                               "Choose a spot inside the gemeente."))
    listing.lat, listing.lon = lat, lon
    listing.is_public_space = is_public_space
    listing.buurt = buurt
    listing.gemeente = buurt.wijk.gemeente
    if is_public_space:
        listing.public_lat, listing.public_lon = round(lat, 6), round(lon, 6)
    else:
        listing.public_lat, listing.public_lon = blurred_position(lat, lon, listing.blur_seed)


def _check_resource_count(kind: ListingKind, resources: list[ResourceData]) -> None:
    if kind is ListingKind.INITIATIVE and len(resources) > MAX_NEEDS:
        raise ListingRefused(_("An initiative can have at most %(count)d needs.", count=MAX_NEEDS))
    if kind is not ListingKind.INITIATIVE and len(resources) != 1:
        raise ListingRefused(_("Say what you offer or ask for: kind, amount and unit."))


def _sync_resources(listing: Listing, wanted: list[ResourceData]) -> None:
    """Make the listing's resources match the form, never dropping what is already committed."""
    existing = {resource.id: resource for resource in listing.resources}
    kept = []
    for position, data in enumerate(wanted):
        resource = existing.pop(data.id, None) if data.id is not None else None
        if resource is None:
            resource = Resource(listing=listing)
        elif data.quantity < resource.committed:
            raise ListingRefused(_("“%(need)s” already has %(count)d committed; the amount cannot "
                                   "be lower than that.", need=resource.description,
                                   count=resource.committed))
        resource.kind, resource.description = data.kind, data.description.strip()
        resource.quantity, resource.unit, resource.position = data.quantity, data.unit.strip(), position
        _set_needed_by(listing, resource, data.needed_by)
        kept.append(resource)
    for removed in existing.values():
        if removed.committed:
            raise ListingRefused(_("“%(need)s” already has commitments and cannot be removed.",
                                   need=removed.description))
    listing.resources = kept


def _set_needed_by(listing: Listing, resource: Resource, needed_by: date | None) -> None:
    """Offers have no such day; a new or moved day lies ahead (at most two years) and is asked
    about again shortly before it."""
    if listing.kind is ListingKind.OFFER or needed_by == resource.needed_by:
        return
    today = clock.local_date(clock.now())
    if needed_by is not None and not today <= needed_by <= today + MAX_NEEDED_AHEAD:
        raise ListingRefused(_("“%(need)s”: choose a day from today to two years ahead.",
                               need=resource.description))
    resource.needed_by, resource.due_nudged_at = needed_by, None
    if needed_by is not None and needed_by <= today + timedelta(
            days=listing.gemeente.need_due_warning_days):
        # Set within the warning period: its owner knows, the page shows it; no mail about it.
        resource.due_nudged_at = clock.now()


def _apply(listing: Listing, data: ListingData) -> None:
    _check_resource_count(listing.kind, data.resources)
    if not data.category.active and listing.category_id != data.category.id:
        raise ListingRefused(_("This category can no longer be chosen."))
    listing.title = data.title.strip()
    listing.description = data.description.strip()
    listing.category = data.category
    listing.when_text = (data.when_text or "").strip() or None
    _place(listing, data.lat, data.lon, data.is_public_space)
    if not data.category.fits(listing.gemeente.id):
        raise ListingRefused(_("“%(category)s” is a category of %(gemeente)s only; choose another "
                               "one for a spot in %(here)s.", category=data.category.name(str(get_locale())),
                               gemeente=data.category.gemeente.name, here=listing.gemeente.name),
                             field="category")
    _sync_resources(listing, data.resources)


def create_listing(owner: User, kind: ListingKind, data: ListingData, publish: bool) -> Listing:
    """A new listing of ``kind``; published at once, or kept as a draft for its owner."""
    listing = Listing(kind=kind, owner=owner, status=ListingStatus.DRAFT,
                      blur_seed=secrets.token_hex(16))
    _apply(listing, data)
    db.session.add(listing)
    db.session.flush()
    record_start(listing)
    if publish:
        change_status(owner, listing, ListingStatus.OPEN)
    db.session.flush()
    return listing


def update_listing(listing: Listing, data: ListingData) -> None:
    """Save changes; a listing rejected while awaiting approval goes back to the wijkwerkers.

    Its needs are held first: a response arriving meanwhile waits, so what is committed is
    known before a need is lowered or removed (and a need is never removed under a response).
    """
    lock_where(Resource, Resource.listing_id == listing.id, deleting=True)
    for resource in listing.resources:
        db.session.refresh(resource)
    _apply(listing, data)
    listing.show_life()
    db.session.flush()
    if listing.status is ListingStatus.PENDING:
        open_case(listing, CaseCause.APPROVAL)
    events.changed.send(listing)


def change_status(actor: User, listing: Listing, target: ListingStatus) -> None:
    """Move a listing along its life cycle; only the allowed steps (lifecycle.TRANSITIONS)."""
    current = listing.status
    if not lifecycle.may_move(listing.kind, current, target):
        raise ListingRefused(_("This step is not possible for this listing now."))
    if target is ListingStatus.OPEN and listing.published_at is None and awaits_approval(listing):
        target = ListingStatus.PENDING  # a wijkwerker publishes it (moderation.approve)
    closed_at = clock.now() if target in lifecycle.FINAL_STATUSES else None
    # The step holds only if nobody moved the listing meanwhile (a double tap publishes once).
    if not change_if(listing, Listing.status == current, status=target, closed_at=closed_at,
                     last_active_at=clock.now()):
        raise ListingRefused(_("This listing was changed in the meantime; look again."))
    if target is ListingStatus.PENDING:
        open_case(listing, CaseCause.APPROVAL)
    elif target is ListingStatus.OPEN and listing.published_at is None:
        publish(listing)


def publish(listing: Listing) -> None:
    """Open the listing to everyone for the first time: the answer clock runs, and features
    that react to new listings (matching) hear of it."""
    listing.status = ListingStatus.OPEN
    listing.published_at = listing.last_active_at = clock.now()
    db.session.flush()
    events.published.send(listing)


def add_photos(listing: Listing, stored: list[StoredPhoto]) -> None:
    if len(listing.photos) + len(stored) > MAX_PHOTOS:
        raise ListingRefused(_("A listing can have at most %(count)d photos.", count=MAX_PHOTOS))
    start = max((photo.position for photo in listing.photos), default=-1) + 1
    for offset, photo in enumerate(stored):
        listing.photos.append(Photo(filename=photo.filename, thumbnail=photo.thumbnail,
                                    width=photo.width, height=photo.height,
                                    position=start + offset))


def remove_photos(listing: Listing, photo_ids: set[int]) -> list[str]:
    """Detach photos from the listing; returns the files to delete once the change is committed."""
    removed = [photo for photo in listing.photos if photo.id in photo_ids]
    for photo in removed:
        listing.photos.remove(photo)
    return [name for photo in removed for name in (photo.filename, photo.thumbnail)]
