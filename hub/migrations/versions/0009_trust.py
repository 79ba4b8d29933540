"""trust: postings screened and held for review, workers' reports, suspended employers, station rules (issue 19, item 5)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=16)


def upgrade() -> None:
    with op.batch_alter_table("employers") as batch:
        batch.add_column(sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("suspended_reason", sa.String(length=200), nullable=False, server_default=""))
    with op.batch_alter_table("stations") as batch:
        batch.add_column(sa.Column("rules", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("hotline", sa.String(length=20), nullable=False, server_default=""))
        batch.add_column(sa.Column("complaint_phone", sa.String(length=20), nullable=False, server_default=""))
    op.create_table(
        "posting_checks",
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column(
            "flags", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("held_by", sa.String(length=120), nullable=False),
        sa.Column("state", _enum("reviewstate", "clear", "waiting", "approved", "rejected"), nullable=False),
        sa.Column("approved", sa.String(length=120), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("screened_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["posting_id"], ["postings.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reviewed_by"], ["staff_users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("posting_id"),
    )
    op.create_index("ix_posting_checks_state", "posting_checks", ["state"])
    op.create_table(
        "trust_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hold", sa.String(length=120), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["updated_by"], ["staff_users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "posting_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("reason", _enum("reportreason", "fees", "pay", "address", "other"), nullable=False),
        sa.Column("via", sa.String(length=10), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("reporter", sa.String(length=40), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["posting_id"], ["postings.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["worker_id"], ["workers.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_posting_reports_posting", "posting_reports", ["posting_id"])
    op.create_index("ix_posting_reports_station_id", "posting_reports", ["station_id"])


def downgrade() -> None:
    op.drop_table("posting_reports")
    op.drop_table("trust_settings")
    op.drop_index("ix_posting_checks_state", table_name="posting_checks")
    op.drop_table("posting_checks")
    with op.batch_alter_table("stations") as batch:
        batch.drop_column("complaint_phone")
        batch.drop_column("hotline")
        batch.drop_column("rules")
    with op.batch_alter_table("employers") as batch:
        batch.drop_column("suspended_reason")
        batch.drop_column("suspended_at")
