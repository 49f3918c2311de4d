"""The account e-mails, each with its signed link.

Each is a job on the queue (:mod:`marketplace.jobs`), called once the request's change is
committed: a page must not wait for the mail server, nor answer faster when there is no mail to
build (a sign-up or reset form would then tell whether an address has an account). The jobs
take ids and addresses, look the account up themselves, and queue the mail for delivery;
a job that fails (the database busy, say) is tried again a minute later, five times.
"""

from flask import url_for
from flask_babel import lazy_gettext as _l

from marketplace import jobs
from marketplace.auth.models import User
from marketplace.auth.services import user_by_email
from marketplace.auth.tokens import make_token, password_fingerprint
from marketplace.delivery.services import send_mail
from marketplace.extensions import db


def confirmation(user: User, browser: str | None = None) -> None:
    """``browser`` is a digest of a secret kept in the signing-up browser's session: the link
    logs in on that browser only (see ``services.confirm_email``)."""
    _send_confirmation(user.id, browser)


def account_exists(email: str) -> None:
    """Someone signed up with an address that has an account: tell its owner, not the visitor."""
    _send_account_exists(email)


def password_reset(email: str) -> None:
    """A reset link, if an active account uses ``email``; nothing otherwise (and nobody can tell)."""
    _send_password_reset(email)


def email_change(user: User, new_email: str) -> None:
    _send_email_change(user.id, new_email)


def email_changed_notice(user: User, old_email: str) -> None:
    _send_email_changed_notice(user.id, old_email)


def password_changed_notice(user: User) -> None:
    _send_password_changed_notice(user.id)


@jobs.job(retries=5, retry_delay=60)
def _send_confirmation(user_id: int, browser: str | None = None) -> None:
    user = db.session.get(User, user_id)
    if user is None or user.email_confirmed:
        return
    payload = {"uid": user.id, "email": user.email}
    if browser:
        payload["browser"] = browser
    token = make_token("confirm-email", payload)
    send_mail(user.email, _l("Confirm your e-mail address"), "confirm_email",
              locale=user.locale, user=user, people=(user.id,), user_id=user.id,
              link=url_for("auth.confirm_email", token=token, _external=True))


@jobs.job(retries=5, retry_delay=60)
def _send_account_exists(email: str) -> None:
    user = user_by_email(email)
    if user is None or not user.active:
        return
    send_mail(user.email, _l("You already have an account"), "account_exists",
              locale=user.locale, user=user, people=(user.id,), user_id=user.id,
              login_link=url_for("auth.login", _external=True),
              reset_link=url_for("auth.forgot_password", _external=True))


@jobs.job(retries=5, retry_delay=60)
def _send_password_reset(email: str) -> None:
    user = user_by_email(email)
    if user is None or not user.active:
        return
    token = make_token("reset-password",
                       {"uid": user.id, "fp": password_fingerprint(user.password_hash)})
    send_mail(user.email, _l("Choose a new password"), "reset_password",
              locale=user.locale, user=user, people=(user.id,), user_id=user.id,
              link=url_for("auth.reset_password", token=token, _external=True))


@jobs.job(retries=5, retry_delay=60)
def _send_email_change(user_id: int, new_email: str) -> None:
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return
    token = make_token("change-email",
                       {"uid": user.id, "old_email": user.email, "new_email": new_email})
    send_mail(new_email, _l("Confirm your new e-mail address"), "change_email",
              locale=user.locale, user=user, people=(user.id,), user_id=user.id,
              link=url_for("accounts.confirm_email_change", token=token, _external=True))


@jobs.job(retries=5, retry_delay=60)
def _send_email_changed_notice(user_id: int, old_email: str) -> None:
    user = db.session.get(User, user_id)
    if user is None:
        return
    send_mail(old_email, _l("Your e-mail address was changed"), "email_changed",
              locale=user.locale, user=user, people=(user.id,), user_id=user.id,
              reset_link=url_for("auth.forgot_password", _external=True))


@jobs.job(retries=5, retry_delay=60)
def _send_password_changed_notice(user_id: int) -> None:
    user = db.session.get(User, user_id)
    if user is None:
        return
    send_mail(user.email, _l("Your password was changed"), "password_changed",
              locale=user.locale, user=user, people=(user.id,), user_id=user.id,
              reset_link=url_for("auth.forgot_password", _external=True))
