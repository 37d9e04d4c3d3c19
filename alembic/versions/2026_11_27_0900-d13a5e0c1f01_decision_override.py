"""Guarded decisions: a hire without a submitted scorecard from interview, work sample or
final is recorded as an override, with its own reason, on the stage decision.

Revision ID: d13a5e0c1f01
Revises: 5ddce9937b44
Create Date: 2026-11-27 09:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d13a5e0c1f01"
down_revision: str | None = "5ddce9937b44"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The defaults fill the decisions that exist already: none of them was an override.
    with op.batch_alter_table("stage_decisions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("override", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("override_reason", sa.Text(), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("stage_decisions", schema=None) as batch_op:
        batch_op.drop_column("override_reason")
        batch_op.drop_column("override")
