"""The language switch in the page header."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"),
                           choices=[SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")])
