"""Public listings as open data: every listing that matches the API's filters, streamed as CSV
or GeoJSON. Blurred points (the exact spot only where the owner marked it as public space), no
names, no descriptions, nothing that is not on the public pages."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import sqlalchemy as sa
from flask import url_for

from marketplace.extensions import db
from marketplace.geo.models import Buurt, Gemeente
from marketplace.listings.models import Category, Listing
from marketplace.text import spreadsheet_safe

COLUMNS = ["id", "kind", "status", "title", "category", "buurt", "buurt_name", "gemeente",
           "lat", "lon", "exact", "published_at", "url"]
LICENCE_LINK = '<https://creativecommons.org/publicdomain/zero/1.0/>; rel="license"'
BATCH = 2000
CHUNK = 64 * 1024  # bytes gathered before a piece is sent


def _rows(query: sa.Select) -> Iterator[list]:
    """The columns of every listing the (public_listings) query matches, by id, in batches."""
    ids = query.with_only_columns(Listing.id, maintain_column_froms=False).order_by(None)
    detail_base = url_for("listings.detail", listing_id=1, _external=True)[:-1]
    after = 0
    while batch := db.session.execute(
            sa.select(Listing.id, Listing.kind, Listing.status, Listing.title, Category.slug,
                      Buurt.code, Buurt.name, Gemeente.code, Listing.public_lat,
                      Listing.public_lon, Listing.is_public_space, Listing.published_at)
            .join_from(Listing, Category, Listing.category_id == Category.id)
            .join_from(Listing, Buurt, Listing.buurt_id == Buurt.id)
            .join_from(Listing, Gemeente, Listing.gemeente_id == Gemeente.id)
            .where(Listing.id.in_(ids.where(Listing.id > after).order_by(Listing.id)
                                  .limit(BATCH)))
            .order_by(Listing.id)).all():
        # Give the connection back while the client reads this batch: a slow download must
        # not hold a transaction open (the rows are plain tuples).
        db.session.close()
        for (listing_id, kind, status, title, category, buurt, buurt_name, gemeente, lat, lon,
             exact, published_at) in batch:
            yield [listing_id, kind.value, status.value, title, category, buurt, buurt_name,
                   gemeente, round(lat, 6), round(lon, 6), exact,
                   published_at.isoformat() if published_at else "",
                   f"{detail_base}{listing_id}"]
        after = batch[-1][0]


def as_csv(query: sa.Select) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in _rows(query):
        writer.writerow([spreadsheet_safe(value) for value in row])
        if out.tell() > CHUNK:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def as_geojson(query: sa.Select) -> Iterator[str]:
    yield '{"type": "FeatureCollection", "licence": "CC0 1.0", "features": ['
    first, pieces, size = True, [], 0
    for row in _rows(query):
        properties = dict(zip(COLUMNS, row, strict=True))
        lat, lon = properties.pop("lat"), properties.pop("lon")
        feature = json.dumps({"type": "Feature", "id": properties["id"],
                              "geometry": {"type": "Point", "coordinates": [lon, lat]},
                              "properties": properties}, ensure_ascii=False)
        pieces.append(feature if first else "," + feature)
        first, size = False, size + len(feature)
        if size > CHUNK:
            yield "".join(pieces)
            pieces, size = [], 0
    yield "".join(pieces) + "]}"
