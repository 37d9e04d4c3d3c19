"""Candidate data rights: each organisation's retention policy (months kept after the process
ends for rejected candidates, and for those who consented to the talent pool) and the
candidates' talent-pool consent, recorded with its text and time.

Revision ID: 5ddce9937b44
Revises: c7677eab4b62
Create Date: 2026-11-26 10:19:13.934255+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5ddce9937b44"
down_revision: str | None = "c7677eab4b62"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The defaults fill the rows that exist already.
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("talent_pool_consent_text", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("talent_pool_consent_at", sa.DateTime(timezone=True), nullable=True)
        )

    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("retention_rejected_months", sa.Integer(), server_default="6", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "retention_talent_pool_months", sa.Integer(), server_default="24", nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("retention_talent_pool_months")
        batch_op.drop_column("retention_rejected_months")

    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.drop_column("talent_pool_consent_at")
        batch_op.drop_column("talent_pool_consent_text")
