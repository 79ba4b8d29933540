"""fast_hiring: 即时快招: a posting marked for fast hiring until a set time (issue 19, item 3)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # reserved in the chain: the tables land with the feature (issue 19)


def downgrade() -> None:
    pass
