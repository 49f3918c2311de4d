"""The triggers that keep ``map_cell`` and ``map_version`` in step with the listings.

In the database rather than in Python because listings change in many ways: forms, conditional
``UPDATE … WHERE status = …`` statements, moderation, erasure, bulk imports, the demo. A trigger
sees them all, inside the same transaction, and adds and subtracts (``count + 1``), which two
transactions can do at the same time without losing either.

What counts as public here is :func:`marketplace.listings.queries.publicly_visible` without the
suspension part (which the answer applies, see ``MapCell``): a public status and not hidden.

Migration 0017 creates what :func:`create_statements` returns; a later change of the levels or
of what counts needs a migration that drops and creates them again. A SQLite batch migration that
rebuilds the listing or photo table drops these triggers with it and must create them again
(tests/test_map_data.py checks that they exist at the head).
"""

from __future__ import annotations

from marketplace.listings.models import PUBLIC_STATUSES
from marketplace.mapdata.grid import EPOCH_LEVEL, ROLLUP_LEVELS, VERSION_LEVELS

# Columns whose change moves a listing between cells or counts.
_COUNTED = ("status", "hidden_at", "kind", "category_id", "public_lat", "public_lon")
# Columns whose change changes an answer: a pin's title, its buurt, its order, whether a text
# filter finds it, whether its owner is suspended.
_SHOWN = (*_COUNTED, "title", "description", "buurt_id", "created_at", "owner_id")

SQLITE_TRIGGERS = ("map_listing_insert", "map_listing_delete", "map_listing_count_old",
                   "map_listing_count_new", "map_listing_show_old", "map_listing_show_new",
                   "map_photo_insert", "map_photo_delete", "map_category_update",
                   "map_buurt_update")


def _cell(dialect: str, row: str, level: int) -> tuple[str, str]:
    def index(expression: str) -> str:
        if dialect == "postgresql":
            return f"floor({expression})::integer"
        return f"CAST({expression} AS INTEGER)"  # positive, so truncating is flooring

    scale = 1 << level
    return (index(f"({row}.public_lon + 180.0) / 360.0 * {scale}"),
            index(f"({row}.public_lat + 90.0) / 180.0 * {scale}"))


def _public(row: str) -> str:
    statuses = ", ".join(f"'{status.value}'" for status in PUBLIC_STATUSES)
    return f"{row}.status IN ({statuses}) AND {row}.hidden_at IS NULL"


def _changed(columns: tuple[str, ...], dialect: str) -> str:
    differs = "IS DISTINCT FROM" if dialect == "postgresql" else "IS NOT"
    return "(" + " OR ".join(f"OLD.{name} {differs} NEW.{name}" for name in columns) + ")"


def _count(dialect: str, row: str, sign: str) -> str:
    values = ",\n  ".join(
        f"({level}, {', '.join(_cell(dialect, row, level))}, {row}.kind, {row}.status, "
        f"{row}.category_id, {sign}1, {sign}{row}.public_lat, {sign}{row}.public_lon)"
        for level in ROLLUP_LEVELS)
    return (
        "INSERT INTO map_cell (level, x, y, kind, status, category_id, listings, lat_sum, lon_sum)"
        f"\nVALUES {values}\nON CONFLICT (level, x, y, kind, status, category_id) DO UPDATE SET "
        "listings = map_cell.listings + excluded.listings, "
        "lat_sum = map_cell.lat_sum + excluded.lat_sum, "
        "lon_sum = map_cell.lon_sum + excluded.lon_sum")


def _bump_values(dialect: str, row: str) -> str:
    return ",\n  ".join(f"({level}, {', '.join(_cell(dialect, row, level))}, 1)"
                        for level in VERSION_LEVELS)


_BUMP_CONFLICT = "ON CONFLICT (level, x, y) DO UPDATE SET version = map_version.version + 1"
BUMP_EPOCH = (f"INSERT INTO map_version (level, x, y, version) VALUES ({EPOCH_LEVEL}, 0, 0, 1) "
              f"{_BUMP_CONFLICT}")


def _bump(dialect: str, row: str) -> str:
    return (f"INSERT INTO map_version (level, x, y, version)\nVALUES {_bump_values(dialect, row)}"
            f"\n{_BUMP_CONFLICT}")


def _bump_for_photo(dialect: str, row: str) -> str:
    """A pin's thumbnail changed: the areas of its listing, if that is public."""
    selects = "\nUNION ALL ".join(
        f"SELECT {level}, {', '.join(_cell(dialect, 'l', level))}, 1 FROM listing l "
        f"WHERE l.id = {row}.listing_id AND {_public('l')}" for level in VERSION_LEVELS)
    return f"INSERT INTO map_version (level, x, y, version)\n{selects}\n{_BUMP_CONFLICT}"


