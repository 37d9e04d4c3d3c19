"""Bounded pages: an index for the vacancy board's counts per stage, one holding the columns
the ranking policy orders by, one for the audit page's list of an organisation's object types,
and each stored score's count of disagreements, so the
comparison sorts by it in SQL (filled here from the packed results of format 2; rows of an
older format are rescored by `smm-hire migrate`).

Revision ID: f14a7b0d0ed4
Revises: f14a0c0ffee1
Create Date: 2026-12-03 12:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f14a7b0d0ed4"
down_revision: str | None = "f14a0c0ffee1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NO_SPREAD = 255  # app/scoring/service.py, packed format 2: 6 bytes per criterion
DISAGREEMENT_SPREAD = 2
BATCH = 5_000


def upgrade() -> None:
    with op.batch_alter_table("application_scores", schema=None) as batch_op:
        batch_op.add_column(sa.Column("disagreements", sa.Integer(), nullable=True))
    op.create_index(
        "ix_applications_vacancy_id_stage", "applications", ["vacancy_id", "stage"], unique=False
    )
    op.create_index(
        "ix_application_scores_ranking",
        "application_scores",
        [
            "application_id",
            "kind",
            "role_profile_version_id",
            "outcome",
            "provisional",
            "total",
            "coverage",
        ],
        unique=False,
    )
    op.create_index(
        "ix_audit_events_organisation_id_object_type",
        "audit_events",
        ["organisation_id", "object_type"],
        unique=False,
    )
    scores = sa.table(
        "application_scores",
        sa.column("id"),
        sa.column("criteria_packed", sa.LargeBinary),
        sa.column("packed_format", sa.Integer),
        sa.column("disagreements", sa.Integer),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(scores.c.id, scores.c.criteria_packed).where(scores.c.packed_format == 2)
    ).all()
    for start in range(0, len(rows), BATCH):
        values = [
            {"score_id": score_id, "count": _disagreements(bytes(packed or b""))}
            for score_id, packed in rows[start : start + BATCH]
        ]
        connection.execute(
            scores.update()
            .where(scores.c.id == sa.bindparam("score_id"))
            .values(disagreements=sa.bindparam("count")),
            values,
        )


def _disagreements(packed: bytes) -> int:
    size = len(packed) // 6
    spreads = packed[4 * size : 5 * size]
    return sum(1 for spread in spreads if DISAGREEMENT_SPREAD <= spread != NO_SPREAD)


def downgrade() -> None:
    op.drop_index("ix_audit_events_organisation_id_object_type", table_name="audit_events")
    op.drop_index("ix_application_scores_ranking", table_name="application_scores")
    op.drop_index("ix_applications_vacancy_id_stage", table_name="applications")
    with op.batch_alter_table("application_scores", schema=None) as batch_op:
        batch_op.drop_column("disagreements")
