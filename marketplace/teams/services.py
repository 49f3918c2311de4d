"""Teams and ownership of follow-up. Services flush; the request commits."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace import clock, policy
from marketplace.atomic import lock
from marketplace.audit.services import record
from marketplace.auth.models import Role, User
from marketplace.extensions import db
from marketplace.geo.models import Gemeente
from marketplace.listings.models import Listing, ListingKind
from marketplace.refused import Refused
from marketplace.teams.models import InitiativeOwner, Team

MAX_NAME = 120


class TeamRefused(Refused):
    """The team or assignment cannot be saved like this; the message says why."""


def teams_of(gemeente: Gemeente) -> list[Team]:
    return list(db.session.scalars(sa.select(Team).where(Team.gemeente_id == gemeente.id)
                                   .order_by(Team.name)))


def staff_of(gemeente: Gemeente) -> list[User]:
    """The gemeente's active staff: who can be a team member, coordinator or responsible."""
    return list(db.session.scalars(
        sa.select(User).where(User.gemeente_id == gemeente.id, User.holding(Role.STAFF),
                              User.active, User.deleted_at.is_(None))
        .order_by(User.name, User.id)))


def _works_for(person: User | None, gemeente: Gemeente) -> bool:
    return (person is not None and person.active and person.gemeente_id == gemeente.id
            and person.holds(Role.STAFF))


def save_team(actor: User, gemeente: Gemeente, team: Team | None, *, name: str,
              coordinator: User | None, members: list[User]) -> Team:
    """Create or change a team; its coordinator and members are staff of the gemeente."""
    if not policy.can(actor, "team.manage", gemeente):
        raise TeamRefused(_("Only the admins of %(gemeente)s can do this.", gemeente=gemeente.name))
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise TeamRefused(_("Give the team a name of at most %(max)d characters.", max=MAX_NAME),
                          field="name")
    if coordinator is not None and not _works_for(coordinator, gemeente):
        raise TeamRefused(_("The coordinator must be staff of %(gemeente)s.",
                            gemeente=gemeente.name), field="coordinator")
    if any(not _works_for(member, gemeente) for member in members):
        raise TeamRefused(_("Members must be staff of %(gemeente)s.", gemeente=gemeente.name),
                          field="members")
    clash = db.session.scalar(sa.select(Team.id).where(
        Team.gemeente_id == gemeente.id, sa.func.lower(Team.name) == name.lower(),
        Team.id != (team.id if team is not None else 0)))
    if clash is not None:
        raise TeamRefused(_("%(gemeente)s has a team with this name already.",
                            gemeente=gemeente.name), field="name")
    before = _state(team) if team is not None else None
    if team is None:
        team = Team(gemeente_id=gemeente.id, created_at=clock.now())
        db.session.add(team)
    else:
        lock(team)  # two admins at once: one after the other, both recorded
    team.name, team.coordinator, team.members = name, coordinator, members
    db.session.flush()  # the unique (gemeente, name) answers a clash with another request
    record(actor, "team.save", team, before=before, after=_state(team),
           gemeente_id=gemeente.id)
    return team


def _state(team: Team) -> dict:
    return {"name": team.name, "coordinator_id": team.coordinator_id,
            "members": sorted(member.id for member in team.members)}


def owner_of(listing: Listing) -> InitiativeOwner | None:
    return db.session.get(InitiativeOwner, listing.id)


def _check_assignment(actor: User, gemeente: Gemeente, team: Team,
                      responsible: User | None) -> None:
    if not policy.can(actor, "gemeente.act_for", gemeente):
        raise TeamRefused(_("Only staff of %(gemeente)s can do this.", gemeente=gemeente.name))
    if team.gemeente_id != gemeente.id:
        raise TeamRefused(_("Choose a team of %(gemeente)s.", gemeente=gemeente.name),
                          field="team")
    if responsible is not None and responsible not in team.members:
        raise TeamRefused(_("The responsible person must be a member of the team."),
                          field="responsible")


def assign_initiative(actor: User, listing: Listing, team: Team,
                      responsible: User | None) -> InitiativeOwner:
    """The team (and person) that owns the gemeente's follow-up of an initiative."""
    if listing.kind is not ListingKind.INITIATIVE:
        raise TeamRefused(_("The gemeente takes a role on initiatives only."))
    _check_assignment(actor, listing.gemeente, team, responsible)
    lock(listing)  # two colleagues at once: the second sees (and records) the first
    owner = owner_of(listing)
    before = _owner_state(owner.team, owner.responsible_id) if owner else None
    if owner is None:
        owner = InitiativeOwner(listing_id=listing.id)
        db.session.add(owner)
    owner.team, owner.responsible = team, responsible
    owner.assigned_at, owner.escalated_at = clock.now(), None
    db.session.flush()
    record(actor, "followup.assign", listing, before=before,
           after=_owner_state(team, responsible.id if responsible else None))
    return owner


def assign_pledge(actor: User, pledge, listing: Listing, team: Team,
                  responsible: User | None) -> None:
    _check_assignment(actor, listing.gemeente, team, responsible)
    lock(pledge)
    before = _owner_state(pledge.team, pledge.responsible_id) if pledge.team_id else None
    pledge.team, pledge.responsible, pledge.escalated_at = team, responsible, None
    pledge.department = team.name
    db.session.flush()
    record(actor, "followup.assign", pledge, before=before,
           after=_owner_state(team, responsible.id if responsible else None),
           label=f"{listing.title}: {pledge.description}"[:200], buurt_id=listing.buurt_id,
           gemeente_id=listing.gemeente_id)


def _owner_state(team: Team | None, responsible_id: int | None) -> dict:
    return {"team": team.name if team is not None else None, "responsible_id": responsible_id}


def who_to_remind(gemeente: Gemeente, team: Team | None, responsible: User | None) -> list[User]:
    """The responsible person; without one (or when they left) the team; without a team, every
    staff member of the gemeente."""
    if _works_for(responsible, gemeente):
        return [responsible]
    if team is not None:
        members = [member for member in team.members if _works_for(member, gemeente)]
        if members:
            return members
    return staff_of(gemeente)


def coordinator_of(team: Team | None) -> User | None:
    if team is None or team.coordinator is None or not team.coordinator.active:
        return None
    return team.coordinator
