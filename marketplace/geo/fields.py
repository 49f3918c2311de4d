"""Form fields for choosing a buurt or a gemeente among all of the country's.

Nobody scrolls through 14,000 options, and no page should carry them: the field is a text box.
With JavaScript it suggests matches while one types (static/js/place-picker.js, fed by the
/api/buurten/zoeken and /api/gemeenten endpoints) and remembers the chosen code in a hidden
``<name>-keuze`` input. Without JavaScript the form is sent with the typed words; when they fit
one place exactly that is the choice, otherwise the form comes back with the matches to pick from.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import Field
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

from marketplace.extensions import db
from marketplace.geo.models import Buurt, Gemeente, Wijk
from marketplace.geo.search import (
    MAX_QUERY,
    BuurtMatch,
    buurt_match,
    find_buurten,
    find_gemeenten,
    gemeente_search_text,
    words_of,
)

MAX_CANDIDATES = 8


class PlacePickerWidget:
    """A text box, the hidden chosen code, and (after a search without JavaScript) the matches."""

    def __call__(self, field: PlaceField, **attributes) -> Markup:
        attributes.setdefault("id", field.id)
        attributes.update(type="text", name=field.name, value=field.text, autocomplete="off",
                          spellcheck="false", maxlength=MAX_QUERY)
        choice_name = field.choice_name
        parts = [Markup("<input {}>").format(_attributes(attributes))]
        if field.candidates:
            legend = _("Which one do you mean?")
            options = Markup("").join(
                Markup('<label class="inline-check"><input type="radio" name="{}" value="{}">'
                       " {}{}</label>").format(
                    choice_name, code, label,
                    Markup(' <span class="hint">{}</span>').format(detail) if detail else "")
                for code, label, detail in field.candidates)
            parts.append(Markup('<fieldset class="place-candidates"><legend>{}</legend>{}</fieldset>')
                         .format(legend, options))
        else:
            parts.append(Markup('<input type="hidden" name="{}" value="{}" data-place-choice>')
                         .format(choice_name, field.code))
        return Markup('<div class="place-picker" data-place-picker data-source="{}" '
                      'data-label-none="{}" data-label-count="{}" data-label-count-one="{}">'
                      '{}</div>').format(
            field.source_url(), _("Nothing found. Type part of the name, the gemeente or the "
                                  "postcode."),
            _("{count} suggestions. Use the arrow keys to choose."),
            _("1 suggestion. Use the arrow keys to choose."), Markup("").join(parts))


def _attributes(attributes: dict) -> Markup:
    return Markup(" ").join(
        Markup('{}="{}"').format(key.rstrip("_").replace("_", "-"), value)
        for key, value in attributes.items() if value is not None and value is not False)


class PlaceField(Field):
    """The shared behaviour; subclasses say how places are found, labelled and fetched."""

    widget = PlacePickerWidget()
    not_found_message = ""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.text = ""
        self.code = ""
        self.candidates: list[tuple[str, str, str]] = []
        self.gemeente: Gemeente | None = None  # where to look, for a buurt

    @property
    def choice_name(self) -> str:
        return f"{self.name}-keuze"

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        """Keep what was typed and chosen; which place it means is settled in pre_validate,
        once the view has said where to look (``gemeente``)."""
        self.process_errors = []
        self.candidates = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = self.data = data
        self.submitted = None
        self._show(data)
        if formdata is not None and (self.name in formdata or self.choice_name in formdata):
            self.submitted = (formdata.get(self.name, "").strip()[:MAX_QUERY],
                              formdata.get(self.choice_name, "").strip())
            self.text, self.code = self.submitted
            self.data = None

    def pre_validate(self, form) -> None:
        """The text box decides: an empty box chooses nothing; a code chosen from the
        suggestions (or the matches offered) counts only while it fits the words in the box, so
        a code left over from the page before never overrides what was typed since."""
        if self.submitted is None:
            return
        text, code = self.submitted
        self.text, self.candidates, self.data = text, [], None
        words = words_of(text)
        if words:
            place = self.by_code(code) if code else None
            self.data = place if place is not None and self.fits(place, words) \
                else self._from_text(text)
        self._show(self.data, keep_text=self.data is None)

    def chosen(self):
        """The place asked for, settled now (e.g. to offer the areas of a chosen gemeente before
        the form is validated); None when nothing or nothing clear was asked for."""
        try:
            self.pre_validate(None)
        except StopValidation:
            return None
        return self.data

    def _show(self, place, keep_text: bool = False) -> None:
        self.code = place.code if place is not None else ""
        if not keep_text:
            self.text = self.label_of(place) if place is not None else ""

    def _from_text(self, text: str):
        exact = self.by_code(text.upper()) if text.isalnum() else None
        if exact is not None:
            return exact
        matches = self.search(text, MAX_CANDIDATES + 1)
        labelled = [m for m in matches if words_of(self.label_of_match(m)) == words_of(text)]
        if len(matches) == 1 or len(labelled) == 1:
            return self.by_code((labelled or matches)[0].code)
        if not matches:
            raise StopValidation(self.not_found_message % {"text": text})
        self.candidates = [(m.code, self.label_of_match(m), self.detail_of_match(m))
                           for m in matches[:MAX_CANDIDATES]]
        raise StopValidation(
            _("More than one place fits “%(text)s”: choose one below.", text=text)
            if len(matches) <= MAX_CANDIDATES else
            _("Many places fit “%(text)s”: choose one below or type more, such as the gemeente.",
              text=text))

    def _value(self) -> str:
        return self.text

    # What subclasses fill in.
    def by_code(self, code: str):
        raise NotImplementedError

    def fits(self, place, words: list[str]) -> bool:
        """Whether every typed word is in what the place is found by."""
        raise NotImplementedError

    def search(self, text: str, limit: int) -> list:
        raise NotImplementedError

    def label_of(self, place) -> str:
        raise NotImplementedError

    def label_of_match(self, match) -> str:
        return self.label_of(match)

    def detail_of_match(self, match) -> str:
        return ""

    def source_url(self) -> str:
        raise NotImplementedError


class BuurtField(PlaceField):
    """A buurt, found by name, gemeente, postcode area or code; ``data`` is the Buurt or None.

    A view that allows only one gemeente's buurten sets ``field.gemeente`` before validating.
    """

    not_found_message = _l("No buurt fits “%(text)s”. Type part of its name, the gemeente or "
                           "the postcode (like 3511).")

    def by_code(self, code: str) -> Buurt | None:
        query = sa.select(Buurt).where(Buurt.code == code)
        if (gemeente := self.gemeente) is not None:
            query = query.join(Buurt.wijk).where(Wijk.gemeente_id == gemeente.id)
        return db.session.scalar(query)

    def fits(self, buurt: Buurt, words: list[str]) -> bool:
        return all(word in buurt.search_text for word in words)

    def search(self, text: str, limit: int) -> list[BuurtMatch]:
        gemeente = self.gemeente
        return find_buurten(text, limit=limit, gemeente_id=gemeente.id if gemeente else None)

    def label_of(self, buurt: Buurt) -> str:
        return buurt_match(buurt).label

    def label_of_match(self, match: BuurtMatch) -> str:
        return match.label

    def detail_of_match(self, match: BuurtMatch) -> str:
        return match.detail

    def source_url(self) -> str:
        gemeente = self.gemeente
        return url_for("api.find_buurten", gemeente=gemeente.code if gemeente else None)


class GemeenteField(PlaceField):
    """A gemeente, found by name or code; ``data`` is the Gemeente or None."""

    not_found_message = _l("No gemeente fits “%(text)s”.")

    def by_code(self, code: str) -> Gemeente | None:
        return db.session.scalar(sa.select(Gemeente).where(Gemeente.code == code))

    def fits(self, gemeente: Gemeente, words: list[str]) -> bool:
        found_by = gemeente_search_text(gemeente)
        return all(word in found_by for word in words)

    def search(self, text: str, limit: int) -> list[Gemeente]:
        return find_gemeenten(text, limit=limit)

    def label_of(self, gemeente: Gemeente) -> str:
        return gemeente.name

    def detail_of_match(self, gemeente: Gemeente) -> str:
        return gemeente.code

    def source_url(self) -> str:
        return url_for("api.find_gemeenten")
