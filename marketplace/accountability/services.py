"""Setting the gemeente's role and keeping its pledges. Services flush; the request commits.

Only staff of the initiative's own gemeente act here (policy "gemeente.act_for"); the view
checks that, and these functions check it again because a promise in the gemeente's name must
never come from anyone else.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace import clock, policy
from marketplace.accountability.models import (
    OPEN_PLEDGE,
    GemeenteRequest,
    GemeenteRole,
    Pledge,
    PledgeKind,
    PledgeStatus,
    RequestStatus,
    RoleDecision,
)
from marketplace.atomic import change_if, lock
from marketplace.audit.services import record
from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.following.models import Follow
from marketplace.listings.coverage import give_back, take
from marketplace.listings.models import Listing, ListingKind, Resource
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notify
from marketplace.refused import Refused

MIN_EXPLANATION = 20
AMOUNT_REQUIRED = (PledgeKind.BUDGET, PledgeKind.STAFF_HOURS)


class AccountabilityRefused(Refused):
    """The role or pledge cannot be saved like this; the message says why."""


def check_staff(actor: User, listing: Listing) -> None:
    if not policy.can(actor, "gemeente.act_for", listing.gemeente):
        raise AccountabilityRefused(_("Only staff of %(gemeente)s can do this.",
                                      gemeente=listing.gemeente.name))
    if listing.kind is not ListingKind.INITIATIVE:
        raise AccountabilityRefused(_("The gemeente takes a role on initiatives only."))


def tell_the_initiative(listing: Listing, actor: User, kind: NotificationKind) -> None:
    """The initiator, co-initiators and followers hear what the gemeente did."""
    people = {listing.owner.id: listing.owner, **{u.id: u for u in listing.co_initiators}}
    for follower in db.session.scalars(sa.select(User).join(Follow, Follow.user_id == User.id)
                                       .where(Follow.listing_id == listing.id)):
        people.setdefault(follower.id, follower)
    for person in people.values():
        notify(person, kind, actor=actor, listing=listing)


def record_first_answer(listing: Listing) -> None:
    """Stop the answer clock, once: a later answer, or one at the same moment, does not move it."""
    change_if(listing, Listing.first_answer_at.is_(None), first_answer_at=clock.now())


def current_role(listing: Listing) -> RoleDecision | None:
    return db.session.scalar(sa.select(RoleDecision).where(RoleDecision.listing_id == listing.id)
                             .order_by(RoleDecision.created_at.desc(), RoleDecision.id.desc())
                             .limit(1))


def role_history(listing: Listing) -> list[RoleDecision]:
    return list(db.session.scalars(sa.select(RoleDecision)
                                   .where(RoleDecision.listing_id == listing.id)
                                   .order_by(RoleDecision.created_at, RoleDecision.id)))


def set_role(actor: User, listing: Listing, role: GemeenteRole, explanation: str,
             contact: str) -> RoleDecision:
    """State the gemeente's role, explained for the resident; the earlier ones stay visible."""
    check_staff(actor, listing)
    explanation, contact = (explanation or "").strip(), (contact or "").strip()
    if len(explanation) < MIN_EXPLANATION:
        raise AccountabilityRefused(_("Explain the choice for the resident in at least "
                                      "%(count)d characters.", count=MIN_EXPLANATION))
    if not contact:
        raise AccountabilityRefused(_("Name a contact person or team."))
    lock(listing)  # two colleagues at once: the second sees (and records) the first's role
    previous = current_role(listing)
    decision = RoleDecision(listing_id=listing.id, role=role, explanation=explanation,
                            contact=contact, set_by_id=actor.id)
    db.session.add(decision)
    db.session.flush()
    record(actor, "gemeente.role", listing, reason=explanation,
           before={"role": previous.role.value} if previous else None,
           after={"role": role.value, "contact": contact})
    record_first_answer(listing)  # the role is the gemeente's first answer
    tell_the_initiative(listing, actor, NotificationKind.GEMEENTE)
    return decision


