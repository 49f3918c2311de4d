"""Public JSON for listings and buurten. Only blurred positions, never the real spot."""

import json

import sqlalchemy as sa
from flask import url_for

from marketplace.accountability.services import pledges_of, role_history
from marketplace.extensions import db
from marketplace.geo.models import Buurt
from marketplace.listings.models import Category, Listing, ListingKind, Photo
from marketplace.mapdata.queries import KINDS, TileContents


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def listing_summary(listing: Listing, language: str) -> dict:
    return {
        "id": listing.id,
        "kind": listing.kind.value,
        "status": listing.status.value,
        "title": listing.title,
        "category": listing.category.slug,
        "category_name": listing.category.name(language),
        "buurt": listing.buurt.code,
        "buurt_name": listing.buurt.name,
        "url": url_for("listings.detail", listing_id=listing.id, _external=True),
        "thumbnail": (url_for("listings.media", filename=listing.photos[0].thumbnail,
                              _external=True) if listing.photos else None),
        "created_at": _iso(listing.created_at),
    }


def map_features(query: sa.Select, language: str) -> list[dict]:
    """GeoJSON features straight from columns: the bbox API's hot path builds no ORM objects.

    First the ids in the query's order (cheap: the database sorts index entries only), then the
    details of just those rows. The properties are :func:`listing_summary`'s; a test holds the
    two together.
    """
    ids = list(db.session.scalars(query.with_only_columns(Listing.id,
                                                          maintain_column_froms=False)))
    if not ids:
        return []
    thumbnail = (sa.select(Photo.thumbnail).where(Photo.listing_id == Listing.id)
                 .order_by(Photo.position).limit(1).scalar_subquery())
    category_name = Category.name_en if language == "en" else Category.name_nl
    rows = db.session.execute(
        sa.select(Listing.id, Listing.kind, Listing.status, Listing.title, Listing.public_lat,
                  Listing.public_lon, Listing.created_at, Category.slug, category_name,
                  Buurt.code, Buurt.name, thumbnail)
        .join_from(Listing, Category, Listing.category_id == Category.id)
        .join_from(Listing, Buurt, Listing.buurt_id == Buurt.id)
        .where(Listing.id.in_(ids)))
    by_id = {row[0]: row for row in rows}
    # Build each address from one url_for: the id and file name are the last part of the path.
    detail_base = url_for("listings.detail", listing_id=1, _external=True)[:-1]
    media_base = url_for("listings.media", filename="x", _external=True)[:-1]
    features = []
    for listing_id in ids:
        row = by_id[listing_id]
        features.append({
            "type": "Feature",
            "id": row[0],
            "geometry": {"type": "Point", "coordinates": [row[5], row[4]]},
            "properties": {
                "id": row[0], "kind": row[1].value, "status": row[2].value, "title": row[3],
                "category": row[7], "category_name": row[8], "buurt": row[9],
                "buurt_name": row[10], "url": f"{detail_base}{row[0]}",
                "thumbnail": f"{media_base}{row[11]}" if row[11] else None,
                "created_at": _iso(row[6]),
            },
        })
    return features


def listing_detail(listing: Listing, language: str) -> dict:
    return {
        **listing_summary(listing, language),
        "description": listing.description,
        "when": listing.when_text,
        "gemeente": listing.gemeente.code,
        "location": {"lat": listing.public_lat, "lon": listing.public_lon,
                     "exact": listing.is_public_space},
        "owner_name": listing.owner.display_name,
        "published_at": _iso(listing.published_at),
        "updated_at": _iso(listing.updated_at),
        "resources": [{"kind": r.kind.value, "description": r.description,
                       "quantity": r.quantity, "unit": r.unit, "committed": r.committed,
                       "needed_by": r.needed_by.isoformat() if r.needed_by else None}
                      for r in listing.resources],
        "photos": [{"url": url_for("listings.media", filename=p.filename, _external=True),
                    "thumbnail": url_for("listings.media", filename=p.thumbnail, _external=True),
                    "width": p.width, "height": p.height} for p in listing.photos],
        **gemeente_part(listing),
    }


def _role(decision) -> dict:
    return {"role": decision.role.value, "explanation": decision.explanation,
            "contact": decision.contact, "since": _iso(decision.created_at)}


def gemeente_part(listing: Listing) -> dict:
    """The gemeente's current role with its history, and its pledges (initiatives only)."""
    if listing.kind is not ListingKind.INITIATIVE:
        return {"gemeente_role": None, "gemeente_role_history": [], "pledges": []}
    history = role_history(listing)
    return {
        "gemeente_role": _role(history[-1]) if history else None,
        "gemeente_role_history": [_role(decision) for decision in history],
        "pledges": [{"kind": p.kind.value, "amount": p.amount, "description": p.description,
                     "department": p.department, "due_on": p.due_on.isoformat(),
                     "status": p.status.value, "note": p.closing_note,
                     "closed_at": _iso(p.closed_at)} for p in pledges_of(listing)],
    }


def buurt_detail(buurt: Buurt) -> dict:
    return {
        "code": buurt.code,
        "name": buurt.name,
        "wijk": {"code": buurt.wijk.code, "name": buurt.wijk.name},
        "gemeente": {"code": buurt.gemeente.code, "name": buurt.gemeente.name},
        "bbox": list(buurt.bbox),
        "geometry": json.loads(buurt.geometry),
        "url": url_for("buurten.show", code=buurt.code, _external=True),
    }


def buurt_feature(buurt: Buurt) -> dict:
    return {"type": "Feature", "id": buurt.code, "geometry": json.loads(buurt.geometry),
            "properties": {"code": buurt.code, "name": buurt.name,
                           "url": url_for("buurten.show", code=buurt.code, _external=True)}}


def _listing_address() -> str:
    """The address of a listing's page, with ``{id}`` for its number."""
    return url_for("listings.detail", listing_id=1, _external=True)[:-1] + "{id}"


def tile_compact(contents: TileContents) -> dict:
    """The map's own format: arrays instead of objects, which a tile of pins halves in size.

    ``clusters``: [lat, lon, count, initiatives, offers, requests];
    ``pins``: [id, lat, lon, kind, title, buurt name]; a pin's page is ``listing_url`` with its id.
    """
    return {
        "tile": [contents.level, contents.x, contents.y],
        "count": contents.count,
        "capped": contents.capped,
        "kinds": [kind.value for kind in KINDS],
        "listing_url": _listing_address(),
        "clusters": [[c.lat, c.lon, c.count, *(c.by_kind[kind] for kind in KINDS)]
                     for c in contents.clusters],
        "pins": [[p.id, round(p.lat, 5), round(p.lon, 5), p.kind.value, p.title, p.buurt_name]
                 for p in contents.pins],
    }


def tile_geojson(contents: TileContents) -> dict:
    """The same as GeoJSON, for tools that read only that."""
    address = _listing_address()
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [c.lon, c.lat]},
                 "properties": {"cluster": True, "count": c.count,
                                "counts": {kind.value: c.by_kind[kind] for kind in KINDS}}}
                for c in contents.clusters]
    features += [{"type": "Feature", "id": p.id,
                  "geometry": {"type": "Point", "coordinates": [round(p.lon, 5), round(p.lat, 5)]},
                  "properties": {"cluster": False, "id": p.id, "kind": p.kind.value,
                                 "title": p.title, "buurt_name": p.buurt_name,
                                 "url": address.replace("{id}", str(p.id))}}
                 for p in contents.pins]
    return {"type": "FeatureCollection", "tile": [contents.level, contents.x, contents.y],
            "count": contents.count, "capped": contents.capped, "features": features}
