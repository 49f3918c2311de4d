"""Finding a buurt or gemeente by a few typed letters, among every buurt of the country.

A person types part of a name, the gemeente, a postcode area or a CBS code, in any order:
"centrum utr", "3511", "BU0344". Every word must occur somewhere; the best matches come first
(the buurt's own name starting with what was typed before the gemeente's, shorter names before
longer). 14,000 buurten are few enough to be read this way on every keystroke.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.geo.models import Buurt, Gemeente, Wijk

MAX_QUERY = 60
MAX_WORDS = 5
CODE = re.compile(r"^(BU|WK|GM)\d{2,8}$", re.IGNORECASE)


@dataclass(frozen=True)
class BuurtMatch:
    id: int
    code: str
    name: str
    wijk: str
    gemeente: str
    gemeente_code: str
    postcode: str | None

    @property
    def label(self) -> str:
        return f"{self.name}, {self.gemeente}"

    @property
    def detail(self) -> str:
        return " · ".join(part for part in (self.wijk, self.postcode) if part)

    def as_json(self) -> dict:
        return {"code": self.code, "name": self.name, "label": self.label, "wijk": self.wijk,
                "gemeente": self.gemeente, "gemeente_code": self.gemeente_code,
                "postcode": self.postcode}


def _plain_words(text: str) -> list[str]:
    """Lower case, accents and punctuation dropped: "Súdwest-Fryslân" → ["sudwest", "fryslan"]."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return [word for word in re.split(r"[^a-z0-9]+", text) if word]


def words_of(text: str | None) -> list[str]:
    """The words to look for in what a person typed, at most a few."""
    return _plain_words((text or "")[:MAX_QUERY])[:MAX_WORDS]


def search_text_of(name: str, wijk: str, gemeente: str, postcode: str | None, code: str) -> str:
    """What a buurt is found by (``Buurt.search_text``): its words, its wijk's and gemeente's,
    its postcode area and code, each with a space before and after, so that typed words match
    whole or as the start of a word alike."""
    return f" {' '.join(_plain_words(' '.join((name, wijk, gemeente, postcode or '', code))))} "


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains_all(haystack: sa.ColumnElement[str], words: Iterable[str]) -> list:
    return [haystack.like(f"%{_escape(word)}%", escape="\\") for word in words]


def find_buurten(text: str | None, *, limit: int = 10, gemeente_id: int | None = None,
                 buurt_ids: Iterable[int] | None = None) -> list[BuurtMatch]:
    """The buurten matching every word of ``text``, best first; none for an empty text.

    ``gemeente_id`` and ``buurt_ids`` narrow the search to the buurten a person may choose here.
    """
    words = words_of(text)
    if not words:
        return []
    first = _escape(words[0])
    name = sa.func.lower(Buurt.name)
    query = (sa.select(Buurt.id, Buurt.code, Buurt.name, Wijk.name, Gemeente.name, Gemeente.code,
                       Buurt.postcode)
             # "+ 0": the buurten are read through their covering index, then their wijk and
             # gemeente. Given the chance (after ANALYZE), SQLite starts from the gemeenten and
             # reads every buurt's row, outline and all: 55 ms instead of 11 for a common word.
             .join(Wijk, Wijk.id == Buurt.wijk_id + 0).join(Wijk.gemeente)
             .where(*_contains_all(Buurt.search_text, words)))
    if gemeente_id is not None:
        query = query.where(Wijk.gemeente_id == gemeente_id)
    if buurt_ids is not None:
        query = query.where(Buurt.id.in_(list(buurt_ids)))
    query = query.order_by(
        sa.case((Buurt.code == words[0].upper(), 0),
                (name == " ".join(words), 1),
                (name.like(f"{first}%", escape="\\"), 2),
                (sa.func.coalesce(Buurt.postcode, "").like(f"{first}%", escape="\\"), 2),
                (sa.func.lower(Gemeente.name).like(f"{first}%", escape="\\"), 3),
                else_=4),
        sa.func.length(Buurt.name), Buurt.name, Gemeente.name, Buurt.code,
    ).limit(limit)
    return [BuurtMatch(*row) for row in db.session.execute(query)]


def buurt_match(buurt: Buurt) -> BuurtMatch:
    return BuurtMatch(buurt.id, buurt.code, buurt.name, buurt.wijk.name, buurt.gemeente.name,
                      buurt.gemeente.code, buurt.postcode)


def gemeente_search_text(gemeente: Gemeente) -> str:
    """What a gemeente is found by: the words of its name and code, without accents."""
    return f" {' '.join(_plain_words(f'{gemeente.name} {gemeente.code}'))} "


def gemeenten_matching(text: str | None) -> sa.Select:
    """Gemeenten whose name or code holds every typed word, those starting with the first word
    first; all gemeenten by name when nothing was typed. For paging.

    The country has a few hundred gemeenten: they are matched here in Python, where accents are
    dropped on both sides ("sudwest" finds Súdwest-Fryslân), and fetched by id.
    """
    words = words_of(text)
    query = sa.select(Gemeente)
    if not words:
        return query.order_by(Gemeente.name, Gemeente.code)
    starting, containing = [], []
    for gemeente in db.session.execute(sa.select(Gemeente.id, Gemeente.name, Gemeente.code)):
        found_by = gemeente_search_text(gemeente)
        if all(word in found_by for word in words):
            (starting if found_by.startswith(f" {words[0]}") else containing).append(gemeente.id)
    order = [sa.case((Gemeente.id.in_(starting), 0), else_=1)] if starting else []
    return query.where(Gemeente.id.in_(starting + containing)).order_by(
        *order, Gemeente.name, Gemeente.code)


def find_gemeenten(text: str | None, *, limit: int = 10) -> list[Gemeente]:
    if not words_of(text):
        return []
    return list(db.session.scalars(gemeenten_matching(text).limit(limit)))
