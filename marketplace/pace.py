"""How fast a person may post: comments, replies, messages, responses, reports, progress updates
and listings, each counted per person and per address (in the rate limiter's storage, so Redis
shares the counts between servers).

An address gets :data:`ADDRESS_FACTOR` times a person's pace: a library, a buurthuis or a phone
network puts many residents behind one address.
"""

from __future__ import annotations

import math
import time

from flask import after_this_request, current_app, has_request_context
from flask_babel import lazy_ngettext
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many

from marketplace.auth.models import User
from marketplace.extensions import limiter
from marketplace.refused import TooFast

ADDRESS_FACTOR = 5
# What each action is called in the settings: RATELIMIT_<NAME>.
ACTIONS = ("comment", "message", "response", "report", "update", "listing")


def _for_address(item: RateLimitItem) -> RateLimitItem:
    return type(item)(item.amount * ADDRESS_FACTOR, item.multiples)


def keep_pace(action: str, person: User) -> None:
    """Count one ``action`` by ``person`` from this address; TooFast when either went past its
    limit (the person's words stay on the form, with how long to wait)."""
    if not (has_request_context() and limiter.enabled and current_app.config["RATELIMIT_ENABLED"]):
        return
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    address = get_remote_address()
    checks = []
    for item in parse_many(current_app.config[f"RATELIMIT_{action.upper()}"]):
        checks.append((item, f"{prefix}pace:{action}:person:{person.id}"))
        checks.append((_for_address(item), f"{prefix}pace:{action}:address:{address}"))
    passed = [limiter.limiter.hit(item, key) for item, key in checks]  # count on every key
    if all(passed):
        return
    wait = max(math.ceil(limiter.limiter.get_window_stats(item, key).reset_time - time.time())
               for (item, key), ok in zip(checks, passed, strict=True) if not ok)
    wait = max(wait, 1)

    @after_this_request
    def tell_when(response):
        response.headers["Retry-After"] = str(wait)
        return response

    if wait > 60:
        raise TooFast(lazy_ngettext("You are posting faster than we allow. Wait %(num)d minute and try "
                         "again; what you wrote is still here.",
                         "You are posting faster than we allow. Wait %(num)d minutes and try "
                         "again; what you wrote is still here.", math.ceil(wait / 60)))
    raise TooFast(lazy_ngettext("You are posting faster than we allow. Wait %(num)d second and try again; "
                     "what you wrote is still here.",
                     "You are posting faster than we allow. Wait %(num)d seconds and try again; "
                     "what you wrote is still here.", wait))
