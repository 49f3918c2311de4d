"""Forms for reporting content and for the moderator's decisions."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from marketplace.geo.fields import BuurtField
from marketplace.moderation.labels import REASON_LABELS
from marketplace.moderation.models import FlagReason
from marketplace.moderation.services import MAX_NOTE, MAX_SUSPENSION_DAYS


class FlagForm(FlaskForm):
    reason = RadioField(_l("What is wrong?"), validators=[InputRequired()],
                        choices=[SelectChoice(reason.value, label)
                                 for reason, label in REASON_LABELS.items()])
    note = TextAreaField(_l("Tell the wijkwerker more (needed for “Something else”)"),
                         validators=[Length(max=MAX_NOTE)], render_kw={"rows": 3})

    def validate_note(self, field) -> None:
        if self.reason.data == FlagReason.OTHER.value and not (field.data or "").strip():
            raise ValidationError(_l("Tell the wijkwerker what is wrong."))


class ReasonForm(FlaskForm):
    """Hide, escalate or warn: the reason is required, and the author (or admin) reads it."""

    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=MAX_NOTE)],
                           render_kw={"rows": 2})


class OptionalReasonForm(FlaskForm):
    reason = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=MAX_NOTE)],
                           render_kw={"rows": 2})


class SuspendForm(FlaskForm):
    days = IntegerField(_l("Days"), default=7,
                        validators=[InputRequired(), NumberRange(min=1, max=MAX_SUSPENSION_DAYS)],
                        render_kw={"inputmode": "numeric", "min": 1, "max": MAX_SUSPENSION_DAYS})
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=MAX_NOTE)],
                           render_kw={"rows": 2})


class MoveForm(FlaskForm):
    category = SelectField(_l("Category"), coerce=int, validators=[InputRequired()])
    buurt = BuurtField(_l("Buurt"), validators=[DataRequired()],
                       description=_l("A buurt of the same gemeente."))
    reason = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=MAX_NOTE)],
                           render_kw={"rows": 2})
