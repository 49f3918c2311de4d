"""Words for commitment states and for the respond button per kind of listing."""

from flask_babel import lazy_gettext as _l

from marketplace.commitments.models import CommitmentStatus
from marketplace.listings.models import ListingKind

COMMITMENT_STATUS_LABELS = {
    CommitmentStatus.PENDING: _l("waiting for an answer"),
    CommitmentStatus.ACCEPTED: _l("accepted"),
    CommitmentStatus.DECLINED: _l("declined"),
    CommitmentStatus.WITHDRAWN: _l("withdrawn"),
    CommitmentStatus.DONE: _l("done"),
}
RESPOND_LABELS = {
    ListingKind.INITIATIVE: _l("I'll help"),
    ListingKind.OFFER: _l("I would like this"),
    ListingKind.REQUEST: _l("I can help"),
}
