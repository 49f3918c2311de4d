"""Registering assisted residents, passing their updates on, and handing the account over.

Services flush; the view that calls them commits (marketplace.transaction).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from marketplace import clock
from marketplace.assisted.models import AssistedListing, AssistedResident, Channel, ConsentWay
from marketplace.audit.services import record
from marketplace.auth import passwords
from marketplace.auth.models import User
from marketplace.auth.services import normalize_email, user_by_email
from marketplace.extensions import db
from marketplace.geo.models import Gemeente
from marketplace.notifications.models import Notification
from marketplace.notifications.services import about_visible_listing
from marketplace.notifications.texts import describe
from marketplace.refused import Refused

# A take-over code: long enough not to be guessed within the rate limit, short enough to type
# from a letter. No 0/O, 1/I/L: it is read aloud over the phone too.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
CODE_VALID = timedelta(days=60)
# One SMS is 160 characters; a longer text is sent in parts, which a basic phone shows fine.
SMS_LENGTH = 160
MAX_CONTACT = 300
MAX_CONSENT_NOTE = 300


class AssistRefused(Refused):
    """Assisting cannot go like this; the message says why."""


@dataclass
class NewResident:
    name: str
    channel: Channel
    contact: str
    consent_way: ConsentWay
    consent_note: str = ""
    locale: str | None = None


def register(employee: User, gemeente: Gemeente, data: NewResident) -> AssistedResident:
    """A resident without e-mail: an account nobody logs in to, run by the gemeente's employees
    with the resident's consent, which is recorded with who took it, when and how."""
    now = clock.now()
    person = User(email=None, password_hash=None, display_name=data.name.strip(),
                  locale=data.locale, privacy_accepted_at=now, created_at=now)
    db.session.add(person)
    db.session.flush()
    assisted = AssistedResident(user=person, gemeente=gemeente, channel=data.channel,
                                contact=data.contact.strip(), consent_way=data.consent_way,
                                consent_note=data.consent_note.strip(), consent_at=now,
                                consent_by=employee)
    db.session.add(assisted)
    db.session.flush()
    record(employee, "assisted.register", person, gemeente_id=gemeente.id,
           after={"channel": data.channel.value, "consent_way": data.consent_way.value})
    return assisted


def residents_of(gemeente: Gemeente, search: str = "") -> sa.Select:
    """The gemeente's assisted residents who did not take over their account, by name."""
    query = (sa.select(AssistedResident).join(AssistedResident.user)
             .where(AssistedResident.gemeente_id == gemeente.id,
                    AssistedResident.taken_over_at.is_(None), User.deleted_at.is_(None))
             .options(selectinload(AssistedResident.user))
             .order_by(User.name, User.id))
    if search.strip():
        escaped = search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(User.name.ilike(f"%{escaped}%", escape="\\"))
    return query


def assisted_record(person_id: int) -> AssistedResident | None:
    return db.session.get(AssistedResident, person_id)


def helped_listing(listing_id: int) -> AssistedListing | None:
    return db.session.get(AssistedListing, listing_id)


# Updates, passed on by letter or SMS ----------------------------------------------------------

@dataclass
class Update:
    id: int
    at: datetime
    text: str
    sms: str


def _sms(text: str, gemeente: Gemeente) -> str:
    """Plain text for a basic phone: no link to open, who to call instead."""
    return _("Buurtmarkt: %(news)s Call %(gemeente)s to answer.", news=text,
             gemeente=gemeente.name)


def waiting_updates(assisted: AssistedResident) -> list[Update]:
    """The resident's updates not yet passed on, oldest first, in the resident's language."""
    person = assisted.user
    notifications = db.session.scalars(
        sa.select(Notification)
        .where(Notification.user_id == person.id, Notification.read_at.is_(None),
               about_visible_listing(person.id))
        .options(selectinload(Notification.actor), selectinload(Notification.listing))
        .order_by(Notification.created_at, Notification.id)).all()
    with force_locale(person.locale or "nl"):
        return [Update(n.id, n.created_at, text := describe(n, person.locale),
                       _sms(text, assisted.gemeente)) for n in notifications]


def passed_on(employee: User, assisted: AssistedResident, update_ids: list[int]) -> int:
    """Mark these updates as passed on (read); returns how many were still waiting. Two
    employees passing on the same letter at once count each update once."""
    if not update_ids:
        raise AssistRefused(_("Choose the updates you passed on."))
    changed = db.session.scalars(
        sa.update(Notification)
        .where(Notification.user_id == assisted.user_id, Notification.read_at.is_(None),
               Notification.id.in_(update_ids))
        .values(read_at=clock.now()).returning(Notification.id)
        .execution_options(synchronize_session=False)).all()
    if changed:
        record(employee, "assisted.passed_on", assisted.user, gemeente_id=assisted.gemeente_id,
               after={"updates": len(changed), "channel": assisted.channel.value})
    return len(changed)


# Taking the account over ----------------------------------------------------------------------

def _digest(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(cleaned.encode()).hexdigest()


def readable(code: str) -> str:
    """ABCDE-FGHJK: easier to read aloud and type."""
    return f"{code[:5]}-{code[5:]}"


def make_takeover_code(employee: User, assisted: AssistedResident) -> str:
    """A new code for the resident to run the account themselves; an older code stops working.
    Returns the code, which is not kept: only its digest is."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    changed = db.session.execute(
        sa.update(AssistedResident)
        .where(AssistedResident.user_id == assisted.user_id,
               AssistedResident.taken_over_at.is_(None))
        .values(takeover_digest=_digest(code), takeover_expires_at=clock.now() + CODE_VALID)
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise AssistRefused(_("This resident already runs their own account."))
    record(employee, "assisted.code", assisted.user, gemeente_id=assisted.gemeente_id)
    return readable(code)


def take_over(code: str, email: str, password: str, locale: str | None) -> User:
    """The resident runs the account from now on: their own address and password; the
    gemeente keeps no contact details any more and can no longer act for them. The code
    works once: the first of two tries at the same moment wins."""
    digest = _digest(code)
    now = clock.now()
    email = normalize_email(email)
    claimed = db.session.execute(
        sa.update(AssistedResident)
        .where(AssistedResident.takeover_digest == digest,
               AssistedResident.takeover_expires_at > now,
               AssistedResident.taken_over_at.is_(None))
        .values(taken_over_at=now, takeover_digest=None, takeover_expires_at=None, contact="",
                consent_note="")
        .returning(AssistedResident.user_id, AssistedResident.gemeente_id)
        .execution_options(synchronize_session=False)).first()
    if claimed is None:
        raise AssistRefused(_("This code is not valid (any more). Ask the person who helped you "
                              "for a new one."), field="code")
    if user_by_email(email) is not None:
        raise AssistRefused(_("This e-mail address already has an account. Use another address, "
                              "or ask the person who helped you to hand your initiatives over "
                              "to that account."), field="email")
    person = db.session.get(User, claimed.user_id)
    person.email = email
    person.password_hash = passwords.hash_password(password)
    person.locale = person.locale or locale
    person.privacy_accepted_at = now
    # The same address signing up at this very moment is caught by its unique index: the
    # transaction layer then answers that someone else was quicker, and nothing is kept.
    db.session.flush()
    record(person, "assisted.take_over", person, gemeente_id=claimed.gemeente_id)
    return person
