"""official_pay_rates: the city's 零工岗位工资指导价位 per trade and unit, entered by staff

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "official_pay_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trade_id", sa.Integer(), nullable=False),
        sa.Column(
            "pay_unit",
            sa.Enum(
                "hour",
                "day",
                "piece",
                "lesson",
                "month",
                name="payunit",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("low_fen", sa.BigInteger(), nullable=False),
        sa.Column("median_fen", sa.BigInteger(), nullable=False),
        sa.Column("high_fen", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "low_fen > 0 AND low_fen <= median_fen AND median_fen <= high_fen",
            name=op.f("ck_official_pay_rates_rate_order"),
        ),
        sa.ForeignKeyConstraint(["trade_id"], ["trades.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by"], ["staff_users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("trade_id", "pay_unit"),
    )


def downgrade() -> None:
    op.drop_table("official_pay_rates")
