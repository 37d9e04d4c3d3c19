"""`smm-hire purge`, run as an operator runs it: the dry run lists and changes nothing, the real
run erases, a wrong organisation is one line and a non-zero exit."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import select

from app.audit import record
from app.db import create_db_engine, write_session
from app.models import Candidate, Organisation
from tests.test_cli import assert_one_line_error, run


def names(database_url: str) -> dict[str, str]:
    engine = create_db_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT id, full_name FROM candidates")).all()
        return {str(row[0]).replace("-", ""): row[1] for row in rows}
    finally:
        engine.dispose()


def test_purge_lists_in_a_dry_run_then_erases(
    cli_env: dict[str, str], empty_database_url: str
) -> None:
    run("migrate", env=cli_env)
    run("demo", env=cli_env)
    engine = create_db_engine(empty_database_url)
    with write_session(engine) as session:
        demo = session.exec(select(Organisation).where(Organisation.slug == "demo")).one()
        # Added years ago and never applied: past any policy. The demo's own candidates are
        # in process, hired or rejected today, so none of them is due.
        old = Candidate(
            organisation_id=demo.id,
            full_name="Давний Кандидат",
            email="old@example.org",
            created_at=datetime(2020, 1, 1, tzinfo=UTC),
        )
        session.add(old)
        session.flush()
        old_id = old.id
        # And an audit event older than the log keeps (365 days by default).
        record(
            session, organisation_id=demo.id, action="test.aged", object_type="test", object_id="x"
        ).occurred_at = datetime(2020, 1, 1, tzinfo=UTC)
    engine.dispose()
    before = names(empty_database_url)

    dry = run("purge", "--organisation", "demo", "--dry-run", env=cli_env)
    after_dry = names(empty_database_url)
    real = run("purge", "--organisation", "demo", env=cli_env)
    again = run("purge", "--organisation", "demo", env=cli_env)

    assert dry.returncode == 0, dry.stderr
    assert "demo: 1 candidates past the retention policy" in dry.stdout
    assert str(old_id) in dry.stdout and "rejected" in dry.stdout and "due 2020-07-01" in dry.stdout
    assert "nothing was erased (dry run)" in dry.stdout
    assert "demo: 1 audit events older than 365 days would be forgotten" in dry.stdout
    assert "demo: 1 audit events older than 365 days forgotten" in real.stdout
    assert "Давний" not in dry.stdout + real.stdout  # ids only, no names on the screen
    assert after_dry == before
    assert real.returncode == 0 and "erased 1 candidates" in real.stdout
    after = names(empty_database_url)
    assert after[old_id.hex] == "—"
    assert {k: v for k, v in after.items() if k != old_id.hex} == {
        k: v for k, v in before.items() if k != old_id.hex
    }
    assert again.returncode == 0 and "demo: 0 candidates" in again.stdout


def test_purge_of_an_unknown_organisation_is_one_line(cli_env: dict[str, str]) -> None:
    run("migrate", env=cli_env)

    unknown = run("purge", "--organisation", "nope", "--dry-run", env=cli_env)
    missing = run("purge", env=cli_env)

    assert_one_line_error(unknown, "no organisation with the slug 'nope'")
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    assert "--organisation" in missing.stderr
