"""Finding and announcing matches between needs and offers.

A need (of an initiative or a request) and an offer match when they are of the same kind
(volunteers, materials, space, money, expertise), both still open with something left, within
walking distance, and, for things and skills, close in words: a need for paint is not answered
by a ladder. They are ranked by closeness in words (:mod:`marketplace.matching.similarity`),
then by nearness.

Matches are found when a listing is published (the ``listings.events.published`` signal), by a
job that runs once the publication is committed: a need and an offer published at the same
moment then each see the other, whichever job runs last. They are kept as :class:`Match` rows
(each pair once) and told to both owners as one counted notification per listing. Pages read the
kept matches, still checking that the other side is open and visible.

Distance is measured between the listings' public (blurred) points, so a suggestion never tells
more about where someone lives than the map already does.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased, selectinload

from marketplace import clock, jobs, policy
from marketplace.atomic import lock
from marketplace.audit.services import record
from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.listings import events
from marketplace.listings.models import Listing, ListingKind, ListingStatus, Resource, ResourceKind
from marketplace.listings.queries import distance_squared, metres_per_degree, publicly_visible
from marketplace.matching.models import Match, MatchDismissal
from marketplace.matching.similarity import similarities
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import is_silenced, notify, silenced
from marketplace.refused import Refused

RADIUS_KM = 2.0
MAX_SUGGESTIONS = 5  # shown per need or offer
MAX_KEPT = 20  # kept per need or offer: the other side may rank this one higher
# The nearest this many candidates are compared in words: a city's 2 km holds a few hundred.
CANDIDATES = 200
# Things and skills must be named alike; help, space and money fit by kind and nearness.
NAMED_KINDS = frozenset({ResourceKind.MATERIALS, ResourceKind.EXPERTISE})
MIN_SIMILARITY = 0.05
WORDS_WEIGHT = 0.7  # the rest of the score is nearness


@dataclass(frozen=True)
class Suggestion:
    resource: Resource  # the other side: the offer for a need, the need for an offer
    distance_km: float
    score: float
    amount: int = 0  # what one side can take from the other: the smaller of what is left

    @property
    def listing(self) -> Listing:
        return self.resource.listing


def _is_offer(resource: Resource) -> bool:
    return resource.listing.kind is ListingKind.OFFER


def _open_other_side(offering: bool) -> sa.ColumnElement[bool]:
    """Listings on the other side that are open: needs of initiatives and requests for an
    offer, offers for a need."""
    if offering:
        return sa.or_(
            sa.and_(Listing.kind == ListingKind.INITIATIVE,
                    publicly_visible([ListingStatus.OPEN, ListingStatus.RUNNING])),
            sa.and_(Listing.kind == ListingKind.REQUEST, publicly_visible([ListingStatus.OPEN])))
    return sa.and_(Listing.kind == ListingKind.OFFER, publicly_visible([ListingStatus.OPEN]))


def _text(description: str, title: str) -> str:
    """What a need or offer is about: the thing itself counts twice, then its listing's title.
    Not the listing's story: two gardening initiatives share words but not a ladder."""
    return f"{description} {description} {title}"


