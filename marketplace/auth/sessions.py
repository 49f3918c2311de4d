"""Login sessions kept on the server: logging out ends one for good, "log out everywhere" ends
them all, and a session unused for too long ends by itself.

The cookie (the session cookie, and the remember-me cookie when chosen) holds "<id>.<key>"; the
database keeps a digest of the key, so reading the database gives nobody a way in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import OperationalError

from marketplace import clock
from marketplace.auth.models import LoginSession, User
from marketplace.extensions import db

# How often "last seen" is written: often enough for the idle limit, rarely enough to cost nothing.
TOUCH_EVERY = timedelta(minutes=5)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def idle_limit(remember: bool) -> timedelta:
    """How long a session may go unused: short on a shared computer, long with "remember me"."""
    config = current_app.config
    return (timedelta(days=config["REMEMBER_IDLE_DAYS"]) if remember
            else timedelta(minutes=config["SESSION_IDLE_MINUTES"]))


# The first name found in the browser's User-Agent wins (Edge and Opera also say "Chrome").
_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
            ("Windows", "Windows"), ("Mac OS X", "Mac"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


def device_label(user_agent: str | None) -> str:
    """"Firefox · Android" from a User-Agent; the rest of it is not kept."""
    user_agent = user_agent or ""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    return " · ".join(part for part in (browser, system) if part)


def start_session(user: User, remember: bool, device: str = "") -> str:
    """A new session for ``user``; returns the token for the cookie (also set on the user)."""
    key = secrets.token_urlsafe(32)
    login = LoginSession(user_id=user.id, key_digest=_digest(key), remember=remember,
                         device=device[:40], created_at=clock.now(), last_seen_at=clock.now())
    db.session.add(login)
    db.session.flush()
    user.login_token = f"{login.id}.{key}"
    return user.login_token


def _parse(token: str | None) -> tuple[int, str] | None:
    session_id, _sep, key = (token or "").partition(".")
    if not session_id.isdigit() or not key or len(session_id) > 18:
        return None
    return int(session_id), key


def load_user(token: str) -> User | None:
    """The person of a live session, or None: unknown, ended, idle too long, or blocked."""
    parsed = _parse(token)
    if parsed is None:
        return None
    session_id, key = parsed
    row = db.session.execute(sa.select(LoginSession, User).join(User)
                             .where(LoginSession.id == session_id)).first()
    if row is None:
        return None
    login, user = row
    now = clock.now()
    if (not hmac.compare_digest(login.key_digest, _digest(key)) or not user.active
            or now - login.last_seen_at > idle_limit(login.remember)):
        return None
    if now - login.last_seen_at > TOUCH_EVERY:
        _touch(login.id, now)
    user.login_token = token
    return user


def _touch(session_id: int, now) -> None:
    # In a transaction of its own: most requests are reads that never commit. Best effort: a
    # busy database must not turn a page into an error for a timestamp.
    try:
        with db.engine.begin() as connection:
            connection.execute(sa.update(LoginSession).where(LoginSession.id == session_id)
                               .values(last_seen_at=now))
    except OperationalError:
        current_app.logger.warning("could not note the use of login session %s", session_id)


def end_session(token: str | None) -> None:
    """Log this session out for good: its cookies open nothing any more."""
    parsed = _parse(token)
    if parsed is not None:
        db.session.execute(sa.delete(LoginSession).where(LoginSession.id == parsed[0]))


def end_session_of(user: User, session_id: int) -> bool:
    """End one of the person's own sessions (a lost phone); True when there was one."""
    return db.session.execute(sa.delete(LoginSession).where(
        LoginSession.id == session_id, LoginSession.user_id == user.id)).rowcount == 1


def end_sessions(user: User, keep: str | None = None) -> int:
    """End every session of ``user`` (but ``keep``); returns how many ended."""
    query = sa.delete(LoginSession).where(LoginSession.user_id == user.id)
    if (parsed := _parse(keep)) is not None:
        query = query.where(LoginSession.id != parsed[0])
    return db.session.execute(query).rowcount


def sessions_of(user: User) -> list[LoginSession]:
    """The person's live sessions, most recently used first."""
    now = clock.now()
    return [login for login in db.session.scalars(
        sa.select(LoginSession).where(LoginSession.user_id == user.id)
        .order_by(LoginSession.last_seen_at.desc()))
        if now - login.last_seen_at <= idle_limit(login.remember)]


def current_session_id(user: User) -> int | None:
    parsed = _parse(user.login_token)
    return parsed[0] if parsed else None


def delete_idle_sessions() -> int:
    """Remove sessions unused for longer than the longest idle limit (for the retention job)."""
    now = clock.now()
    short = db.session.execute(sa.delete(LoginSession).where(
        LoginSession.remember.is_(False),
        LoginSession.last_seen_at < now - idle_limit(False))).rowcount
    long = db.session.execute(sa.delete(LoginSession).where(
        LoginSession.last_seen_at < now - idle_limit(True))).rowcount
    return short + long
