"""Views for responding to a listing, answering responses, messages, and my page."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace import policy
from marketplace.commitments import (
    panel,  # noqa: F401  (its section of the listing page)
    services,
)
from marketplace.commitments.forms import ActionForm, MessageForm, RespondForm
from marketplace.commitments.labels import COMMITMENT_STATUS_LABELS, RESPOND_LABELS
from marketplace.commitments.models import Commitment
from marketplace.commitments.queries import commitments_of, waiting_for_answer
from marketplace.extensions import db
from marketplace.listings.models import Resource
from marketplace.listings.queries import listings_of, with_list_details
from marketplace.transaction import done, run, saved

bp = Blueprint("commitments", __name__)


@bp.app_context_processor
def commitment_labels() -> dict:
    return {"commitment_status_labels": COMMITMENT_STATUS_LABELS,
            "respond_labels": RESPOND_LABELS}


def _resource_on(listing_id: int, resource_id: int) -> Resource:
    resource = db.get_or_404(Resource, resource_id)
    if resource.listing_id != listing_id or not policy.can(current_user, "listing.view",
                                                           resource.listing):
        abort(404)
    return resource


@bp.post("/l/<id:listing_id>/reageren/<id:resource_id>")
def respond(listing_id: int, resource_id: int):
    resource = _resource_on(listing_id, resource_id)
    policy.authorize("listing.respond", resource.listing)
    form = RespondForm()
    back = url_for("listings.detail", listing_id=listing_id, _anchor=f"need-{resource.id}")
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(errors), "error")
        return redirect(back)
    outcome = run(lambda: services.respond(current_user, resource, form.quantity.data,
                                           form.note.data), pace="response")
    if not outcome:
        existing = services.active_commitment(current_user, resource)
        if existing is not None:  # a double tap: show the response that was made
            flash(_("You already responded to this."), "info")
            return redirect(url_for("commitments.show", commitment_id=existing.id))
        flash(str(outcome.refusal), "error")
        return redirect(back)
    flash(_("Thank you! %(name)s will answer your response.", name=resource.listing.owner.display_name),
          "success")
    return redirect(url_for("commitments.show", commitment_id=outcome.value.id))


def _commitment_for_party(commitment_id: int) -> Commitment:
    commitment = db.get_or_404(Commitment, commitment_id)
    policy.authorize("commitment.take_part", commitment)
    return commitment


@bp.route("/reacties/<id:commitment_id>")
def show(commitment_id: int):
    commitment = _commitment_for_party(commitment_id)
    return _page(commitment, MessageForm())


def _page(commitment: Commitment, message_form: MessageForm):
    return render_template("commitments/show.html", commitment=commitment,
                           is_owner=commitment.listing.owner_id == current_user.id,
                           messages=services.messages_for(commitment, current_user),
                           may_write=policy.can(current_user, "message.send", commitment),
                           message_form=message_form, action_form=ActionForm())


_ACTIONS = {
    "accept": (services.accept, _l("You accepted the response.")),
    "decline": (services.decline, _l("You declined the response.")),
    "withdraw": (services.withdraw, _l("The response is withdrawn.")),
    "done": (services.mark_done, _l("Marked as done. Thank you both!")),
}


@bp.post("/reacties/<id:commitment_id>/<any(accept, decline, withdraw, done):action>")
def act(commitment_id: int, action: str):
    commitment = _commitment_for_party(commitment_id)
    step, message = _ACTIONS[action]
    done(lambda: step(current_user, commitment), message, ActionForm())
    return redirect(url_for("commitments.show", commitment_id=commitment.id))


@bp.post("/reacties/<id:commitment_id>/bericht")
def message(commitment_id: int):
    commitment = _commitment_for_party(commitment_id)
    policy.authorize("message.send", commitment)
    form = MessageForm()
    outcome = saved(form, lambda: services.send_message(current_user, commitment, form.body.data),
                    pace="message")
    if outcome:
        flash(_("Message sent."), "success")
        return redirect(url_for("commitments.show", commitment_id=commitment.id,
                                _anchor="messages"))
    return _page(commitment, form), outcome.status


@bp.post("/l/<id:listing_id>/behoefte/<id:resource_id>/bericht")
def message_helpers(listing_id: int, resource_id: int):
    resource = _resource_on(listing_id, resource_id)
    policy.authorize("listing.edit", resource.listing)
    if not policy.may_contribute(current_user):
        abort(403)
    form = MessageForm()
    if form.validate_on_submit():
        outcome = run(lambda: services.message_accepted_helpers(current_user, resource,
                                                                form.body.data), pace="message")
        if outcome:
            flash(_("Message sent to %(count)d helpers.", count=outcome.value), "success")
        else:
            flash(str(outcome.refusal), "error")
    else:
        flash(_("Write a message first."), "error")
    return redirect(url_for("listings.detail", listing_id=listing_id,
                            _anchor=f"need-{resource.id}"))


@bp.route("/mijn-pagina")
@policy.require("account.manage")
def my_page():
    return render_template(
        "commitments/my_page.html",
        waiting=db.session.scalars(waiting_for_answer(current_user.id)).all(),
        mine=db.session.scalars(commitments_of(current_user.id)).all(),
        listings=db.session.scalars(with_list_details(listings_of(current_user.id))).all(),
        action_form=ActionForm())
