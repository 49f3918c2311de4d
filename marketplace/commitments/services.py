"""Responding to needs, offers and requests, and following through. Services flush; the request
commits.

A need can never be over-committed, also when many people respond at the same moment and several
server processes handle them: the quantity is taken with one conditional UPDATE inside the
transaction (the database serialises concurrent writers on the row), and a CHECK constraint on
the resource backs it up.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from marketplace import clock
from marketplace.atomic import change_if, lock
from marketplace.auth.models import User
from marketplace.commitments.models import ACTIVE, Commitment, CommitmentStatus, Message
from marketplace.extensions import db
from marketplace.listings.coverage import give_back, take
from marketplace.listings.models import ListingKind, ListingStatus, Resource
from marketplace.notifications.models import NotificationKind as N
from marketplace.notifications.services import notify
from marketplace.refused import Refused

S = CommitmentStatus
OPEN_FOR_RESPONSES = (ListingStatus.OPEN, ListingStatus.RUNNING)
MAX_MESSAGE = 2000


class CommitmentRefused(Refused):
    """The response or step is not possible; the message says why, in the person's language."""


def _no_longer(commitment: Commitment) -> CommitmentRefused:
    """Why a step on a commitment did not happen: what another tap or the other side did first."""
    if commitment.status is S.WITHDRAWN:
        return CommitmentRefused(_("This response was already withdrawn."))
    if commitment.status is S.DECLINED:
        return CommitmentRefused(_("This response was already declined."))
    if commitment.status is S.DONE:
        return CommitmentRefused(_("This response is already marked done."))
    return CommitmentRefused(_("This response was already answered."))


def _move(commitment: Commitment, allowed: tuple[CommitmentStatus, ...],
          target: CommitmentStatus, **values) -> None:
    """Change the status only if it is still one of ``allowed``, in one conditional UPDATE: of
    two taps at the same moment exactly one gets through, the other is refused."""
    if not change_if(commitment, Commitment.status.in_(allowed), status=target, **values):
        raise _no_longer(commitment)


def active_commitment(helper: User, resource: Resource) -> Commitment | None:
    return db.session.scalar(sa.select(Commitment).where(
        Commitment.resource_id == resource.id, Commitment.helper_id == helper.id,
        Commitment.status.in_(ACTIVE)))


def respond(helper: User, resource: Resource, quantity: int, note: str = "") -> Commitment:
    """Commit to a need, ask for an offer, or offer help on a request."""
    listing = resource.listing
    lock(listing)  # a listing closed at this moment takes no more responses
    if listing.status not in OPEN_FOR_RESPONSES or (
            listing.kind is not ListingKind.INITIATIVE and listing.status is not ListingStatus.OPEN):
        raise CommitmentRefused(_("This listing does not take responses now."))
    if listing.is_run_by(helper):
        raise CommitmentRefused(_("You cannot respond to your own listing."))
    if not 1 <= quantity <= resource.quantity:
        raise CommitmentRefused(_("Choose an amount from 1 to %(max)d.", max=resource.quantity))
    if active_commitment(helper, resource) is not None:
        raise CommitmentRefused(_("You already responded to this. See your response below."))
    commitment = Commitment(resource=resource, listing=listing, helper=helper,
                            quantity=quantity, note=(note or "").strip()[:500],
                            created_at=clock.now())
    db.session.add(commitment)
    try:
        db.session.flush()
    except IntegrityError as error:  # the same person, a moment earlier, in another request
        # Lazy: translating asks for the person's language, which needs the database, and this
        # session can only be used again after the caller's rollback.
        raise CommitmentRefused(_l("You already responded to this. See your response below.")) \
            from error
    if not take(resource, quantity):
        left = resource.quantity - resource.committed
        raise CommitmentRefused(
            _("Only %(left)d left; someone else was just before you.", left=left) if left > 0
            else _("Nothing is left: others were just before you."))
    notify(listing.owner, N.COMMITMENT_NEW, actor=helper, listing=listing, commitment=commitment)
    return commitment


def _check_owner(owner: User, commitment: Commitment, message: str) -> None:
    if commitment.listing.owner_id != owner.id:
        raise CommitmentRefused(message)


def accept(owner: User, commitment: Commitment) -> None:
    _check_owner(owner, commitment, _("Only the owner of the listing can answer."))
    _move(commitment, (S.PENDING,), S.ACCEPTED, decided_at=clock.now())
    notify(commitment.helper, N.COMMITMENT_ACCEPTED, actor=owner, listing=commitment.listing,
           commitment=commitment)


def decline(owner: User, commitment: Commitment) -> None:
    _check_owner(owner, commitment, _("Only the owner of the listing can answer."))
    now = clock.now()
    _move(commitment, (S.PENDING,), S.DECLINED, decided_at=now, closed_at=now)
    give_back(commitment.resource, commitment.quantity)
    notify(commitment.helper, N.COMMITMENT_DECLINED, actor=owner, listing=commitment.listing,
           commitment=commitment)


def withdraw(actor: User, commitment: Commitment) -> None:
    """Either side steps back from a pending or accepted commitment; its quantity is free again,
    once, however many times the button is pressed."""
    if actor.id not in commitment.party_ids():
        raise CommitmentRefused(_("Only the two parties can withdraw."))
    _move(commitment, ACTIVE, S.WITHDRAWN, closed_at=clock.now())
    give_back(commitment.resource, commitment.quantity)
    other = commitment.listing.owner if actor.id == commitment.helper_id else commitment.helper
    notify(other, N.COMMITMENT_WITHDRAWN, actor=actor, listing=commitment.listing,
           commitment=commitment)


def mark_done(owner: User, commitment: Commitment) -> None:
    _check_owner(owner, commitment, _("Only the owner of the listing can mark this done."))
    if commitment.status is S.PENDING:
        raise CommitmentRefused(_("Only an accepted response can be marked done."))
    _move(commitment, (S.ACCEPTED,), S.DONE, closed_at=clock.now())


def send_message(sender: User, commitment: Commitment, body: str) -> Message:
    """A private message between the two parties; neither sees the other's e-mail address."""
    if sender.id not in commitment.party_ids():
        raise CommitmentRefused(_("Only the two parties can write here."))
    body = (body or "").strip()
    if not body or len(body) > MAX_MESSAGE:
        raise CommitmentRefused(_("Write a message of 1 to %(max)d characters.", max=MAX_MESSAGE))
    message = Message(commitment=commitment, sender=sender, body=body)
    db.session.add(message)
    other = commitment.listing.owner if sender.id == commitment.helper_id else commitment.helper
    notify(other, N.MESSAGE_NEW, actor=sender, listing=commitment.listing, commitment=commitment)
    return message


def messages_for(commitment: Commitment, reader: User) -> list[Message]:
    """The thread as ``reader`` sees it: hidden messages, and those of a suspended sender, only
    for their sender (who sees why)."""
    return [message for message in commitment.messages
            if message.sender_id == reader.id
            or (message.hidden_at is None and not message.sender.is_suspended)]


def message_accepted_helpers(owner: User, resource: Resource, body: str) -> int:
    """The owner writes to everyone accepted on a need at once; returns how many got it."""
    if resource.listing.owner_id != owner.id:
        raise CommitmentRefused(_("Only the owner of the listing can write to all helpers."))
    helpers = db.session.scalars(sa.select(Commitment).where(
        Commitment.resource_id == resource.id, Commitment.status == S.ACCEPTED)).all()
    if not helpers:
        raise CommitmentRefused(_("Nobody is accepted on this need yet."))
    for commitment in helpers:
        send_message(owner, commitment, body)
    return len(helpers)
