"""outreach: jobs that find people: contact consent, call lists, notifications (issue 19, items 4 and 6)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # reserved in the chain: the tables land with the feature (issue 19)


def downgrade() -> None:
    pass
