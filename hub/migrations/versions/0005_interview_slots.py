"""interview_slots: remote interview slots at booths, bookings, check-ins, no-shows

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "interview_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("booth_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("room", sa.String(length=40), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open", "booked", "cancelled", name="slotstatus", native_enum=False, create_constraint=True, length=16
            ),
            nullable=False,
        ),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("masked_name", sa.String(length=30), nullable=False),
        sa.Column("booking_code", sa.String(length=20), nullable=True),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("booked_device_id", sa.Integer(), nullable=True),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("no_show_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["booked_device_id"],
            ["devices.id"],
        ),
        sa.ForeignKeyConstraint(
            ["booth_id"],
            ["devices.id"],
        ),
        sa.ForeignKeyConstraint(
            ["posting_id"],
            ["postings.id"],
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("booking_code"),
        sa.UniqueConstraint("room"),
    )
    with op.batch_alter_table("interview_slots", schema=None) as batch_op:
        batch_op.create_index("ix_interview_slots_booth_start", ["booth_id", "starts_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_interview_slots_posting_id"), ["posting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_interview_slots_worker_id"), ["worker_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("interview_slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_slots_worker_id"))
        batch_op.drop_index(batch_op.f("ix_interview_slots_posting_id"))
        batch_op.drop_index("ix_interview_slots_booth_start")

    op.drop_table("interview_slots")
