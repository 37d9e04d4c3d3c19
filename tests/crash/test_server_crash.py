"""Proof under crashes: the server is killed (SIGKILL) while interviewers autosave and submit
scorecards; after a restart on the same database every acknowledged write is there, SQLite's
file is sound, and every submission's webhook is delivered at least once."""

import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.crash.harness import (
    Interviewers,
    add_scorecards,
    kill,
    leased_deliveries,
    new_world,
    spawn_server,
    start_server,
    stored_scorecards,
    wait_ready,
    wait_until,
)
from tests.crash.receiver import Receiver, repeats, submitted_ids

SCORECARDS = 80
# The server is killed once this share of the submissions has been acknowledged.
KILL_AT = 0.4


def integrity(database_url: str) -> str:
    """SQLite's own check of the file, opened as the crash left it (with its WAL)."""
    with closing(sqlite3.connect(sa.make_url(database_url).database)) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


@pytest.mark.parametrize(
    "worker_at_kill",
    [
        # The worker is off while the interviewers write: every event waits in the outbox.
        pytest.param(False, id="outbox"),
        # The worker is sending when the server dies: the deliveries it had claimed are
        # leased for 60 s (LEASE), so they are sent again only then: slow, `make soak`.
        pytest.param(True, id="in-flight", marks=pytest.mark.soak),
    ],
)
def test_sigkill_loses_no_acknowledged_write_and_no_webhook(
    empty_database_url: str,
    tmp_path: Path,
    worker_at_kill: bool,
    processes: list,
    request: pytest.FixtureRequest,
) -> None:
    started = time.monotonic()
    receiver = Receiver().start()
    request.addfinalizer(receiver.close)
    world = new_world(empty_database_url, tmp_path)
    # The server starts (seconds of imports) while the drafts are made.
    server = spawn_server(world, webhooks_worker=worker_at_kill, log_name="first.log")
    processes.append(server)
    add_scorecards(world, scorecards=SCORECARDS, receiver_url=receiver.url)
    prepared = time.monotonic()
    wait_ready(world, server)
    served = time.monotonic()
    # Slow answers keep the worker in the middle of a batch of claimed deliveries.
    receiver.delay = 0.1 if worker_at_kill else 0
    interviewers = Interviewers(world).start()
    wait_until(
        lambda: (
            interviewers.acknowledged(submissions=True) >= KILL_AT * SCORECARDS
            and (receiver.holding.is_set() or not worker_at_kill)
        ),
        seconds=60,
        what="the interviewers submitted scorecards",
    )
    kill(server)
    killed = time.monotonic()
    interviewers.join()
    receiver.delay = 0
    leased = leased_deliveries(world)
    if empty_database_url.startswith("sqlite"):
        assert integrity(empty_database_url) == "ok"

    server = start_server(world, webhooks_worker=True, log_name="second.log")
    processes.append(server)
    restarted = time.monotonic()
    stored = stored_scorecards(world)
    submitted = {sid for sid, (status, _) in stored.items() if status == "submitted"}
    # Deliveries claimed at the kill wait for their lease to end, then go again.
    wait_until(
        lambda: submitted <= submitted_ids(receiver.received),
        seconds=90 if leased else 30,
        what=f"every submission's webhook delivered ({leased} leased at the kill)",
    )
    delivered = time.monotonic()
    kill(server)

    assert interviewers.refused == []
    assert interviewers.unexplained(stored) == []
    # Killed mid-run: some scorecards were never written at all.
    assert KILL_AT * SCORECARDS <= len(submitted) < SCORECARDS
    if worker_at_kill:
        assert leased > 0
    if empty_database_url.startswith("sqlite"):
        assert integrity(empty_database_url) == "ok"
    print(
        f"\n{world.database_url.split(':')[0]}: acknowledged "
        f"{interviewers.acknowledged(submissions=False)} autosaves and "
        f"{interviewers.acknowledged(submissions=True)} submissions, {len(submitted)} "
        f"submitted in the database; {leased} deliveries leased at the kill; all delivered "
        f"{delivered - killed:.1f} s after the kill ({delivered - restarted:.1f} s after the "
        f"restart), {repeats(receiver.received)} sent twice; {time.monotonic() - started:.1f} s "
        f"(set-up {prepared - started:.1f} s, start {served - prepared:.1f} s, writes "
        f"{killed - served:.1f} s, restart {restarted - killed:.1f} s)"
    )
