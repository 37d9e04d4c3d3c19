"""Proof under crashes for jobs: the server is killed (SIGKILL) in the middle of an import;
after a restart on the same database the job is taken over once its lease has run out and
finishes, each batch applied once: never left running, no candidate twice."""

import time
from pathlib import Path

import httpx
import pytest
from sqlmodel import func, select

from app.accounts.service import create_api_key, create_organisation
from app.db import create_db_engine, read_session, write_session
from app.models import Candidate, ImportJob, ImportStatus
from tests.crash.harness import kill, new_world, start_server, wait_until

ROWS = 20_000
# Short, so the restarted server takes the dead one's job over within seconds.
SETTINGS = {"SMM_HIRE_JOBS_LEASE_SECONDS": "3"}


def stored_job(database_url: str) -> ImportJob:
    engine = create_db_engine(database_url)
    try:
        with read_session(engine) as session:
            return session.exec(select(ImportJob)).one()
    finally:
        engine.dispose()


def imported(database_url: str) -> tuple[int, int]:
    """The imported candidates, and how many distinct names they have."""
    engine = create_db_engine(database_url)
    try:
        with read_session(engine) as session:
            return session.exec(
                select(func.count(), func.count(Candidate.full_name.distinct())).where(
                    Candidate.full_name.like("Импорт %")
                )
            ).one()
    finally:
        engine.dispose()


# Two server starts: about 40 s on SQLite and 55 s on PostgreSQL on a busy 2-core machine.
@pytest.mark.soak
def test_an_import_killed_with_its_server_finishes_after_the_restart(
    empty_database_url: str, tmp_path: Path, processes: list
) -> None:
    started = time.monotonic()
    world = new_world(empty_database_url, tmp_path)
    engine = create_db_engine(empty_database_url)
    with write_session(engine) as session:
        organisation = create_organisation(session, slug="crash", name="Crash test")
        _, world.api_key = create_api_key(
            session,
            organisation=organisation,
            name="crash",
            scopes=["candidates:read", "candidates:write"],
        )
    engine.dispose()
    # No external ids: a batch applied twice would show as two candidates of one name.
    body = "full_name,email\n" + "".join(f"Импорт {n},i{n}@example.org\n" for n in range(ROWS))

    server = start_server(world, webhooks_worker=False, log_name="first.log", env=SETTINGS)
    processes.append(server)
    with httpx.Client(
        base_url=world.base_url,
        headers={"Authorization": f"Bearer {world.api_key}"},
        timeout=60,
    ) as api:
        answer = api.post(
            "/api/v1/imports", headers={"content-type": "text/csv"}, content=body.encode()
        )
        assert answer.status_code == 202, answer.text
        location = answer.headers["location"]
        wait_until(
            lambda: api.get(location).json()["processed"] >= 2_000,
            seconds=60,
            what="the import saved its first batches",
        )
    kill(server)
    killed = time.monotonic()
    at_kill = stored_job(empty_database_url)
    # What a restart used to find for good: running, with nobody running it.
    assert at_kill.status == ImportStatus.RUNNING and 2_000 <= at_kill.processed < ROWS
    assert at_kill.claimed_by and at_kill.lease_until is not None
    assert imported(empty_database_url)[0] == at_kill.processed

    server = start_server(world, webhooks_worker=False, log_name="second.log", env=SETTINGS)
    processes.append(server)
    restarted = time.monotonic()
    with httpx.Client(
        base_url=world.base_url,
        headers={"Authorization": f"Bearer {world.api_key}"},
        timeout=60,
    ) as api:
        wait_until(
            lambda: api.get(location).json()["status"] in ("succeeded", "failed"),
            seconds=90,
            what="the import finished after the restart",
        )
        job = api.get(location).json()
    finished = time.monotonic()
    kill(server)

    assert job["status"] == "succeeded", job
    assert job["processed"] == ROWS and job["attempts"] == 2 and job["error"] == ""
    assert imported(empty_database_url) == (ROWS, ROWS)
    print(
        f"\n{world.database_url.split(':')[0]}: killed at {at_kill.processed:,} of {ROWS:,} "
        f"rows; finished {finished - restarted:.1f} s after the restart "
        f"({finished - killed:.1f} s after the kill); {time.monotonic() - started:.1f} s in all"
    )
