"""Durable import jobs: the rows wait in import_job_batches (not in a thread's memory), the
job keeps who started it, and a worker holds it under a lease that another worker may take
over once it has run out. Jobs that were waiting or running before this upgrade have lost
their rows with their process: they are marked failed with that reason.

Revision ID: f14a70b5e0d3
Revises: f14a5e9c0de2
Create Date: 2026-12-03 12:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "f14a70b5e0d3"
down_revision: str | None = "f14a5e9c0de2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("import_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor_user_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("on_behalf_of_user_id", sa.Uuid(), nullable=True))
        batch_op.add_column(
            sa.Column("ip_address", sa.String(length=45), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("claimed_by", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.create_foreign_key(
            batch_op.f("fk_import_jobs_actor_user_id_users"),
            "users",
            ["actor_user_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_import_jobs_on_behalf_of_user_id_users"),
            "users",
            ["on_behalf_of_user_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(
            batch_op.f("ix_import_jobs_actor_user_id"), ["actor_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_import_jobs_on_behalf_of_user_id"),
            ["on_behalf_of_user_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_import_jobs_status"), ["status"], unique=False)

    op.create_table(
        "import_job_batches",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("rows", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["import_jobs.id"],
            name=op.f("fk_import_job_batches_job_id_import_jobs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_import_job_batches_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_job_batches")),
        sa.UniqueConstraint("job_id", "number", name=op.f("uq_import_job_batches_job_id_number")),
    )
    with op.batch_alter_table("import_job_batches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_import_job_batches_organisation_id"), ["organisation_id"], unique=False
        )

    # Their rows were in the memory of a thread that is gone: nothing can resume them.
    op.execute(
        sa.text(
            "UPDATE import_jobs SET status = 'failed', finished_at = CURRENT_TIMESTAMP, "
            "error = 'stopped when the server was upgraded or restarted; the batches counted "
            "in processed were saved, the rest were not kept: import them again' "
            "WHERE status IN ('queued', 'running')"
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("import_job_batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_job_batches_organisation_id"))
    op.drop_table("import_job_batches")
    with op.batch_alter_table("import_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_jobs_status"))
        batch_op.drop_index(batch_op.f("ix_import_jobs_on_behalf_of_user_id"))
        batch_op.drop_index(batch_op.f("ix_import_jobs_actor_user_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_import_jobs_on_behalf_of_user_id_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_import_jobs_actor_user_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("attempts")
        batch_op.drop_column("lease_until")
        batch_op.drop_column("claimed_by")
        batch_op.drop_column("ip_address")
        batch_op.drop_column("on_behalf_of_user_id")
        batch_op.drop_column("actor_user_id")
