"""Forms for staff: the gemeente's role, a pledge, and closing a pledge."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from marketplace.accountability.labels import PLEDGE_LABELS, ROLE_LABELS
from marketplace.accountability.requests import MAX_MOTIVATION
from marketplace.accountability.services import MAX_CONTEST_NOTE, MIN_EXPLANATION
from marketplace.geo.fields import BuurtField


class RoleForm(FlaskForm):
    role = SelectField(_l("Role of the gemeente"),
                       choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()])
    explanation = TextAreaField(
        _l("Explanation for the residents"),
        validators=[DataRequired(), Length(min=MIN_EXPLANATION, max=3000)],
        description=_l("Plain language: what the gemeente does, and why. Letting go is a "
                       "choice you explain too."), render_kw={"rows": 4})
    contact = StringField(_l("Contact person or team"),
                          validators=[DataRequired(), Length(max=120)])


class PledgeForm(FlaskForm):
    kind = SelectField(_l("Kind of support"),
                       choices=[SelectChoice(k.value, label) for k, label in PLEDGE_LABELS.items()])
    amount = IntegerField(_l("Amount (euros or hours)"),
                          validators=[Optional(), NumberRange(min=1, max=10_000_000)],
                          render_kw={"inputmode": "numeric", "min": 1})
    description = StringField(_l("What exactly"), validators=[DataRequired(), Length(max=300)])
    # Filled per gemeente with its teams (accountability.routes.pledge_form_for).
    team = SelectField(_l("Owning team"), coerce=int, default=0, validate_choice=True)
    department = StringField(_l("Department"), validators=[Optional(), Length(max=120)],
                             description=_l("When the gemeente has no team for it."))
    due_on = DateField(_l("Due date"), validators=[DataRequired()])
    # Filled per initiative with its open questions (accountability.routes.pledge_form_for).
    answering = SelectField(_l("Answers the initiator's question"), coerce=int, default=0,
                            validate_choice=True)
    covers = IntegerField(_l("How much of the need it covers (in the need's unit)"),
                          validators=[Optional(), NumberRange(min=1, max=10_000_000)],
                          render_kw={"inputmode": "numeric", "min": 1},
                          description=_l("It then counts in the need's progress bar."))


class ClosePledgeForm(FlaskForm):
    note = TextAreaField(_l("Delivery note or reason"), validators=[DataRequired(),
                                                                    Length(max=2000)],
                         render_kw={"rows": 2})


class AnswerForm(FlaskForm):
    body = TextAreaField(_l("Message from the gemeente to the initiator"),
                         validators=[DataRequired(), Length(max=3000)],
                         description=_l("Public on the initiative. It counts as the gemeente's "
                                        "answer."), render_kw={"rows": 3})


class FiguresBuurtForm(FlaskForm):
    """The buurt on the public figures page: one of the gemeente's, or the whole gemeente."""

    class Meta:
        csrf = False  # a GET form

    buurt = BuurtField(_l("Buurt"), description=_l("Leave empty for the whole gemeente."))


class ContestForm(FlaskForm):
    note = TextAreaField(_l("What is missing?"),
                         validators=[DataRequired(), Length(max=MAX_CONTEST_NOTE)],
                         render_kw={"rows": 2})


class AskForm(FlaskForm):
    kind = SelectField(_l("What do you ask for?"),
                       choices=[SelectChoice(k.value, label) for k, label in PLEDGE_LABELS.items()])
    motivation = TextAreaField(_l("Why do you ask the gemeente?"),
                               validators=[DataRequired(), Length(max=MAX_MOTIVATION)],
                               render_kw={"rows": 3})


class DeclineForm(FlaskForm):
    note = TextAreaField(_l("Why not?"), validators=[DataRequired(), Length(max=2000)],
                         render_kw={"rows": 2})
