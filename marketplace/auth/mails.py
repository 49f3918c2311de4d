"""The account e-mails, each with its signed link."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from marketplace.auth.models import User
from marketplace.auth.tokens import make_token, password_fingerprint
from marketplace.mail import send_mail


def send_confirmation(user: User) -> None:
    token = make_token("confirm-email", {"uid": user.id, "email": user.email})
    link = url_for("auth.confirm_email", token=token, _external=True)
    send_mail(user.email, _l("Confirm your e-mail address"), "confirm_email",
              locale=user.locale, user=user, link=link)


def send_account_exists(user: User) -> None:
    """Someone signed up with an address that has an account: tell its owner, not the visitor."""
    send_mail(user.email, _l("You already have an account"), "account_exists",
              locale=user.locale, user=user,
              login_link=url_for("auth.login", _external=True),
              reset_link=url_for("auth.forgot_password", _external=True))


def send_password_reset(user: User) -> None:
    token = make_token("reset-password",
                       {"uid": user.id, "fp": password_fingerprint(user.password_hash)})
    link = url_for("auth.reset_password", token=token, _external=True)
    send_mail(user.email, _l("Choose a new password"), "reset_password",
              locale=user.locale, user=user, link=link)


def send_email_change(user: User, new_email: str) -> None:
    token = make_token("change-email",
                       {"uid": user.id, "old_email": user.email, "new_email": new_email})
    link = url_for("accounts.confirm_email_change", token=token, _external=True)
    send_mail(new_email, _l("Confirm your new e-mail address"), "change_email",
              locale=user.locale, user=user, link=link)


def send_email_changed_notice(user: User, old_email: str) -> None:
    send_mail(old_email, _l("Your e-mail address was changed"), "email_changed",
              locale=user.locale, user=user,
              reset_link=url_for("auth.forgot_password", _external=True))


def send_password_changed_notice(user: User) -> None:
    send_mail(user.email, _l("Your password was changed"), "password_changed",
              locale=user.locale, user=user,
              reset_link=url_for("auth.forgot_password", _external=True))
