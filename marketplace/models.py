"""Every model, imported in one place so Alembic and the app see the whole schema."""

from marketplace.accountability.models import GemeenteAnswer, Pledge, RoleDecision
from marketplace.auth.models import Role, User, wijkwerker_buurt, wijkwerker_wijk
from marketplace.commitments.models import Commitment, Message
from marketplace.following.models import Follow, ProgressUpdate
from marketplace.geo.models import Buurt, Gemeente, Wijk
from marketplace.listings.models import Category, Listing, Photo, Resource, listing_co_initiator
from marketplace.matching.models import MatchDismissal
from marketplace.notifications.models import Notification, NotificationPreference
from marketplace.ownership.models import Handover, OwnershipEvent

__all__ = [
    "Buurt",
    "Category",
    "Commitment",
    "Follow",
    "Gemeente",
    "GemeenteAnswer",
    "Handover",
    "Listing",
    "MatchDismissal",
    "Message",
    "Notification",
    "NotificationPreference",
    "OwnershipEvent",
    "Photo",
    "Pledge",
    "ProgressUpdate",
    "Resource",
    "Role",
    "RoleDecision",
    "User",
    "Wijk",
    "listing_co_initiator",
    "wijkwerker_buurt",
    "wijkwerker_wijk",
]
