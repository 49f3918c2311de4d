"""Views for the notification list, marking read, and e-mail settings."""

from flask import (
    Blueprint,
    flash,
    has_request_context,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import policy
from marketplace.extensions import db
from marketplace.ids import parse_id
from marketplace.notifications import services
from marketplace.notifications.forms import settings_form
from marketplace.notifications.models import Frequency
from marketplace.notifications.texts import describe
from marketplace.redirects import safe_next
from marketplace.transaction import run, saved

bp = Blueprint("notifications", __name__, url_prefix="/meldingen")

PAGE_SIZE = 30


@bp.app_context_processor
def unread_notifications() -> dict:
    """The unread count beside "Notifications" in the menu, for people who are logged in."""
    if not has_request_context() or not current_user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": services.unread_count(current_user)}


@bp.route("/")
@policy.require("account.manage")
def index():
    page = db.paginate(services.notifications_of(current_user), per_page=PAGE_SIZE,
                       error_out=False)
    rows = [(n, describe(n), services.link_for(n)) for n in page.items]
    return render_template("notifications/index.html", page=page, rows=rows)


@bp.post("/gelezen")
@policy.require("account.manage")
def mark_read():
    """Mark one notification (``id`` in the form) or all of them read."""
    raw = request.form.get("id")
    notification_id = parse_id(raw)
    if raw and notification_id is None:
        return redirect(safe_next(request.form.get("next"), "notifications.index"))
    run(lambda: services.mark_read(current_user, [notification_id] if notification_id else None))
    return redirect(safe_next(request.form.get("next"), "notifications.index"))


@bp.route("/instellingen", methods=["GET", "POST"])
@policy.require("account.manage")
def settings():
    kinds = services.kinds_for(current_user)
    form = settings_form(services.preferences_of(current_user), kinds)
    if saved(form, lambda: services.set_preferences(current_user, {
            kind: Frequency(form[kind.value].data) for kind in kinds})):
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form, kinds=kinds)
