"""Failed sign-ins, kept briefly to rate-limit the login form.

Revision ID: ca69e2852cc3
Revises: a76cd8bd8659
Create Date: 2026-11-26 04:20:05.194381+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ca69e2852cc3"
down_revision: str | None = "a76cd8bd8659"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("ip_address", sa.String(length=45), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_failures_email"), ["email"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_login_failures_ip_address"), ["ip_address"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_login_failures_occurred_at"), ["occurred_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_failures_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_login_failures_ip_address"))
        batch_op.drop_index(batch_op.f("ix_login_failures_email"))

    op.drop_table("login_failures")
