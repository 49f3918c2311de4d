"""Listings: initiatives with their needs, offers and requests; their categories and photos."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace import clock
from marketplace.auth.models import User
from marketplace.extensions import db
from marketplace.geo.models import Buurt, Gemeente
from marketplace.models_base import HideableMixin, str_enum, utcnow


class ListingKind(enum.StrEnum):
    INITIATIVE = "initiative"
    OFFER = "offer"
    REQUEST = "request"


class ListingStatus(enum.StrEnum):
    DRAFT = "draft"
    PENDING = "pending"  # awaiting moderation
    OPEN = "open"
    RUNNING = "running"
    REALISED = "realised"
    STOPPED = "stopped"
    CLOSED = "closed"  # an offer or request that is done


# What the public may see; drafts and listings awaiting moderation are for their owner only.
PUBLIC_STATUSES = (ListingStatus.OPEN, ListingStatus.RUNNING, ListingStatus.REALISED,
                   ListingStatus.STOPPED, ListingStatus.CLOSED)
# What the map shows unless the visitor asks for other statuses.
ACTIVE_STATUSES = (ListingStatus.OPEN, ListingStatus.RUNNING)


class ResourceKind(enum.StrEnum):
    VOLUNTEERS = "volunteers"
    MATERIALS = "materials"
    SPACE = "space"
    MONEY = "money"
    EXPERTISE = "expertise"


class Category(db.Model):
    """What a listing is about. National ones (no gemeente) are offered everywhere and kept by
    the installation's admins; a gemeente's own ones only for listings in that gemeente, kept by
    its gemeente admins. Slugs are unique across the country: filters and the API name them."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name_nl: Mapped[str] = mapped_column(sa.String(60))
    name_en: Mapped[str] = mapped_column(sa.String(60))
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    gemeente_id: Mapped[int | None] = mapped_column(sa.ForeignKey("gemeente.id"), index=True)

    gemeente: Mapped[Gemeente | None] = relationship()

    def fits(self, gemeente_id: int | None) -> bool:
        """May a listing in this gemeente have this category?"""
        return self.gemeente_id is None or self.gemeente_id == gemeente_id

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_nl


# Residents who run an initiative together with its initiator (they may edit it and post news).
listing_co_initiator = sa.Table(
    "listing_co_initiator",
    db.metadata,
    sa.Column("listing_id", sa.ForeignKey("listing.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True,
              index=True),
)


_AWAITING_ANSWER = sa.text("kind = 'initiative' AND first_answer_at IS NULL")


class Listing(HideableMixin, db.Model):
    __table_args__ = (
        # Small map areas: a range on latitude, then longitude, within the index.
        sa.Index("ix_listing_public_position", "public_lat", "public_lon"),
        # Large areas and lists: newest first, stopping after the first few hundred that match.
        sa.Index("ix_listing_created_at", "created_at", "id"),
        # Initiatives still owed a first answer by their gemeente (accountability.ledger): few
        # among a million listings, found per gemeente by publication date.
        sa.Index("ix_listing_awaiting_answer", "gemeente_id", "published_at",
                 sqlite_where=_AWAITING_ANSWER, postgresql_where=_AWAITING_ANSWER),
        # Quiet listings per gemeente (marketplace.nudges).
        sa.Index("ix_listing_gemeente_last_active", "gemeente_id", "last_active_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ListingKind] = mapped_column(str_enum(ListingKind))
    status: Mapped[ListingStatus] = mapped_column(str_enum(ListingStatus), default=ListingStatus.DRAFT)
    title: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("category.id"), index=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    buurt_id: Mapped[int] = mapped_column(sa.ForeignKey("buurt.id"), index=True)
    gemeente_id: Mapped[int] = mapped_column(sa.ForeignKey("gemeente.id"), index=True)
    # The spot the owner chose. Never shown to anyone else: pages, API and exports use public_*.
    lat: Mapped[float]
    lon: Mapped[float]
    public_lat: Mapped[float]
    public_lon: Mapped[float]
    is_public_space: Mapped[bool] = mapped_column(default=False)
    # Random per listing; fixes where inside its ~150 m cell the blurred public point lies.
    blur_seed: Mapped[str] = mapped_column(sa.String(32))
    when_text: Mapped[str | None] = mapped_column(sa.String(120))  # offers and requests: when
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # The last sign of life from its own side: published, changed by the people running it,
    # news posted, "still runs". Not the gemeente's, a moderator's or a neighbour's steps (a
    # response counts separately; marketplace.nudges).
    last_active_at: Mapped[datetime | None]
    # The gemeente's first answer (a role or a message) stops the answer clock.
    first_answer_at: Mapped[datetime | None]
    answer_reminder_sent_at: Mapped[datetime | None]
    # Set by the initiator or a wijkwerker: the comments stay, nobody adds to them.
    comments_locked: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    category: Mapped[Category] = relationship()
    owner: Mapped[User] = relationship()
    co_initiators: Mapped[list[User]] = relationship(secondary=listing_co_initiator,
                                                     order_by="User.display_name")
    buurt: Mapped[Buurt] = relationship()
    gemeente: Mapped[Gemeente] = relationship()
    resources: Mapped[list[Resource]] = relationship(
        back_populates="listing", order_by="Resource.position", cascade="all, delete-orphan")
    photos: Mapped[list[Photo]] = relationship(
        back_populates="listing", order_by="Photo.position", cascade="all, delete-orphan")

    @property
    def is_public(self) -> bool:
        """Seen by everyone: published, not hidden, and its initiator not suspended."""
        return (self.status in PUBLIC_STATUSES and self.hidden_at is None
                and not self.owner.is_suspended)

    def show_life(self) -> None:
        """Something happened on its side: the quiet clock starts again."""
        self.last_active_at = clock.now()

    def is_run_by(self, user: User) -> bool:
        """The initiator or one of the co-initiators."""
        return user.id == self.owner_id or user in self.co_initiators

    def __repr__(self) -> str:
        return f"<Listing {self.id} {self.kind} {self.status}>"


class Resource(db.Model):
    """What a listing needs (an initiative's needs, a request) or gives (an offer): a kind, an
    amount, and how much of it is already committed."""

    __table_args__ = (
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("committed >= 0 AND committed <= quantity", name="committed_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listing.id", ondelete="CASCADE"),
                                            index=True)
    kind: Mapped[ResourceKind] = mapped_column(str_enum(ResourceKind))
    description: Mapped[str] = mapped_column(sa.String(200))
    quantity: Mapped[int]
    unit: Mapped[str] = mapped_column(sa.String(30))
    committed: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)
    # Needs and requests: the day it is needed by (optional). Shortly before it, an open need
    # nudges its owner once (marketplace.nudges); changing the date asks again.
    needed_by: Mapped[date | None] = mapped_column(index=True)
    due_nudged_at: Mapped[datetime | None]

    listing: Mapped[Listing] = relationship(back_populates="resources")

    @property
    def remaining(self) -> int:
        return self.quantity - self.committed

    @property
    def percent_committed(self) -> int:
        return round(100 * self.committed / self.quantity) if self.quantity else 0


class Photo(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listing.id", ondelete="CASCADE"),
                                            index=True)
    filename: Mapped[str] = mapped_column(sa.String(64), unique=True)
    thumbnail: Mapped[str] = mapped_column(sa.String(64), unique=True)
    width: Mapped[int]
    height: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    listing: Mapped[Listing] = relationship(back_populates="photos")
