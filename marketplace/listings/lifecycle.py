"""The statuses a listing may move between, per kind."""

from marketplace.listings.models import ListingKind, ListingStatus

S = ListingStatus
_INITIATIVE = {
    S.DRAFT: {S.OPEN},
    S.PENDING: set(),  # only a moderator decides
    S.OPEN: {S.RUNNING, S.STOPPED},
    S.RUNNING: {S.REALISED, S.STOPPED},
    S.REALISED: set(),
    S.STOPPED: set(),
}
_OFFER_OR_REQUEST = {
    S.DRAFT: {S.OPEN},
    S.PENDING: set(),
    S.OPEN: {S.CLOSED},
    S.CLOSED: {S.OPEN},  # offered again, asked again
}
TRANSITIONS = {
    ListingKind.INITIATIVE: _INITIATIVE,
    ListingKind.OFFER: _OFFER_OR_REQUEST,
    ListingKind.REQUEST: _OFFER_OR_REQUEST,
}
FINAL_STATUSES = {S.REALISED, S.STOPPED, S.CLOSED}


def next_statuses(kind: ListingKind, status: ListingStatus) -> list[ListingStatus]:
    """The statuses the owner may move a listing to, in a stable order."""
    allowed = TRANSITIONS[kind].get(status, set())
    return [s for s in ListingStatus if s in allowed]


def may_move(kind: ListingKind, current: ListingStatus, target: ListingStatus) -> bool:
    return target in TRANSITIONS[kind].get(current, set())
