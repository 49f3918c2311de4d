"""Words people read for kinds, statuses and resource kinds, in their language."""

from flask_babel import lazy_gettext as _l

from marketplace.listings.models import ListingKind, ListingStatus, ResourceKind

KIND_LABELS = {
    ListingKind.INITIATIVE: _l("Initiative"),
    ListingKind.OFFER: _l("Offer"),
    ListingKind.REQUEST: _l("Request"),
}
KIND_PLURALS = {
    ListingKind.INITIATIVE: _l("Initiatives"),
    ListingKind.OFFER: _l("Offers"),
    ListingKind.REQUEST: _l("Requests"),
}
# The slug in the address of the "post a new ..." page.
KIND_SLUGS = {
    ListingKind.INITIATIVE: "initiatief",
    ListingKind.OFFER: "aanbod",
    ListingKind.REQUEST: "vraag",
}
KIND_BY_SLUG = {slug: kind for kind, slug in KIND_SLUGS.items()}
STATUS_LABELS = {
    ListingStatus.DRAFT: _l("Draft"),
    ListingStatus.PENDING: _l("Awaiting moderation"),
    ListingStatus.OPEN: _l("Open"),
    ListingStatus.RUNNING: _l("Running"),
    ListingStatus.REALISED: _l("Realised"),
    ListingStatus.STOPPED: _l("Stopped"),
    ListingStatus.CLOSED: _l("Closed"),
}
RESOURCE_LABELS = {
    ResourceKind.VOLUNTEERS: _l("Volunteers / help"),
    ResourceKind.MATERIALS: _l("Materials"),
    ResourceKind.SPACE: _l("Space"),
    ResourceKind.MONEY: _l("Money"),
    ResourceKind.EXPERTISE: _l("Expertise / skills"),
}
# The button that moves a listing to this status.
TRANSITION_LABELS = {
    ListingStatus.OPEN: _l("Publish"),
    ListingStatus.RUNNING: _l("Mark as running"),
    ListingStatus.REALISED: _l("Mark as realised"),
    ListingStatus.STOPPED: _l("Stop this initiative"),
    ListingStatus.CLOSED: _l("Close"),
}
