"""Web Push: the keys that sign our messages (VAPID), the browsers that take them, and sending.

The private key comes from ``VAPID_PRIVATE_KEY`` (PEM) in production; in development it is
generated once and kept in ``instance/vapid_private_key.pem``, as the secret key is. Browsers
get the public key to subscribe with; a push service accepts a message only when it is signed
with the matching private key.
"""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import requests
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from flask import current_app
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from marketplace import clock
from marketplace.auth.models import User
from marketplace.delivery import Undeliverable
from marketplace.delivery.models import Delivery, PushSubscription
from marketplace.extensions import db
from marketplace.refused import Refused

# How long a push service keeps a message for a phone that is off (seconds).
TIME_TO_LIVE = 24 * 3600
# Push services are well-known hosts on https; anything else is not a push subscription.
MAX_ENDPOINT = 1000


class SubscriptionRefused(Refused):
    """What the browser sent is not a push subscription."""


def _key_path(app) -> Path:
    return Path(app.instance_path) / "vapid_private_key.pem"


@cache
def _vapid_from_pem(pem: str) -> Vapid02:
    return Vapid02.from_pem(pem.encode())


def available() -> bool:
    """Push messages can be signed: a key is configured, or this is not production."""
    config = current_app.config
    return bool(config.get("VAPID_PRIVATE_KEY")) or not config.get("REQUIRE_SECRET_KEY")


def vapid() -> Vapid02:
    """The signing key: configured, or generated once for this instance (development)."""
    config = current_app.config
    pem = config.get("VAPID_PRIVATE_KEY")
    if not pem:
        if config.get("REQUIRE_SECRET_KEY"):
            raise RuntimeError("Set VAPID_PRIVATE_KEY (see README) to send push messages.")
        path = _key_path(current_app)
        if not path.exists():
            key = Vapid02()
            key.generate_keys()
            path.parent.mkdir(parents=True, exist_ok=True)
            key.save_key(str(path))
            path.chmod(0o600)
        pem = path.read_text()
    return _vapid_from_pem(pem)


def public_key() -> str:
    """The public key as browsers take it (``applicationServerKey``): base64url, unpadded."""
    raw = vapid().public_key.public_bytes(serialization.Encoding.X962,
                                          serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


# One person's browsers that take push messages; a new one beyond this replaces the oldest.
MAX_DEVICES = 10


def _text(value, limit: int) -> str:
    if not isinstance(value, str) or not value or len(value) > limit:
        raise SubscriptionRefused("not a push subscription")
    return value


def _key(value, size: int, limit: int) -> str:
    """A base64url key of ``size`` bytes, as the browser made it; anything else is refused
    now, not failed on twelve times later."""
    text = _text(value, limit)
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError as error:
        raise SubscriptionRefused("not a push subscription") from error
    if len(raw) != size or (size == 65 and raw[0] != 4):
        raise SubscriptionRefused("not a push subscription")
    return text


def is_push_service(endpoint: str) -> bool:
    """Only the browsers' push services (``PUSH_SERVICES``): the worker posts to this address,
    and must not be sent to a host inside our own network."""
    config = current_app.config
    try:
        parts = urlsplit(endpoint)
        host, port = parts.hostname or "", parts.port
    except ValueError:  # a port that is no number, a broken IPv6 address
        return False
    if config.get("PUSH_ALLOW_HTTP") and parts.scheme == "http" and host == "127.0.0.1":
        return True  # the tests' stand-in push service
    return parts.scheme == "https" and port in (None, 443) and any(
        host == known or host.endswith("." + known) for known in config["PUSH_SERVICES"])


def subscribe(user: User, data: dict, login_session_id: int | None) -> PushSubscription:
    """Keep the browser's subscription (the JSON of ``PushSubscription``) for ``user``, for as
    long as their login on it lasts. A browser that took messages for someone else before takes
    them for ``user`` only, and what still waited for the other person is not shown to them."""
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        raise SubscriptionRefused("not a push subscription")
    endpoint = _text(data.get("endpoint"), MAX_ENDPOINT)
    if not is_push_service(endpoint):
        raise SubscriptionRefused("not a push subscription")
    p256dh = _key(data["keys"].get("p256dh"), 65, 200)
    auth = _key(data["keys"].get("auth"), 16, 100)
    if login_session_id is None:
        raise SubscriptionRefused("no login to tie the subscription to")
    subscription = db.session.scalar(sa.select(PushSubscription).where(
        PushSubscription.endpoint == endpoint))
    if subscription is not None and subscription.user_id != user.id:
        db.session.delete(subscription)  # and what still waited for the other person with it
        db.session.flush()
        subscription = None
    if subscription is None:
        subscription = PushSubscription(user_id=user.id, endpoint=endpoint)
        db.session.add(subscription)
    subscription.login_session_id = login_session_id  # a new login on the same browser
    subscription.p256dh, subscription.auth, subscription.created_at = p256dh, auth, clock.now()
    db.session.flush()
    newest = (sa.select(PushSubscription.id).where(PushSubscription.user_id == user.id)
              .order_by(PushSubscription.created_at.desc(), PushSubscription.id.desc())
              .limit(MAX_DEVICES))
    db.session.execute(sa.delete(PushSubscription).where(
        PushSubscription.user_id == user.id,
        PushSubscription.id.not_in(sa.select(newest.subquery().c.id)))
        .execution_options(synchronize_session=False))
    return subscription


def unsubscribe(user: User, endpoint: str | None) -> int:
    """Forget this browser (or, without an endpoint, every browser) of ``user``."""
    query = sa.delete(PushSubscription).where(PushSubscription.user_id == user.id)
    if endpoint is not None:
        query = query.where(PushSubscription.endpoint == endpoint)
    return db.session.execute(query.execution_options(synchronize_session=False)).rowcount


def has_devices(user_id: int) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(PushSubscription.user_id == user_id)))


def push(delivery: Delivery) -> None:
    """Hand one message to the browser's push service; raises when it was not accepted."""
    subscription = db.session.get(PushSubscription, delivery.push_subscription_id)
    if subscription is None or subscription.user_id != delivery.user_id:
        raise Undeliverable("the browser no longer takes push messages for this person")
    if not is_push_service(subscription.endpoint):  # the list of services may have changed
        raise Undeliverable("not a push service")
    info = {"endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
    with requests.Session() as session:
        session.max_redirects = 0  # a push service answers; it does not send us elsewhere
        try:
            webpush(info, delivery.payload.decode(), vapid_private_key=vapid(),
                    vapid_claims={"sub": current_app.config["VAPID_SUBJECT"]},
                    ttl=TIME_TO_LIVE, timeout=20, requests_session=session)
        except WebPushException as error:
            status = error.response.status_code if error.response is not None else None
            if status in (404, 410):  # the subscription ended: this browser is gone
                db.session.delete(subscription)  # committed with the attempt's outcome
                raise Undeliverable(f"push service answered {status}: subscription ended") \
                    from error
            if status in (400, 403, 413):  # refused as sent (403: our key changed)
                raise Undeliverable(f"push service answered {status}") from error
            raise WebPushException(f"push service answered {status}") from None
