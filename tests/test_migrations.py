"""Migrations: one head, up and down cleanly, and the models match what they build."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from app import migrations
from app.db import create_db_engine
from app.errors import ConfigError
from app.main import create_app
from app.settings import Settings
from tests.conftest import TEST_SECRET_KEY


def schema_differences(engine: sa.Engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


def table_names(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


def test_there_is_exactly_one_head() -> None:
    script = ScriptDirectory.from_config(migrations.alembic_config())

    assert len(script.get_heads()) == 1


def test_migration_files_have_dated_names() -> None:
    script = ScriptDirectory.from_config(migrations.alembic_config())

    for revision in script.walk_revisions():
        name = revision.path.rsplit("/", 1)[-1]
        assert name[:4].isdigit() and name[4] == "_" and name[10] == "_", name


def test_upgrade_downgrade_upgrade_and_models_match(empty_database_url: str) -> None:
    engine = create_db_engine(empty_database_url)
    try:
        migrations.upgrade(engine)
        assert table_names(engine) == set(SQLModel.metadata.tables)
        assert schema_differences(engine) == []

        migrations.downgrade(engine, "base")
        assert table_names(engine) == set()

        migrations.upgrade(engine)
        assert schema_differences(engine) == []
        assert migrations.schema_state(engine).is_current
    finally:
        engine.dispose()


def test_every_organisation_data_table_carries_its_organisation() -> None:
    # Built-in rubrics (organisation NULL) and the organisations table itself are the exceptions.
    for table in SQLModel.metadata.sorted_tables:
        if table.name in ("organisations", "login_failures"):
            continue
        assert "organisation_id" in table.columns, table.name


def test_foreign_keys_are_indexed() -> None:
    for table in SQLModel.metadata.sorted_tables:
        indexed = {index.columns[0].name for index in table.indexes}
        indexed |= {
            constraint.columns[0].name
            for constraint in table.constraints
            if isinstance(constraint, sa.UniqueConstraint | sa.PrimaryKeyConstraint)
        }
        for foreign_key in table.foreign_keys:
            column = foreign_key.parent.name
            assert column in indexed, f"{table.name}.{column} has no index"


def start_app_on(url: str, tmp_path) -> None:
    create_app(
        Settings(_env_file=None, data_dir=tmp_path, database_url=url, secret_key=TEST_SECRET_KEY)
    )


def test_server_refuses_an_unmigrated_database(empty_database_url: str, tmp_path) -> None:
    with pytest.raises(ConfigError, match=r"no tables yet: run `smm-hire migrate`"):
        start_app_on(empty_database_url, tmp_path)


def test_server_refuses_a_database_ahead_of_the_code(empty_database_url: str, tmp_path) -> None:
    engine = create_db_engine(empty_database_url)
    migrations.upgrade(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'f00dfeedbeef'")
    engine.dispose()

    with pytest.raises(ConfigError, match="ahead of this code.*f00dfeedbeef.*newer version"):
        start_app_on(empty_database_url, tmp_path)


def test_a_database_behind_the_code_is_told_to_migrate() -> None:
    state = migrations.SchemaState(
        database_revisions=frozenset({"old"}),
        code_heads=frozenset({"new"}),
        known_revisions=frozenset({"old", "new"}),
    )

    assert state.problem() == "the database is behind this code: run `smm-hire migrate`"