def _sqlite_statements() -> list[str]:
    d = "sqlite"

    def trigger(name: str, event: str, when: str, *body: str) -> str:
        statements = "".join(f"  {statement};\n" for statement in body)
        return f"CREATE TRIGGER {name} AFTER {event}\nWHEN {when}\nBEGIN\n{statements}END"

    return [
        trigger("map_listing_insert", "INSERT ON listing", _public("NEW"),
                _bump(d, "NEW"), _count(d, "NEW", "+")),
        trigger("map_listing_delete", "DELETE ON listing", _public("OLD"),
                _bump(d, "OLD"), _count(d, "OLD", "-")),
        trigger("map_listing_count_old", "UPDATE ON listing",
                f"{_public('OLD')} AND {_changed(_COUNTED, d)}", _count(d, "OLD", "-")),
        trigger("map_listing_count_new", "UPDATE ON listing",
                f"{_public('NEW')} AND {_changed(_COUNTED, d)}", _count(d, "NEW", "+")),
        trigger("map_listing_show_old", "UPDATE ON listing",
                f"{_public('OLD')} AND {_changed(_SHOWN, d)}", _bump(d, "OLD")),
        trigger("map_listing_show_new", "UPDATE ON listing",
                f"{_public('NEW')} AND {_changed(_SHOWN, d)}", _bump(d, "NEW")),
        trigger("map_photo_insert", "INSERT ON photo", "1", _bump_for_photo(d, "NEW")),
        trigger("map_photo_delete", "DELETE ON photo", "1", _bump_for_photo(d, "OLD")),
        trigger("map_category_update", "UPDATE ON category", "1", BUMP_EPOCH),
        trigger("map_buurt_update", "UPDATE OF name, code ON buurt", "1", BUMP_EPOCH),
    ]


def _postgresql_statements() -> list[str]:
    """Constraint triggers, deferred to the commit: the rows they write (the world's version
    above all) are locked only while the transaction commits, not while it works; and each takes
    the versions first, the world's first of all, so two transactions never wait on each other
    in opposite order."""
    d = "postgresql"
    listing_function = f"""CREATE FUNCTION map_listing_changed() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF {_public('NEW')} THEN
      {_bump(d, 'NEW')};
      {_count(d, 'NEW', '+')};
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    IF {_public('OLD')} THEN
      {_bump(d, 'OLD')};
      {_count(d, 'OLD', '-')};
    END IF;
  ELSE
    IF {_changed(_SHOWN, d)} THEN
      IF {_public('OLD')} THEN {_bump(d, 'OLD')}; END IF;
      IF {_public('NEW')} THEN {_bump(d, 'NEW')}; END IF;
    END IF;
    IF {_changed(_COUNTED, d)} THEN
      IF {_public('OLD')} THEN {_count(d, 'OLD', '-')}; END IF;
      IF {_public('NEW')} THEN {_count(d, 'NEW', '+')}; END IF;
    END IF;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql"""
    photo_function = f"""CREATE FUNCTION map_photo_changed() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN {_bump_for_photo(d, 'NEW')};
  ELSE {_bump_for_photo(d, 'OLD')};
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql"""
    epoch_function = f"""CREATE FUNCTION map_epoch_changed() RETURNS trigger AS $$
BEGIN
  {BUMP_EPOCH};
  RETURN NULL;
END $$ LANGUAGE plpgsql"""
    return [
        listing_function, photo_function, epoch_function,
        "CREATE CONSTRAINT TRIGGER map_listing_changed AFTER INSERT OR UPDATE OR DELETE ON "
        "listing DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "
        "map_listing_changed()",
        "CREATE CONSTRAINT TRIGGER map_photo_changed AFTER INSERT OR DELETE ON photo "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION map_photo_changed()",
        "CREATE TRIGGER map_category_changed AFTER UPDATE ON category "
        "FOR EACH STATEMENT EXECUTE FUNCTION map_epoch_changed()",
        "CREATE TRIGGER map_buurt_changed AFTER UPDATE OF name, code ON buurt "
        "FOR EACH STATEMENT EXECUTE FUNCTION map_epoch_changed()",
    ]


def create_statements(dialect: str) -> list[str]:
    return _postgresql_statements() if dialect == "postgresql" else _sqlite_statements()


def drop_statements(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return ["DROP TRIGGER map_listing_changed ON listing",
                "DROP TRIGGER map_photo_changed ON photo",
                "DROP TRIGGER map_category_changed ON category",
                "DROP TRIGGER map_buurt_changed ON buurt",
                "DROP FUNCTION map_listing_changed()", "DROP FUNCTION map_photo_changed()",
                "DROP FUNCTION map_epoch_changed()"]
    return [f"DROP TRIGGER {name}" for name in SQLITE_TRIGGERS]


def rebuild_statements(dialect: str) -> list[str]:
    """Counts for the listings already there, from scratch (after the migration, or to repair)."""
    statements = ["DELETE FROM map_cell"]
    for level in ROLLUP_LEVELS:
        x, y = _cell(dialect, "listing", level)
        statements.append(
            "INSERT INTO map_cell (level, x, y, kind, status, category_id, listings, lat_sum, "
            f"lon_sum)\nSELECT {level}, {x}, {y}, kind, status, category_id, count(*), "
            f"sum(public_lat), sum(public_lon) FROM listing WHERE {_public('listing')} "
            "GROUP BY 2, 3, kind, status, category_id")
    return statements


def after_bulk_load_statements(dialect: str) -> list[str]:
    """Loading many listings in one transaction (a benchmark, a migration of old data): drop
    the triggers first (:func:`drop_statements`), then run these. Row by row, one transaction
    writing the same counters a hundred thousand times is slow on PostgreSQL (every update of a
    row adds a version that the next one must step over); counting once at the end is not. The
    epoch moves on, so every validator changes."""
    return [*create_statements(dialect), *rebuild_statements(dialect), BUMP_EPOCH]
