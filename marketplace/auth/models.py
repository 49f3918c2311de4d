"""Accounts: who a person is, the roles they hold and for which gemeente and area."""

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
    """What a person does besides being a resident, which everyone is. A person may hold several
    (a wijkwerker who is also staff); the gemeente roles are for the gemeente they work for."""

    WIJKWERKER = "wijkwerker"
    STAFF = "staff"
    GEMEENTE_ADMIN = "gemeente_admin"  # functioneel beheerder: runs their gemeente's part
    ADMIN = "admin"  # runs the installation: every gemeente, imports, national categories


# The roles that are held for a gemeente (the person's ``gemeente``).
GEMEENTE_ROLES = frozenset({Role.WIJKWERKER, Role.STAFF, Role.GEMEENTE_ADMIN})


class RoleGrant(db.Model):
    """One role one person holds."""

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"),
                                         primary_key=True)
    # Indexed on its own: "the active wijkwerkers of …" starts from the role.
    role: Mapped[Role] = mapped_column(str_enum(Role), primary_key=True, index=True)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)


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
    # Stored lower-case. None for a resident who takes part through a gemeente employee
    # (marketplace.assisted) until they take the account over.
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    # The name a person chose; shown as display_name (a deleted account shows no name).
    name: Mapped[str] = mapped_column("display_name", sa.String(60))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))  # None: cannot log in
    # Who holds a gemeente role (staff, wijkwerker, gemeente admin) works for one gemeente.
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
    # Loaded when first asked (the policy asks about the person logged in); a page listing
    # people's roles loads them with the page (selectinload).
    grants: Mapped[list[RoleGrant]] = relationship(cascade="all, delete-orphan",
                                                   order_by=RoleGrant.role)

    # The login session this request came with (set when loading or logging in); what
    # Flask-Login keeps in the session cookie and the remember-me cookie.
    login_token = None
    # The gemeente employee working as this person right now (marketplace.assisted.acting), for
    # a resident without e-mail; None otherwise.
    assisted_by = None

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
    def roles(self) -> frozenset[Role]:
        return frozenset(grant.role for grant in self.grants)

    @roles.setter
    def roles(self, roles) -> None:
        kept = [grant for grant in self.grants if grant.role in roles]
        self.grants = kept + [RoleGrant(role=role) for role in sorted(set(roles) - self.roles)]

    def holds(self, role: Role) -> bool:
        return any(grant.role is role for grant in self.grants)

    @property
    def is_admin(self) -> bool:
        """An admin of the installation (not only of one gemeente)."""
        return self.holds(Role.ADMIN)

    @classmethod
    def holding(cls, role: Role) -> sa.ColumnElement[bool]:
        """SQL: the person holds ``role``. The few holders are looked up once through the role's
        index, not per person (a correlated EXISTS made SQLite walk every account)."""
        return cls.id.in_(sa.select(RoleGrant.user_id).where(RoleGrant.role == role))

    @classmethod
    def holding_any_role(cls) -> sa.ColumnElement[bool]:
        """SQL: the person holds some role besides resident."""
        return cls.id.in_(sa.select(RoleGrant.user_id))

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
        return f"<User {self.id} {sorted(self.roles)}>"


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
