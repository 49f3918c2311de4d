"""Gemeente → wijk → buurt, with their CBS codes and outlines."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.models_base import utcnow


class BoundingBoxMixin:
    """West/south/east/north in WGS84 degrees, kept beside an outline for fast area queries."""

    min_lon: Mapped[float]
    min_lat: Mapped[float]
    max_lon: Mapped[float]
    max_lat: Mapped[float]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.min_lon, self.min_lat, self.max_lon, self.max_lat)


class Gemeente(BoundingBoxMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(6), unique=True)  # GM0344
    name: Mapped[str] = mapped_column(sa.String(120))
    is_demo: Mapped[bool] = mapped_column(default=False)
    # Working days within which every new initiative is owed a first answer from the gemeente.
    answer_target_days: Mapped[int] = mapped_column(default=5, server_default="5")
    # A new resident's first this-many listings wait for a wijkwerker's approval.
    premoderation_count: Mapped[int] = mapped_column(default=2, server_default="2")
    # This many open flags hide an item until a wijkwerker decides.
    flag_threshold: Mapped[int] = mapped_column(default=3, server_default="3")
    # An open listing without news, changes or responses this many days gets a nudge to its owner.
    nudge_after_days: Mapped[int] = mapped_column(default=42, server_default="42")
    # An open offer or request without responses, changes or news this many days: the same.
    nudge_unanswered_after_days: Mapped[int] = mapped_column(default=21, server_default="21")
    # A need still open this many days before the day it is needed by: its owner hears of it.
    need_due_warning_days: Mapped[int] = mapped_column(default=7, server_default="7")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    wijken: Mapped[list[Wijk]] = relationship(
        back_populates="gemeente", order_by="Wijk.code", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Gemeente {self.code} {self.name}>"


class Wijk(BoundingBoxMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(8), unique=True)  # WK034401
    name: Mapped[str] = mapped_column(sa.String(120))
    gemeente_id: Mapped[int] = mapped_column(sa.ForeignKey("gemeente.id"), index=True)

    gemeente: Mapped[Gemeente] = relationship(back_populates="wijken")
    buurten: Mapped[list[Buurt]] = relationship(
        back_populates="wijk", order_by="Buurt.code", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Wijk {self.code} {self.name}>"


class Buurt(BoundingBoxMixin, db.Model):
    __table_args__ = (
        # Covers the picker's query: the words searched and what a suggestion shows.
        sa.Index("ix_buurt_search", "search_text", "wijk_id", "code", "name", "postcode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(10), unique=True)  # BU03440101
    name: Mapped[str] = mapped_column(sa.String(120))
    wijk_id: Mapped[int] = mapped_column(sa.ForeignKey("wijk.id"), index=True)
    # The outline as a GeoJSON geometry (Polygon or MultiPolygon, WGS84), as CBS publishes it.
    geometry: Mapped[str] = mapped_column(sa.Text)
    # The most common four-digit postcode (PC4) in the buurt, when the CBS file gives one.
    postcode: Mapped[str | None] = mapped_column(sa.String(4))
    # What the buurt picker searches: the words of its name, wijk, gemeente, postcode and code,
    # without accents (geo.search.search_text_of). Kept here, indexed together with what a
    # suggestion shows, so a keystroke reads a small index and not 14,000 outlines.
    search_text: Mapped[str] = mapped_column(sa.String(400), default="", server_default="")
    # Residents, from the CBS kerncijfers in the same file (None: not given, or kept secret).
    # The dashboard weighs activity by it to find quiet buurten.
    residents: Mapped[int | None]

    wijk: Mapped[Wijk] = relationship(back_populates="buurten")

    @property
    def gemeente(self) -> Gemeente:
        return self.wijk.gemeente

    @property
    def label(self) -> str:
        """The name with its gemeente, as people tell apart the country's 43 "Centrum"s."""
        return f"{self.name}, {self.gemeente.name}"

    def __repr__(self) -> str:
        return f"<Buurt {self.code} {self.name}>"

