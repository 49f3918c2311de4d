"""How fast people may act: posting (comments, replies, messages, responses, reports, progress
updates, listings), counted per person and per address, and failed log-ins per account. The
counts live in the rate limiter's storage, so Redis shares them between servers.

An address gets :data:`ADDRESS_FACTOR` times a person's pace: a library, a buurthuis or a phone
network puts many residents behind one address.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time

from flask import after_this_request, current_app, has_request_context
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many

from marketplace.auth.models import User
from marketplace.extensions import limiter
from marketplace.refused import TooFast

ADDRESS_FACTOR = 5
Check = tuple[RateLimitItem, str]


def _counting() -> bool:
    return (has_request_context() and limiter.enabled
            and bool(current_app.config["RATELIMIT_ENABLED"]))


def _key(*parts: object) -> str:
    return current_app.config.get("RATELIMIT_KEY_PREFIX", "") + ":".join(map(str, parts))


def _wait(checks: list[Check]) -> int:
    """Seconds until the fullest of ``checks`` has room again; and say so in Retry-After."""
    wait = max(1, *(math.ceil(limiter.limiter.get_window_stats(item, key).reset_time
                              - time.time()) for item, key in checks))

    @after_this_request
    def tell_when(response):
        response.headers["Retry-After"] = str(wait)
        return response

    return wait


# Posting --------------------------------------------------------------------------------------

def _for_address(item: RateLimitItem) -> RateLimitItem:
    return type(item)(item.amount * ADDRESS_FACTOR, item.multiples)


def keep_pace(action: str, person: User) -> None:
    """Count one ``action`` (comment, message, response, report, update, listing: the setting
    RATELIMIT_<ACTION>) by ``person`` from this address; TooFast when either went past its
    limit (the person's words stay on the form, with how long to wait)."""
    if not _counting():
        return
    address = get_remote_address()
    checks = []
    for item in parse_many(current_app.config[f"RATELIMIT_{action.upper()}"]):
        checks.append((item, _key("pace", action, "person", person.id)))
        checks.append((_for_address(item), _key("pace", action, "address", address)))
    passed = [limiter.limiter.hit(item, key) for item, key in checks]  # count on every key
    if all(passed):
        return
    wait = _wait([check for check, ok in zip(checks, passed, strict=True) if not ok])
    if wait > 60:
        raise TooFast(lazy_ngettext(
            "You are posting faster than we allow. Wait %(num)d minute and try again; what you "
            "wrote is still here.",
            "You are posting faster than we allow. Wait %(num)d minutes and try again; what you "
            "wrote is still here.", math.ceil(wait / 60)))
    raise TooFast(lazy_ngettext(
        "You are posting faster than we allow. Wait %(num)d second and try again; what you "
        "wrote is still here.",
        "You are posting faster than we allow. Wait %(num)d seconds and try again; what you "
        "wrote is still here.", wait))


# Failed log-ins per account -------------------------------------------------------------------

def _account_checks(email: str) -> list[Check]:
    """The account's counters. The address is keyed with the secret key, so the limiter's
    storage holds no e-mail addresses; unknown addresses are counted the same way."""
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), email.strip().lower().encode(),
                      hashlib.sha256).hexdigest()[:32]
    return [(item, _key("login-account", digest))
            for item in parse_many(current_app.config["RATELIMIT_LOGIN_ACCOUNT"])]


def refuse_guessing(email: str) -> None:
    """TooFast when this account had too many wrong passwords lately, whatever the addresses
    they came from; then even the right password waits (or the owner resets it)."""
    if not _counting():
        return
    checks = _account_checks(email)
    full = [(item, key) for item, key in checks if not limiter.limiter.test(item, key)]
    if full:
        _wait(full)
        raise TooFast(_l("Too many wrong passwords for this account. Wait a while before you "
                         "try again, or choose a new password with “Forgot your password?”."),
                      field="password")


def count_wrong_password(email: str) -> None:
    if _counting():
        for item, key in _account_checks(email):
            limiter.limiter.hit(item, key)


def forget_wrong_passwords(email: str) -> None:
    """A new password set through the reset link lets the owner in again at once."""
    if _counting():
        for item, key in _account_checks(email):
            limiter.limiter.clear(item, key)
