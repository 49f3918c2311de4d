"""Forms for responding, answering and writing messages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from marketplace.commitments.services import MAX_MESSAGE


class RespondForm(FlaskForm):
    quantity = IntegerField(_l("How many"), default=1,
                            validators=[InputRequired(), NumberRange(min=1, max=100_000)],
                            render_kw={"inputmode": "numeric", "min": 1})
    note = TextAreaField(_l("A note (optional)"), validators=[Length(max=500)],
                         render_kw={"rows": 2})


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=MAX_MESSAGE)],
                         render_kw={"rows": 3})


class ActionForm(FlaskForm):
    """Only the CSRF token: for buttons that answer, withdraw or finish."""
