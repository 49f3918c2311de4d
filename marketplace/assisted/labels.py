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
