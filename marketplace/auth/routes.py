"""Views for signing up, logging in and out, e-mail confirmation and password reset."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from marketplace.auth import mails, services
from marketplace.auth.forms import ForgotPasswordForm, LoginForm, ResetPasswordForm, SignUpForm
from marketplace.auth.tokens import InvalidToken
from marketplace.extensions import db, limiter
from marketplace.redirects import safe_next

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
        user = services.sign_up(form.email.data, form.display_name.data, form.password.data,
                                locale=str(get_locale()))
        if user is None:
            existing = services.user_by_email(form.email.data)
            mails.send_account_exists(existing)
        else:
            db.session.commit()
            mails.send_confirmation(user)
        # The same answer either way: the page must not tell who has an account.
        return redirect(url_for("auth.check_mail", address=services.normalize_email(form.email.data)))
    return render_template("auth/sign_up.html", form=form)


@bp.route("/aanmelden/controleer-je-mail")
def check_mail():
    return render_template("auth/check_mail.html", address=request.args.get("address", ""))


@bp.route("/bevestigen/<token>")
def confirm_email(token: str):
    try:
        user = services.confirm_email(token, current_app.config["EMAIL_TOKEN_MAX_AGE"])
    except InvalidToken:
        flash(_("This confirmation link is not valid (any more). Log in to get a new one."), "error")
        return redirect(url_for("auth.login"))
    db.session.commit()
    flash(_("Thank you, your e-mail address is confirmed."), "success")
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    return redirect(url_for("auth.login", email=user.email))


@bp.post("/bevestiging-opnieuw")
@login_required
@_limit("RATELIMIT_PASSWORD_RESET")
def resend_confirmation():
    if not current_user.email_confirmed:
        mails.send_confirmation(current_user)
        flash(_("We sent a new confirmation link to %(email)s.", email=current_user.email), "success")
    return redirect(safe_next(request.form.get("next")))


@bp.route("/inloggen", methods=["GET", "POST"])
@_limit("RATELIMIT_LOGIN")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm(email=request.args.get("email"))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None or not user.is_active:
            db.session.rollback()
            # One message for unknown address, wrong password and blocked account alike.
            form.password.errors.append(_("E-mail address or password is not correct."))
        else:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            flash(_("Welcome, %(name)s.", name=user.display_name), "success")
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/uitloggen")
def logout():
    logout_user()
    flash(_("You are logged out."), "success")
    return redirect(url_for("main.home"))


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@_limit("RATELIMIT_PASSWORD_RESET")
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = services.user_by_email(form.email.data)
        if user is not None and user.is_active:
            mails.send_password_reset(user)
        flash(_("If an account uses %(email)s, we sent it a link to choose a new password. "
                "The link works for one hour.", email=services.normalize_email(form.email.data)),
              "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
@_limit("RATELIMIT_PASSWORD_RESET")
def reset_password(token: str):
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        services.user_for_reset_token(token, max_age)
    except InvalidToken:
        flash(_("This link to choose a new password is not valid (any more). "
                "Ask for a new one below."), "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user = services.reset_password(token, form.password.data, max_age)
        db.session.commit()
        logout_user()
        mails.send_password_changed_notice(user)
        flash(_("Your new password is set. Log in with it."), "success")
        return redirect(url_for("auth.login", email=user.email))
    return render_template("auth/reset_password.html", form=form)
