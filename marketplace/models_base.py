"""The declarative base every model shares, and column types used across features."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry

# Stable constraint names, so Alembic migrations read the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp that is stored in UTC and always read back timezone-aware.

    SQLite keeps no time zone, so without this a value would come back naive there and aware on
    PostgreSQL.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are refused; use timezone-aware UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def str_enum(enum_class) -> sa.Enum:
    """A Python enum stored as its string values in a VARCHAR, the same on every database."""
    return sa.Enum(enum_class, native_enum=False, length=20,
                   values_callable=lambda members: [m.value for m in members])


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class HideableMixin:
    """Content a wijkwerker, or enough open flags, can hide. Hidden content is gone for everyone
    but its author (who sees why) and the moderators of its area."""

    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(sa.Text)
    # Hidden automatically by open flags, until a wijkwerker decides; no reason of a person yet.
    hidden_by_flags: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


def render_migration_item(type_, obj, _autogen_context):
    """Write UTCDateTime into Alembic migrations as the plain column type it stores."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
