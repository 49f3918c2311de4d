"""The categories an installation starts with (the first migration adds the same list)."""

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.listings.models import Category

DEFAULT_CATEGORIES = [
    ("groen", "Groen", "Green"),
    ("spelen", "Spelen", "Play"),
    ("ontmoeten", "Ontmoeten", "Meeting"),
    ("zorg-en-welzijn", "Zorg en welzijn", "Care and wellbeing"),
    ("duurzaamheid", "Duurzaamheid", "Sustainability"),
    ("veiligheid", "Veiligheid", "Safety"),
    ("cultuur", "Cultuur", "Culture"),
    ("sport", "Sport", "Sport"),
    ("klussen", "Klussen", "Odd jobs"),
]


def ensure_default_categories() -> None:
    """Add any default category that is missing (by slug); leaves existing ones alone."""
    existing = set(db.session.scalars(sa.select(Category.slug)))
    for position, (slug, name_nl, name_en) in enumerate(DEFAULT_CATEGORIES):
        if slug not in existing:
            db.session.add(Category(slug=slug, name_nl=name_nl, name_en=name_en,
                                    position=position))
    db.session.flush()


def category_by_slug(slug: str) -> Category | None:
    return db.session.scalar(sa.select(Category).where(Category.slug == slug))
