"""Views for commenting on a listing, replying, editing, deleting, and locking comments."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import policy
from marketplace.comments import (
    panel,  # noqa: F401  (its section of the listing page)
    services,
    threads,
)
from marketplace.comments.forms import CommentForm
from marketplace.comments.models import Comment
from marketplace.commitments.forms import ActionForm
from marketplace.extensions import db
from marketplace.ids import parse_id, parse_page
from marketplace.listings.models import Listing
from marketplace.listings.routes import render_detail
from marketplace.moderation.services import lock_comments
from marketplace.transaction import done, saved

bp = Blueprint("comments", __name__)


def _anchor(comment: Comment) -> str:
    """The page that shows the comment (its page of threads, or its thread), at the comment."""
    endpoint, args = threads.where_it_is(comment, current_user)
    return url_for(endpoint, **args, _anchor=f"comment-{comment.id}")


@bp.route("/l/<id:listing_id>/opmerkingen/<id:comment_id>")
def thread(listing_id: int, comment_id: int):
    """One thread with all its replies, paged: for long conversations."""
    listing = policy.reveal("listing.view", db.get_or_404(Listing, listing_id))
    root = db.get_or_404(Comment, comment_id)
    if root.listing_id != listing.id or root.parent_id is not None:
        abort(404)
    return _thread_page(listing, root, parse_page(request.args.get("pagina")))


def _thread_page(listing: Listing, root: Comment, page: int, reply: CommentForm | None = None):
    """The thread's page; ``reply`` is a refused reply, shown again in its form with why."""
    replies = threads.thread_replies(root, current_user, page)
    if not (services.can_see(current_user, root) or replies.total):
        abort(404)
    return render_template("comments/thread.html", listing=listing, root=root,
                           shown=services.can_see(current_user, root), replies=replies,
                           reply=reply,
                           may_comment=policy.can(current_user, "comment.post", listing),
                           may_moderate=policy.can(current_user, "buurt.moderate", listing.buurt),
                           may_still_edit=services.may_still_edit)


@bp.post("/l/<id:listing_id>/opmerkingen")
def post(listing_id: int):
    listing = policy.reveal("listing.view", db.get_or_404(Listing, listing_id))
    policy.authorize("comment.post", listing)
    form = CommentForm()
    parent_id = (parse_id(form.parent_id.data) or 0) if form.parent_id.data else None
    outcome = saved(form, lambda: services.post_comment(current_user, listing, form.body.data,
                                                        parent_id), pace="comment")
    if outcome:
        flash(_("Your comment is posted."), "success")
        return redirect(_anchor(outcome.value))
    root = services.thread_root(listing, parent_id) if parent_id else None
    if root is not None:  # a refused reply goes back into its own thread's form
        return _thread_page(listing, root, 1, reply=form), outcome.status
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
