"""Views: the owner's answer to a nudge, and the wijkwerker's list of quiet listings."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import clock, policy
from marketplace.commitments.forms import ActionForm
from marketplace.extensions import db
from marketplace.listings.labels import KIND_LABELS
from marketplace.listings.models import Listing
from marketplace.nudges import services
from marketplace.transaction import done

bp = Blueprint("nudges", __name__)
PAGE_SIZE = 50


@bp.app_context_processor
def still_current() -> dict:
    """The listing page asks its owner whether a quiet listing still runs."""
    # For who may act on the answer: the people who run it, unless suspended.
    def question_for(listing: Listing):
        if not policy.can(current_user, "listing.edit", listing):
            return None
        return services.open_nudge(listing)

    def due_for(listing: Listing) -> list:
        if not policy.can(current_user, "listing.edit", listing):
            return []
        return services.due_soon(listing, clock.now())

    return {"still_current_question": question_for, "needs_due_soon": due_for}


@bp.post("/l/<id:listing_id>/loopt-nog")
def keep(listing_id: int):
    listing = policy.reveal("listing.view", db.get_or_404(Listing, listing_id))
    policy.authorize("listing.edit", listing)
    done(lambda: services.keep(current_user, listing),
         _("Thank you. Your neighbours see it still runs."), ActionForm())
    return redirect(url_for("listings.detail", listing_id=listing.id))


@bp.get("/moderatie/stil")
@policy.require("moderation.queue")
def quiet():
    now = clock.now()
    page = db.paginate(services.quiet_in_area(current_user, now), per_page=PAGE_SIZE,
                       error_out=False)
    due = db.paginate(services.due_in_area(current_user, now), page=request.args.get("due_page", 1, type=int),
                      per_page=PAGE_SIZE, error_out=False)
    initiative_days, unanswered_days = services.periods(current_user.gemeente)
    return render_template("nudges/quiet.html", page=page, due=due, kind_labels=KIND_LABELS,
                           days=initiative_days, unanswered_days=unanswered_days,
                           warning_days=services.warning_days(current_user.gemeente))

