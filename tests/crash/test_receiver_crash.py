"""Proof under crashes: the webhook receiver is killed (SIGKILL) while scorecards are being
submitted and comes back a moment later; every submission's event still arrives."""

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from sqlmodel import func, select

from app import PROJECT_ROOT
from app.db import read_session
from app.models import WebhookDelivery
from app.settings import Settings
from app.webhooks.service import Worker
from tests.conftest import free_port
from tests.crash.harness import Interviewers, World, add_scorecards, stored_scorecards, wait_until
from tests.crash.receiver import read_log, repeats, submitted_ids

SCORECARDS = 80


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # The receiver listens on loopback over http: development settings.
    return settings.model_copy(
        update={
            "webhooks_allow_http": True,
            "webhooks_allow_internal": True,
            "api_rate_limit_per_minute": 1_000_000,
        }
    )


def start_receiver(port: int, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        # Answers held 50 ms: the kill most likely comes while a delivery is in flight.
        [sys.executable, "-m", "tests.crash.receiver", str(port), str(log), "0.05"],
        cwd=PROJECT_ROOT,
    )

    def listening() -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    wait_until(listening, seconds=30, what="the receiver listens")
    return process


def deliveries(engine: sa.Engine, condition: sa.ColumnElement[bool]) -> int:
    with read_session(engine) as session:
        count = select(func.count()).select_from(WebhookDelivery).where(condition)
        return session.exec(count).one()


def test_every_event_arrives_after_the_receiver_comes_back(
    app: FastAPI, live_server: str, settings: Settings, tmp_path: Path, processes: list
) -> None:
    # The server runs in this process; what gets killed is the receiver, a process of its own.
    started = time.monotonic()
    port, log = free_port(), tmp_path / "received.jsonl"
    receiver = start_receiver(port, log)
    processes.append(receiver)
    world = World(settings.database_url, tmp_path, port=int(live_server.rsplit(":", 1)[1]))
    add_scorecards(world, scorecards=SCORECARDS, receiver_url=f"http://127.0.0.1:{port}/hooks")
    engine = app.state.engine
    worker = Worker(engine, settings)
    worker.start()
    try:
        interviewers = Interviewers(world).start()
        wait_until(
            lambda: len(read_log(log)) >= SCORECARDS // 4,
            seconds=60,
            what="the receiver got a quarter of the events",
        )
        receiver.send_signal(signal.SIGKILL)
        receiver.wait()
        killed = time.monotonic()
        # Back 1 s after the first failed delivery: its retry comes 5 s after it, so every
        # delivery fails once at most and none is put off to the next retry, 5 minutes later.
        wait_until(
            lambda: deliveries(engine, WebhookDelivery.last_error != "") > 0,
            seconds=30,
            what="a delivery failed while down",
        )
        time.sleep(1)  # the outage itself: more deliveries fail meanwhile
        receiver = start_receiver(port, log)
        processes.append(receiver)
        down = time.monotonic() - killed
        interviewers.join()
        stored = stored_scorecards(world)
        submitted = {sid for sid, (status, _) in stored.items() if status == "submitted"}
        wait_until(
            lambda: submitted <= submitted_ids(read_log(log)),
            seconds=40,
            what="every submission's webhook delivered after the receiver came back",
        )
        delivered = time.monotonic() - killed
        retries = deliveries(engine, WebhookDelivery.attempts > 1)
    finally:
        worker.stop()

    assert interviewers.refused == []
    assert interviewers.acknowledged(submissions=True) == len(submitted) == SCORECARDS
    assert retries > 0
    received = read_log(log)
    print(
        f"\nreceiver down {down:.1f} s: {len(submitted)} events, {retries} deliveries retried, "
        f"{repeats(received)} received twice; all delivered {delivered:.1f} s after the kill; "
        f"{time.monotonic() - started:.1f} s"
    )
