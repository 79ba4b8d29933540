"""trust: postings held for review, workers' reports, suspended employers (issue 19, item 5)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # reserved in the chain: the tables land with the feature (issue 19)


def downgrade() -> None:
    pass
