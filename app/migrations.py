"""Runs Alembic from code and tells whether a database matches this version of the code."""

from dataclasses import dataclass
from functools import cache

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from app import PROJECT_ROOT
from app.db import write_engine


def alembic_config(connection: sa.Connection | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Migrates the database up to `revision` (default: the newest)."""
    with write_engine(engine).begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: sa.Engine, revision: str) -> None:
    with write_engine(engine).begin() as connection:
        command.downgrade(alembic_config(connection), revision)


@dataclass(frozen=True)
class SchemaState:
    database_revisions: frozenset[str]
    code_heads: frozenset[str]
    known_revisions: frozenset[str]

    @property
    def is_current(self) -> bool:
        return self.database_revisions == self.code_heads

    @property
    def is_ahead(self) -> bool:
        """The database was migrated by a newer version of the code."""
        return bool(self.database_revisions - self.known_revisions)

    def problem(self) -> str | None:
        """Returns one line saying what is wrong and what to run, or None when current."""
        if self.is_current:
            return None
        if self.is_ahead:
            revisions = ", ".join(sorted(self.database_revisions))
            return (
                f"the database is ahead of this code (at revision {revisions}, which this code "
                "does not know): run the newer version of smm-hire, or restore a matching backup"
            )
        if not self.database_revisions:
            return "the database has no tables yet: run `smm-hire migrate`"
        return "the database is behind this code: run `smm-hire migrate`"


@cache
def code_revisions() -> tuple[frozenset[str], frozenset[str]]:
    """Returns the heads and all the revisions of the migrations shipped with this code."""
    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(script.get_heads()), frozenset(rev.revision for rev in script.walk_revisions())


def schema_state(engine: sa.Engine) -> SchemaState:
    with engine.connect() as connection:
        database_revisions = MigrationContext.configure(connection).get_current_heads()
    heads, known = code_revisions()
    return SchemaState(
        database_revisions=frozenset(database_revisions), code_heads=heads, known_revisions=known
    )
