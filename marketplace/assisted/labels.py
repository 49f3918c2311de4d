"""The words for assisted taking part."""

from flask_babel import lazy_gettext as _l

from marketplace.assisted.models import Channel, ConsentWay

CHANNEL_LABELS = {
    Channel.LETTER: _l("By letter"),
    Channel.SMS: _l("By SMS"),
}
CONTACT_LABELS = {
    Channel.LETTER: _l("Postal address"),
    Channel.SMS: _l("Mobile number"),
}
CONSENT_LABELS = {
    ConsentWay.PHONE: _l("On the phone"),
    ConsentWay.IN_PERSON: _l("In person"),
    ConsentWay.IN_WRITING: _l("In writing"),
}
# What an employee did as a resident, by the page's action (the audit log's "step").
STEP_LABELS = {
    "listings.create": _l("posted a listing"),
    "listings.edit": _l("changed a listing"),
    "listings.change_status": _l("changed the status of a listing"),
    "commitments.respond": _l("responded"),
    "commitments.act": _l("answered or changed a response"),
    "commitments.message": _l("sent a message"),
    "commitments.message_helpers": _l("wrote to the helpers"),
    "comments.post": _l("posted a comment"),
    "comments.edit": _l("changed a comment"),
    "comments.delete": _l("deleted a comment"),
    "comments.lock": _l("closed or opened the comments"),
    "following.follow": _l("followed or unfollowed a listing"),
    "following.post_update": _l("posted news"),
    "matching.dismiss": _l("hid a suggestion"),
}
