"""Finding one's buurt."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField
from wtforms.validators import Length, Optional

from marketplace.geo.fields import BuurtField
from marketplace.geo.search import MAX_QUERY


class FindBuurtForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    buurt = BuurtField(_l("Your buurt"),
                       description=_l("Type part of its name, the gemeente or the postcode "
                                      "(like 3511)."))


class FindGemeenteForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    q = SearchField(_l("Gemeente"), validators=[Optional(), Length(max=MAX_QUERY)])
