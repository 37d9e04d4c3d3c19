"""Candidates' voluntary self-identification, stored apart from applications, and each
organisation's categories and minimum group size for the fairness report.

Revision ID: c7677eab4b62
Revises: 5a8083ae62bd
Create Date: 2026-11-26 09:27:38.858983+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "c7677eab4b62"
down_revision: str | None = "5a8083ae62bd"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "self_identifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column(
            "answers", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_self_identifications_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_self_identifications_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_identifications")),
        sa.UniqueConstraint("application_id", name=op.f("uq_self_identifications_application_id")),
    )
    with op.batch_alter_table("self_identifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_self_identifications_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_self_identifications_updated_at"), ["updated_at"], unique=False
        )

    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "self_identification_categories",
                sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                nullable=True,
            )
        )
        # The default fills the rows that exist already.
        batch_op.add_column(
            sa.Column("fairness_min_group_size", sa.Integer(), server_default="5", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("fairness_min_group_size")
        batch_op.drop_column("self_identification_categories")

    with op.batch_alter_table("self_identifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_self_identifications_updated_at"))
        batch_op.drop_index(batch_op.f("ix_self_identifications_organisation_id"))

    op.drop_table("self_identifications")
