"""Read queries for accounts."""

import sqlalchemy as sa

from marketplace import clock
from marketplace.auth.models import Role, User
from marketplace.extensions import db
from marketplace.geo.models import Buurt, Wijk


def users_matching(text: str | None = None, role: Role | None = None) -> sa.Select:
    """Users whose name or e-mail contains ``text``, optionally of one role, newest first."""
    query = sa.select(User).order_by(User.created_at.desc(), User.id.desc())
    if text:
        pattern = f"%{text.strip().lower()}%"
        query = query.where(sa.or_(sa.func.lower(User.display_name).like(pattern),
                                   User.email.like(pattern)))
    if role is not None:
        query = query.where(User.role == role)
    return query


def suspended_people() -> sa.Select:
    """The ids of people suspended right now; a handful at most, so ``NOT IN`` stays cheap."""
    return sa.select(User.id).where(User.suspended_until > clock.now())


def covered_buurt_ids(moderator: User) -> sa.Select | None:
    """The ids of the buurten a wijkwerker covers, directly or through a wijk; None for an
    admin, who covers all."""
    if moderator.role is Role.ADMIN:
        return None
    return sa.select(Buurt.id).where(sa.or_(
        Buurt.id.in_([buurt.id for buurt in moderator.buurten]),
        Buurt.wijk_id.in_([wijk.id for wijk in moderator.wijken])))


def wijkwerkers_for(buurt: Buurt) -> list[User]:
    """The active wijkwerkers whose area includes the buurt, directly or through its wijk."""
    return list(db.session.scalars(
        sa.select(User).where(
            User.role == Role.WIJKWERKER, User.active,
            sa.or_(User.buurten.any(Buurt.id == buurt.id), User.wijken.any(Wijk.id == buurt.wijk_id)))
        .order_by(User.display_name)))
