"""Public JSON for listings and buurten. Only blurred positions, never the real spot."""

import json

from flask import url_for

from marketplace.geo.models import Buurt
from marketplace.listings.models import Listing


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


def listing_feature(listing: Listing, language: str) -> dict:
    return {
        "type": "Feature",
        "id": listing.id,
        "geometry": {"type": "Point", "coordinates": [listing.public_lon, listing.public_lat]},
        "properties": listing_summary(listing, language),
    }


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
                       "quantity": r.quantity, "unit": r.unit, "committed": r.committed}
                      for r in listing.resources],
        "photos": [{"url": url_for("listings.media", filename=p.filename, _external=True),
                    "thumbnail": url_for("listings.media", filename=p.thumbnail, _external=True),
                    "width": p.width, "height": p.height} for p in listing.photos],
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
