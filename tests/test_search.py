"""Text search of listings (PostgreSQL full-text search, SQLite FTS5): ranked, prefix on the last
word, every word required, safe whatever is typed, and never showing what is not public."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.listings.models import Listing, ListingStatus
from marketplace.listings.queries import ListingFilter, public_listings
from marketplace.listings.search import (
    matching_text,
    postgres_query,
    search_terms,
    search_words,
    sqlite_query,
)
from marketplace.models_base import utcnow

ALL_PUBLIC = "open,running,realised,stopped,closed"


def _is_postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


@pytest.fixture
def api_titles(client):
    """The titles the API returns for a text, in order."""

    def titles(text: str, **params) -> list[str]:
        response = client.get("/api/v1/listings", query_string={"q": text, **params})
        assert response.status_code == 200, response.text
        return [feature["properties"]["title"] for feature in response.json["features"]]

    return titles


def _found(text: str) -> list[str]:
    """The titles ``public_listings`` finds for a text, in order."""
    return list(db.session.scalars(public_listings(ListingFilter(text=text)).with_only_columns(
        Listing.title)))


def test_user_words_become_quoted_terms_never_syntax():
    words = search_words('"Ladd" AND -tuin* (NEAR) title:x 😀 Café')
    assert words == ["ladd", "and", "tuin", "near", "title", "x", "café"]
    assert search_words("!?-*:()'\"") == []
    assert search_terms("Ladder TUI") == (["ladder"], "tui")
    assert sqlite_query(*search_terms("ladder tui")) == '"ladder" "tui"*'
    assert postgres_query(*search_terms("ladder tui")) == "'ladder' & 'tui':*"
    # A last word too short to be a useful start matches as a whole word only.
    assert search_terms("ladder tu") == (["ladder", "tu"], None)
    # Each word once; a started word that an earlier one completes adds nothing.
    assert search_terms("ladder tuin ladder ladder") == (["ladder", "tuin"], None)
    assert search_terms("schoffel schof") == (["schoffel"], None)


def test_title_match_ranks_above_a_description_only_match(client, make_listing, api_titles):
    make_listing(title="Ladder te leen", description="Een lange, voor de dakgoot.")
    make_listing(title="Klussen in huis", description="Wie heeft er een ladder voor mij?")
    # Newest first would put the description match on top; the title match is the better one.
    assert api_titles("ladder") == ["Ladder te leen", "Klussen in huis"]
    page = client.get("/kaart", query_string={"q": "ladder"}).text
    assert page.index("Ladder te leen") < page.index("Klussen in huis")
    assert _found("ladder") == ["Ladder te leen", "Klussen in huis"]


def test_without_text_or_with_near_the_orderings_stay(client, make_listing):
    make_listing(title="Ladder te leen", description="Voor de dakgoot.")
    make_listing(title="Hulp bij verbouwing", description="Wie heeft er een ladder?",
                 lat=52.475, lon=3.75)
    listings = lambda **params: [  # noqa: E731
        f["properties"]["title"]
        for f in client.get("/api/v1/listings", query_string=params).json["features"]]
    assert listings() == ["Hulp bij verbouwing", "Ladder te leen"]  # newest first
    assert listings(q="ladder") == ["Ladder te leen", "Hulp bij verbouwing"]  # best match first
    # With near, nearest first even with a text.
    near = {"near": "52.475,3.75", "radius_km": "10"}
    assert listings(q="ladder", **near) == ["Hulp bij verbouwing", "Ladder te leen"]
    page = client.get("/kaart", query_string={"q": "ladder", **near}).text
    assert page.index("Hulp bij verbouwing") < page.index("Ladder te leen")
    assert listings(q="verbouwing ladder", **near) == ["Hulp bij verbouwing"]


def test_last_word_matches_as_a_prefix(make_listing, api_titles):
    make_listing(title="Ladder te leen", description="Aluminium.")
    assert api_titles("ladd") == ["Ladder te leen"]
    assert api_titles("aluminium lad") == ["Ladder te leen"]
    # Only the last word is a prefix; the others are whole words.
    assert api_titles("lad aluminium") == []
    # Two letters are too few to start a search with.
    assert api_titles("la") == []


def test_every_word_must_match_in_title_or_description(make_listing, api_titles):
    make_listing(title="Ladder", description="Te leen voor de dakgoot.")
    make_listing(title="Tuinslang", description="Twintig meter.")
    assert api_titles("ladder dakgoot") == ["Ladder"]
    assert api_titles("ladder tuinslang") == []
    assert api_titles("LADDER Dakgoot") == ["Ladder"]


def test_dutch_stemming_on_postgresql(app, make_listing, api_titles):
    if not _is_postgres():
        pytest.skip("Dutch stemming is PostgreSQL's; SQLite's FTS5 matches words as written")
    make_listing(title="Gezamenlijke tuin", description="Iedereen mag meedoen.")
    make_listing(title="Boodschappen doen", description="Voor buren die slecht ter been zijn.")
    assert api_titles("tuinen") == ["Gezamenlijke tuin"]
    assert api_titles("boodschap") == ["Boodschappen doen"]
    assert api_titles("buurman slechte") == []
    assert api_titles("slechte been") == ["Boodschappen doen"]


def test_postgresql_reads_the_gin_index(app, make_listing):
    """The query tests the indexed column, so PostgreSQL can read the GIN index."""
    if not _is_postgres():
        pytest.skip("the GIN index is PostgreSQL's; SQLite reads its FTS5 table")
    make_listing(title="Ladder te leen")
    query = matching_text(sa.select(Listing.id), "ladder")
    compiled = query.compile(db.engine, compile_kwargs={"render_postcompile": True})
    with db.engine.begin() as connection:
        # A handful of rows are read fastest without any index; this asks what it would use.
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = "\n".join(row[0] for row in connection.exec_driver_sql(
            f"EXPLAIN {compiled}", compiled.params))
    assert "ix_listing_text_search" in plan, plan


HOSTILE = [
    '"', "'", '"ladder', "ladder'", "ladder AND", "AND", "OR NOT", "NOT ladder", "NEAR(",
    "NEAR(ladder tuin, 2)", "*", "**", "a*", "ladd*", ":", "ladder:*", "title:ladder",
    "{title description}: ladder", "(", ")", "()", "((ladder)", "-", "--", "-ladder",
    "ladder -tuin", "^ladder", "ladder + tuin", "ladder | tuin", "!ladder", "&|!<->",
    "'ladder':* & 'tuin'", "ladder <-> tuin", "\\", "\\'", "%", "_", "%_%", "ladder%",
    "'; DROP TABLE listing; --", "😀", "🏳️‍🌈 ladder", "ladder 😀", "\u200b", "\u200bladder",
    "ﬁets", "é", "e\u0301", "über café", "日本語", "مرحبا", "x" * 100, "!" * 100,
    "!@#$%^&*()" * 10, "ladder " * 14, "a " * 50, "de het een", "de", "\t", "\u3000",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_whatever_is_typed_is_a_search_not_an_error(client, make_listing, text):
    make_listing(title="Ladder te leen", description="Voor de tuin.")
    assert client.get("/kaart", query_string={"q": text}).status_code == 200
    response = client.get("/api/v1/listings", query_string={"q": text})
    # The API refuses a text of only spaces, as it refuses every empty parameter.
    assert response.status_code == (400 if not text.strip() else 200), response.text


@pytest.mark.parametrize("text", ['"ladder"', "-ladder", "ladder:*", "(ladder)", "LADDER!",
                                  "ladder 😀", "ladd*"])
def test_punctuation_around_words_still_finds_them(make_listing, api_titles, text):
    make_listing(title="Ladder te leen")
    assert api_titles(text) == ["Ladder te leen"]


def test_a_nul_is_refused_not_searched(client, make_listing):
    make_listing(title="Ladder te leen")
    assert client.get("/kaart", query_string={"q": "lad\x00der"}).status_code == 400
    assert client.get("/api/v1/listings", query_string={"q": "lad\x00der"}).status_code == 400


def test_hidden_pending_and_suspended_listings_are_never_found(client, make_user, make_listing,
                                                              api_titles):
    make_listing(title="Ladder zichtbaar")
    hidden = make_listing(title="Ladder verborgen")
    hidden.hidden_at = utcnow()
    pending = make_listing(title="Ladder wachtend")
    pending.status = ListingStatus.PENDING
    make_listing(title="Ladder concept", publish=False)
    suspended = make_user(suspended_until=utcnow() + timedelta(days=7))
    make_listing(title="Ladder geschorst", owner=suspended)
    db.session.commit()
    for text in ("ladder", "ladd", "ladder verborgen", "wachtend", "concept", "geschorst"):
        expected = ["Ladder zichtbaar"] if text in ("ladder", "ladd") else []
        assert api_titles(text) == expected
        assert api_titles(text, status=ALL_PUBLIC) == expected
        page = client.get("/kaart", query_string={"q": text, "status": ALL_PUBLIC}).text
        for title in ("verborgen", "wachtend", "concept", "geschorst"):
            assert f"Ladder {title}" not in page


def _sqlite_index_is_in_sync() -> None:
    if not _is_postgres():
        # Raises when the FTS5 index differs from the listing table it indexes.
        db.session.execute(sa.text(
            "INSERT INTO listing_fts (listing_fts) VALUES ('integrity-check')"))


def test_edits_and_deletes_are_found_at_once(make_listing, api_titles):
    listing = make_listing(title="Ladder te leen", description="Voor de dakgoot.")
    other = make_listing(title="Tuinslang", description="Twintig meter.")
    listing.title = "Trap te leen"
    db.session.commit()
    assert api_titles("ladder") == []
    assert api_titles("trap") == ["Trap te leen"]
    listing.description = "Voor het zolderraam."
    db.session.commit()
    assert api_titles("dakgoot") == []
    assert api_titles("zolderraam") == ["Trap te leen"]
    # A change of status alone leaves the index alone, and the listing findable.
    listing.status = ListingStatus.RUNNING
    db.session.commit()
    assert api_titles("trap") == ["Trap te leen"]
    _sqlite_index_is_in_sync()
    db.session.delete(listing)
    db.session.commit()
    assert api_titles("trap") == []
    assert api_titles("tuinslang") == [other.title]
    _sqlite_index_is_in_sync()
    if not _is_postgres():
        assert db.session.scalar(sa.text(
            "SELECT count(*) FROM listing_fts WHERE listing_fts MATCH 'trap'")) == 0


def test_sqlite_search_triggers_exist_at_the_head(app):
    """A later migration that rebuilds the listing table on SQLite (batch mode) drops these
    triggers with it and must create them again."""
    if _is_postgres():
        pytest.skip("SQLite's FTS5 table is kept in sync by triggers; PostgreSQL needs none")
    triggers = set(db.session.scalars(sa.text(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'listing'")))
    assert {"listing_fts_insert", "listing_fts_update", "listing_fts_delete"} <= triggers


def test_map_page_searches_titles_and_descriptions(client, make_listing):
    make_listing(title="Hulp bij verbouwing", description="Wie heeft er een ladder?")
    make_listing(title="Moestuin", description="Samen tuinieren.")
    page = client.get("/kaart", query_string={"q": "ladd"}).text
    assert "Hulp bij verbouwing" in page and "Moestuin" not in page


def test_ranking_reads_only_the_newest_matches(monkeypatch, make_listing, api_titles):
    """A common word matches a tenth of the country; only the newest matches are ranked."""
    monkeypatch.setattr("marketplace.listings.search.RANKED_AMONG", 2)
    make_listing(title="Ladder te leen", description="Oud.")
    make_listing(title="Klussen", description="Een ladder nodig.")
    make_listing(title="Verbouwing", description="Ook een ladder nodig.")
    assert sorted(api_titles("ladder")) == ["Klussen", "Verbouwing"]
    assert api_titles("ladder oud") == ["Ladder te leen"]


def test_the_api_ranks_as_many_as_it_was_asked_for_and_says_when_there_may_be_more(
        client, make_listing):
    for number in range(3):
        make_listing(title=f"Ladder {number}")
    answer = client.get("/api/v1/listings?q=ladder&limit=2").json
    assert answer["numberReturned"] == 2 and answer["truncated"] is True
    answer = client.get("/api/v1/listings?q=ladder&limit=5").json
    assert answer["numberReturned"] == 3 and answer["truncated"] is False
