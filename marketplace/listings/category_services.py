"""Managing categories: the installation's admins the national ones, a gemeente's admins its own.
Services flush; the view commits."""

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace.extensions import db
from marketplace.geo.models import Gemeente
from marketplace.listings.models import Category
from marketplace.refused import Refused


class CategoryRefused(Refused):
    """The category cannot be saved like this; the message says why."""


def save_category(category: Category | None, *, slug: str, name_nl: str, name_en: str,
                  position: int, active: bool, gemeente: Gemeente | None = None) -> Category:
    """Create a category (``category`` None; national, or ``gemeente``'s own) or change one;
    slugs stay unique across the country."""
    taken = db.session.scalar(sa.select(Category).where(Category.slug == slug))
    if taken is not None and taken is not category:
        raise CategoryRefused(_("Another category already uses “%(slug)s”.", slug=slug),
                             field="slug")
    if category is None:
        category = Category(gemeente=gemeente)
        db.session.add(category)
    category.slug, category.name_nl, category.name_en = slug, name_nl.strip(), name_en.strip()
    category.position, category.active = position, active
    db.session.flush()
    return category
