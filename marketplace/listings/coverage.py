"""How much of a need is covered: by neighbours' responses and by the gemeente's pledges.

``Resource.committed`` is what is covered. Taking is one conditional UPDATE, so a need is never
covered beyond its amount, also when many take at the same moment; giving back is only ever
done by the request whose own status change went through (so twice is impossible).
"""

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.listings.models import Resource


def take(resource: Resource, quantity: int) -> bool:
    """Reserve ``quantity`` if that much is left; True when it was (atomic in the database)."""
    result = db.session.execute(
        sa.update(Resource)
        .where(Resource.id == resource.id, Resource.committed + quantity <= Resource.quantity)
        .values(committed=Resource.committed + quantity)
        .execution_options(synchronize_session=False))
    db.session.refresh(resource, ["committed"])
    return result.rowcount == 1


def give_back(resource: Resource, quantity: int) -> None:
    """Free ``quantity`` again."""
    db.session.execute(
        sa.update(Resource).where(Resource.id == resource.id)
        .values(committed=Resource.committed - quantity)
        .execution_options(synchronize_session=False))
    db.session.refresh(resource, ["committed"])
