"""What happens to listings, for features that react to it without listings knowing them.

Listings are the floor other features stand on: matching, for one, connects to
:data:`published` instead of being called from here.
"""

from blinker import Namespace

_events = Namespace()

# Sent with the listing (flushed, in the publishing transaction) when it opens to everyone for
# the first time; receivers write in the same transaction or queue a job after it.
published = _events.signal("listing-published")
# Sent with the listing (flushed) when its owner saved changes to it: text, place or needs.
changed = _events.signal("listing-changed")
# Sent with the new listing (flushed) and ``source``, the listing it was copied from
# (listings.copies), in the transaction that creates it.
copied = _events.signal("listing-copied")
