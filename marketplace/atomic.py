"""State changes the database decides, so two requests at the same moment cannot both pass.

Reading a status in Python and then writing it is a race: both requests read "pending", both
write. Instead, :func:`change_if` makes the check part of the write (one ``UPDATE … WHERE``) and
says whether this request was the one that changed the row; :func:`lock` holds rows until the
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


def lock_where(model: Any, *conditions: sa.ColumnElement[bool], deleting: bool = False) -> None:
    """Hold the rows of ``model`` that match until the transaction ends.

    PostgreSQL locks the rows (``FOR NO KEY UPDATE``: rows pointing at them can still be
    inserted, so a notification about a locked listing does not wait or deadlock; ``deleting``
    takes ``FOR UPDATE`` instead, so nothing can come to point at a row about to go). SQLite has no
    row locks: there the transaction takes the database's write lock now (``BEGIN IMMEDIATE``),
    unless an earlier write in it already did, and other writers wait their turn.
    """
    db.session.flush()
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(model.id).where(*conditions)
                           .with_for_update(key_share=not deleting))
    elif not connection.connection.dbapi_connection.in_transaction:
        # pysqlite opens transactions lazily, before the first write; opening it here instead
        # makes the reads that follow see what the last writer committed, and no one else
        # can write until this transaction ends.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def lock(obj: Any) -> None:
    """Hold ``obj``'s row until the transaction ends, then re-read it."""
    obj = _unwrapped(obj)
    model = type(obj)
    lock_where(model, model.id == obj.id)
    db.session.refresh(obj)
