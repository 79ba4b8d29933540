"""postings.certificate: 持证上岗, a posting that asks for a certificate of its trade

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every posting kept so far asks for none: false for the rows already there.
    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("certificate", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.drop_column("certificate")