def pledges_of(listing: Listing) -> list[Pledge]:
    return list(db.session.scalars(sa.select(Pledge).where(Pledge.listing_id == listing.id)
                                   .order_by(Pledge.due_on, Pledge.id)))


def make_pledge(actor: User, listing: Listing, *, kind: PledgeKind, amount: int | None,
                description: str, department: str, due_on: date,
                answering: GemeenteRequest | None = None, covers: int | None = None,
                team=None) -> Pledge:
    """A promise of the gemeente; ``answering`` an initiator's question about a need, of which
    it then covers ``covers`` (in the need's unit)."""
    check_staff(actor, listing)
    if kind in AMOUNT_REQUIRED and not amount:
        raise AccountabilityRefused(_("Give the amount: euros for budget, hours for staff hours."))
    if amount is not None and amount <= 0:
        raise AccountabilityRefused(_("The amount must be more than 0."))
    if due_on < clock.now().date():
        raise AccountabilityRefused(_("The due date cannot be in the past."))
    if team is not None and team.gemeente_id != listing.gemeente_id:
        raise AccountabilityRefused(_("Choose a team of %(gemeente)s.",
                                      gemeente=listing.gemeente.name), field="team")
    department = team.name if team is not None else (department or "").strip()
    if not department:
        raise AccountabilityRefused(_("Choose the owning team, or name the department."),
                                    field="department")
    pledge = Pledge(listing_id=listing.id, kind=kind, amount=amount,
                    description=description.strip(), department=department,
                    due_on=due_on, created_by_id=actor.id, team=team)
    db.session.add(pledge)
    db.session.flush()
    if answering is not None:
        answer_with_pledge(pledge, answering, covers)
    elif covers is not None:
        raise AccountabilityRefused(_("A pledge covers part of a need only when it answers the "
                                      "initiator's question about it: choose the question."),
                                    field="covers")
    record(actor, "pledge.make", pledge, label=f"{listing.title}: {pledge.description}"[:200],
           after=_pledge_state(pledge), buurt_id=listing.buurt_id, gemeente_id=listing.gemeente_id)
    tell_the_initiative(listing, actor, NotificationKind.PLEDGE)
    return pledge


def _pledge_state(pledge: Pledge) -> dict:
    return {"kind": pledge.kind.value, "amount": pledge.amount, "status": pledge.status.value,
            "due_on": pledge.due_on.isoformat(), "department": pledge.department,
            "covers": pledge.covers}


def close_pledge(actor: User, pledge: Pledge, listing: Listing, *, delivered: bool,
                 note: str) -> None:
    """Delivered (with a note) or withdrawn (with the reason, required)."""
    check_staff(actor, listing)
    note = (note or "").strip()
    if not note:
        raise AccountabilityRefused(
            _("Say what was delivered.") if delivered else _("Give the reason for withdrawing."))
    before = _pledge_state(pledge)
    # Delivered and withdrawn at the same moment by two colleagues: one of them wins. A
    # contested pledge is delivered again (the initiator is asked again) or withdrawn.
    if not change_if(pledge, Pledge.status.in_(OPEN_PLEDGE),
                     status=PledgeStatus.DELIVERED if delivered else PledgeStatus.WITHDRAWN,
                     closing_note=note, closed_at=clock.now(), confirmed_at=None,
                     confirmed_by_id=None):
        raise AccountabilityRefused(_("This pledge is already closed."))
    if not delivered:
        release_cover(pledge)
    record(actor, "pledge.deliver" if delivered else "pledge.withdraw", pledge, reason=note,
           label=f"{listing.title}: {pledge.description}"[:200], before=before,
           after=_pledge_state(pledge), buurt_id=listing.buurt_id,
           gemeente_id=listing.gemeente_id)
    tell_the_initiative(listing, actor, NotificationKind.PLEDGE)


