"""Read queries for gemeenten, wijken and buurten."""

import sqlalchemy as sa
from wtforms import SelectChoice

from marketplace.extensions import db
from marketplace.geo.models import Buurt, Gemeente, Wijk


def buurten_in_order() -> sa.Select:
    return (sa.select(Buurt).join(Buurt.wijk).join(Wijk.gemeente)
            .order_by(Gemeente.name, Buurt.name))


def buurt_choices(gemeente_id: int | None = None) -> list[SelectChoice]:
    """The buurten as select options, grouped by gemeente."""
    query = (sa.select(Buurt.id, Buurt.name, Gemeente.name).join(Buurt.wijk).join(Wijk.gemeente)
             .order_by(Gemeente.name, Buurt.name))
    if gemeente_id is not None:
        query = query.where(Wijk.gemeente_id == gemeente_id)
    return [SelectChoice(id_, buurt, optgroup=gemeente)
            for id_, buurt, gemeente in db.session.execute(query)]


def gemeenten_with_counts() -> sa.Select:
    """Each gemeente with its number of wijken and buurten."""
    wijken = (sa.select(sa.func.count(Wijk.id)).where(Wijk.gemeente_id == Gemeente.id)
              .scalar_subquery())
    buurten = (sa.select(sa.func.count(Buurt.id)).join(Buurt.wijk)
               .where(Wijk.gemeente_id == Gemeente.id).scalar_subquery())
    return (sa.select(Gemeente, wijken.label("wijk_count"), buurten.label("buurt_count"))
            .order_by(Gemeente.name))


def gemeente_by_code(code: str) -> Gemeente | None:
    return db.session.scalar(sa.select(Gemeente).where(Gemeente.code == code))
