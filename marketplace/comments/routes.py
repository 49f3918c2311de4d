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
from marketplace.moderation.services import ModerationRefused, lock_comments
from marketplace.submit import saved

bp = Blueprint("comments", __name__)


def _anchor(comment: Comment) -> str:
    return url_for("listings.detail", listing_id=comment.listing_id, _anchor=f"comment-{comment.id}")


@bp.post("/l/<id:listing_id>/opmerkingen")
def post(listing_id: int):
    listing = policy.reveal("listing.view", db.get_or_404(Listing, listing_id))
    policy.authorize("comment.post", listing)
    form = CommentForm()
    posted: list[Comment] = []  # the new comment, for the link to it
    parent_id = (parse_id(form.parent_id.data) or 0) if form.parent_id.data else None
    if saved(form, lambda: posted.append(services.post_comment(
            current_user, listing, form.body.data, parent_id)), services.CommentRefused):
        flash(_("Your comment is posted."), "success")
        return redirect(_anchor(posted[0]))
    return render_detail(listing, comment_form=form), 400


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
    if saved(form, lambda: services.edit_comment(current_user, comment, form.body.data),
             services.CommentRefused):
        flash(_("Your comment is changed."), "success")
        return redirect(_anchor(comment))
    return render_template("comments/edit.html", comment=comment, form=form)


@bp.post("/opmerkingen/<id:comment_id>/verwijderen")
def delete(comment_id: int):
    comment = _own_comment(comment_id)
    if ActionForm().validate_on_submit():
        services.delete_comment(current_user, comment)
        db.session.commit()
        flash(_("Your comment is deleted."), "success")
    return redirect(_anchor(comment))


@bp.post("/l/<id:listing_id>/opmerkingen/<any(sluiten, openen):change>")
def lock(listing_id: int, change: str):
    listing = db.get_or_404(Listing, listing_id)
    policy.authorize("comment.lock", listing)
    if ActionForm().validate_on_submit():
        try:
            lock_comments(current_user, listing, locked=change == "sluiten")
        except ModerationRefused as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
        else:
            db.session.commit()
            flash(_("Comments are closed.") if listing.comments_locked
                  else _("Comments are open again."), "success")
    return redirect(url_for("listings.detail", listing_id=listing.id, _anchor="comments"))
