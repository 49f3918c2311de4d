"""Managing categories: the installation's admins the national ones, a gemeente's admins its own.
Services flush; the view commits."""

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace.extensions import db
from marketplace.geo.models import Gemeente
from marketplace.geo.search import words_of
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
        owner = gemeente or (category.gemeente if category is not None else None)
        if owner is None:
            raise CategoryRefused(_("Another category already uses “%(slug)s”.", slug=slug),
                                  field="slug")
        raise CategoryRefused(_("Another category already uses “%(slug)s”. Short names are "
                                "shared by every gemeente: add your gemeente's name, like "
                                "“%(slug)s-%(example)s”.", slug=slug,
                                example="-".join(words_of(owner.name))), field="slug")
    if category is None:
        category = Category(gemeente=gemeente)
        db.session.add(category)
    category.slug, category.name_nl, category.name_en = slug, name_nl.strip(), name_en.strip()
    category.position, category.active = position, active
    db.session.flush()
    return category
