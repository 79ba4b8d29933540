"""household_orders: residents' orders, review, dispatch, completion

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "household_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("need", sa.String(length=40), nullable=False),
        sa.Column("details", sa.String(length=500), nullable=False),
        sa.Column("district", sa.String(length=30), nullable=False),
        sa.Column("address", sa.String(length=120), nullable=False),
        sa.Column("when_text", sa.String(length=40), nullable=False),
        sa.Column("pay_fen", sa.Integer(), nullable=False),
        sa.Column("resident_phone", sa.String(length=20), nullable=False),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "rejected",
                "published",
                "dispatched",
                "accepted",
                "completed",
                "cancelled",
                name="orderstatus",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=True),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["posting_id"],
            ["postings.id"],
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["stations.id"],
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("household_orders", schema=None) as batch_op:
        batch_op.create_index("ix_household_orders_station_status", ["station_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_household_orders_worker_id"), ["worker_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("household_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_orders_worker_id"))
        batch_op.drop_index("ix_household_orders_station_status")

    op.drop_table("household_orders")
