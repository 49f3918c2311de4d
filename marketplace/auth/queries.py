"""Read queries for accounts."""

import sqlalchemy as sa

from marketplace.auth.models import Role, User


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
