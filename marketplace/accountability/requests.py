""""Vraag het de gemeente": an initiator asks the gemeente for help with one need; staff answer
with a pledge that covers part of the need, or say no with the reason. Services flush; the
request commits."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from marketplace import clock, policy
from marketplace.accountability.models import (
    GemeenteRequest,
    Pledge,
    PledgeKind,
    PledgeStatus,
    RequestStatus,
)
from marketplace.accountability.services import (
    AccountabilityRefused,
    check_staff,
    tell_the_initiative,
)
from marketplace.atomic import change_if
from marketplace.audit.services import record
from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.geo.models import Gemeente
from marketplace.listings.models import (
    ACTIVE_STATUSES,
    Listing,
    ListingKind,
    ListingStatus,
    Resource,
)
from marketplace.listings.queries import publicly_visible
from marketplace.notifications.models import NotificationKind

MAX_MOTIVATION = 1000
ALREADY_ASKED = _l("You asked the gemeente about this need already; the question waits for an "
                   "answer.")


def ask(person: User, listing: Listing, resource: Resource, kind: PledgeKind,
        motivation: str) -> GemeenteRequest:
    """The people running an open initiative ask for help with one of its needs."""
    if not policy.can(person, "gemeente.ask", listing):
        raise AccountabilityRefused(_("Only the people who run this initiative can ask this."))
    if (listing.kind is not ListingKind.INITIATIVE or resource.listing_id != listing.id
            or listing.status not in (ListingStatus.OPEN, ListingStatus.RUNNING)):
        raise AccountabilityRefused(_("You can ask the gemeente about a need of an open "
                                      "initiative."))
    if resource.remaining <= 0:
        raise AccountabilityRefused(_("This need is covered already."))
    motivation = (motivation or "").strip()
    if not motivation or len(motivation) > MAX_MOTIVATION:
        raise AccountabilityRefused(_("Say in at most %(max)d characters why you ask.",
                                      max=MAX_MOTIVATION), field="motivation")
    if open_request_for(resource) is not None:
        raise AccountabilityRefused(ALREADY_ASKED)
    request = GemeenteRequest(listing_id=listing.id, resource_id=resource.id, kind=kind,
                              motivation=motivation, asked_by_id=person.id,
                              created_at=clock.now())
    # Two taps at the very same moment: the unique index lets one through, and the transaction
    # layer tells the other that someone was quicker (a savepoint would do better, but the
    # SQLite driver does not keep them apart from its own transactions).
    db.session.add(request)
    db.session.flush()
    return request


def open_request_for(resource: Resource) -> GemeenteRequest | None:
    return db.session.scalar(sa.select(GemeenteRequest).where(
        GemeenteRequest.resource_id == resource.id,
        GemeenteRequest.status == RequestStatus.OPEN))


def requests_of(listing: Listing) -> dict[int, list[GemeenteRequest]]:
    """Each need's questions to the gemeente, oldest first."""
    found: dict[int, list[GemeenteRequest]] = {}
    for request in db.session.scalars(
            sa.select(GemeenteRequest).where(GemeenteRequest.listing_id == listing.id)
            .options(selectinload(GemeenteRequest.pledge), selectinload(GemeenteRequest.resource))
            .order_by(GemeenteRequest.created_at, GemeenteRequest.id)):
        found.setdefault(request.resource_id, []).append(request)
    return found


def open_requests_of(listing: Listing) -> list[GemeenteRequest]:
    return [question for questions in requests_of(listing).values() for question in questions
            if question.status is RequestStatus.OPEN]


def open_requests_in(gemeente: Gemeente) -> list[GemeenteRequest]:
    """The desk: open questions of the gemeente's initiatives, oldest first."""
    return list(db.session.scalars(
        sa.select(GemeenteRequest).join(Listing, GemeenteRequest.listing_id == Listing.id)
        .where(Listing.gemeente_id == gemeente.id, GemeenteRequest.status == RequestStatus.OPEN,
               publicly_visible(), Listing.status.in_(ACTIVE_STATUSES))
        .options(selectinload(GemeenteRequest.listing), selectinload(GemeenteRequest.resource))
        .order_by(GemeenteRequest.created_at, GemeenteRequest.id)))


def covered_by_gemeente(listing: Listing) -> dict[int, int]:
    """Per need, how much the gemeente's pledges cover (not counting withdrawn ones)."""
    return dict(db.session.execute(
        sa.select(Pledge.resource_id, sa.func.sum(Pledge.covers))
        .where(Pledge.listing_id == listing.id, Pledge.resource_id.is_not(None),
               Pledge.status != PledgeStatus.WITHDRAWN)
        .group_by(Pledge.resource_id)).all())


def decline(actor: User, request: GemeenteRequest, listing: Listing, reason: str) -> None:
    """No, with the reason: public on the need, and the initiator hears of it."""
    check_staff(actor, listing)
    reason = (reason or "").strip()
    if not reason:
        raise AccountabilityRefused(_("Give the reason."), field="note")
    if not change_if(request, GemeenteRequest.status == RequestStatus.OPEN,
                     status=RequestStatus.DECLINED, decided_at=clock.now(),
                     decided_by_id=actor.id, answer_note=reason):
        raise AccountabilityRefused(_("This question was answered in the meantime."))
    record(actor, "request.decline", request, reason=reason,
           label=f"{listing.title}: {request.motivation}"[:200], buurt_id=listing.buurt_id,
           gemeente_id=listing.gemeente_id)
    tell_the_initiative(listing, actor, NotificationKind.PLEDGE)
