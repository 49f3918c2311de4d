"""Accounts: who a person is, which role they hold and for which area."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
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
    display_name: Mapped[str] = mapped_column(sa.String(60))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.RESIDENT)
    # Staff and wijkwerkers work for one gemeente.
    gemeente_id: Mapped[int | None] = mapped_column(sa.ForeignKey("gemeente.id"), index=True)
    home_buurt_id: Mapped[int | None] = mapped_column(sa.ForeignKey("buurt.id"))
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    active: Mapped[bool] = mapped_column(default=True)
    # Raised on every password change, so older sessions and remember-me cookies stop working.
    login_version: Mapped[int] = mapped_column(default=1)
    privacy_accepted_at: Mapped[datetime] = mapped_column(default=utcnow)
    email_confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Set by a wijkwerker: until then the person cannot post, comment or message, and what they
    # posted is hidden.
    # Indexed: every public listing query asks who is suspended right now.
    suspended_until: Mapped[datetime | None] = mapped_column(index=True)
    suspension_reason: Mapped[str | None] = mapped_column(sa.Text)

    gemeente: Mapped[Gemeente | None] = relationship()
    home_buurt: Mapped[Buurt | None] = relationship()
    wijken: Mapped[list[Wijk]] = relationship(secondary=wijkwerker_wijk, order_by="Wijk.code")
    buurten: Mapped[list[Buurt]] = relationship(secondary=wijkwerker_buurt, order_by="Buurt.code")

    def get_id(self) -> str:
        return f"{self.id}.{self.login_version}"

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
