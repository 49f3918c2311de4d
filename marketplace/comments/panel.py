"""What a listing page shows of its conversation."""

from flask import request
from flask_login import current_user

from marketplace import policy
from marketplace.comments.forms import CommentForm
from marketplace.comments.services import may_still_edit, public_comment_count
from marketplace.comments.threads import conversation
from marketplace.ids import parse_page
from marketplace.listings import panels
from marketplace.listings.models import Listing


def comments_context(listing: Listing, comment_form: CommentForm | None = None,
                     **_passed_on) -> dict:
    threads, pagination = conversation(listing, current_user,
                                       parse_page(request.args.get("opmerkingen")))
    return {
        "threads": threads,
        "comment_pages": pagination,
        "comment_count": public_comment_count(listing),
        "comment_form": comment_form or CommentForm(),
        "may_comment": policy.can(current_user, "comment.post", listing),
        "may_lock_comments": policy.can(current_user, "comment.lock", listing),
        "may_still_edit": may_still_edit,
    }


panels.register(comments_context)
