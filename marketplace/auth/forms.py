"""Sign-up, log-in and password forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from marketplace.auth import passwords


class NewPassword:
    """At least 10 characters and not one of the most used passwords; no composition rules."""

    def __call__(self, form, field) -> None:
        value = field.data or ""
        if len(value) < passwords.MIN_LENGTH:
            raise ValidationError(
                _l("Use at least %(count)d characters. A short sentence is easy to remember.",
                   count=passwords.MIN_LENGTH))
        if len(value) > passwords.MAX_LENGTH:
            raise ValidationError(
                _l("Use at most %(count)d characters.", count=passwords.MAX_LENGTH))
        if passwords.is_common_password(value):
            raise ValidationError(
                _l("This password is one of the most used ones and easy to guess. Choose another."))
        email = getattr(form, "email", None)
        if email is not None and email.data and value.lower() == email.data.strip().lower():
            raise ValidationError(_l("Your password may not be your e-mail address."))


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def email_field(label=None) -> EmailField:
    return EmailField(label or _l("E-mail address"), filters=[_strip],
                      validators=[DataRequired(), Email(), Length(max=254)],
                      render_kw={"autocomplete": "email"})


def new_password_field(label=None) -> PasswordField:
    return PasswordField(
        label or _l("Password"),
        validators=[DataRequired(), NewPassword()],
        description=_l("At least 10 characters. No other rules: a sentence works well."),
        render_kw={"autocomplete": "new-password"},
    )


class SignUpForm(FlaskForm):
    email = email_field()
    display_name = StringField(
        _l("Name shown to others"),
        validators=[DataRequired(), Length(min=2, max=60)],
        description=_l("Your first name or a nickname. Other residents see this name."),
        render_kw={"autocomplete": "nickname"},
    )
    password = new_password_field()
    accept_privacy = BooleanField(
        _l("I have read the privacy statement and agree to it"),
        validators=[DataRequired(_l("You can only sign up if you agree to the privacy statement."))],
    )


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Stay logged in on this device"))


class ForgotPasswordForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password = new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", _l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )
