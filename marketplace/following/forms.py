"""The progress update form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from marketplace.following.services import MAX_UPDATE


class UpdateForm(FlaskForm):
    body = TextAreaField(_l("How is it going?"), validators=[DataRequired(), Length(max=MAX_UPDATE)],
                         render_kw={"rows": 3})
    photo = FileField(_l("Photo (optional)"),
                      render_kw={"accept": "image/jpeg,image/png,image/webp"})
