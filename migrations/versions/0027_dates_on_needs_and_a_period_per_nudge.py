"""dates on needs and a period per nudge

A need (or request) may say the day it is needed by; shortly before it, an open need nudges its
owner once. Offers and requests nobody answered get their own quiet period. Going back removes
the need-date notifications older code cannot read.

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-30 12:52:59.885896

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('gemeente', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nudge_unanswered_after_days', sa.Integer(), server_default='21', nullable=False))
        batch_op.add_column(sa.Column('need_due_warning_days', sa.Integer(), server_default='7', nullable=False))

    # Plain column additions: a batch copy of the table is not needed for them.
    op.add_column('resource', sa.Column('needed_by', sa.Date(), nullable=True))
    op.add_column('resource', sa.Column('due_nudged_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f('ix_resource_needed_by'), 'resource', ['needed_by'], unique=False)


def downgrade():
    op.execute("DELETE FROM notification WHERE kind = 'need_due'")
    op.execute("DELETE FROM notification_preference WHERE kind = 'need_due'")
    op.drop_index(op.f('ix_resource_needed_by'), table_name='resource')
    with op.batch_alter_table('resource', schema=None) as batch_op:
        batch_op.drop_column('due_nudged_at')
        batch_op.drop_column('needed_by')

    with op.batch_alter_table('gemeente', schema=None) as batch_op:
        batch_op.drop_column('need_due_warning_days')
        batch_op.drop_column('nudge_unanswered_after_days')
