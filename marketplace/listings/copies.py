"""Starting a new listing as a copy of another (a recipe another buurt published, for one):
which listings may be copied is for the features that offer them to say."""

from __future__ import annotations

from collections.abc import Callable

from marketplace.ids import parse_id
from marketplace.listings.models import Listing

Source = Callable[[int], Listing | None]
_sources: list[Source] = []


def register_source(source: Source) -> None:
    """``source(listing_id)`` gives the listing when it may be copied, else None."""
    if source not in _sources:
        _sources.append(source)


def source_for(value: str | None) -> Listing | None:
    """The listing to copy named by ``value`` (an id from the address or the form), if any
    feature offers it for copying."""
    listing_id = parse_id(value)
    if listing_id is None:
        return None
    return next((found for source in _sources if (found := source(listing_id)) is not None),
                None)
