"""Sync positions: vacancies, candidates and applications carry the position of their last
change in the order the API's lists page by (app/api/pagination.py), filled for existing
rows in their old order (updated_at, id), with an index per organisation.

Revision ID: f14a5e9c0de2
Revises: e13b7c2a9d40
Create Date: 2026-12-03 12:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f14a5e9c0de2"
down_revision: str | None = "e13b7c2a9d40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("vacancies", "candidates", "applications")


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in TABLES:
        if postgresql:
            op.add_column(table, sa.Column("change_position", sa.BigInteger(), nullable=True))
            # Below this transaction's id, so every later change (a later transaction's id)
            # sorts after the existing rows.
            op.execute(
                f"UPDATE {table} AS t SET change_position = o.position FROM ("
                "SELECT id, pg_current_xact_id()::text::bigint - count(*) OVER () "
                "+ row_number() OVER (ORDER BY updated_at, id) AS position "
                f"FROM {table}) AS o WHERE t.id = o.id"
            )
            op.alter_column(table, "change_position", nullable=False)
        else:
            # SQLite adds a NOT NULL column only with a default, and rebuilding the table to
            # drop it would cascade-delete the rows that refer to it (foreign keys are on in
            # the migration's transaction). Harmless: every insert the app makes sets it.
            op.add_column(
                table,
                sa.Column("change_position", sa.BigInteger(), server_default="0", nullable=False),
            )
            op.execute(
                f"UPDATE {table} SET change_position = o.position FROM ("
                "SELECT id, row_number() OVER (ORDER BY updated_at, id) AS position "
                f"FROM {table}) AS o WHERE {table}.id = o.id"
            )
        op.create_index(f"ix_{table}_change_position", table, ["change_position"])
        op.create_index(
            f"ix_{table}_organisation_id_change_position",
            table,
            ["organisation_id", "change_position", "id"],
        )


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_index(f"ix_{table}_organisation_id_change_position", table_name=table)
        op.drop_index(f"ix_{table}_change_position", table_name=table)
        # Plain ALTER TABLE DROP COLUMN (SQLite 3.35+): no rebuild, so no cascade.
        op.drop_column(table, "change_position")
