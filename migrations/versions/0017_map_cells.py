"""map cells and data versions

Counts of public listings per grid cell at levels 2–13 (the map's clusters when zoomed out) and a
data version per area at levels 0–10 (the map API's validators), both kept by triggers on listing,
photo, category and buurt (marketplace/mapdata/triggers.py), and the counts filled from the
listings already there.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 03:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

from marketplace.mapdata.triggers import create_statements, drop_statements, rebuild_statements

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'map_cell',
        sa.Column('level', sa.SmallInteger(), nullable=False),
        sa.Column('x', sa.Integer(), nullable=False),
        sa.Column('y', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.Column('listings', sa.Integer(), nullable=False),
        sa.Column('lat_sum', sa.Double(), nullable=False),
        sa.Column('lon_sum', sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint('level', 'x', 'y', 'kind', 'status', 'category_id',
                                name=op.f('pk_map_cell')),
    )
    op.create_table(
        'map_version',
        sa.Column('level', sa.SmallInteger(), nullable=False),
        sa.Column('x', sa.Integer(), nullable=False),
        sa.Column('y', sa.Integer(), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('level', 'x', 'y', name=op.f('pk_map_version')),
    )
    dialect = op.get_bind().dialect.name
    for statement in (*create_statements(dialect), *rebuild_statements(dialect)):
        op.execute(statement)


def downgrade():
    for statement in drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table('map_version')
    op.drop_table('map_cell')
