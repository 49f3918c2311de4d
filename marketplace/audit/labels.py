"""The words for audit actions."""

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "listing.approve": _l("Approved a listing"),
    "item.hide": _l("Hid content"),
    "flags.hide": _l("Hidden automatically after reports"),
    "item.restore": _l("Restored content"),
    "flags.dismiss": _l("Kept content after reports"),
    "case.escalate": _l("Handed on to an admin"),
    "listing.move": _l("Changed category or buurt"),
    "comments.lock": _l("Closed the comments"),
    "comments.unlock": _l("Opened the comments again"),
    "user.warn": _l("Warned a resident"),
    "user.suspend": _l("Suspended a resident"),
    "user.unsuspend": _l("Lifted a suspension"),
    "user.role": _l("Changed a role or permissions"),
    "user.delete": _l("Deleted an account"),
    "user.export": _l("Downloaded the data of an account"),
    "listing.co_initiator_add": _l("Added a co-initiator"),
    "listing.co_initiator_remove": _l("Removed a co-initiator"),
    "listing.handover": _l("Took over an initiative"),
    "gemeente.role": _l("Stated the gemeente's role"),
    "gemeente.settings": _l("Changed the settings of a gemeente"),
    "pledge.make": _l("Pledged support"),
    "pledge.deliver": _l("Delivered a pledge"),
    "pledge.withdraw": _l("Withdrew a pledge"),
}
