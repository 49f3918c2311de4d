"""A comment on a listing, or a reply to one (never a reply to a reply)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.listings.models import Listing
from marketplace.models_base import HideableMixin, utcnow


class Comment(HideableMixin, db.Model):
    __table_args__ = (sa.Index("ix_comment_listing_created", "listing_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listing.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    # A deleted comment keeps its place as a tombstone, so the replies around it still read.
    deleted_at: Mapped[datetime | None]

    listing: Mapped[Listing] = relationship()
    author: Mapped[User] = relationship()
