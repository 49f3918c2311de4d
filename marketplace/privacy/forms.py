"""Forms for deleting an account: by the person (with their password) or by an admin."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, TextAreaField
from wtforms.validators import DataRequired, Length

MAX_REASON = 1000


class DeleteOwnAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})
    confirm = BooleanField(_l("I understand that my account and my data are deleted for good"),
                           validators=[DataRequired(_l("Tick the box to confirm."))])


class DeleteAccountForm(FlaskForm):
    reason = TextAreaField(
        _l("Why"), validators=[DataRequired(), Length(max=MAX_REASON)],
        description=_l("A reference to the request, such as its date and the number of the "
                       "letter or ticket; no names: it stays in the audit log."),
        render_kw={"rows": 3, "maxlength": MAX_REASON})
    confirm = BooleanField(_l("Delete this account and its personal data for good"),
                           validators=[DataRequired(_l("Tick the box to confirm."))])
