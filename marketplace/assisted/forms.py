"""Forms for registering an assisted resident, passing updates on, and taking the account over."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SearchField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from marketplace.assisted.labels import CHANNEL_LABELS, CONSENT_LABELS
from marketplace.assisted.models import Channel, ConsentWay
from marketplace.assisted.services import CODE_LENGTH, MAX_CONSENT_NOTE, MAX_CONTACT
from marketplace.auth.forms import email_field, new_password_field


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class NewResidentForm(FlaskForm):
    name = StringField(
        _l("Name shown to others"), filters=[_strip],
        validators=[DataRequired(), Length(min=2, max=60)],
        description=_l("A first name, or first name and initial. Other residents see it."))
    channel = RadioField(_l("How do updates reach them?"),
                         choices=[SelectChoice(c.value, CHANNEL_LABELS[c]) for c in Channel],
                         validators=[InputRequired()])
    contact = TextAreaField(
        _l("Postal address or mobile number"), filters=[_strip],
        validators=[DataRequired(), Length(max=MAX_CONTACT)], render_kw={"rows": 3},
        description=_l("Only you and your colleagues see this. It goes when the resident takes "
                       "over the account."))
    consent_way = RadioField(_l("How did they agree?"),
                             choices=[SelectChoice(c.value, CONSENT_LABELS[c]) for c in ConsentWay],
                             validators=[InputRequired()])
    consent = BooleanField(
        _l("The resident agrees that we post and respond for them, and keep this contact "
           "information for it."),
        validators=[DataRequired(_l("Ask the resident first. Without their yes we cannot help "
                                    "them this way."))])
    consent_note = StringField(_l("Note about the consent (optional)"), filters=[_strip],
                               validators=[Optional(), Length(max=MAX_CONSENT_NOTE)],
                               description=_l("For example: “by phone, her son was there too”."))
    language = RadioField(_l("Language for letters and texts"),
                          choices=[SelectChoice("nl", "Nederlands"),
                                   SelectChoice("en", "English")], default="nl",
                          validators=[InputRequired()])


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a search changes nothing

    q = SearchField(_l("Find a resident by name"), filters=[_strip],
                    validators=[Optional(), Length(max=60)])


class TakeOverForm(FlaskForm):
    code = StringField(
        _l("Take-over code"), filters=[_strip],
        validators=[DataRequired(), Length(min=CODE_LENGTH, max=CODE_LENGTH + 4)],
        description=_l("The code from your letter, for example ABCDE-FGHJK."),
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "characters"})
    email = email_field()
    password = new_password_field()
    accept_privacy = BooleanField(
        _l("I have read the privacy statement and agree to it"),
        validators=[DataRequired(_l("You can only sign up if you agree to the privacy statement."))])


class ForgetForm(FlaskForm):
    """The resident no longer wants help: their account goes, as any deleted account does."""

    confirm = BooleanField(
        _l("The resident withdrew their consent. Delete their account and contact details."),
        validators=[DataRequired(_l("Tick the box to confirm."))])
