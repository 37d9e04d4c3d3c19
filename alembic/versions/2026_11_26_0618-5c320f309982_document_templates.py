"""Organisations' own templates for postings and interview sheets.

Revision ID: 5c320f309982
Revises: 7601c81a1a40
Create Date: 2026-11-26 06:18:43.930115+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c320f309982"
down_revision: str | None = "7601c81a1a40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document_templates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("updated_by_user_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_document_templates_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_user_id"],
            ["users.id"],
            name=op.f("fk_document_templates_updated_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_templates")),
        sa.UniqueConstraint(
            "organisation_id", "name", name=op.f("uq_document_templates_organisation_id_name")
        ),
    )
    with op.batch_alter_table("document_templates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_templates_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_document_templates_updated_at"), ["updated_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_document_templates_updated_by_user_id"),
            ["updated_by_user_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("document_templates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_templates_updated_by_user_id"))
        batch_op.drop_index(batch_op.f("ix_document_templates_updated_at"))
        batch_op.drop_index(batch_op.f("ix_document_templates_organisation_id"))

    op.drop_table("document_templates")
