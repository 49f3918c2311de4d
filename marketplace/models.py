"""Every model, imported in one place so Alembic and the app see the whole schema."""

from marketplace.accountability.models import (
    GemeenteAnswer,
    GemeenteRequest,
    Pledge,
    RoleDecision,
)
from marketplace.assisted.models import AssistedListing, AssistedResident
from marketplace.audit.models import AuditEntry
from marketplace.auth.models import Role, RoleGrant, User, wijkwerker_buurt, wijkwerker_wijk
from marketplace.buurten.models import BuurtQuestion
from marketplace.comments.models import Comment
from marketplace.commitments.models import Commitment, Message
from marketplace.delivery.models import Delivery, PushSubscription
from marketplace.experiments.models import Experiment, Recipe, RecipeCopy
from marketplace.following.models import BuurtFollow, Follow, ProgressUpdate
from marketplace.geo.models import Buurt, Gemeente, Wijk
from marketplace.imports.models import BuurtImport
from marketplace.listings.models import Category, Listing, Photo, Resource, listing_co_initiator
from marketplace.mapdata.models import MapCell, MapVersion
from marketplace.matching.models import Match, MatchDismissal
from marketplace.moderation.models import Flag, ModerationCase
from marketplace.notifications.models import Notification, NotificationPreference
from marketplace.nudges.models import ListingNudge
from marketplace.ownership.models import Handover, OwnershipEvent
from marketplace.teams.models import InitiativeOwner, Team, team_member

__all__ = [
    "AssistedListing",
    "AssistedResident",
    "AuditEntry",
    "Buurt",
    "BuurtFollow",
    "BuurtImport",
    "BuurtQuestion",
    "Category",
    "Comment",
    "Commitment",
    "Delivery",
    "Experiment",
    "Flag",
    "Follow",
    "Gemeente",
    "GemeenteAnswer",
    "GemeenteRequest",
    "Handover",
    "InitiativeOwner",
    "Listing",
    "ListingNudge",
    "MapCell",
    "MapVersion",
    "Match",
    "MatchDismissal",
    "Message",
    "ModerationCase",
    "Notification",
    "NotificationPreference",
    "OwnershipEvent",
    "Photo",
    "Pledge",
    "ProgressUpdate",
    "PushSubscription",
    "Recipe",
    "RecipeCopy",
    "Resource",
    "Role",
    "RoleDecision",
    "RoleGrant",
    "Team",
    "User",
    "Wijk",
    "listing_co_initiator",
    "team_member",
    "wijkwerker_buurt",
    "wijkwerker_wijk",
]
