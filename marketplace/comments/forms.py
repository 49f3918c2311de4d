"""The comment form, used for new comments, replies and edits."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from marketplace.comments.services import MAX_COMMENT


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"), validators=[DataRequired(), Length(max=MAX_COMMENT)],
                         render_kw={"rows": 3, "maxlength": MAX_COMMENT})
    parent_id = HiddenField()

    def __init__(self, *args, **kwargs):
        # The listing page has other forms with a "body" field; the prefix keeps ids unique.
        kwargs.setdefault("prefix", "comment")
        super().__init__(*args, **kwargs)
