"""courses, course_stations, course_signups: 技能培训 offered, seats taken with the card, 结业 kept

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "courses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=40), nullable=False),
        sa.Column("trade_id", sa.Integer(), nullable=False),
        sa.Column("organiser", sa.String(length=40), nullable=False),
        sa.Column("place", sa.String(length=120), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("schedule", sa.String(length=120), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("cost", sa.String(length=120), nullable=False),
        sa.Column("age_min", sa.Integer(), nullable=True),
        sa.Column("age_max", sa.Integer(), nullable=True),
        sa.Column("registered_only", sa.Boolean(), nullable=False),
        sa.Column("signup_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("all_stations", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open", "closed", "cancelled", name="coursestatus", native_enum=False, create_constraint=True, length=16
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["trade_id"],
            ["trades.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_courses_trade_id"), ["trade_id"], unique=False)

    op.create_table(
        "course_signups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("masked_name", sa.String(length=30), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("attended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
        ),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
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
        sa.UniqueConstraint("course_id", "worker_id", name="uq_course_signups_worker"),
    )
    with op.batch_alter_table("course_signups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_course_signups_course_id"), ["course_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_course_signups_station_id"), ["station_id"], unique=False)
        batch_op.create_index("ix_course_signups_worker_completed", ["worker_id", "completed_at"], unique=False)

    op.create_table(
        "course_stations",
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["course_id"], ["courses.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("course_id", "station_id"),
    )


def downgrade() -> None:
    op.drop_table("course_stations")
    with op.batch_alter_table("course_signups", schema=None) as batch_op:
        batch_op.drop_index("ix_course_signups_worker_completed")
        batch_op.drop_index(batch_op.f("ix_course_signups_station_id"))
        batch_op.drop_index(batch_op.f("ix_course_signups_course_id"))

    op.drop_table("course_signups")
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_courses_trade_id"))

    op.drop_table("courses")
