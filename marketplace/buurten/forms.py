"""Finding one's buurt, or a gemeente."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from flask_wtf import FlaskForm
from wtforms import SearchField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from marketplace.buurten.models import MAX_QUESTION
from marketplace.extensions import db
from marketplace.geo.fields import BuurtField
from marketplace.geo.queries import area_counts
from marketplace.geo.search import MAX_QUERY, gemeenten_matching


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

    def results(self, per_page: int) -> GemeentePage:
        """One page of the gemeenten matching what was asked, with their numbers of wijken and
        buurten, and the parameters that page links keep."""
        self.validate()
        text = self.q.data if not self.q.errors else ""
        page = db.paginate(gemeenten_matching(text), per_page=per_page, error_out=False)
        return GemeentePage(page, area_counts([g.id for g in page.items]),
                            {"q": text} if text else {})


@dataclass
class GemeentePage:
    page: Pagination
    counts: dict[int, tuple[int, int]]
    args: dict[str, str]


class QuestionForm(FlaskForm):
    body = TextAreaField(_l("Your question or message"),
                         validators=[DataRequired(), Length(max=MAX_QUESTION)],
                         render_kw={"rows": 5, "maxlength": MAX_QUESTION})


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("Your answer"),
                           validators=[DataRequired(), Length(max=MAX_QUESTION)],
                           render_kw={"rows": 3, "maxlength": MAX_QUESTION})
