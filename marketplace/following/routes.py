"""Views for following a listing and posting progress updates."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import policy
from marketplace.commitments.forms import ActionForm
from marketplace.extensions import db
from marketplace.following import services
from marketplace.following.forms import UpdateForm
from marketplace.geo.models import Buurt
from marketplace.listings import panels
from marketplace.listings.models import Listing
from marketplace.listings.photos import PhotoRefused, delete_files, store_photo
from marketplace.transaction import done

bp = Blueprint("following", __name__)


def _visible(listing_id: int) -> Listing:
    return policy.reveal("listing.view", db.get_or_404(Listing, listing_id))


@bp.post("/l/<id:listing_id>/volgen")
@policy.require("account.manage")
def follow(listing_id: int):
    listing = _visible(listing_id)
    # The button says what it does ("follow" 1 or 0), so a double tap does it once, not twice.
    wanted = request.form.get("follow")
    start = (wanted == "1") if wanted in ("0", "1") else not services.is_following(current_user,
                                                                                  listing)
    if start:
        done(lambda: services.follow(current_user, listing),
             _("You follow this now: you hear about its updates."), ActionForm())
    else:
        done(lambda: services.unfollow(current_user, listing), _("You no longer follow this."),
             ActionForm())
    return redirect(url_for("listings.detail", listing_id=listing.id))


@bp.post("/buurt/<code>/volgen")
@policy.require("account.manage")
def follow_buurt(code: str):
    buurt = db.first_or_404(sa.select(Buurt).where(Buurt.code == code))
    # As for listings: the button says "follow" 1 or 0, so a double tap does it once.
    if request.form.get("follow", "1") == "1":
        done(lambda: services.follow_buurt(current_user, buurt),
             _("You follow %(buurt)s now: you hear of what is new there.", buurt=buurt.name),
             ActionForm())
    else:
        done(lambda: services.unfollow_buurt(current_user, buurt),
             _("You no longer follow %(buurt)s.", buurt=buurt.name), ActionForm())
    return redirect(url_for("buurten.show", code=buurt.code))


@bp.post("/l/<id:listing_id>/voortgang")
def post_update(listing_id: int):
    listing = _visible(listing_id)
    policy.authorize("listing.edit", listing)
    form = UpdateForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(errors), "error")
        return redirect(url_for("listings.detail", listing_id=listing.id, _anchor="updates"))
    stored = None
    if form.photo.data and form.photo.data.filename:
        try:
            stored = store_photo(form.photo.data.read(), form.photo.data.filename)
        except PhotoRefused as refusal:
            flash(str(refusal), "error")
            return redirect(url_for("listings.detail", listing_id=listing.id, _anchor="updates"))
    outcome = done(lambda: services.post_update(current_user, listing, form.body.data, stored),
                   _("Your update is posted. Followers hear about it."), pace="update")
    if not outcome and stored:
        delete_files(stored.filename, stored.thumbnail)
    return redirect(url_for("listings.detail", listing_id=listing.id, _anchor="updates"))


def following_context(listing: Listing, **_passed_on) -> dict:
    """What a listing page shows about followers and progress updates."""
    return {"updates": services.updates_of(listing),
            "follower_count": services.follower_count(listing),
            "is_following": (current_user.is_authenticated
                             and services.is_following(current_user, listing)),
            "update_form": UpdateForm()}


def buurt_following_context(buurt: Buurt) -> dict:
    """What a buurt page shows about its followers."""
    return {"buurt_followers": services.buurt_follower_count(buurt),
            "follows_buurt": (current_user.is_authenticated
                              and services.is_following_buurt(current_user, buurt))}


panels.register(following_context)
