"""Stored scores per application (panel and screening); packed ratings on scorecards.

Revision ID: a76cd8bd8659
Revises: 193e56b9bd73
Create Date: 2026-11-26 04:05:19.291750+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "a76cd8bd8659"
down_revision: str | None = "193e56b9bd73"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "application_scores",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("role_profile_version_id", sa.Uuid(), nullable=False),
        sa.Column("inputs_sha256", sa.String(length=64), nullable=False),
        sa.Column("total", sa.Float(), nullable=True),
        sa.Column("coverage", sa.Float(), nullable=False),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("band", sa.String(length=20), nullable=True),
        sa.Column("criteria_packed", sa.LargeBinary(), nullable=False),
        sa.Column(
            "result", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_application_scores_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_application_scores_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role_profile_version_id"],
            ["role_profile_versions.id"],
            name=op.f("fk_application_scores_role_profile_version_id_role_profile_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_scores")),
        sa.UniqueConstraint(
            "application_id", "kind", name=op.f("uq_application_scores_application_id_kind")
        ),
    )
    with op.batch_alter_table("application_scores", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_scores_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_application_scores_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_application_scores_outcome"), ["outcome"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_application_scores_role_profile_version_id"),
            ["role_profile_version_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_application_scores_total"), ["total"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_application_scores_updated_at"), ["updated_at"], unique=False
        )

    with op.batch_alter_table("scorecards", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ratings_packed", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("scorecards", schema=None) as batch_op:
        batch_op.drop_column("ratings_packed")

    with op.batch_alter_table("application_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_scores_updated_at"))
        batch_op.drop_index(batch_op.f("ix_application_scores_total"))
        batch_op.drop_index(batch_op.f("ix_application_scores_role_profile_version_id"))
        batch_op.drop_index(batch_op.f("ix_application_scores_outcome"))
        batch_op.drop_index(batch_op.f("ix_application_scores_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_application_scores_application_id"))

    op.drop_table("application_scores")
