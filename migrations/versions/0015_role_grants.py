"""roles: a person holds several (a wijkwerker who is also staff), and gemeente admins

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 22:49:42.290560

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('role_grant',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('wijkwerker', 'staff', 'gemeente_admin', 'admin', name='role', native_enum=False, length=20), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_role_grant_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'role', name=op.f('pk_role_grant'))
    )
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_role_grant_role'), ['role'], unique=False)

    # Everyone keeps the one role they held; a resident holds none (everyone is a resident).
    # A gemeente role without its gemeente (left behind when the demo was removed) is not kept,
    # and only people with a gemeente role keep working for a gemeente.
    op.execute("INSERT INTO role_grant (user_id, role, granted_at) "
               "SELECT id, role, created_at FROM \"user\" WHERE role = 'admin' "
               "OR (role IN ('wijkwerker', 'staff') AND gemeente_id IS NOT NULL)")
    op.execute("UPDATE \"user\" SET gemeente_id = NULL WHERE id NOT IN (SELECT user_id FROM "
               "role_grant WHERE role IN ('wijkwerker', 'staff', 'gemeente_admin'))")
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('role')


def downgrade():
    # One role per person again: the most powerful one they hold.
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.VARCHAR(length=20), nullable=False,
                                      server_default='resident'))
    for role in ('wijkwerker', 'staff', 'admin'):
        op.execute(f"UPDATE \"user\" SET role = '{role}' WHERE id IN "
                   f"(SELECT user_id FROM role_grant WHERE role = '{role}')")
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_role_grant_role'))

    op.drop_table('role_grant')
