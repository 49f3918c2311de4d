"""Views for the privacy statement and a person's rights: download one's data, delete one's
account; and for admins, deleting an account on request."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from marketplace import clock, policy
from marketplace.audit.services import record
from marketplace.auth.models import User
from marketplace.extensions import db, limiter
from marketplace.privacy import erasure, export
from marketplace.privacy.forms import DeleteAccountForm, DeleteOwnAccountForm
from marketplace.transaction import run, saved

bp = Blueprint("privacy", __name__)


@bp.route("/privacy")
def statement():
    """What is kept, why, how long and who sees it: the periods are the ones the platform uses."""
    return render_template("privacy/statement.html",
                           tile_host=urlsplit(current_app.config["TILE_URL"]).netloc or "-")


@bp.route("/mijn-account/gegevens")
@policy.require("account.manage")
def my_data():
    return render_template("privacy/my_data.html", parts=export.PARTS)


@bp.route("/mijn-account/gegevens/buurtmarkt.zip")
@policy.require("account.manage")
@limiter.limit(lambda: current_app.config["RATELIMIT_EXPORT"],
               key_func=lambda: f"export:{current_user.id}")
def download():
    """Everything the platform holds about the person, as a ZIP of JSON and CSV files."""
    return _archive(current_user, f"buurtmarkt-mijn-gegevens-{clock.now():%Y-%m-%d}.zip")


def _archive(user: User, name: str):
    return send_file(export.build_archive(user), mimetype="application/zip", as_attachment=True,
                     download_name=name, max_age=0)


@bp.route("/beheer/gebruikers/<id:user_id>/gegevens.zip")
@policy.require("admin.manage")
def download_for(user_id: int):
    """An admin answers a request for one's data that came by letter or at the desk; the audit
    log records that the data was handed out."""
    user = db.get_or_404(User, user_id)
    run(lambda: record(current_user, "user.export", user))
    return _archive(user, f"buurtmarkt-gegevens-{user.id}-{clock.now():%Y-%m-%d}.zip")


@bp.route("/mijn-account/verwijderen", methods=["GET", "POST"])
@policy.require("account.manage")
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN_ACCOUNT"], methods=["POST"],
               key_func=lambda: f"delete-account:{current_user.id}")
def delete_own_account():
    form = DeleteOwnAccountForm()
    outcome = saved(form, lambda: erasure.delete_own_account(current_user, form.password.data))
    if outcome:
        outcome.value.clean_up()
        logout_user()
        flash(_("Your account is deleted. Thank you for what you did for your buurt."), "success")
        return redirect(url_for("main.home"))
    return render_template("privacy/delete_own_account.html", form=form), outcome.status


@bp.route("/beheer/gebruikers/<id:user_id>/verwijderen", methods=["GET", "POST"])
@policy.require("admin.manage")
def delete_user(user_id: int):
    """An admin deletes an account on the person's request (by letter, at the desk)."""
    user = db.get_or_404(User, user_id)
    form = DeleteAccountForm()
    outcome = saved(form, lambda: erasure.delete_on_request(user, by=current_user,
                                                            reason=form.reason.data))
    if outcome:
        outcome.value.clean_up()
        flash(_("The account is deleted; the audit log says why."), "success")
        return redirect(url_for("admin.users"))
    return render_template("privacy/delete_user.html", form=form, user=user), outcome.status
