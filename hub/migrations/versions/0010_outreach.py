"""outreach: jobs that find people: contact consent, call lists, notifications (issue 19, items 4 and 6)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=16)


def upgrade() -> None:
    with op.batch_alter_table("workers") as batch:
        batch.add_column(sa.Column("contact_consent_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("name_masked", sa.String(length=30), nullable=False, server_default=""))
    with op.batch_alter_table("workers") as batch:
        batch.alter_column("name_masked", server_default=None)
    op.create_index("ix_workers_updated_registered", "workers", ["updated_at", "registered_at"])
    op.create_table(
        "outreach_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column(
            "reasons", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("helped", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            _enum("callstatus", "pending", "reached", "declined", "applied", "no_number"),
            nullable=False,
        ),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("marked_by", sa.Integer(), nullable=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["posting_id"], ["postings.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["worker_id"], ["workers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"]),
        sa.ForeignKeyConstraint(["marked_by"], ["staff_users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("posting_id", "worker_id", name="uq_outreach_call_posting_worker"),
    )
    op.create_index("ix_outreach_calls_posting_id", "outreach_calls", ["posting_id"])
    op.create_index("ix_outreach_calls_station_id", "outreach_calls", ["station_id"])
    op.create_index("ix_outreach_calls_worker_seen", "outreach_calls", ["worker_id", "seen_at"])
    op.create_table(
        "worker_help",
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column(
            "kinds", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("marked_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["worker_id"], ["workers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"]),
        sa.ForeignKeyConstraint(["marked_by"], ["staff_users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("worker_id"),
    )
    op.create_table(
        "outreach_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("status", _enum("noticestatus", "sent", "failed"), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["posting_id"], ["postings.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["worker_id"], ["workers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("posting_id", "worker_id", name="uq_outreach_notice_posting_worker"),
    )
    op.create_index("ix_outreach_notices_worker_day", "outreach_notices", ["worker_id", "day"])


def downgrade() -> None:
    op.drop_table("outreach_notices")
    op.drop_table("worker_help")
    op.drop_table("outreach_calls")
    op.drop_index("ix_workers_updated_registered", table_name="workers")
    with op.batch_alter_table("workers") as batch:
        batch.drop_column("name_masked")
        batch.drop_column("contact_consent_at")
