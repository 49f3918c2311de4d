"""An initiative run as an experiment, and a realised initiative offered as a recipe."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.listings.models import Listing

MAX_QUESTION = 500
MAX_LESSONS = 3000


class Experiment(db.Model):
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listing.id", ondelete="CASCADE"),
                                            primary_key=True)
    question: Mapped[str] = mapped_column(sa.String(MAX_QUESTION))  # what it wants to learn
    created_at: Mapped[datetime]
    # When it has ended: what its initiators learned, and what the gemeente learned.
    lessons: Mapped[str | None] = mapped_column(sa.Text)
    lessons_at: Mapped[datetime | None]
    lessons_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    gemeente_lessons: Mapped[str | None] = mapped_column(sa.Text)
    gemeente_lessons_at: Mapped[datetime | None]
    gemeente_lessons_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"),
                                                               index=True)


class Recipe(db.Model):
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listing.id", ondelete="CASCADE"),
                                            primary_key=True)
    published_at: Mapped[datetime] = mapped_column(index=True)
    published_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)

    listing: Mapped[Listing] = relationship()


class RecipeCopy(db.Model):
    """A new initiative started from a recipe."""

    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listing.id", ondelete="CASCADE"),
                                            primary_key=True)
    # The recipe's listing: a copy stays counted when its recipe is withdrawn and offered again.
    recipe_id: Mapped[int] = mapped_column(sa.ForeignKey("listing.id", ondelete="CASCADE"),
                                           index=True)
    created_at: Mapped[datetime]

    listing: Mapped[Listing] = relationship(foreign_keys=[listing_id])
