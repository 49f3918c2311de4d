"""Read queries for commitments: per listing, per helper, waiting for an owner."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace.commitments.models import Commitment, CommitmentStatus
from marketplace.listings.models import Listing
from marketplace.listings.queries import publicly_visible


def commitments_on(listing: Listing) -> sa.Select:
    return (sa.select(Commitment).where(Commitment.listing_id == listing.id)
            .options(selectinload(Commitment.helper))
            .order_by(Commitment.created_at))


def commitments_of(helper_id: int) -> sa.Select:
    """A helper's responses, on listings that are still public (a hidden one drops out)."""
    return (sa.select(Commitment).join(Commitment.listing)
            .where(Commitment.helper_id == helper_id, publicly_visible())
            .options(selectinload(Commitment.listing), selectinload(Commitment.resource))
            .order_by(Commitment.created_at.desc()))


def waiting_for_answer(owner_id: int) -> sa.Select:
    """Pending responses on the owner's listings, oldest first."""
    return (sa.select(Commitment).join(Commitment.listing)
            .where(Listing.owner_id == owner_id, Commitment.status == CommitmentStatus.PENDING)
            .options(selectinload(Commitment.helper), selectinload(Commitment.resource),
                     selectinload(Commitment.listing))
            .order_by(Commitment.created_at))
