"""outcomes: what each screen leads to: card visits and QR scans per device (issue 19, item 7)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "card_visit_days",
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"]),
        sa.PrimaryKeyConstraint("device_id", "day"),
    )
    op.create_table(
        "qr_scan_days",
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("page", sa.String(length=12), nullable=False),
        sa.Column("scans", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"]),
        sa.PrimaryKeyConstraint("device_id", "day", "page"),
    )
    op.create_table(
        "qr_applications",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"]),
        sa.PrimaryKeyConstraint("application_id"),
    )
    with op.batch_alter_table("qr_applications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_qr_applications_device_id"), ["device_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("qr_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_qr_applications_device_id"))
    op.drop_table("qr_applications")
    op.drop_table("qr_scan_days")
    op.drop_table("card_visit_days")
