"""fast_hiring: 即时快招 — a posting marked for fast hiring, its interrupting card and its end

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("postings") as batch:
        batch.add_column(sa.Column("fast_from", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("fast_card_to", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("fast_to", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("postings") as batch:
        batch.drop_column("fast_to")
        batch.drop_column("fast_card_to")
        batch.drop_column("fast_from")
