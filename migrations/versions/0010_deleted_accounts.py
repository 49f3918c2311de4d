"""deleted accounts

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 17:41:07.849025

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

_SQLITE_NO_UPDATE = """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"""
# Names of people that entries before this revision wrote into a change; now their ids.
_NAMED_FIELDS = {"co_initiator": "co_initiator_id", "initiator": "initiator_id"}


def _without_names(value):
    if isinstance(value, str):
        value = json.loads(value)
    if not isinstance(value, dict):
        return value
    return {_NAMED_FIELDS.get(key, key): (None if key in _NAMED_FIELDS else item)
            for key, item in value.items()}


def _name_people_by_number_in_the_audit_log():
    """Entries written before this revision named people: a user's name as the subject, a
    co-initiator's or initiator's name in the change. From now on the log names a person by
    number only (the page shows the current name, or "Former resident"), so that a deleted
    account leaves no name behind. Old entries are brought in line once, here: the only place
    the append-only log is ever rewritten."""
    bind = op.get_bind()
    postgresql = bind.dialect.name == "postgresql"
    if postgresql:
        op.execute("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only")
    else:
        op.execute("DROP TRIGGER audit_entry_no_update")
    op.execute("UPDATE audit_entry SET subject_label = '#' || CAST(subject_id AS VARCHAR) "
               "WHERE subject_type = 'user'")
    # Moderation entries about a comment or message were labelled with its words; now with the
    # title of the listing it belongs to.
    op.execute("UPDATE audit_entry SET subject_label = COALESCE((SELECT listing.title FROM "
               "comment JOIN listing ON listing.id = comment.listing_id "
               "WHERE comment.id = audit_entry.subject_id), '–') WHERE subject_type = 'comment'")
    op.execute("UPDATE audit_entry SET subject_label = COALESCE((SELECT listing.title FROM "
               "message JOIN commitment ON commitment.id = message.commitment_id "
               "JOIN listing ON listing.id = commitment.listing_id "
               "WHERE message.id = audit_entry.subject_id), '–') WHERE subject_type = 'message'")
    named = bind.execute(sa.text(
        "SELECT id, before, after FROM audit_entry WHERE action IN "
        "('listing.co_initiator_add', 'listing.co_initiator_remove', 'listing.handover')")).all()
    entries = sa.table("audit_entry", sa.column("id"), sa.column("before", sa.JSON),
                       sa.column("after", sa.JSON))
    for entry_id, before, after in named:
        bind.execute(entries.update().where(entries.c.id == entry_id).values(
            before=_without_names(before) if before else None,
            after=_without_names(after) if after else None))
    if postgresql:
        op.execute("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only")
    else:
        op.execute(_SQLITE_NO_UPDATE)


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
    _name_people_by_number_in_the_audit_log()


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
