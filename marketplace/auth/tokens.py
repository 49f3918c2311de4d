"""Signed, expiring links for e-mail confirmation, e-mail change and password reset."""

import hashlib
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from itsdangerous.timed import TimestampSigner

from marketplace import clock
from marketplace.refused import Refused


class _ClockSigner(TimestampSigner):
    """Signs and checks with the app's clock, so tests can move time forward."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


class InvalidToken(Refused):
    """The link is forged, expired or already used."""

    def __init__(self) -> None:
        super().__init__(_l("This link is not valid (any more)."))


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt=f"buurtmarkt.{purpose}", signer=_ClockSigner
    )


def make_token(purpose: str, payload: dict[str, Any]) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int) -> dict[str, Any]:
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature) as error:
        raise InvalidToken from error
    if not isinstance(payload, dict):
        raise InvalidToken
    return payload


def password_fingerprint(password_hash: str) -> str:
    """Short digest of the current hash: a reset link dies once the password has changed."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:24]
