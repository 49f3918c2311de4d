"""Counts per grid cell and data versions per area; both written only by database triggers
(marketplace/mapdata/triggers.py), so that every way a listing changes keeps them right."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db


class MapCell(db.Model):
    """How many public listings of one kind, status and category lie in a cell, and the sums of
    their positions (their mean is where the cluster is drawn). Suspended people's listings
    are counted here and taken off when answering: a suspension ends without any write."""

    level: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True)
    x: Mapped[int] = mapped_column(primary_key=True)
    y: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    category_id: Mapped[int] = mapped_column(primary_key=True)
    listings: Mapped[int]
    lat_sum: Mapped[float]
    lon_sum: Mapped[float]


class MapVersion(db.Model):
    """Goes up with every write that changes what the public map shows in the area (or, for the
    row at ``EPOCH_LEVEL``, anywhere)."""

    level: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True)
    x: Mapped[int] = mapped_column(primary_key=True)
    y: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger)
