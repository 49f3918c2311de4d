"""Co-initiators, handovers and the ownership history. Services flush; the request commits."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace import clock
from marketplace.atomic import change_if, lock
from marketplace.audit.services import record
from marketplace.auth.models import User
from marketplace.commitments.models import HOLDING, Commitment
from marketplace.extensions import db
from marketplace.following.models import Follow
from marketplace.listings.models import Listing, ListingKind, listing_co_initiator
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notify
from marketplace.ownership.models import (
    Handover,
    HandoverStatus,
    OwnershipEvent,
    OwnershipEventKind,
)
from marketplace.refused import Refused

E = OwnershipEventKind


class OwnershipRefused(Refused):
    """The change of who runs the initiative is not possible; the message says why."""


def _record(listing: Listing, kind: OwnershipEventKind, person: User, by: User | None) -> None:
    db.session.add(OwnershipEvent(listing_id=listing.id, kind=kind, person_id=person.id,
                                  by_id=by.id if by else None))


def record_start(listing: Listing) -> None:
    _record(listing, E.STARTED, listing.owner, None)


def history(listing: Listing) -> list[OwnershipEvent]:
    return list(db.session.scalars(sa.select(OwnershipEvent)
                                   .where(OwnershipEvent.listing_id == listing.id)
                                   .order_by(OwnershipEvent.created_at, OwnershipEvent.id)))


def candidates(listing: Listing) -> list[User]:
    """People already connected to the initiative (helpers, followers) who could join or take it."""
    helpers = sa.select(Commitment.helper_id).where(Commitment.listing_id == listing.id,
                                                    Commitment.status.in_(HOLDING))
    followers = sa.select(Follow.user_id).where(Follow.listing_id == listing.id)
    taken = {listing.owner_id, *(u.id for u in listing.co_initiators)}
    people = db.session.scalars(sa.select(User).where(
        sa.or_(User.id.in_(helpers), User.id.in_(followers)), User.active)
        .order_by(User.display_name))
    return [person for person in people if person.id not in taken]


def _check_initiative(actor: User, listing: Listing) -> None:
    if listing.kind is not ListingKind.INITIATIVE:
        raise OwnershipRefused(_("Only an initiative has co-initiators and can be handed over."))
    if actor.id != listing.owner_id:
        raise OwnershipRefused(_("Only the initiator can do this."))


def add_co_initiator(actor: User, listing: Listing, person: User) -> None:
    lock(listing)  # a double tap adds the person once; a handover meanwhile is seen
    _check_initiative(actor, listing)
    if person not in candidates(listing):
        raise OwnershipRefused(_("Choose someone who helps or follows this initiative."))
    listing.co_initiators.append(person)
    _record(listing, E.CO_INITIATOR_ADDED, person, actor)
    record(actor, "listing.co_initiator_add", listing, after={"co_initiator_id": person.id})
    notify(person, NotificationKind.OWNERSHIP, actor=actor, listing=listing)


def remove_co_initiator(actor: User, listing: Listing, person: User) -> None:
    """The initiator removes a co-initiator, or a co-initiator steps back."""
    lock(listing)
    if person not in listing.co_initiators:
        raise OwnershipRefused(_("This person is not a co-initiator."))
    if actor.id not in (listing.owner_id, person.id):
        raise OwnershipRefused(_("Only the initiator can do this."))
    listing.co_initiators.remove(person)
    _record(listing, E.CO_INITIATOR_LEFT, person, actor)
    record(actor, "listing.co_initiator_remove", listing, before={"co_initiator_id": person.id})


def pending_handover(listing: Listing) -> Handover | None:
    return db.session.scalar(sa.select(Handover).where(
        Handover.listing_id == listing.id, Handover.status == HandoverStatus.PENDING))


def offer_handover(actor: User, listing: Listing, person: User) -> Handover:
    """Ask someone to take over the initiative; nothing changes until they accept."""
    lock(listing)  # one handover waits at a time, also when two are offered at once
    _check_initiative(actor, listing)
    if person.id == actor.id or (person not in candidates(listing)
                                 and person not in listing.co_initiators):
        raise OwnershipRefused(_("Choose a co-initiator, or someone who helps or follows."))
    if pending_handover(listing) is not None:
        raise OwnershipRefused(_("A handover is already waiting for an answer."))
    handover = Handover(listing=listing, from_user=actor, to_user=person)
    db.session.add(handover)
    db.session.flush()
    notify(person, NotificationKind.OWNERSHIP, actor=actor, listing=listing)
    return handover


def answer_handover(person: User, handover: Handover, accept: bool) -> None:
    if person.id != handover.to_id:
        raise OwnershipRefused(_("This handover is for someone else."))
    listing = handover.listing
    lock(listing)  # the initiative changes hands once, whatever else is pressed meanwhile
    answer = HandoverStatus.ACCEPTED if accept else HandoverStatus.DECLINED
    if not change_if(handover, Handover.status == HandoverStatus.PENDING, status=answer,
                     decided_at=clock.now()):
        raise _already_answered(handover)
    if accept:
        if listing.owner_id != handover.from_id:
            raise OwnershipRefused(_("The initiative changed hands in the meantime."))
        former = listing.owner
        if person in listing.co_initiators:
            listing.co_initiators.remove(person)
        listing.owner = person
        listing.co_initiators.append(former)  # the former initiator stays involved
        _record(listing, E.HANDED_OVER, person, former)
        record(person, "listing.handover", listing, before={"initiator_id": former.id},
               after={"initiator_id": person.id})
    notify(handover.from_user, NotificationKind.OWNERSHIP, actor=person, listing=listing)


def pass_on(listing: Listing) -> User | None:
    """The initiator leaves (their account is deleted): the first co-initiator runs it now,
    and hears so. Returns the new initiator, or None when there is nobody to take it."""
    former = listing.owner
    heir = next((person for person in listing.co_initiators if person.active), None)
    if heir is None:
        return None
    listing.co_initiators.remove(heir)
    listing.owner = heir
    _record(listing, E.HANDED_OVER, heir, None)
    record(None, "listing.handover", listing, before={"initiator_id": former.id},
           after={"initiator_id": heir.id})
    notify(heir, NotificationKind.OWNERSHIP, listing=listing)
    return heir


def leave_everything(person: User) -> None:
    """The person stops being a co-initiator anywhere, and open handovers to or from them end."""
    for listing in db.session.scalars(sa.select(Listing).where(Listing.id.in_(
            sa.select(listing_co_initiator.c.listing_id)
            .where(listing_co_initiator.c.user_id == person.id)))):
        listing.co_initiators.remove(person)
        _record(listing, E.CO_INITIATOR_LEFT, person, None)
    db.session.execute(sa.update(Handover).where(
        Handover.status == HandoverStatus.PENDING,
        sa.or_(Handover.from_id == person.id, Handover.to_id == person.id))
        .values(status=HandoverStatus.CANCELLED, decided_at=clock.now()))


def _already_answered(handover: Handover) -> OwnershipRefused:
    if handover.status is HandoverStatus.CANCELLED:
        return OwnershipRefused(_("This handover was cancelled."))
    return OwnershipRefused(_("This handover was already answered."))


def cancel_handover(actor: User, handover: Handover) -> None:
    if actor.id != handover.from_id:
        raise OwnershipRefused(_("This handover cannot be cancelled."))
    if not change_if(handover, Handover.status == HandoverStatus.PENDING,
                     status=HandoverStatus.CANCELLED, decided_at=clock.now()):
        raise _already_answered(handover)
