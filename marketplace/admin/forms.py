"""Admin forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SearchField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.auth.forms import email_field
from marketplace.auth.models import Role
from marketplace.geo.fields import BuurtField, GemeenteField

ROLE_LABELS = {
    Role.WIJKWERKER: _l("Wijkwerker"),
    Role.STAFF: _l("Gemeente staff"),
    Role.GEMEENTE_ADMIN: _l("Gemeente admin"),
    Role.ADMIN: _l("Admin of Buurtmarkt"),
}
ROLE_HINTS = {
    Role.WIJKWERKER: _l("moderates the wijken and buurten below"),
    Role.STAFF: _l("states the gemeente's role, pledges support and answers"),
    Role.GEMEENTE_ADMIN: _l("manages the gemeente's people, settings and categories"),
    Role.ADMIN: _l("every gemeente, the imports and the national categories"),
}


def role_choices(roles) -> list[SelectChoice]:
    return [SelectChoice(role.value, f"{ROLE_LABELS[role]} ({ROLE_HINTS[role]})")
            for role in ROLE_LABELS if role in roles]


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    q = SearchField(_l("Name or e-mail"), validators=[Optional()])
    role = SelectField(_l("Role"), choices=[SelectChoice("", _l("All roles"))]
                       + [SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()],
                       validators=[Optional()])


class UserRoleForm(FlaskForm):
    """A person's roles and areas. The view offers only the roles the admin may give, and leaves
    out the gemeente and the account's status for a gemeente admin (theirs is fixed)."""

    roles = CheckboxListField(_l("Roles"), description=_l("Everyone is a resident as well."))
    gemeente = GemeenteField(_l("Gemeente"),
                             description=_l("For staff, wijkwerkers and gemeente admins: the "
                                            "gemeente they work for. Type part of its name."))
    wijken = CheckboxListField(_l("Wijken"), coerce=int)
    buurten = CheckboxListField(_l("Buurten"), coerce=int,
                                description=_l("Untick a buurt to take it away."))
    add_buurt = BuurtField(_l("Add a buurt"),
                           description=_l("A buurt of this gemeente, in addition to the wijken."))
    active = BooleanField(_l("Account is active (can log in)"))


class AppointForm(FlaskForm):
    """Give someone with an account roles in one gemeente."""

    email = email_field(_l("Their e-mail address"))
    roles = CheckboxListField(_l("Roles"))
    wijken = CheckboxListField(_l("Wijken (for a wijkwerker)"), coerce=int)
    add_buurt = BuurtField(_l("Or a buurt (for a wijkwerker)"),
                           description=_l("A buurt of this gemeente, in addition to the wijken."))


class CategoryForm(FlaskForm):
    slug = StringField(_l("Short name in addresses"),
                       validators=[DataRequired(), Length(max=40),
                                   Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$",
                                          message=_l("Use lower-case letters, digits and dashes."))],
                       description=_l("Used in links and the API, e.g. “zorg-en-welzijn”."))
    name_nl = StringField(_l("Name in Dutch"), validators=[DataRequired(), Length(max=60)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=60)])
    position = IntegerField(_l("Position in lists"), default=0,
                            validators=[InputRequired(), NumberRange(min=0, max=999)])
    active = BooleanField(_l("Can be chosen for new listings"), default=True)


class GemeenteSettingsForm(FlaskForm):
    answer_target_days = IntegerField(
        _l("Answer target in working days"), validators=[InputRequired(), NumberRange(1, 30)],
        description=_l("Every new initiative is owed a first answer (a role or a message) "
                       "within this many working days."))
    premoderation_count = IntegerField(
        _l("Listings that wait for approval"), validators=[InputRequired(), NumberRange(0, 20)],
        description=_l("A new resident's first this-many listings wait for a wijkwerker's "
                       "approval. 0 publishes everything at once."))
    flag_threshold = IntegerField(
        _l("Reports that hide an item"), validators=[InputRequired(), NumberRange(1, 50)],
        description=_l("An item with this many open reports is hidden until a wijkwerker "
                       "decides."))
    nudge_after_days = IntegerField(
        _l("Quiet listings: nudge after (days)"), validators=[InputRequired(), NumberRange(7, 365)],
        description=_l("An open listing without news, changes or responses this long: its owner "
                       "gets a friendly question whether it still runs, and the wijkwerker sees "
                       "it in the list of quiet listings."))
    nudge_unanswered_after_days = IntegerField(
        _l("Offers and requests nobody answered: nudge after (days)"),
        validators=[InputRequired(), NumberRange(7, 365)],
        description=_l("An open offer or request without responses, changes or news this long: "
                       "the same friendly question to its owner."))
    need_due_warning_days = IntegerField(
        _l("Needs still open: warn this many days before their date"),
        validators=[InputRequired(), NumberRange(1, 60)],
        description=_l("A need that is not covered yet this close to the day it is needed by: "
                       "its owner hears of it once, and the wijkwerker sees it."))