def answer_with_pledge(pledge: Pledge, request: GemeenteRequest, covers: int | None) -> None:
    """Tie a new pledge to the question it answers; it covers ``covers`` of the need."""
    resource = db.session.get(Resource, request.resource_id)
    if request.listing_id != pledge.listing_id:
        raise AccountabilityRefused(_("This question is about another initiative."))
    if covers is not None:
        if covers <= 0:
            raise AccountabilityRefused(_("The part of the need it covers must be more than 0."),
                                        field="covers")
        if not take(resource, covers):
            raise AccountabilityRefused(
                _("Only %(left)d %(unit)s of this need is still open.",
                  left=resource.remaining, unit=resource.unit), field="covers")
    pledge.resource_id, pledge.covers = resource.id, covers
    if not change_if(request, GemeenteRequest.status == RequestStatus.OPEN,
                     status=RequestStatus.ANSWERED, decided_at=clock.now(),
                     decided_by_id=pledge.created_by_id, pledge_id=pledge.id):
        raise AccountabilityRefused(_("This question was answered in the meantime."))


def release_cover(pledge: Pledge) -> None:
    """A withdrawn pledge no longer covers its need (called once, by the withdrawing step)."""
    if pledge.resource_id is not None and pledge.covers:
        give_back(db.session.get(Resource, pledge.resource_id), pledge.covers)



MAX_CONTEST_NOTE = 1000


def confirm_pledge(person: User, pledge: Pledge, listing: Listing) -> None:
    """The initiator says the delivery is right: the pledge is kept, for everyone to see."""
    _check_initiator(person, listing)
    if not change_if(pledge, Pledge.status == PledgeStatus.DELIVERED,
                     Pledge.confirmed_at.is_(None), confirmed_at=clock.now(),
                     confirmed_by_id=person.id):
        raise AccountabilityRefused(_("This pledge is not waiting for your answer (any more)."))
    record(person, "pledge.confirm", pledge, label=f"{listing.title}: {pledge.description}"[:200],
           buurt_id=listing.buurt_id, gemeente_id=listing.gemeente_id)
    _tell_the_pledge_owner(pledge, listing, person)


def contest_pledge(person: User, pledge: Pledge, listing: Listing, note: str) -> None:
    """The initiator says what is missing: the pledge is open again on the gemeente's desk and
    shows as contested in public until the gemeente delivers again or withdraws it."""
    _check_initiator(person, listing)
    note = (note or "").strip()
    if not note or len(note) > MAX_CONTEST_NOTE:
        raise AccountabilityRefused(_("Say what is missing, in at most %(max)d characters.",
                                      max=MAX_CONTEST_NOTE), field="note")
    if not change_if(pledge, Pledge.status == PledgeStatus.DELIVERED,
                     Pledge.confirmed_at.is_(None), status=PledgeStatus.CONTESTED,
                     contest_note=note, contested_at=clock.now()):
        raise AccountabilityRefused(_("This pledge is not waiting for your answer (any more)."))
    # The resident's words stay on the pledge, not in the append-only log.
    record(person, "pledge.contest", pledge,
           label=f"{listing.title}: {pledge.description}"[:200], before={"status": "delivered"},
           after={"status": "contested"}, buurt_id=listing.buurt_id,
           gemeente_id=listing.gemeente_id)
    _tell_the_pledge_owner(pledge, listing, person)


def _tell_the_pledge_owner(pledge: Pledge, listing: Listing, person: User) -> None:
    """Who owns the pledge hears the initiator's answer: its responsible person, else its team,
    else whoever made it while they still work there, else the gemeente's staff."""
    from marketplace.teams.services import who_to_remind

    for staff in who_to_remind(listing.gemeente, pledge.team,
                               pledge.responsible or pledge.created_by):
        notify(staff, NotificationKind.PLEDGE, actor=person, listing=listing)


def _check_initiator(person: User, listing: Listing) -> None:
    if not policy.can(person, "pledge.confirm", listing):
        raise AccountabilityRefused(_("Only the people who run this initiative can answer this."))


def pledge_totals(pledges: list[Pledge]) -> dict[PledgeKind, int]:
    """Euros and hours promised and not withdrawn, per kind with an amount."""
    totals: dict[PledgeKind, int] = {}
    for pledge in pledges:
        if pledge.amount and pledge.status is not PledgeStatus.WITHDRAWN:
            totals[pledge.kind] = totals.get(pledge.kind, 0) + pledge.amount
    return totals
