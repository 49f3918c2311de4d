"""State changes the database decides, so two requests at the same moment cannot both pass.

Reading a status in Python and then writing it is a race: both requests read "pending", both
write. Instead, :func:`change_if` makes the check part of the write (one ``UPDATE … WHERE``) and
says whether this request was the one that changed the row; :func:`lock` holds a row until the
transaction ends, for steps that must count or look around before they write (reports that hide
an item at a threshold, a handover that may be the only one waiting).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from marketplace.extensions import db


def _unwrapped(obj: Any) -> Any:
    """The model object itself, also when given ``current_user`` (a proxy)."""
    return obj._get_current_object() if hasattr(obj, "_get_current_object") else obj


def change_if(obj: Any, *conditions: sa.ColumnElement[bool], **values: Any) -> bool:
    """Set ``values`` on ``obj``'s row only where ``conditions`` still hold; True when this
    request changed it. ``obj`` is re-read either way, so it shows what is there now."""
    obj = _unwrapped(obj)
    model = type(obj)
    db.session.flush()
    result = db.session.execute(
        sa.update(model).where(model.id == obj.id, *conditions).values(**values)
        .execution_options(synchronize_session=False))
    db.session.refresh(obj)
    return result.rowcount == 1


def lock(obj: Any) -> None:
    """Hold ``obj``'s row until the transaction ends, then re-read it.

    PostgreSQL locks the row (``SELECT … FOR UPDATE``). SQLite has no row locks: there the first
    write of a transaction takes the database's write lock, so a write that changes nothing
    serves (raw SQL, so no ``onupdate`` timestamp moves).
    """
    obj = _unwrapped(obj)
    model = type(obj)
    db.session.flush()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.select(model.id).where(model.id == obj.id).with_for_update())
    else:
        table = model.__table__.name
        db.session.execute(sa.text(f'UPDATE "{table}" SET id = id WHERE id = :id'),
                           {"id": obj.id})
    db.session.refresh(obj)
