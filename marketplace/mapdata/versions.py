"""Data versions, for validators that are checked without asking the database.

Each process keeps the versions it has read. At most once every ``MAP_VERSION_CHECK_SECONDS``
it reads the two versions that change with every write (the world's and the epoch) and who is
suspended right now; when any of these moved, it forgets the rest and reads each area's version
again when next asked. A conditional request therefore costs no query in all but one request a
second per process, and an answer is at most that long behind a write made in another process
(this process's own commits are seen at once).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context

from marketplace.auth.queries import suspended_people
from marketplace.extensions import db
from marketplace.mapdata.grid import EPOCH_LEVEL
from marketplace.mapdata.models import MapVersion

MAX_AREAS = 50_000  # kept per process; more are forgotten all at once and read again


@dataclass
class _Known:
    checked_at: float = float("-inf")
    everywhere: tuple = ()
    suspended: frozenset[int] = frozenset()
    areas: dict[tuple[int, int, int], int] = field(default_factory=dict)
    # Goes up whenever ``areas`` is emptied: a version read before that is not kept after it
    # (another thread may have emptied it between the read and the keeping).
    generation: int = 0


def _known() -> _Known:
    return current_app.extensions["map_versions"]


def _refresh(known: _Known) -> None:
    rows = db.session.execute(sa.select(MapVersion.level, MapVersion.version).where(
        MapVersion.level.in_((EPOCH_LEVEL, 0)))).all()
    everywhere = tuple(sorted(rows))
    suspended = frozenset(db.session.scalars(suspended_people()))
    if everywhere != known.everywhere or suspended != known.suspended:
        _forget_areas(known)
        known.everywhere, known.suspended = everywhere, suspended
    known.checked_at = time.monotonic()


def _forget_areas(known: _Known) -> None:
    known.generation += 1
    known.areas = {}


def current(area: tuple[int, int, int]) -> tuple[str, frozenset[int]]:
    """A tag that changes whenever what the public sees in ``area`` (level, x, y) may have
    changed, and who is suspended right now (their listings are left out of answers)."""
    known = _known()
    if time.monotonic() - known.checked_at > current_app.config["MAP_VERSION_CHECK_SECONDS"]:
        _refresh(known)
    version = known.areas.get(area)
    if version is None:
        if len(known.areas) >= MAX_AREAS:
            _forget_areas(known)
        generation = known.generation
        level, x, y = area
        version = db.session.scalar(sa.select(MapVersion.version).where(
            MapVersion.level == level, MapVersion.x == x, MapVersion.y == y)) or 0
        if generation == known.generation:
            known.areas[area] = version
    epoch = dict(known.everywhere).get(EPOCH_LEVEL, 0)
    suspended = hashlib.blake2s(repr(sorted(known.suspended)).encode(),
                                digest_size=4).hexdigest() if known.suspended else "0"
    return f"{epoch}.{suspended}.{version}", known.suspended


def _forget_after_commit(_session) -> None:
    """This process wrote: read again at the next request, so the writer sees its own change."""
    if has_app_context() and "map_versions" in current_app.extensions:
        current_app.extensions["map_versions"].checked_at = float("-inf")


def init_app(app: Flask) -> None:
    app.extensions["map_versions"] = _Known()
    if not sa.event.contains(sa.orm.Session, "after_commit", _forget_after_commit):
        sa.event.listen(sa.orm.Session, "after_commit", _forget_after_commit)
