"""listing text search

Full-text search over a listing's title and description that stays fast at a million listings.

PostgreSQL: a stored generated column ``search_vector``, the Dutch tsvector of the title (weight
A) and the description (weight D), with a GIN index on it. Stored rather than an expression
index, because the query needs more than the index: it ranks every candidate with ts_rank and
may test candidates found through the newest-first index one by one; from a stored column both
cost a microsecond a row, recomputing to_tsvector costs some 40. Writing the column rewrites the
listing table once (about a minute at a million listings, with the table locked meanwhile).

SQLite: an FTS5 table with the listing table as its external content, kept in sync by triggers,
and filled from the listings already there.

The models declare neither (the column exists on PostgreSQL only, the FTS5 table on SQLite
only), so the models-versus-database comparison leaves them out by name
(marketplace/listings/search.py: is_search_object, used by migrations/env.py and the test).

A later SQLite batch migration that rebuilds the listing table (copy, drop, rename) drops these
triggers with it: such a migration must create them again (tests/test_search.py checks that
they exist at the head).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 20:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# The query in marketplace/listings/search.py reads this column; keep the two in step.
_PG_COLUMN = """ALTER TABLE listing ADD COLUMN search_vector tsvector GENERATED ALWAYS AS
       (setweight(to_tsvector('dutch', coalesce(title, '')), 'A')
        || setweight(to_tsvector('dutch', coalesce(description, '')), 'D')) STORED"""
_PG_INDEX = "CREATE INDEX ix_listing_text_search ON listing USING gin (search_vector)"

_SQLITE_TABLE = """CREATE VIRTUAL TABLE listing_fts USING fts5(
       title, description, content='listing', content_rowid='id',
       tokenize='unicode61 remove_diacritics 2')"""
# The FTS5 manual's external-content triggers: a changed row is first removed with its old
# values, then added with its new ones. Only a change of title or description touches the index.
_SQLITE_TRIGGERS = (
    """CREATE TRIGGER listing_fts_insert AFTER INSERT ON listing BEGIN
       INSERT INTO listing_fts (rowid, title, description)
       VALUES (new.id, new.title, new.description);
       END""",
    """CREATE TRIGGER listing_fts_delete AFTER DELETE ON listing BEGIN
       INSERT INTO listing_fts (listing_fts, rowid, title, description)
       VALUES ('delete', old.id, old.title, old.description);
       END""",
    """CREATE TRIGGER listing_fts_update AFTER UPDATE OF title, description ON listing BEGIN
       INSERT INTO listing_fts (listing_fts, rowid, title, description)
       VALUES ('delete', old.id, old.title, old.description);
       INSERT INTO listing_fts (rowid, title, description)
       VALUES (new.id, new.title, new.description);
       END""",
)


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_COLUMN)
        op.execute(_PG_INDEX)
        return
    op.execute(_SQLITE_TABLE)
    for trigger in _SQLITE_TRIGGERS:
        op.execute(trigger)
    op.execute("INSERT INTO listing_fts (listing_fts) VALUES ('rebuild')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_listing_text_search")
        op.execute("ALTER TABLE listing DROP COLUMN search_vector")
        return
    for name in ("listing_fts_update", "listing_fts_delete", "listing_fts_insert"):
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE listing_fts")
