"""Views for co-initiators, handing an initiative over, and answering a handover."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import policy
from marketplace.auth.models import User
from marketplace.commitments.forms import ActionForm
from marketplace.extensions import db
from marketplace.ids import parse_id
from marketplace.listings import panels
from marketplace.listings.models import Listing
from marketplace.ownership import services
from marketplace.ownership.models import Handover
from marketplace.transaction import done

bp = Blueprint("ownership", __name__)


def _managed_listing(listing_id: int) -> Listing:
    listing = db.get_or_404(Listing, listing_id)
    policy.authorize("listing.manage_initiators", listing)
    return listing


def _chosen_person() -> User | None:
    user_id = parse_id(request.form.get("user_id"))
    return db.session.get(User, user_id) if user_id else None


def _run(step, *args, success: str) -> None:
    done(lambda: step(*args), success, ActionForm())


@bp.route("/l/<id:listing_id>/initiatiefnemers")
def manage(listing_id: int):
    listing = _managed_listing(listing_id)
    return render_template("ownership/manage.html", listing=listing,
                           candidates=services.candidates(listing),
                           pending=services.pending_handover(listing),
                           history=services.history(listing), action_form=ActionForm())


@bp.post("/l/<id:listing_id>/initiatiefnemers/toevoegen")
def add(listing_id: int):
    listing = _managed_listing(listing_id)
    person = _chosen_person()
    if person is None:
        flash(_("Choose a person."), "error")
    else:
        _run(services.add_co_initiator, current_user, listing, person,
             success=_("%(name)s is now a co-initiator.", name=person.display_name))
    return redirect(url_for("ownership.manage", listing_id=listing.id))


@bp.post("/l/<id:listing_id>/initiatiefnemers/<id:user_id>/weg")
def remove(listing_id: int, user_id: int):
    listing = db.get_or_404(Listing, listing_id)
    person = db.get_or_404(User, user_id)
    if current_user.is_authenticated and current_user.id == person.id:
        pass  # a co-initiator may step back by themselves
    else:
        policy.authorize("listing.manage_initiators", listing)
    _run(services.remove_co_initiator, current_user, listing, person,
         success=_("%(name)s is no longer a co-initiator.", name=person.display_name))
    return redirect(url_for("listings.detail", listing_id=listing.id))


@bp.post("/l/<id:listing_id>/overdragen")
def hand_over(listing_id: int):
    listing = _managed_listing(listing_id)
    person = _chosen_person()
    if person is None:
        flash(_("Choose a person."), "error")
    else:
        _run(services.offer_handover, current_user, listing, person,
             success=_("We asked %(name)s to take over. Until they accept, nothing changes.",
                       name=person.display_name))
    return redirect(url_for("ownership.manage", listing_id=listing.id))


@bp.post("/overdracht/<id:handover_id>/<any(accept, decline, cancel):answer>")
def answer(handover_id: int, answer: str):
    handover = db.get_or_404(Handover, handover_id)
    if not current_user.is_authenticated:
        policy.authorize("account.manage")
    if current_user.id not in (handover.from_id, handover.to_id):
        abort(403)
    if answer == "cancel":
        _run(services.cancel_handover, current_user, handover,
             success=_("The handover is cancelled."))
    else:
        _run(services.answer_handover, current_user, handover, answer == "accept",
             success=_("You run this initiative now. Thank you!") if answer == "accept"
             else _("You declined the handover."))
    return redirect(url_for("listings.detail", listing_id=handover.listing_id))


def ownership_context(listing: Listing, **_passed_on) -> dict:
    """What a listing page shows about who runs it, and a handover waiting for this person."""
    pending = services.pending_handover(listing)
    return {"ownership_history": services.history(listing),
            "handover_for_me": (pending if pending and current_user.is_authenticated
                                and pending.to_id == current_user.id else None),
            "may_manage_initiators": policy.can(current_user, "listing.manage_initiators",
                                                listing)}


panels.register(ownership_context)
