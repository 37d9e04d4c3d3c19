"""What an organisation offers, for its job postings.

Revision ID: 7601c81a1a40
Revises: ca69e2852cc3
Create Date: 2026-11-26 04:47:34.582561+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7601c81a1a40"
down_revision: str | None = "ca69e2852cc3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        # The default fills the rows that exist already.
        batch_op.add_column(sa.Column("benefits", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("benefits")
