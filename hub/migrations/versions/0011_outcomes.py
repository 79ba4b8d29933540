"""outcomes: what each screen leads to: card visits and QR scans per device (issue 19, item 7)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # reserved in the chain: the tables land with the feature (issue 19)


def downgrade() -> None:
    pass
