"""The smm-hire command, run as a newcomer runs it: real processes, real databases."""

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from app.db import create_db_engine
from app.demo import DEMO_LOGINS
from tests.conftest import free_port

SMM_HIRE = shutil.which("smm-hire", path=str(Path(sys.executable).parent))


def run(*args: str, env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SMM_HIRE, *args], env=env, input=stdin, capture_output=True, text=True, timeout=120
    )


def assert_one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("smm-hire: error: ")
    for fragment in fragments:
        assert fragment in lines[0]


def count_users(database_url: str) -> int:
    engine = create_db_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text("SELECT count(*) FROM users")).scalar_one()
    finally:
        engine.dispose()


def test_every_command_has_help() -> None:
    for command in ("serve", "migrate", "create-user", "create-api-key", "demo", "purge"):
        result = run(command, "--help", env=dict(os.environ))
        assert result.returncode == 0
        assert "Usage: smm-hire " + command in result.stdout


def test_set_up_from_nothing(cli_env: dict[str, str], empty_database_url: str) -> None:
    assert_one_line_error(run("demo", env=cli_env), "run `smm-hire migrate`")

    assert run("migrate", env=cli_env).returncode == 0
    assert run("migrate", env=cli_env).returncode == 0  # nothing to do is fine
    first_demo = run("demo", env=cli_env)
    second_demo = run("demo", env=cli_env)

    assert first_demo.returncode == 0 and second_demo.returncode == 0
    assert "admin@demo.smm-hire.example" in first_demo.stdout
    assert "password: smm-demo-interviewer" in first_demo.stdout
    assert count_users(empty_database_url) == len(DEMO_LOGINS)  # the second run added nobody


def test_create_user_and_its_mistakes(cli_env: dict[str, str], empty_database_url: str) -> None:
    run("migrate", env=cli_env)
    run("demo", env=cli_env)
    user = ["create-user", "--organisation", "demo", "--name", "Пётр", "--role", "hr"]

    created = run(*user, "--email", "petr@example.org", "--password", "long enough", env=cli_env)
    twice = run(*user, "--email", "PETR@example.org", "--password", "long enough", env=cli_env)
    short = run(*user, "--email", "p2@example.org", "--password", "short", env=cli_env)
    nowhere = run(
        "create-user",
        "--organisation",
        "nope",
        "--name",
        "X",
        "--role",
        "hr",
        "--email",
        "x@example.org",
        "--password",
        "long enough",
        env=cli_env,
    )

    assert created.returncode == 0 and "created hr petr@example.org in demo" in created.stdout
    assert_one_line_error(twice, "exists already")
    assert_one_line_error(short, "shorter than 8 characters")
    assert_one_line_error(nowhere, "no organisation with the slug 'nope'")
    assert count_users(empty_database_url) == len(DEMO_LOGINS) + 1


