"""What other features show on a listing's page, without listings knowing them.

A feature registers a function that gives its part of the page's context (the listing, and
what the request passes on, such as a comment form with errors) and, when it has one, the
template of its own section. Listings are the floor; the features stand on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marketplace.listings.models import Listing

Context = Callable[..., dict[str, Any]]
_contexts: list[Context] = []
_sections: list[str] = []


def register(context: Context | None = None, *, section: str | None = None) -> None:
    """Add a feature's context function (called as ``context(listing, **passed_on)``) and/or
    the template of its section, shown after the listing's own parts in order of import."""
    if context is not None and context not in _contexts:
        _contexts.append(context)
    if section is not None and section not in _sections:
        _sections.append(section)


def context_for(listing: Listing, **passed_on: Any) -> dict[str, Any]:
    merged: dict[str, Any] = {"panel_sections": list(_sections)}
    for context in _contexts:
        merged.update(context(listing, **passed_on))
    return merged
