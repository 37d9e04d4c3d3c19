"""Exact must-haves: stored scores carry the layout of their packed per-criterion results
(format 2 adds the must-have status the engine decided; older rows are rescored by
`smm-hire migrate`), and each organisation chooses how evidence weighs in panel scores.

Revision ID: e13b7c2a9d40
Revises: d13a5e0c1f01
Create Date: 2026-12-03 08:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e13b7c2a9d40"
down_revision: str | None = "d13a5e0c1f01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("application_scores", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("packed_format", sa.Integer(), server_default="1", nullable=False)
        )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "evidence_weighting",
                sa.String(length=20),
                server_default="validity",
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("evidence_weighting")
    with op.batch_alter_table("application_scores", schema=None) as batch_op:
        batch_op.drop_column("packed_format")
