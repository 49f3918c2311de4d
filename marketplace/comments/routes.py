"""Views for commenting on a listing, replying, editing, deleting, and locking comments."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import policy
from marketplace.comments import services
from marketplace.comments.forms import CommentForm
from marketplace.comments.models import Comment
from marketplace.commitments.forms import ActionForm
from marketplace.extensions import db
from marketplace.ids import parse_id
from marketplace.listings.models import Listing
from marketplace.listings.routes import render_detail
from marketplace.moderation.services import lock_comments
from marketplace.transaction import done, saved

bp = Blueprint("comments", __name__)


def _anchor(comment: Comment) -> str:
    return url_for("listings.detail", listing_id=comment.listing_id, _anchor=f"comment-{comment.id}")


@bp.post("/l/<id:listing_id>/opmerkingen")
def post(listing_id: int):
    listing = policy.reveal("listing.view", db.get_or_404(Listing, listing_id))
    policy.authorize("comment.post", listing)
    form = CommentForm()
    parent_id = (parse_id(form.parent_id.data) or 0) if form.parent_id.data else None
    outcome = saved(form, lambda: services.post_comment(current_user, listing, form.body.data,
                                                        parent_id))
    if outcome:
        flash(_("Your comment is posted."), "success")
        return redirect(_anchor(outcome.value))
    return render_detail(listing, comment_form=form), outcome.status


def _own_comment(comment_id: int) -> Comment:
    comment = db.get_or_404(Comment, comment_id)
    policy.authorize("comment.change", comment)
    return comment


@bp.route("/opmerkingen/<id:comment_id>/bewerken", methods=["GET", "POST"])
def edit(comment_id: int):
    comment = _own_comment(comment_id)
    if not services.may_still_edit(comment):
        flash(_("A comment can be edited for %(minutes)d minutes after posting.",
                minutes=services.EDIT_WINDOW.seconds // 60), "error")
        return redirect(_anchor(comment))
    form = CommentForm(data={"body": comment.body})
    if saved(form, lambda: services.edit_comment(current_user, comment, form.body.data)):
        flash(_("Your comment is changed."), "success")
        return redirect(_anchor(comment))
    return render_template("comments/edit.html", comment=comment, form=form)


@bp.post("/opmerkingen/<id:comment_id>/verwijderen")
def delete(comment_id: int):
    comment = _own_comment(comment_id)
    done(lambda: services.delete_comment(current_user, comment), _("Your comment is deleted."),
         ActionForm())
    return redirect(_anchor(comment))


@bp.post("/l/<id:listing_id>/opmerkingen/<any(sluiten, openen):change>")
def lock(listing_id: int, change: str):
    listing = db.get_or_404(Listing, listing_id)
    policy.authorize("comment.lock", listing)
    locked = change == "sluiten"
    done(lambda: lock_comments(current_user, listing, locked=locked),
         _("Comments are closed.") if locked else _("Comments are open again."), ActionForm())
    return redirect(url_for("listings.detail", listing_id=listing.id, _anchor="comments"))
