"""The dashboard's choice of area and period (a GET form)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional


class AreaPeriodForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form

    gebied = SelectField(_l("Area"), choices=[], validate_choice=False)
    van = DateField(_l("From"), validators=[Optional()])
    tot = DateField(_l("Until"), validators=[Optional()])
