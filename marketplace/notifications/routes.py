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
from marketplace.delivery.push import available as push_available
from marketplace.delivery.push import has_devices
from marketplace.delivery.push import public_key as push_public_key
from marketplace.extensions import csrf, db, limiter
from marketplace.ids import parse_id
from marketplace.notifications import services
from marketplace.notifications.forms import push_field, settings_form
from marketplace.notifications.models import Frequency
from marketplace.notifications.texts import KIND_NAMES, describe
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
    # What needs the person (a response, a decision, a message) stands above the news.
    attention = [row for row in rows if row[0].is_important and row[0].read_at is None]
    news = [row for row in rows if row not in attention]
    return render_template("notifications/index.html", page=page, attention=attention,
                           news=news)


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
    form = settings_form(services.preferences_of(current_user),
                         services.push_choices_of(current_user), kinds)
    if saved(form, lambda: services.set_preferences(
            current_user, {kind: Frequency(form[kind.value].data) for kind in kinds},
            {kind: form[push_field(kind)].data for kind in kinds})):
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for("notifications.settings"))
    rows = [(form[kind.value], form[push_field(kind)]) for kind in kinds]
    return render_template("notifications/settings.html", form=form, rows=rows,
                           push_key=push_public_key() if push_available() else None,
                           devices=has_devices(current_user.id))


@bp.route("/afmelden/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail programs post ``List-Unsubscribe=One-Click`` without a session
@limiter.limit("300 per minute")  # mail providers post one-click requests from few addresses
def unsubscribe(token: str):
    """One click from a mail stops that kind of mail. A plain visit (a link checker, a
    preview) only asks; a post, from the mail program's button or the page, does it."""
    if request.method == "GET":
        return render_template("notifications/unsubscribe.html", done=False)
    outcome = run(lambda: services.unsubscribe(token))
    if not outcome:
        return render_template("notifications/unsubscribe.html", done=False,
                               error=str(outcome.refusal)), outcome.refusal.status
    return render_template("notifications/unsubscribe.html", done=True,
                           kinds=[KIND_NAMES[kind] for kind in outcome.value])
