"""When a listing was last nudged, and when its owner said it still runs."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db


class ListingNudge(db.Model):
    listing_id: Mapped[int] = mapped_column(sa.ForeignKey("listing.id", ondelete="CASCADE"),
                                            primary_key=True)
    nudged_at: Mapped[datetime]
    # "Yes, it still runs": counts as a sign of life, so the clock starts again.
    kept_at: Mapped[datetime | None]
