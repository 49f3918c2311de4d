"""The words for flag reasons, item types and case causes."""

from flask_babel import lazy_gettext as _l

from marketplace.moderation.models import CaseCause, FlagReason, ItemType

REASON_LABELS = {
    FlagReason.SPAM: _l("Spam or advertising"),
    FlagReason.OFFENSIVE: _l("Offensive or hurtful"),
    FlagReason.PERSONAL_DATA: _l("Shares personal data"),
    FlagReason.OFF_TOPIC: _l("Not about this buurt"),
    FlagReason.OTHER: _l("Something else"),
}
ITEM_LABELS = {
    ItemType.LISTING: _l("Listing"),
    ItemType.COMMENT: _l("Comment"),
    ItemType.MESSAGE: _l("Message"),
}
CAUSE_LABELS = {
    CaseCause.APPROVAL: _l("Waits for approval"),
    CaseCause.FLAGS: _l("Reported"),
}
# The item types as they appear in addresses.
ITEM_SLUGS = {ItemType.LISTING: "aanbod", ItemType.COMMENT: "opmerking",
              ItemType.MESSAGE: "bericht"}
