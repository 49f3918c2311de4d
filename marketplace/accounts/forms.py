"""Forms for a person's own account: profile, password and e-mail address."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from marketplace.auth.forms import email_field, new_password_field
from marketplace.geo.fields import BuurtField


class ProfileForm(FlaskForm):
    display_name = StringField(_l("Name shown to others"),
                               validators=[DataRequired(), Length(min=2, max=60)])
    home_buurt = BuurtField(_l("My buurt"),
                            description=_l("Type part of its name, your gemeente or your postcode "
                                           "(like 3511). Used to show what happens near you. "
                                           "Never public."))
    locale = SelectField(_l("Language"), choices=[SelectChoice("nl", "Nederlands"),
                                                        SelectChoice("en", "English")])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()],
                                     render_kw={"autocomplete": "current-password"})
    password = new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", _l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )


class ChangeEmailForm(FlaskForm):
    email = email_field(_l("New e-mail address"))
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()],
                                     render_kw={"autocomplete": "current-password"})
