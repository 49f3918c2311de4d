"""Forms for teams and for who owns follow-up. Choices are filled per gemeente by the views."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from marketplace.admin.forms import CheckboxListField
from marketplace.teams.services import MAX_NAME


class TeamForm(FlaskForm):
    name = StringField(_l("Name of the team"), validators=[DataRequired(), Length(max=MAX_NAME)],
                       description=_l("For example “Team Groen” or “Wijkbeheer Noord”. "
                                      "Residents see it on the initiatives the team owns."))
    coordinator = SelectField(_l("Coordinator"), coerce=int, default=0,
                              description=_l("Hears what is still overdue a week after its "
                                             "date."))
    members = CheckboxListField(_l("Members"), coerce=int, default=[])


class AssignForm(FlaskForm):
    team = SelectField(_l("Owning team"), coerce=int)
    responsible = SelectField(_l("Responsible person"), coerce=int, default=0,
                              description=_l("A member of the team. Without one, the whole "
                                             "team gets the reminders."))
