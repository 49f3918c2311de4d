"""Push subscriptions of a person's browsers, and what did not arrive: the admins' list of
mail and push messages that failed every attempt."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from marketplace import policy
from marketplace.api.problems import problem
from marketplace.auth.sessions import current_session_id
from marketplace.delivery import push, services
from marketplace.delivery.forms import RetryForm
from marketplace.delivery.models import Channel
from marketplace.extensions import db
from marketplace.transaction import done, run

bp = Blueprint("delivery", __name__)

PAGE_SIZE = 50
CHANNEL_LABELS = {Channel.EMAIL: _l("e-mail"), Channel.PUSH: _l("push message")}


@bp.route("/beheer/berichten")
@policy.require("admin.manage")
def failed():
    page = db.paginate(services.failed(), per_page=PAGE_SIZE, error_out=False)
    waiting, oldest = services.waiting_summary()
    return render_template("delivery/failed.html", page=page, waiting=waiting, oldest=oldest,
                           form=RetryForm(), channel_names=CHANNEL_LABELS)


@bp.post("/beheer/berichten/opnieuw")
@policy.require("admin.manage")
def retry():
    form = RetryForm()
    chosen = [form.delivery_id.data] if form.delivery_id.data else None
    done(lambda: services.retry(chosen),
         lambda count: ngettext("%(num)d message is queued again.",
                                "%(num)d messages are queued again.", count)
         if count else _("Nothing to send again: it was sent again already."), form=form)
    return redirect(url_for("delivery.failed"))


@bp.post("/push/abonnement")
@policy.require("account.manage")
def push_subscribe():
    """The browser's ``PushSubscription`` as JSON: it takes push messages for this person."""
    outcome = run(lambda: push.subscribe(current_user, request.get_json(silent=True),
                                         current_session_id(current_user)))
    if not outcome:
        return problem(outcome.refusal.status,
                       _("This browser sent something that is not a push subscription."))
    return "", 204


@bp.post("/push/opzeggen")
@policy.require("account.manage")
def push_unsubscribe():
    """This browser (``{"endpoint": …}``) no longer takes push messages for this person."""
    data = request.get_json(silent=True)
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    if not isinstance(endpoint, str):
        return problem(400, _("Say which browser: its push endpoint is missing."))
    run(lambda: push.unsubscribe(current_user, endpoint))
    return "", 204
