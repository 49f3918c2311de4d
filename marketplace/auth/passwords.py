"""Password hashing (argon2id) and the password rules: long enough and not a common one."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 10
MAX_LENGTH = 256  # hashing megabytes of "password" is a cheap way to load the server

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified when the e-mail address is unknown, so a log-in takes as long either way.
_DUMMY_HASH = _hasher.hash("no such account, but take the same time")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; always spends one argon2 verification."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@cache
def _common_passwords() -> frozenset[str]:
    # zxcvbn ships the 30,000 most used passwords from public breach corpora.
    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common_password(password: str) -> bool:
    return password.lower() in _common_passwords()
