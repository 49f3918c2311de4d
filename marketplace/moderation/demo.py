"""Demo work for the wijkwerker: a newcomer's first listing waiting, and a reported comment."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.auth.models import User
from marketplace.comments.services import post_comment
from marketplace.extensions import db
from marketplace.geo.models import Buurt
from marketplace.listings import services
from marketplace.listings.categories import category_by_slug
from marketplace.listings.models import Listing, ListingKind, ResourceKind
from marketplace.moderation.models import FlagReason
from marketplace.moderation.services import flag


def seed_demo_moderation(newcomer: User, neighbours: list[User], buurt: Buurt) -> None:
    """Through the real services: the newcomer's listing waits, a neighbour reports spam."""
    west, south, east, north = buurt.bbox  # the demo buurten are rectangles
    lat, lon = (south + north) / 2, (west + east) / 2
    data = services.ListingData(
        title="Bankje bij de bushalte", category=category_by_slug("groen"), lat=lat, lon=lon,
        description="Bij de bushalte staan ouderen vaak lang. Ik wil er met buren een bankje "
                    "neerzetten en onderhouden.",
        is_public_space=True,
        resources=[services.ResourceData(ResourceKind.MONEY, "Hout en schroeven", 150, "euro")])
    services.create_listing(newcomer, ListingKind.INITIATIVE, data, publish=True)
    reporter, spammer = neighbours[0], neighbours[1]
    target = db.session.scalar(sa.select(Listing).where(
        Listing.owner_id == reporter.id, Listing.kind == ListingKind.INITIATIVE,
        Listing.buurt_id == buurt.id).limit(1)) or db.session.scalar(
        sa.select(Listing).where(Listing.owner_id == reporter.id).limit(1))
    comment = post_comment(spammer, target, "Kom allemaal naar mijn garage-uitverkoop! "
                                            "Alles voor de halve prijs, bel 06-12345678.")
    flag(reporter, comment, FlagReason.SPAM, None)
    db.session.flush()
