from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from marketplace.experiments.models import MAX_LESSONS, MAX_QUESTION


class QuestionForm(FlaskForm):
    question = TextAreaField(
        _l("What do you want to learn?"), validators=[DataRequired(), Length(max=MAX_QUESTION)],
        description=_l("For instance: do neighbours keep the garden going without the "
                       "gemeente's gardener?"),
        render_kw={"rows": 2, "maxlength": MAX_QUESTION})


class LessonsForm(FlaskForm):
    text = TextAreaField(_l("What was learned?"),
                         validators=[DataRequired(), Length(max=MAX_LESSONS)],
                         render_kw={"rows": 4, "maxlength": MAX_LESSONS})
