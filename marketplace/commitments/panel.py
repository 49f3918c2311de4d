"""The responses part of a listing page: forms for neighbours, answers and suggestions."""

from flask_login import current_user

from marketplace import policy
from marketplace.commitments.forms import ActionForm, MessageForm, RespondForm
from marketplace.commitments.queries import commitments_on
from marketplace.extensions import db
from marketplace.listings import panels
from marketplace.listings.models import Listing, ListingStatus
from marketplace.matching.services import suggestions_for


def listing_context(listing: Listing, **_passed_on) -> dict:
    """What a listing page shows about responses, for the person looking at it."""
    context = {"respond_form": RespondForm(), "action_form": ActionForm(),
               "message_form": MessageForm(), "my_responses": {}, "responses": {},
               "suggestions": {}, "may_introduce": False}
    if not current_user.is_authenticated:
        return context
    # Suggestions are for the people who can act on them: those who run the listing, and the
    # buurt's wijkwerker, who may put both owners in touch.
    context["may_introduce"] = policy.can(current_user, "match.introduce", listing)
    if listing.status in (ListingStatus.OPEN, ListingStatus.RUNNING) and (
            listing.is_run_by(current_user) or context["may_introduce"]):
        context["suggestions"] = {resource.id: suggestions_for(resource)
                                  for resource in listing.resources if resource.remaining > 0}
    commitments = db.session.scalars(commitments_on(listing)).all()
    if listing.owner_id == current_user.id:
        for commitment in commitments:
            context["responses"].setdefault(commitment.resource_id, []).append(commitment)
    else:
        context["my_responses"] = {c.resource_id: c for c in commitments
                                   if c.helper_id == current_user.id and c.is_active}
    context["may_respond"] = policy.can(current_user, "listing.respond", listing)
    return context


panels.register(listing_context)
