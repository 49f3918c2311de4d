"""Full-text search of listings: PostgreSQL's Dutch text search, or SQLite's FTS5.

Both read what migration 0012 builds: on PostgreSQL the stored column ``listing.search_vector``
(the Dutch tsvector of title, weight A, and description, weight D) with a GIN index; on SQLite
the FTS5 table ``listing_fts`` with the listing table as its content, kept in sync by triggers.
Neither is in the models: the column exists on PostgreSQL only, the FTS5 table on SQLite only.
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.listings.models import Listing

# The last word also matches as the start of a word (search as you type), once it is this long:
# a shorter start matches too many words to be of use, and reads a large part of the index.
MIN_PREFIX = 3
# Ranking reads every listing it ranks, and a common word matches a tenth of the country. So
# only the newest this many matches are ranked: as many as the API gives at most, more than
# anyone pages through on the map page, and few enough that finding them stays cheap (walking
# the newest-first index for a common word, sorting the few matches of a rare one). The API
# ranks among as many as it was asked for (200 by default), which takes PostgreSQL's p95 at
# 1 M listings from 44 to 35 ms (bench/text_search.py).
RANKED_AMONG = 500
# What the user typed becomes words; everything else (quotes, operators, dashes, emoji) only
# separates them, so no input is ever query syntax.
_WORD = re.compile(r"[^\W_]+")
# Title words weigh this much more than description words in SQLite's bm25.
_TITLE_WEIGHT = 10.0

# Schema objects of migration 0012 that the models do not declare, left out of the comparison of
# the models with the database: the FTS5 table and its shadow tables, the PostgreSQL column and
# its index.
SEARCH_TABLES = frozenset({"listing_fts", "listing_fts_data", "listing_fts_idx",
                           "listing_fts_docsize", "listing_fts_config", "listing_fts_content"})
SEARCH_COLUMN = "search_vector"
SEARCH_INDEX = "ix_listing_text_search"

_DUTCH = sa.literal_column("'dutch'::regconfig")
_SEARCH_VECTOR = sa.literal_column(f"listing.{SEARCH_COLUMN}")


def search_words(text: str) -> list[str]:
    """The words in ``text``, case-folded, in the order typed."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def search_terms(text: str) -> tuple[list[str], str | None]:
    """The whole words of ``text`` (each once) and the started last word, if any: a started
    word shorter than ``MIN_PREFIX`` counts as whole, and one that an earlier word completes
    ("schoffel schof") adds nothing. Repeated words would also mislead PostgreSQL's planner,
    which takes them for independent conditions, each narrowing the result."""
    words = search_words(text)
    if not words:
        return [], None
    *whole, last = words
    started: str | None = last
    if len(last) < MIN_PREFIX:
        whole.append(last)
        started = None
    whole = list(dict.fromkeys(whole))
    if started is not None and any(word.startswith(started) for word in whole):
        started = None
    return whole, started


def postgres_query(whole: list[str], started: str | None) -> str:
    """A ``to_tsquery`` text: every word required, the started one as a prefix."""
    terms = [f"'{word}'" for word in whole]  # words hold letters and digits only
    if started is not None:
        terms.append(f"'{started}':*")
    return " & ".join(terms)


def sqlite_query(whole: list[str], started: str | None) -> str:
    """An FTS5 MATCH text: every word required, each quoted (so never an operator), the started
    one as a prefix."""
    terms = [f'"{word}"' for word in whole]
    if started is not None:
        terms.append(f'"{started}"*')
    return " ".join(terms)


def _postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def _tsquery(terms: tuple[list[str], str | None]) -> sa.ColumnElement:
    return sa.func.to_tsquery(_DUTCH, sa.literal(postgres_query(*terms), sa.Text))


def _fts_match(terms: tuple[list[str], str | None]) -> sa.TextClause:
    return sa.text("listing_fts MATCH :search_text").bindparams(search_text=sqlite_query(*terms))


def matching_text(query: sa.Select, text: str) -> sa.Select:
    """``query`` (of listings) narrowed to those whose title and description together hold
    every word of ``text``, the last word also as the start of a word; none when ``text`` has
    no words."""
    terms = search_terms(text)
    if terms == ([], None):
        return query.where(sa.false())
    if _postgresql():
        return query.where(_SEARCH_VECTOR.op("@@")(_tsquery(terms)))
    hits = sa.select(sa.literal_column("listing_fts.rowid")).select_from(
        sa.table("listing_fts")).where(_fts_match(terms))
    return query.where(Listing.id.in_(hits))


def best_matches_first(query: sa.Select, text: str, among: int = RANKED_AMONG) -> sa.Select:
    """``query`` (of listings) narrowed to ``text`` as ``matching_text`` does, the best match
    first among the newest ``among`` matches (at most ``RANKED_AMONG``): title matches above
    description-only ones, then newest."""
    newest_first = (Listing.created_at.desc(), Listing.id.desc())
    terms = search_terms(text)
    if terms == ([], None):
        return query.where(sa.false()).order_by(*newest_first)
    # Written into the SQL, so that a prepared statement's generic plan knows it too.
    limit = sa.literal_column(str(min(int(among), RANKED_AMONG)))
    if _postgresql():
        # The newest matches come through the created_at index, each tested against its stored
        # vector (for a common word), or through the GIN index and sorted (for a rare one).
        recent = (matching_text(query, text).with_only_columns(Listing.id).order_by(None)
                  .order_by(*newest_first).limit(limit).correlate(None))
        rank = sa.func.ts_rank(_SEARCH_VECTOR, _tsquery(terms))
        return (sa.select(Listing).where(Listing.id.in_(recent))
                .order_by(rank.desc(), *newest_first))
    # SQLite keeps no statistics to choose like that. FTS5 reads its matches newest first
    # (highest id) by itself, each with its bm25 (lower is better; only to be had beside the
    # MATCH); the listing table filters them until there are enough.
    fts_rowid = sa.literal_column("listing_fts.rowid")
    hits = (sa.select(fts_rowid.label("id"),
                      sa.func.bm25(sa.literal_column("listing_fts"), _TITLE_WEIGHT, 1.0)
                      .label("rank"))
            .select_from(sa.table("listing_fts")).where(_fts_match(terms))
            .order_by(fts_rowid.desc()).subquery("text_hits"))
    recent = (query.with_only_columns(Listing.id, hits.c.rank).order_by(None)
              .join(hits, hits.c.id == Listing.id).order_by(hits.c.id.desc()).limit(limit)
              .subquery("recent"))
    return (sa.select(Listing).join(recent, recent.c.id == Listing.id)
            .order_by(recent.c.rank, *newest_first))


def is_search_object(name: str | None, type_: str, parent_names: dict | None = None) -> bool:
    """Whether a database object belongs to text search (for Alembic's ``include_name``)."""
    if type_ == "table":
        return name in SEARCH_TABLES
    if type_ == "index":
        return name == SEARCH_INDEX
    if type_ == "column":
        return name == SEARCH_COLUMN and (parent_names or {}).get("table_name") == "listing"
    return False
