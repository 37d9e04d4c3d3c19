"""Row versions for optimistic locking: applications, scorecards, rubrics and role profiles
carry a row_version that every update checks and bumps (a write from a stale read is 409).

Revision ID: f14a0c0ffee1
Revises: f14a70b5e0d3
Create Date: 2026-12-03 12:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f14a0c0ffee1"
down_revision: str | None = "f14a70b5e0d3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("applications", "scorecards", "rubrics", "role_profiles")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("row_version", sa.Integer(), server_default="1", nullable=False)
            )


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("row_version")
