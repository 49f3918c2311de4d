"""The admin's button to send failed messages again."""

from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional

from marketplace.ids import MAX_ID


class RetryForm(FlaskForm):
    # One message, or (left out) every failed one.
    delivery_id = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
