"""Views for match suggestions: hiding one that does not fit."""

from flask import Blueprint, abort, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import policy
from marketplace.commitments.forms import ActionForm
from marketplace.extensions import db
from marketplace.listings.models import Resource
from marketplace.matching import services
from marketplace.transaction import done

bp = Blueprint("matching", __name__)


@bp.post("/l/<id:listing_id>/suggesties/<id:resource_id>/<id:suggested_id>/verbergen")
def dismiss(listing_id: int, resource_id: int, suggested_id: int):
    resource = db.get_or_404(Resource, resource_id)
    suggested = db.get_or_404(Resource, suggested_id)
    if resource.listing_id != listing_id:
        abort(404)
    policy.authorize("listing.edit", resource.listing)
    if resource.listing.owner_id != current_user.id:
        abort(403)  # an admin may edit a listing, but what fits is the owner's call
    done(lambda: services.dismiss(current_user, resource, suggested),
         _("The suggestion is hidden."), ActionForm())
    return redirect(url_for("listings.detail", listing_id=listing_id,
                            _anchor=f"need-{resource.id}"))


@bp.post("/l/<id:listing_id>/suggesties/<id:resource_id>/<id:suggested_id>/voorstellen")
def introduce(listing_id: int, resource_id: int, suggested_id: int):
    """A wijkwerker tells both owners that a need and an offer may fit."""
    resource = db.get_or_404(Resource, resource_id)
    suggested = db.get_or_404(Resource, suggested_id)
    if resource.listing_id != listing_id:
        abort(404)
    policy.reveal("listing.view", resource.listing)
    policy.authorize("match.introduce", resource.listing)
    done(lambda: services.introduce(current_user, resource, suggested),
         _("Both owners hear that these may fit."), ActionForm())
    return redirect(url_for("listings.detail", listing_id=listing_id,
                            _anchor=f"need-{resource.id}"))
