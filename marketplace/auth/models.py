"""Accounts: who a person is, which role they hold and for which area."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace import clock
from marketplace.extensions import db
from marketplace.geo.models import Buurt, Gemeente, Wijk
from marketplace.models_base import str_enum, utcnow


class Role(enum.StrEnum):
    RESIDENT = "resident"
    WIJKWERKER = "wijkwerker"
    STAFF = "staff"
    ADMIN = "admin"


# The wijken and buurten a wijkwerker moderates.
wijkwerker_wijk = sa.Table(
    "wijkwerker_wijk",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("wijk_id", sa.ForeignKey("wijk.id", ondelete="CASCADE"), primary_key=True),
)
wijkwerker_buurt = sa.Table(
    "wijkwerker_buurt",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("buurt_id", sa.ForeignKey("buurt.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)  # stored lower-case
    # The name a person chose; shown as display_name (a deleted account shows no name).
    name: Mapped[str] = mapped_column("display_name", sa.String(60))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.RESIDENT)
    # Staff and wijkwerkers work for one gemeente.
    gemeente_id: Mapped[int | None] = mapped_column(sa.ForeignKey("gemeente.id"), index=True)
    home_buurt_id: Mapped[int | None] = mapped_column(sa.ForeignKey("buurt.id"))
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    active: Mapped[bool] = mapped_column(default=True)
    privacy_accepted_at: Mapped[datetime] = mapped_column(default=utcnow)
    email_confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Set by a wijkwerker: until then the person cannot post, comment or message, and what they
    # posted is hidden.
    # Indexed: every public listing query asks who is suspended right now.
    suspended_until: Mapped[datetime | None] = mapped_column(index=True)
    suspension_reason: Mapped[str | None] = mapped_column(sa.Text)
    # Set when the account was deleted: the row stays so that what others rely on (an
    # initiative with helpers, a reply in a thread) keeps its author, but it holds no personal
    # data any more and nobody can log in with it.
    deleted_at: Mapped[datetime | None]

    gemeente: Mapped[Gemeente | None] = relationship()
    home_buurt: Mapped[Buurt | None] = relationship()
    wijken: Mapped[list[Wijk]] = relationship(secondary=wijkwerker_wijk, order_by="Wijk.code")
    buurten: Mapped[list[Buurt]] = relationship(secondary=wijkwerker_buurt, order_by="Buurt.code")

    # The login session this request came with (set when loading or logging in); what
    # Flask-Login keeps in the session cookie and the remember-me cookie.
    login_token = None

    def get_id(self) -> str | None:
        return self.login_token

    # Flask-Login's UserMixin compares people by get_id(), which is now their login session:
    # two people without one would be "equal". A person is their row; the session's identity
    # map gives each row one object.
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    @hybrid_property
    def display_name(self) -> str:
        """The chosen name; "Former resident" once the account is deleted."""
        return str(_l("Former resident")) if self.deleted_at is not None else self.name

    @display_name.inplace.setter
    def _set_display_name(self, value: str) -> None:
        self.name = value

    @display_name.inplace.expression
    @classmethod
    def _display_name_sql(cls) -> sa.ColumnElement[str]:
        return cls.name

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > clock.now()

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class LoginSession(db.Model):
    """One logged-in browser. Its cookie holds the session's id and a random key, of which only
    a digest is stored; logging out deletes the row, so a copied cookie dies with it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    key_digest: Mapped[str] = mapped_column(sa.String(64))
    remember: Mapped[bool] = mapped_column(default=False)
    # "Firefox · Android": enough to tell one's devices apart on the devices page, no more.
    device: Mapped[str] = mapped_column(sa.String(40), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Moved on at most every few minutes; a session unused for too long has ended.
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    user: Mapped[User] = relationship()
