"""applications: when a worker was placed (for each station's figures of the day)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hired_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_applications_station_received", ["station_id", "received_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index("ix_applications_station_received")
        batch_op.drop_column("hired_at")
