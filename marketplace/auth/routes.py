"""Views for signing up, logging in and out, e-mail confirmation and password reset."""

import secrets

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from marketplace import pace
from marketplace.auth import mails, services, sessions
from marketplace.auth.forms import ForgotPasswordForm, LoginForm, ResetPasswordForm, SignUpForm
from marketplace.extensions import limiter
from marketplace.redirects import safe_next
from marketplace.transaction import run, saved

bp = Blueprint("auth", __name__)


def _limit(setting: str):
    return limiter.limit(lambda: current_app.config[setting], methods=["POST"])


@bp.route("/aanmelden", methods=["GET", "POST"])
@_limit("RATELIMIT_SIGNUP")
def sign_up():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignUpForm()
    if form.validate_on_submit():
        email = services.normalize_email(form.email.data)
        outcome = run(lambda: services.sign_up(email, form.display_name.data, form.password.data,
                                               locale=str(get_locale())))
        # A secret in this browser's session, kept whether or not an account was made (the
        # cookie tells nothing): the confirmation link logs in here, and nowhere else.
        browser = session.setdefault("signup_secret", secrets.token_urlsafe(24))
        if outcome:
            mails.confirmation(outcome.value, services.browser_digest(browser))
        else:
            mails.account_exists(email)
        # The same answer either way: the page must not tell who has an account.
        return redirect(url_for("auth.check_mail", address=email))
    return render_template("auth/sign_up.html", form=form)


@bp.route("/aanmelden/controleer-je-mail")
def check_mail():
    return render_template("auth/check_mail.html", address=request.args.get("address", ""))


@bp.route("/bevestigen/<token>")
def confirm_email(token: str):
    signed_in = current_user.is_authenticated
    outcome = run(lambda: services.confirm_email(
        token, current_app.config["EMAIL_TOKEN_MAX_AGE"],
        device=None if signed_in else sessions.device_label(request.user_agent.string),
        browser=session.get("signup_secret")))
    if not outcome:
        flash(_("This confirmation link is not valid (any more). Log in to get a new one."), "error")
        return redirect(url_for("auth.login"))
    user, logged_in = outcome.value
    flash(_("Thank you, your e-mail address is confirmed."), "success")
    if logged_in:
        login_user(user)
        flash(_("Welcome, %(name)s.", name=user.display_name), "success")
    if signed_in or logged_in:
        return redirect(url_for("main.home"))
    return redirect(url_for("auth.login", email=user.email))


@bp.post("/bevestiging-opnieuw")
@login_required
@_limit("RATELIMIT_PASSWORD_RESET")
def resend_confirmation():
    if not current_user.email_confirmed:
        mails.confirmation(current_user)
        flash(_("We sent a new confirmation link to %(email)s.", email=current_user.email), "success")
    return redirect(safe_next(request.form.get("next")))


def _log_in(form: LoginForm):
    """Check the account's count of wrong passwords, then the password (counting a wrong one).
    One answer for unknown address, wrong password and blocked account alike."""
    pace.refuse_guessing(form.email.data)
    try:
        return services.log_in(form.email.data, form.password.data,
                               remember=bool(form.remember.data),
                               device=sessions.device_label(request.user_agent.string))
    except services.WrongCredentials:
        pace.count_wrong_password(form.email.data)
        raise


@bp.route("/inloggen", methods=["GET", "POST"])
@_limit("RATELIMIT_LOGIN")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm(email=request.args.get("email"))
    outcome = saved(form, lambda: _log_in(form))
    if outcome:
        user = outcome.value
        login_user(user, remember=bool(form.remember.data))
        flash(_("Welcome, %(name)s.", name=user.display_name), "success")
        return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form), outcome.status


@bp.post("/uitloggen")
def logout():
    """Ends this login session on the server: a copy of its cookies opens nothing any more."""
    if current_user.is_authenticated:
        token = current_user.login_token
        run(lambda: sessions.end_session(token))
    logout_user()
    flash(_("You are logged out."), "success")
    response = redirect(url_for("main.home"))
    # The next person on this device finds nothing of this one: the pages the service worker
    # kept, the browser's cache, and this browser's push subscription all go.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@_limit("RATELIMIT_PASSWORD_RESET")
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        email = services.normalize_email(form.email.data)
        mails.password_reset(email)  # looked up after the answer: known or not, it takes as long
        flash(_("If an account uses %(email)s, we sent it a link to choose a new password. "
                "The link works for one hour.", email=email), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
@_limit("RATELIMIT_PASSWORD_RESET")
def reset_password(token: str):
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    form = ResetPasswordForm()
    checked = run(lambda: services.user_for_reset_token(token, max_age))
    outcome = saved(form, lambda: services.reset_password(token, form.password.data, max_age)) \
        if checked else None
    if not checked or (outcome is not None and outcome.refusal is not None):
        flash(_("This link to choose a new password is not valid (any more). "
                "Ask for a new one below."), "error")
        return redirect(url_for("auth.forgot_password"))
    if outcome:
        logout_user()
        pace.forget_wrong_passwords(outcome.value.email)
        mails.password_changed_notice(outcome.value)
        flash(_("Your new password is set. Log in with it."), "success")
        return redirect(url_for("auth.login", email=outcome.value.email))
    return render_template("auth/reset_password.html", form=form)
