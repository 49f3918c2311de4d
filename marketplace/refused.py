"""The one way a domain rule says no.

Services raise a subclass of :class:`Refused` with a message for the person, already in their
language; the web layer (:mod:`marketplace.transaction`) rolls the request's changes back and
shows the message. Nothing else is needed to answer a refusal, in a form or on a button.
"""

from __future__ import annotations


class Refused(Exception):
    """A rule says no. ``str(refusal)`` is the message; ``field`` names the form field it is
    about, if one; ``status`` is the HTTP status a page shows it with."""

    status = 400

    def __init__(self, message: object = "", *, field: str | None = None):
        super().__init__(message)
        self.message = message  # may be a lazy string: translated when shown
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class Clash(Refused):
    """Someone else changed the same thing at the same moment (a unique rule in the database
    caught it). Nothing was saved; looking again shows what is there now."""

    status = 409


class Busy(Refused):
    """The database could not fit this step in (a deadlock, or a lock that did not come free in
    time). Nothing was saved; trying again a moment later works."""

    status = 503


class TooFast(Refused):
    """More posts in a short time than a person or address may make."""

    status = 429
