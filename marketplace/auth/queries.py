"""Read queries for accounts."""

import enum
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace import clock
from marketplace.auth.models import Role, User, wijkwerker_buurt, wijkwerker_wijk
from marketplace.extensions import db
from marketplace.geo.models import Buurt, Gemeente, Wijk


def users_matching(text: str | None = None, role: Role | None = None,
                   gemeente: Gemeente | None = None) -> sa.Select:
    """Users whose name or e-mail contains ``text``, optionally holding one role or working for
    one gemeente, newest first."""
    query = sa.select(User).order_by(User.created_at.desc(), User.id.desc())
    if text:
        pattern = f"%{text.strip().lower()}%"
        query = query.where(sa.or_(sa.func.lower(User.display_name).like(pattern),
                                   User.email.like(pattern)))
    if role is not None:
        query = query.where(User.holding(role))
    if gemeente is not None:
        query = query.where(User.gemeente_id == gemeente.id)
    return query


def suspended_people() -> sa.Select:
    """The ids of people suspended right now; a handful at most, so ``NOT IN`` stays cheap."""
    return sa.select(User.id).where(User.suspended_until > clock.now())


def has_wijkwerker() -> sa.ColumnElement[bool]:
    """SQL: an active wijkwerker covers the buurt (``Buurt`` in the query), directly or through
    its wijk. The few areas of the active wijkwerkers are looked up once, not per buurt."""
    working = sa.select(User.id).where(User.holding(Role.WIJKWERKER), User.active)
    return sa.or_(
        Buurt.id.in_(sa.select(wijkwerker_buurt.c.buurt_id)
                     .where(wijkwerker_buurt.c.user_id.in_(working))),
        Buurt.wijk_id.in_(sa.select(wijkwerker_wijk.c.wijk_id)
                          .where(wijkwerker_wijk.c.user_id.in_(working))))


def buurten_without_wijkwerker(gemeente_ids: list[int]) -> dict[int, int]:
    """Per gemeente (of one page of them): how many of its buurten no wijkwerker has."""
    if not gemeente_ids:
        return {}
    return dict(db.session.execute(
        sa.select(Wijk.gemeente_id, sa.func.count(Buurt.id)).join(Buurt.wijk)
        .where(Wijk.gemeente_id.in_(gemeente_ids), ~has_wijkwerker())
        .group_by(Wijk.gemeente_id)).all())


def covered_buurt_ids(moderator: User) -> sa.Select | None:
    """The ids of the buurten a person moderates. A wijkwerker: those of their wijken and
    buurten, and the buurten of their gemeente that no wijkwerker has (someone must look at what
    is posted there); a gemeente admin: every buurt of their gemeente. None for an admin, who
    covers all."""
    if moderator.is_admin:
        return None
    in_gemeente = Buurt.wijk_id.in_(
        sa.select(Wijk.id).where(Wijk.gemeente_id == moderator.gemeente_id))
    if moderator.gemeente_id is None:
        covered = sa.false()
    elif moderator.holds(Role.GEMEENTE_ADMIN):
        covered = in_gemeente
    elif moderator.holds(Role.WIJKWERKER):
        covered = sa.or_(Buurt.id.in_([buurt.id for buurt in moderator.buurten]),
                         Buurt.wijk_id.in_([wijk.id for wijk in moderator.wijken]),
                         sa.and_(in_gemeente, ~has_wijkwerker()))
    else:
        covered = sa.false()
    return sa.select(Buurt.id).where(covered)


def assigned_buurt_ids(person: User) -> sa.Select:
    """The ids of the buurten assigned to a wijkwerker: their own buurten and those of their
    wijken (not the unassigned ones they also moderate)."""
    return sa.select(Buurt.id).where(sa.or_(
        Buurt.id.in_([buurt.id for buurt in person.buurten]),
        Buurt.wijk_id.in_([wijk.id for wijk in person.wijken])))


class Scope(enum.StrEnum):
    """What a moderator's queue and audit log cover."""

    EVERYWHERE = "everywhere"  # an admin of the installation
    GEMEENTE = "gemeente"  # a gemeente admin: every buurt of their gemeente
    AREA = "area"  # a wijkwerker: their wijken and buurten


def scope_of(moderator: User) -> Scope:
    if moderator.is_admin:
        return Scope.EVERYWHERE
    return Scope.GEMEENTE if moderator.holds(Role.GEMEENTE_ADMIN) else Scope.AREA


def holders_of(role: Role, gemeente: Gemeente | None = None) -> list[User]:
    """The active people holding ``role`` (for the gemeente, when given), by name, with their
    roles (a page listing them asks the policy about each)."""
    query = (sa.select(User).where(User.holding(role), User.active)
             .options(selectinload(User.grants)))
    if gemeente is not None:
        query = query.where(User.gemeente_id == gemeente.id)
    return list(db.session.scalars(query.order_by(User.display_name, User.id)))


def wijkwerkers_of(gemeente: Gemeente) -> list[User]:
    """The active wijkwerkers working for the gemeente."""
    return holders_of(Role.WIJKWERKER, gemeente)


class ReviewerKind(enum.StrEnum):
    WIJKWERKER = "wijkwerker"  # the wijkwerkers of the buurt
    GEMEENTE = "gemeente"  # no one has the buurt: the gemeente's other wijkwerkers
    GEMEENTE_ADMINS = "gemeente_admins"  # the gemeente has no wijkwerker: its own admins
    ADMINS = "admins"  # nobody of the gemeente moderates: the installation's admins


@dataclass(frozen=True)
class Reviewers:
    kind: ReviewerKind
    people: list[User]


def reviewers_for(buurt: Buurt) -> Reviewers:
    """Who looks at what waits for approval in the buurt: its wijkwerkers; when it has none, the
    wijkwerkers of its gemeente; when the gemeente has none, its admins; when it has none of
    those either, the admins of the installation."""
    if people := wijkwerkers_for(buurt):
        return Reviewers(ReviewerKind.WIJKWERKER, people)
    gemeente = buurt.wijk.gemeente
    if people := wijkwerkers_of(gemeente):
        return Reviewers(ReviewerKind.GEMEENTE, people)
    if people := holders_of(Role.GEMEENTE_ADMIN, gemeente):
        return Reviewers(ReviewerKind.GEMEENTE_ADMINS, people)
    return Reviewers(ReviewerKind.ADMINS, holders_of(Role.ADMIN))


def wijkwerkers_for(buurt: Buurt) -> list[User]:
    """The active wijkwerkers whose area includes the buurt, directly or through its wijk."""
    return list(db.session.scalars(
        sa.select(User).where(
            User.holding(Role.WIJKWERKER), User.active,
            sa.or_(User.buurten.any(Buurt.id == buurt.id), User.wijken.any(Wijk.id == buurt.wijk_id)))
        .order_by(User.display_name)))
