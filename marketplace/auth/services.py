"""Account operations. Services flush; the view that calls them commits."""

import hashlib
import hmac

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from marketplace import clock
from marketplace.atomic import change_if, lock, lock_where
from marketplace.auth import passwords, sessions
from marketplace.auth.models import Role, User
from marketplace.auth.tokens import InvalidToken, password_fingerprint, read_token
from marketplace.extensions import db
from marketplace.geo.models import Buurt
from marketplace.refused import Refused


class WrongPassword(Refused):
    """The current password given to confirm a change is not the account's password."""

    def __init__(self) -> None:
        super().__init__(_l("This is not your current password."), field="current_password")


class EmailTaken(Refused):
    """Signing up with an address that already has an account (the page answers alike)."""


class WrongCredentials(Refused):
    """Unknown address, wrong password or blocked account: one answer for all three."""

    def __init__(self) -> None:
        super().__init__(_l("E-mail address or password is not correct."), field="password")


class EmailInUse(Refused):
    """Another account already uses this e-mail address."""

    def __init__(self) -> None:
        super().__init__(_l("Another account already uses this e-mail address."))


def is_last_admin(user: User) -> bool:
    """True when no other active admin would remain without ``user``. All admins are held
    meanwhile, so two admins removing each other at the same moment cannot both succeed."""
    if not user.is_admin:
        return False
    lock_where(User, User.holding(Role.ADMIN))
    return not db.session.scalar(sa.select(sa.func.count(User.id)).where(
        User.holding(Role.ADMIN), User.active, User.id != user.id))


def normalize_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))


def sign_up(email: str, display_name: str, password: str, locale: str | None) -> User:
    """Create a resident account; EmailTaken when the address already has one.

    Both ways do the same work (hash, insert), so they take as long: the unique address decides,
    also between two sign-ups at the same moment.
    """
    user = User(
        email=normalize_email(email),
        display_name=display_name.strip(),
        password_hash=passwords.hash_password(password),
        locale=locale,
        privacy_accepted_at=clock.now(),
    )
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as error:
        raise EmailTaken from error
    return user


def log_in(email: str, password: str, remember: bool, device: str = "") -> User:
    """Check the credentials and start a login session (see :mod:`marketplace.auth.sessions`)."""
    user = authenticate(email, password)
    if user is None or not user.is_active:
        raise WrongCredentials
    sessions.start_session(user, remember, device)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The account for these credentials, or None; unknown address and wrong password look alike."""
    user = user_by_email(email)
    if not passwords.verify_password(user.password_hash if user else None, password):
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = clock.now()
    return user


def _user_from_token(payload: dict) -> User:
    user = db.session.get(User, payload.get("uid")) if isinstance(payload.get("uid"), int) else None
    if user is None:
        raise InvalidToken
    return user


def browser_digest(secret: str) -> str:
    return hashlib.sha256(f"signup-browser:{secret}".encode()).hexdigest()[:32]


def confirm_email(token: str, max_age: int, device: str | None = None,
                  browser: str | None = None) -> tuple[User, bool]:
    """Confirm the address; returns the account and whether this click logged it in.

    The first click on the link, the one that confirms, also starts a login session, but only
    in the browser that signed up (``browser``, the secret its session kept, matches the link)
    and where nobody is logged in (``device`` given): the person just chose a password there.
    Anywhere else (someone who signed up with another's address, a mail scanner that follows
    links, a forwarded mail) the click only confirms, and logging in takes the password.
    """
    payload = read_token("confirm-email", token, max_age)
    user = _user_from_token(payload)
    if payload.get("email") != user.email:
        raise InvalidToken  # the address changed since the link was sent
    if not change_if(user, User.email_confirmed_at.is_(None), email_confirmed_at=clock.now()):
        return user, False
    expected = payload.get("browser")
    same_browser = bool(expected and browser
                        and hmac.compare_digest(str(expected), browser_digest(browser)))
    if device is None or not same_browser or not user.is_active:
        return user, False
    user.last_login_at = clock.now()
    sessions.start_session(user, False, device)
    return user, True


def _set_password(user: User, new_password: str, keep_session: str | None = None) -> None:
    """A new password ends every other login session: whoever knew the old one is out."""
    user.password_hash = passwords.hash_password(new_password)
    sessions.end_sessions(user, keep=keep_session)


def reset_password(token: str, new_password: str, max_age: int) -> User:
    """Set a new password from a reset link; the link stops working once it has been used."""
    user = user_for_reset_token(token, max_age)
    lock(user)  # the same link followed twice at once sets one password: the second sees it used
    user_for_reset_token(token, max_age)
    _set_password(user, new_password)
    # Following the link proves the person reads this mailbox.
    if user.email_confirmed_at is None:
        user.email_confirmed_at = clock.now()
    return user


def user_for_reset_token(token: str, max_age: int) -> User:
    payload = read_token("reset-password", token, max_age)
    user = _user_from_token(payload)
    if payload.get("fp") != password_fingerprint(user.password_hash):
        raise InvalidToken
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Other devices are logged out; this session stays."""
    if not passwords.verify_password(user.password_hash, current_password):
        raise WrongPassword
    _set_password(user, new_password, keep_session=user.login_token)


def check_email_change(user: User, current_password: str, new_email: str) -> str:
    """Validate a requested address change; the new address must confirm before it takes effect."""
    if not passwords.verify_password(user.password_hash, current_password):
        raise WrongPassword
    return normalize_email(new_email)


def apply_email_change(token: str, max_age: int) -> tuple[User, str]:
    """Switch to the confirmed new address; returns the user and the old address."""
    payload = read_token("change-email", token, max_age)
    user = _user_from_token(payload)
    new_email = payload.get("new_email")
    if not isinstance(new_email, str) or payload.get("old_email") != user.email:
        raise InvalidToken
    owner = user_by_email(new_email)
    if owner is not None and owner.id != user.id:
        raise EmailInUse
    old_email = user.email
    user.email = new_email
    user.email_confirmed_at = clock.now()
    return user, old_email


def update_profile(user: User, display_name: str, home_buurt: Buurt | None, locale: str) -> None:
    user.display_name = display_name.strip()
    user.home_buurt = home_buurt
    user.locale = locale
