"""Read queries for gemeenten, wijken and buurten."""

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.geo.models import Buurt, Wijk


def area_counts(gemeente_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per gemeente (of one page of them): its number of wijken and of buurten."""
    if not gemeente_ids:
        return {}
    rows = db.session.execute(
        sa.select(Wijk.gemeente_id, sa.func.count(sa.distinct(Wijk.id)), sa.func.count(Buurt.id))
        .join(Buurt, Buurt.wijk_id == Wijk.id, isouter=True)
        .where(Wijk.gemeente_id.in_(gemeente_ids)).group_by(Wijk.gemeente_id))
    return {gemeente_id: (wijken, buurten) for gemeente_id, wijken, buurten in rows}

