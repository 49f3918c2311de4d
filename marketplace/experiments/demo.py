"""The demo's experiments and recipes: two initiatives realised weeks ago, one of them tried as
an experiment with what its initiators and the gemeente learned, both offered as recipes."""

from __future__ import annotations

from datetime import timedelta

from marketplace import clock
from marketplace.auth.models import User
from marketplace.experiments.models import Experiment, Recipe
from marketplace.extensions import db
from marketplace.listings.models import Listing, ListingStatus

LEARNED = [
    ("Houden buren het zelf bij, zonder vaste hulp van de gemeente?",
     "Ja, met een rooster per straat. Zonder rooster viel het na drie weken stil.",
     "Een klein budget voor gereedschap werkte beter dan een vaste hovenier."),
]


def seed_demo_learning(staff: User, initiatives: list[Listing]) -> None:
    """Realise the two oldest running initiatives (or open ones), weeks ago; the first an
    experiment with its lessons; both recipes."""
    chosen = sorted((listing for listing in initiatives
                     if listing.status in (ListingStatus.RUNNING, ListingStatus.OPEN)),
                    key=lambda listing: listing.published_at)[:2]
    now = clock.now()
    for number, listing in enumerate(chosen):
        # Realised a few weeks after it was published, and before today.
        realised = min(listing.published_at + timedelta(days=20), now - timedelta(days=1))
        listing.status, listing.closed_at = ListingStatus.REALISED, realised
        db.session.add(Recipe(listing_id=listing.id, published_at=realised,
                              published_by_id=listing.owner_id))
        if number < len(LEARNED):
            question, lessons, gemeente_lessons = LEARNED[number]
            db.session.add(Experiment(
                listing_id=listing.id, question=question, created_at=listing.published_at,
                lessons=lessons, lessons_at=realised, lessons_by_id=listing.owner_id,
                gemeente_lessons=gemeente_lessons, gemeente_lessons_at=realised,
                gemeente_lessons_by_id=staff.id))
    db.session.flush()
