"""buurt search text: the words a buurt is found by, indexed with what a suggestion shows

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 20:50:50.653112

"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def _search_text(*parts):
    """As marketplace.geo.search.search_text_of at the time of this migration."""
    text = unicodedata.normalize("NFKD", " ".join(part or "" for part in parts))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " " + " ".join(word for word in re.split(r"[^a-z0-9]+", text) if word) + " "


def upgrade():
    with op.batch_alter_table('buurt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.String(length=400), server_default='', nullable=False))

    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT buurt.id, buurt.name, wijk.name, gemeente.name, buurt.postcode, buurt.code "
        "FROM buurt JOIN wijk ON wijk.id = buurt.wijk_id "
        "JOIN gemeente ON gemeente.id = wijk.gemeente_id")).all()
    if rows:
        connection.execute(sa.text("UPDATE buurt SET search_text = :text WHERE id = :id"),
                           [{"id": row[0], "text": _search_text(*row[1:])} for row in rows])

    with op.batch_alter_table('buurt', schema=None) as batch_op:
        batch_op.create_index('ix_buurt_search', ['search_text', 'wijk_id', 'code', 'name', 'postcode'], unique=False)


def downgrade():
    with op.batch_alter_table('buurt', schema=None) as batch_op:
        batch_op.drop_index('ix_buurt_search')
        batch_op.drop_column('search_text')
