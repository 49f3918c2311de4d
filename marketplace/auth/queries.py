"""Read queries for accounts."""

import sqlalchemy as sa

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


def wijkwerkers_for(buurt: Buurt) -> list[User]:
    """The active wijkwerkers whose area includes the buurt, directly or through its wijk."""
    return list(db.session.scalars(
        sa.select(User).where(
            User.role == Role.WIJKWERKER, User.active,
            sa.or_(User.buurten.any(Buurt.id == buurt.id), User.wijken.any(Wijk.id == buurt.wijk_id)))
        .order_by(User.display_name)))
