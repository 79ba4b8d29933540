"""posting_plays: proof of play per wall, posting and day

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "posting_plays",
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("shows", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
        ),
        sa.ForeignKeyConstraint(
            ["posting_id"],
            ["postings.id"],
        ),
        sa.PrimaryKeyConstraint("device_id", "posting_id", "day"),
    )
    with op.batch_alter_table("posting_plays", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_posting_plays_posting_id"), ["posting_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("posting_plays", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posting_plays_posting_id"))
    op.drop_table("posting_plays")