def find_matches(resource: Resource, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """The best fitting open resources on the other side, best first. Compares the nearest
    ``CANDIDATES`` by their texts only, and loads the ``limit`` it keeps."""
    listing = resource.listing
    lat, lon = listing.public_lat, listing.public_lon
    radius_m = RADIUS_KM * 1000
    per_lat, per_lon = metres_per_degree(lat)
    distance = distance_squared(lat, lon)
    rows = db.session.execute(
        sa.select(Resource.id, Resource.description, Listing.title, distance)
        .join(Listing, Resource.listing_id == Listing.id)
        .where(_open_other_side(_is_offer(resource)), Resource.kind == resource.kind,
               Resource.committed < Resource.quantity, Listing.owner_id != listing.owner_id,
               Listing.public_lat.between(lat - radius_m / per_lat, lat + radius_m / per_lat),
               Listing.public_lon.between(lon - radius_m / per_lon, lon + radius_m / per_lon),
               distance <= radius_m * radius_m)
        .order_by(distance, Resource.id).limit(CANDIDATES)).all()
    if not rows:
        return []
    words = similarities(_text(resource.description, listing.title),
                         [_text(description, title) for _, description, title, _ in rows])
    ranked = []
    for (match_id, _description, _title, squared), similarity in zip(rows, words, strict=True):
        if resource.kind in NAMED_KINDS and similarity < MIN_SIMILARITY:
            continue
        metres = squared ** 0.5
        score = WORDS_WEIGHT * similarity + (1 - WORDS_WEIGHT) * (1 - metres / radius_m)
        ranked.append((round(score, 4), match_id, metres))
    ranked.sort(key=lambda row: (-row[0], row[1]))
    best = ranked[:limit]
    loaded = {match.id: match for match in db.session.scalars(
        sa.select(Resource).where(Resource.id.in_([match_id for _, match_id, _ in best]))
        .options(selectinload(Resource.listing).selectinload(Listing.buurt)))}
    return [Suggestion(loaded[match_id], metres / 1000, score,
                       min(loaded[match_id].remaining, resource.remaining))
            for score, match_id, metres in best]


def _keep(need: Resource, offer: Resource, suggestion: Suggestion) -> bool:
    """Keep the pair; True when it is new (a pair found before, or by a request at the same
    moment, is not told again)."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    # RETURNING, not rowcount: an ORM insert on PostgreSQL reports no row count.
    kept = db.session.scalar(
        dialect.insert(Match).values(need_id=need.id, offer_id=offer.id, score=suggestion.score,
                                     distance_m=suggestion.distance_km * 1000)
        .on_conflict_do_nothing(index_elements=[Match.need_id, Match.offer_id])
        .returning(Match.id))
    return kept is not None


def record_matches(listing: Listing) -> int:
    """Find and keep the matches of a listing just published, and tell both owners: one
    notification per listing, counting its matches. Returns how many pairs were new."""
    new = 0
    for resource in listing.resources:
        if resource.remaining <= 0:
            continue
        for suggestion in find_matches(resource, MAX_KEPT):
            need, offer = ((suggestion.resource, resource) if _is_offer(resource)
                           else (resource, suggestion.resource))
            if _keep(need, offer, suggestion):
                new += 1
                for side in (need, offer):
                    notify(side.listing.owner, NotificationKind.MATCH_SUGGESTION,
                           listing=side.listing)
    return new


@events.published.connect
def _on_published(listing: Listing) -> None:
    jobs.after_commit(match_published, listing.id, not is_silenced())


@events.changed.connect
def _on_changed(listing: Listing) -> None:
    """A new need, other words or another place may fit other offers: look again. Pairs found
    before are not told again; ones that no longer fit are left out when read."""
    if listing.status in (ListingStatus.OPEN, ListingStatus.RUNNING):
        jobs.after_commit(match_published, listing.id, not is_silenced())


@jobs.job(retries=3, retry_delay=30)
def match_published(listing_id: int, tell: bool) -> int:
    """Find the matches of a listing once its publication is committed (a job)."""
    listing = db.session.get(Listing, listing_id)
    if (listing is None or not listing.is_public
            or listing.status not in (ListingStatus.OPEN, ListingStatus.RUNNING)):
        return 0
    if tell:
        return record_matches(listing)
    with silenced():  # published while seeding the demo: found, not news
        return record_matches(listing)


def suggestions_for(resource: Resource, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """The kept matches of one need or offer whose other side is still open, has something
    left, is still of the same kind and within reach (either may have been edited since), and
    was not set aside by the owner; best first."""
    offering = _is_offer(resource)
    lat, lon = resource.listing.public_lat, resource.listing.public_lon
    radius_m = RADIUS_KM * 1000
    other = aliased(Resource)
    mine, theirs = (Match.offer_id, Match.need_id) if offering else (Match.need_id, Match.offer_id)
    dismissed = sa.select(MatchDismissal.suggested_resource_id).where(
        MatchDismissal.resource_id == resource.id)
    rows = db.session.execute(
        sa.select(other, distance_squared(lat, lon), Match.score)
        .join(Match, theirs == other.id).join(Listing, other.listing_id == Listing.id)
        .where(mine == resource.id, _open_other_side(offering), other.kind == resource.kind,
               other.committed < other.quantity, other.id.not_in(dismissed),
               distance_squared(lat, lon) <= radius_m * radius_m)
        .order_by(Match.score.desc(), other.id).limit(limit)
        .options(selectinload(other.listing).selectinload(Listing.buurt))).all()
    return [Suggestion(match, squared ** 0.5 / 1000, score,
                       min(match.remaining, resource.remaining))
            for match, squared, score in rows]


def dismiss(actor: User, resource: Resource, suggested: Resource) -> None:
    """The owner hides a suggestion that does not fit; it stays hidden on their listing."""
    if resource.listing.owner_id != actor.id:
        raise PermissionError("only the owner dismisses suggestions")
    lock(resource)  # a double tap hides it once
    if db.session.get(MatchDismissal, (resource.id, suggested.id)) is None:
        db.session.add(MatchDismissal(resource_id=resource.id, suggested_resource_id=suggested.id,
                                      dismissed_by_id=actor.id))
        db.session.flush()


OPEN_SIDE = (ListingStatus.OPEN, ListingStatus.RUNNING)


class IntroductionRefused(Refused):
    """The introduction cannot be made; the message says why."""


def introduce(wijkwerker: User, resource: Resource, suggested: Resource) -> None:
    """"Dit past misschien": a wijkwerker puts the owners of a need and an offer that may fit in
    touch; both hear of it, once (a second tap, or a colleague at the same moment, finds it
    done)."""
    if not policy.can(wijkwerker, "match.introduce", resource.listing):
        raise IntroductionRefused(_("Only the wijkwerker of this buurt can do this."))
    need, offer = (suggested, resource) if _is_offer(resource) else (resource, suggested)
    # Checked in the same statement: both listings still public and open, the two still of one
    # kind with something left, and neither owner said they do not fit. A stale page or a
    # crafted request introduces nothing (and tells nobody the title of a hidden listing).
    need_side, offer_side = aliased(Resource), aliased(Resource)

    def still_open(side) -> sa.ColumnElement[bool]:
        return sa.exists().where(Listing.id == side.listing_id, publicly_visible(),
                                 Listing.status.in_(OPEN_SIDE))

    introduced = db.session.execute(
        sa.update(Match).where(
            Match.need_id == need.id, Match.offer_id == offer.id, Match.introduced_at.is_(None),
            sa.exists().where(
                need_side.id == Match.need_id, offer_side.id == Match.offer_id,
                need_side.kind == offer_side.kind, need_side.committed < need_side.quantity,
                offer_side.committed < offer_side.quantity,
                still_open(need_side), still_open(offer_side)),
            ~sa.exists().where(MatchDismissal.resource_id.in_([need.id, offer.id]),
                               MatchDismissal.suggested_resource_id.in_([need.id, offer.id])))
        .values(introduced_at=clock.now(), introduced_by_id=wijkwerker.id)
        .execution_options(synchronize_session=False)).rowcount
    if introduced != 1:
        raise IntroductionRefused(_("These two were introduced already, or do not match."))
    for own, other in ((need, offer), (offer, need)):
        notify(own.listing.owner, NotificationKind.INTRODUCTION, actor=wijkwerker,
               listing=own.listing, note=other.listing.title)
    record(wijkwerker, "match.introduce", need.listing,
           label=f"{need.listing.title} · {offer.listing.title}"[:200],
           after={"need": need.description, "offer": offer.description})
