"""Views: the owner's answer to a nudge, and the wijkwerker's list of quiet listings."""

from flask import Blueprint, redirect, render_template, url_for
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
    def question_for(listing: Listing):
        if not current_user.is_authenticated or not listing.is_run_by(current_user):
            return None
        return services.open_nudge(listing)

    return {"still_current_question": question_for}


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
    page = db.paginate(services.quiet_in_area(current_user, clock.now()), per_page=PAGE_SIZE,
                       error_out=False)
    return render_template("nudges/quiet.html", page=page, kind_labels=KIND_LABELS,
                           days=(current_user.gemeente.nudge_after_days if current_user.gemeente
                                 else services.DEFAULT_NUDGE_AFTER_DAYS))
