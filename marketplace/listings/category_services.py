"""Managing categories (admins). Services flush; the view commits."""

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace.extensions import db
from marketplace.listings.models import Category
from marketplace.refused import Refused


class CategoryRefused(Refused):
    """The category cannot be saved like this; the message says why."""


def save_category(category: Category | None, *, slug: str, name_nl: str, name_en: str,
                  position: int, active: bool) -> Category:
    """Create a category (``category`` None) or change one; slugs stay unique."""
    taken = db.session.scalar(sa.select(Category).where(Category.slug == slug))
    if taken is not None and taken is not category:
        raise CategoryRefused(_("Another category already uses “%(slug)s”.", slug=slug),
                             field="slug")
    if category is None:
        category = Category()
        db.session.add(category)
    category.slug, category.name_nl, category.name_en = slug, name_nl.strip(), name_en.strip()
    category.position, category.active = position, active
    db.session.flush()
    return category