def test_create_api_key_prints_a_key_that_works(cli_env: dict[str, str]) -> None:
    run("migrate", env=cli_env)
    run("demo", env=cli_env)

    result = run(
        "create-api-key",
        "--organisation",
        "demo",
        "--name",
        "Huntflow",
        "--scope",
        "users:read",
        "--scope",
        "candidates:read",
        env=cli_env,
    )
    port = free_port()
    server = subprocess.Popen(
        [SMM_HIRE, "serve", "--port", str(port)],
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/healthz", server)
        secret = result.stdout.strip().splitlines()[-1]
        answer = httpx.get(f"{base}/api/v1/users", headers={"Authorization": f"Bearer {secret}"})
        login_page = httpx.get(f"{base}/login")
    finally:
        server.terminate()
        server.wait(timeout=20)

    assert result.returncode == 0
    assert secret.startswith("smmh_")
    assert answer.status_code == 200 and len(answer.json()) == len(DEMO_LOGINS)
    assert login_page.status_code == 200


def wait_for(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {process.stderr.read()}")
        try:
            if httpx.get(url).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_bad_settings_get_one_clear_line(cli_env: dict[str, str], tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("")

    cases = {
        "is not a database URL": {"SMM_HIRE_DATABASE_URL": "postgres//oops"},
        "is PostgreSQL running": {
            "SMM_HIRE_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/nothing"
        },
        "cannot be written": {
            "SMM_HIRE_DATA_DIR": str(blocked / "data"),
            "SMM_HIRE_DATABASE_URL": "",
        },
        "SMM_HIRE_PORT is not valid": {"SMM_HIRE_PORT": "eighty"},
    }
    for fragment, overrides in cases.items():
        assert_one_line_error(run("migrate", env={**cli_env, **overrides}), fragment)


def test_serve_refuses_a_port_in_use(cli_env: dict[str, str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = run("serve", "--port", str(port), env=cli_env)

    assert_one_line_error(result, f"cannot listen on 127.0.0.1:{port}", "SMM_HIRE_PORT")


def test_serve_refuses_a_database_ahead_of_the_code(
    cli_env: dict[str, str], empty_database_url: str
) -> None:
    run("migrate", env=cli_env)
    engine = create_db_engine(empty_database_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'f00dfeedbeef'")
    engine.dispose()

    assert_one_line_error(run("serve", env=cli_env), "ahead of this code")
    assert_one_line_error(run("migrate", env=cli_env), "ahead of this code")


def test_rubrics_check_passes_on_the_built_in_library() -> None:
    result = run("rubrics", "check", env=dict(os.environ))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok: 6 rubric(s), 59 criteria, 6 profile(s)"


def test_rubrics_reload_loads_new_versions_only_when_files_change(
    cli_env: dict[str, str], empty_database_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "rubrics"
    shutil.copytree(Path(__file__).resolve().parents[1] / "rubrics", folder)
    env = {**cli_env, "SMM_HIRE_RUBRICS_DIR": str(folder)}
    run("migrate", env=env)

    first = run("rubrics", "reload", env=env)
    unchanged = run("rubrics", "reload", env=env)
    text = (folder / "organisation.yaml").read_text()
    (folder / "organisation.yaml").write_text(text.replace("weight: 2", "weight: 3", 1))
    changed = run("rubrics", "reload", env=env)

    assert first.stdout.strip() == "loaded 6 rubric(s) and 6 profile(s)"
    assert unchanged.returncode == 0 and changed.returncode == 0
    engine = create_db_engine(empty_database_url)
    with engine.connect() as connection:
        versions = connection.execute(
            sa.text(
                "SELECT r.key, max(v.version) FROM rubric_versions v JOIN rubrics r "
                "ON r.id = v.rubric_id GROUP BY r.key"
            )
        ).all()
    engine.dispose()
    assert dict(versions) == {
        "core_traits": 1,
        "experience": 1,
        "implementation": 1,
        "monitoring": 1,
        "organisation": 2,
        "strategy": 1,
    }


def demo_vacancy_id(cli_env: dict[str, str], database_url: str) -> str:
    """Migrates, loads the demo through the command line and returns a vacancy's id."""
    run("migrate", env=cli_env)
    run("demo", env=cli_env)
    engine = create_db_engine(database_url)
    with engine.connect() as connection:
        vacancy_id = connection.execute(sa.text("SELECT id FROM vacancies LIMIT 1")).scalar_one()
    engine.dispose()
    return str(uuid.UUID(str(vacancy_id)))


def test_rescore_reports_progress_and_refuses_an_unknown_vacancy(
    cli_env: dict[str, str], empty_database_url: str
) -> None:
    vacancy_id = demo_vacancy_id(cli_env, empty_database_url)

    done = run("rescore", "--vacancy", vacancy_id, env=cli_env)
    unknown = run("rescore", "--vacancy", str(uuid.uuid4()), env=cli_env)

    assert done.returncode == 0 and "rescored" in done.stdout
    assert_one_line_error(unknown, "no vacancy")


def test_generate_posting_writes_a_file(
    cli_env: dict[str, str], empty_database_url: str, tmp_path: Path
) -> None:
    vacancy_id = demo_vacancy_id(cli_env, empty_database_url)
    target = tmp_path / "ad.md"

    written = run(
        "generate",
        "posting",
        "--vacancy",
        vacancy_id,
        "--locale",
        "en",
        "--output",
        str(target),
        env=cli_env,
    )
    unwritable = run(
        "generate",
        "posting",
        "--vacancy",
        vacancy_id,
        "--output",
        str(tmp_path / "no" / "such" / "dir" / "ad.md"),
        env=cli_env,
    )

    assert written.returncode == 0, written.stderr
    assert target.read_text(encoding="utf-8").startswith("# ")
    assert_one_line_error(unwritable, "cannot write")


def test_generate_sheet_writes_a_pdf(
    cli_env: dict[str, str], empty_database_url: str, tmp_path: Path
) -> None:
    vacancy_id = demo_vacancy_id(cli_env, empty_database_url)
    target = tmp_path / "sheet.html"

    written = run(
        "generate",
        "sheet",
        "--vacancy",
        vacancy_id,
        "--candidate",
        "Вера",
        "--format",
        "html",
        "--output",
        str(target),
        env=cli_env,
    )

    assert written.returncode == 0, written.stderr
    text = target.read_text(encoding="utf-8")
    assert "Вера" in text and "☐ 4" in text and "@page" in text
