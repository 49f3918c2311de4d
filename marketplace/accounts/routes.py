"""Views for one's own account: profile, password, e-mail address, and where one is logged in."""

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext, refresh
from flask_login import current_user, logout_user

from marketplace import policy
from marketplace.accounts.forms import ChangeEmailForm, ChangePasswordForm, ProfileForm
from marketplace.auth import mails, services, sessions
from marketplace.auth.tokens import InvalidToken
from marketplace.commitments.forms import ActionForm
from marketplace.transaction import done, run, saved

bp = Blueprint("accounts", __name__, url_prefix="/mijn-account")


@bp.route("/", methods=["GET", "POST"])
@policy.require("account.manage")
def profile():
    form = ProfileForm(data={"display_name": current_user.display_name,
                             "home_buurt": current_user.home_buurt,
                             "locale": current_user.locale or "nl"})
    outcome = saved(form, lambda: services.update_profile(
        current_user, form.display_name.data, form.home_buurt.data, form.locale.data))
    if outcome:
        session["locale"] = form.locale.data
        refresh()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form), outcome.status


@bp.route("/wachtwoord", methods=["GET", "POST"])
@policy.require("account.manage")
def change_password():
    form = ChangePasswordForm()
    if saved(form, lambda: services.change_password(current_user, form.current_password.data,
                                                    form.password.data)):
        mails.password_changed_notice(current_user)
        flash(_("Your password is changed. Other devices are logged out."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/e-mail", methods=["GET", "POST"])
@policy.require("account.manage")
def change_email():
    form = ChangeEmailForm()
    outcome = saved(form, lambda: services.check_email_change(
        current_user, form.current_password.data, form.email.data))
    if outcome:
        mails.email_change(current_user, outcome.value)
        flash(_("We sent a link to %(email)s. Your address changes once you follow it.",
                email=outcome.value), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_email.html", form=form)


@bp.route("/e-mail/bevestigen/<token>")
def confirm_email_change(token: str):
    outcome = run(lambda: services.apply_email_change(
        token, current_app.config["EMAIL_TOKEN_MAX_AGE"]))
    if not outcome:
        flash(_("This link is not valid (any more). Ask for the change again.")
              if isinstance(outcome.refusal, InvalidToken) else str(outcome.refusal), "error")
        return redirect(url_for("accounts.change_email"))
    user, old_email = outcome.value
    mails.email_changed_notice(user, old_email)
    flash(_("Your e-mail address is now %(email)s.", email=user.email), "success")
    return redirect(url_for("accounts.profile") if current_user.is_authenticated
                    else url_for("auth.login", email=user.email))


@bp.route("/apparaten")
@policy.require("account.manage")
def devices():
    """Where this account is logged in, and a way to end all of it."""
    return render_template("accounts/devices.html", logins=sessions.sessions_of(current_user),
                           this_one=sessions.current_session_id(current_user),
                           action_form=ActionForm())


@bp.post("/apparaten/<id:session_id>/uitloggen")
@policy.require("account.manage")
def log_out_device(session_id: int):
    """End one session: the phone that was lost, the library's computer."""
    this_one = session_id == sessions.current_session_id(current_user)
    outcome = done(lambda: sessions.end_session_of(current_user, session_id),
                   lambda ended: _("That device is logged out.") if ended
                   else _("That session had already ended."), ActionForm())
    if outcome and this_one:
        logout_user()
        return redirect(url_for("auth.login"))
    return redirect(url_for("accounts.devices"))


@bp.post("/apparaten/uitloggen")
@policy.require("account.manage")
def log_out_everywhere():
    """Ends every login session of this account, this one too: for a lost phone or a shared
    computer left logged in."""
    outcome = done(lambda: sessions.end_sessions(current_user),
                   lambda count: ngettext("You are logged out on %(num)d device.",
                                          "You are logged out on %(num)d devices.", count),
                   ActionForm())
    if not outcome:
        return redirect(url_for("accounts.devices"))
    logout_user()
    return redirect(url_for("auth.login"))
