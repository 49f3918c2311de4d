"""buurt imports and postcode

The buurt_import table holds each upload of a CBS buurten file as a job that runs outside the
web request (marketplace/imports/); buurt.postcode is the buurt's most common four-digit postcode
when the CBS file gives one. Adding a nullable column needs no table rebuild on SQLite.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 19:50:31.091876

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('buurt_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('format', sa.String(length=12), nullable=False),
    sa.Column('size', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('status', sa.Enum('queued', 'checking', 'needs_decision', 'importing', 'done', 'refused', 'failed', 'cancelled', name='importstatus', native_enum=False, length=20), server_default='queued', nullable=False),
    sa.Column('overlaps_accepted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('total', sa.Integer(), server_default='0', nullable=False),
    sa.Column('processed', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated', sa.Integer(), server_default='0', nullable=False),
    sa.Column('unchanged', sa.Integer(), server_default='0', nullable=False),
    sa.Column('repaired', sa.Integer(), server_default='0', nullable=False),
    sa.Column('gemeenten', sa.Integer(), server_default='0', nullable=False),
    sa.Column('problems', sa.JSON(), nullable=True),
    sa.Column('overlaps', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buurt_import'))
    )
    with op.batch_alter_table('buurt_import', schema=None) as batch_op:
        batch_op.create_index('ix_buurt_import_created_at', ['created_at', 'id'], unique=False)

    with op.batch_alter_table('buurt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('postcode', sa.String(length=4), nullable=True))


def downgrade():
    with op.batch_alter_table('buurt', schema=None) as batch_op:
        batch_op.drop_column('postcode')

    with op.batch_alter_table('buurt_import', schema=None) as batch_op:
        batch_op.drop_index('ix_buurt_import_created_at')

    op.drop_table('buurt_import')
