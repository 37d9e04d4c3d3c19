"""Durable background jobs (imports): run from the job table by whichever worker holds the
lease, resumed where they stopped when a worker dies, never twice a batch; they keep who
started them for the audit log; any error fails them with a reason; `smm-hire purge` removes
old finished jobs and webhook deliveries."""

import logging
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session, func, select

from app import jobs
from app.accounts.service import create_organisation, create_user
from app.db import create_db_engine, read_session, write_session
from app.hiring import bulk
from app.hiring.csv_import import CandidateRow
from app.main import create_app
from app.models import (
    AuditEvent,
    Candidate,
    DeliveryStatus,
    ImportJob,
    ImportJobBatch,
    ImportStatus,
    Organisation,
    User,
    UserRole,
    WebhookDelivery,
    WebhookSubscription,
    utcnow,
)
from app.settings import Settings
from tests.factories import make_api_key
from tests.test_cli import run

RECRUITER = "recruiter@jobs.example.org"


@pytest.fixture
def organisation(db: Session) -> Organisation:
    organisation = create_organisation(db, slug="jobs", name="Jobs")
    create_user(
        db,
        organisation=organisation,
        email=RECRUITER,
        full_name="Роман Подборов",
        role=UserRole.RECRUITER,
        password="correct horse battery",
    )
    db.commit()
    return organisation


def rows(count: int, tag: str) -> list[CandidateRow]:
    # No external ids: a batch applied twice would show as twice the candidates.
    return [CandidateRow(line=n + 2, full_name=f"{tag} {n}") for n in range(count)]


def candidates(db: Session, tag: str) -> int:
    db.rollback()
    found = db.exec(
        select(func.count()).select_from(Candidate).where(Candidate.full_name.like(f"{tag} %"))
    ).one()
    db.rollback()
    return found


def batches_waiting(db: Session) -> int:
    db.rollback()
    found = db.exec(select(func.count()).select_from(ImportJobBatch)).one()
    db.rollback()
    return found


def job_of(db: Session, job_id: uuid.UUID) -> ImportJob:
    """The job as stored now; the session's transaction ends (on SQLite it would hold the
    write lock the workers need)."""
    db.rollback()
    db.expire_all()
    job = db.get(ImportJob, job_id)
    db.expunge(job)
    db.rollback()
    return job


def test_a_jobs_audit_events_name_the_key_and_the_person(
    http: httpx.Client, db: Session, organisation: Organisation, engine, settings: Settings
) -> None:
    key, secret = make_api_key(
        db, organisation=organisation, scopes=["candidates:read", "candidates:write"]
    )
    key_id = key.id
    db.commit()
    recruiter_id = db.exec(select(User.id).where(User.email == RECRUITER)).one()
    db.rollback()
    headers = {"Authorization": f"Bearer {secret}", "On-Behalf-Of": RECRUITER}

    started = http.post(
        "/api/v1/imports",
        headers={**headers, "content-type": "text/csv"},
        content=("full_name\n" + "".join(f"Аудит {n}\n" for n in range(1_500))).encode(),
    )
    assert started.status_code == 202, started.text
    assert jobs.run_due(engine, settings) == 1
    job = http.get(started.headers["location"], headers=headers).json()

    assert job["status"] == "succeeded" and job["processed"] == 1_500, job
    created = db.exec(
        select(
            AuditEvent.actor_api_key_id,
            AuditEvent.on_behalf_of_user_id,
            AuditEvent.ip_address,
            func.count(),
        )
        .where(AuditEvent.action == "candidate.created")
        .group_by(
            AuditEvent.actor_api_key_id, AuditEvent.on_behalf_of_user_id, AuditEvent.ip_address
        )
    ).all()
    assert created == [(key_id, recruiter_id, "127.0.0.1", 1_500)]
    imported = db.exec(select(AuditEvent).where(AuditEvent.action == "candidates.imported")).one()
    assert (imported.actor_api_key_id, imported.on_behalf_of_user_id) == (key_id, recruiter_id)
    assert imported.object_id == job["id"] and imported.details == {"rows": 1_500}


class DiskHiccup(Exception):
    """Raised with no message at all, as some driver and OS errors are."""


@pytest.fixture
def hiccup_on_candidates(engine: sa.Engine) -> Iterator[None]:
    """The database connection fails (no message) when the second batch inserts candidates."""
    inserts = []

    def fail_second_insert(_conn, _cursor, statement: str, *_args) -> None:  # noqa: ANN001
        if statement.startswith("INSERT INTO candidates"):
            inserts.append(statement)
            if len(inserts) == 2:
                raise DiskHiccup

    event.listen(engine, "before_cursor_execute", fail_second_insert)
    yield
    event.remove(engine, "before_cursor_execute", fail_second_insert)


def test_an_exception_without_a_message_fails_the_job_with_a_reason(
    db: Session,
    organisation: Organisation,
    engine: sa.Engine,
    settings: Settings,
    hiccup_on_candidates: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    job = bulk.start(db, organisation_id=organisation.id, vacancy=None, rows=rows(2_500, "Сбой"))
    db.commit()

    with caplog.at_level(logging.WARNING, logger="smm_hire.jobs"):
        assert jobs.run_due(engine, settings) == 1
    failed = job_of(db, job.id)

    assert failed.status == ImportStatus.FAILED and failed.finished_at is not None
    assert failed.processed == 1_000 and candidates(db, "Сбой") == 1_000
    assert "rows 1002-2001 were rolled back and the rest not tried: DiskHiccup" in failed.error
    assert failed.lease_until is None
    assert any("DiskHiccup" in record.getMessage() for record in caplog.records)
    # A failed job is not resumed: its waiting rows (candidates' data) are gone.
    assert batches_waiting(db) == 0
    assert jobs.run_due(engine, settings) == 0


class WorkerKilled(BaseException):
    """The worker's process dies (nothing of it runs any more)."""


def test_a_job_whose_worker_died_is_resumed_without_duplicates(
    db: Session, organisation: Organisation, engine: sa.Engine, settings: Settings
) -> None:
    lease = jobs.lease_of(settings)
    job = bulk.start(
        db,
        organisation_id=organisation.id,
        vacancy=None,
        rows=rows(3_500, "Воскресший"),
        worker="dead-host:1:jobs-0",
        lease=lease,
    )
    db.commit()

    def die_after_first_batch(_processed: int, _total: int) -> None:
        raise WorkerKilled

    # The first worker commits one batch of four, then its process is gone.
    with pytest.raises(WorkerKilled):
        bulk.run(
            engine,
            job.id,
            worker="dead-host:1:jobs-0",
            lease=lease,
            progress=die_after_first_batch,
        )
    orphaned = job_of(db, job.id)
    assert (orphaned.status, orphaned.processed) == (ImportStatus.RUNNING, 1_000)
    # Its lease still holds: nobody takes the job yet.
    assert jobs.run_due(engine, settings) == 0
    with write_session(engine) as session:
        session.execute(
            sa.update(ImportJob)
            .where(ImportJob.id == job.id)
            .values(lease_until=utcnow() - timedelta(seconds=1))
        )

    assert jobs.run_due(engine, settings) == 1
    resumed = job_of(db, job.id)

    assert resumed.status == ImportStatus.SUCCEEDED and resumed.error == ""
    assert (resumed.processed, resumed.attempts) == (3_500, 2)
    assert resumed.claimed_by != "dead-host:1:jobs-0"
    assert candidates(db, "Воскресший") == 3_500
    assert batches_waiting(db) == 0
    # The first worker, were it only slow, finds the job taken and applies nothing.
    with pytest.raises(bulk.LeaseLost):
        bulk.run(engine, job.id, worker="dead-host:1:jobs-0", lease=lease)
    assert candidates(db, "Воскресший") == 3_500


def test_a_job_that_keeps_dying_fails_with_that_reason(
    db: Session, organisation: Organisation, engine: sa.Engine, settings: Settings
) -> None:
    job = bulk.start(
        db,
        organisation_id=organisation.id,
        vacancy=None,
        rows=rows(10, "Невезучий"),
        worker="host:7:jobs-0",
    )
    job.attempts, job.lease_until = jobs.MAX_ATTEMPTS, utcnow() - timedelta(seconds=1)
    db.commit()

    jobs.run_due(engine, settings)
    failed = job_of(db, job.id)

    assert failed.status == ImportStatus.FAILED
    assert "stopped 3 times before it finished" in failed.error
    assert "host:7:jobs-0" in failed.error
    assert candidates(db, "Невезучий") == 0


def test_the_runner_started_with_the_server_runs_a_queued_job(
    db: Session, organisation: Organisation, settings: Settings
) -> None:
    job = bulk.start(db, organisation_id=organisation.id, vacancy=None, rows=rows(50, "Фон"))
    db.commit()
    app = create_app(settings.model_copy(update={"jobs_worker": True}))
    try:
        with TestClient(app):  # runs the lifespan: the runner polls, finds and runs the job
            deadline = utcnow() + timedelta(seconds=20)
            while job_of(db, job.id).status != ImportStatus.SUCCEEDED and utcnow() < deadline:
                time.sleep(0.05)
        assert app.state.job_runner is None  # stopped with the server
    finally:
        app.state.engine.dispose()

    assert job_of(db, job.id).status == ImportStatus.SUCCEEDED
    assert candidates(db, "Фон") == 50


AGES_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def test_purge_removes_old_finished_jobs_and_deliveries_only(
    cli_env: dict[str, str], empty_database_url: str
) -> None:
    run("migrate", env=cli_env)
    engine = create_db_engine(empty_database_url)
    recent = utcnow() - timedelta(days=2)
    kept: dict[str, uuid.UUID] = {}
    with write_session(engine) as session:
        ours = create_organisation(session, slug="ours", name="Ours")
        theirs = create_organisation(session, slug="theirs", name="Theirs")
        for organisation in (ours, theirs):
            subscription = WebhookSubscription(
                organisation_id=organisation.id, url="https://x.example/h", secret="s"
            )
            session.add(subscription)
            session.flush()
            for name, status, finished in (
                ("old done", ImportStatus.SUCCEEDED, AGES_AGO),
                ("old failed", ImportStatus.FAILED, AGES_AGO),
                ("recent done", ImportStatus.SUCCEEDED, recent),
                # Started ages ago and still waiting: never removed.
                ("old waiting", ImportStatus.QUEUED, None),
            ):
                job = ImportJob(
                    organisation_id=organisation.id,
                    status=status,
                    finished_at=finished,
                    created_at=AGES_AGO,
                )
                session.add(job)
                session.flush()
                kept[f"{organisation.slug} job {name}"] = job.id
            for name, status, updated in (
                ("old sent", DeliveryStatus.SUCCEEDED, AGES_AGO),
                ("old given up", DeliveryStatus.FAILED, AGES_AGO),
                ("recent sent", DeliveryStatus.SUCCEEDED, recent),
                ("old pending", DeliveryStatus.PENDING, AGES_AGO),
            ):
                delivery = WebhookDelivery(
                    organisation_id=organisation.id,
                    subscription_id=subscription.id,
                    event_id=f"msg_{uuid.uuid4().hex}",
                    event_type="candidate.created",
                    payload={},
                    status=status,
                    created_at=AGES_AGO,
                    updated_at=updated,
                )
                session.add(delivery)
                session.flush()
                kept[f"{organisation.slug} delivery {name}"] = delivery.id

    dry = run("purge", "--organisation", "ours", "--dry-run", env=cli_env)
    real = run("purge", "--organisation", "ours", env=cli_env)
    with write_session(engine) as session:
        left_jobs = set(session.exec(select(ImportJob.id)))
        left_deliveries = set(session.exec(select(WebhookDelivery.id)))
    engine.dispose()

    assert dry.returncode == 0, dry.stderr
    assert (
        "ours: 2 finished import jobs and 2 finished webhook deliveries older than 30 days "
        "would be removed" in dry.stdout
    )
    assert real.returncode == 0, real.stderr
    assert (
        "ours: 2 finished import jobs and 2 finished webhook deliveries older than 30 days "
        "removed" in real.stdout
    )
    removed = {"ours job old done", "ours job old failed"}
    removed |= {"ours delivery old sent", "ours delivery old given up"}
    assert {name for name, id_ in kept.items() if id_ not in left_jobs | left_deliveries} == (
        removed
    )


def test_a_server_stopping_cleanly_gives_its_job_back_for_the_next(
    db: Session, organisation: Organisation, engine: sa.Engine, settings: Settings
) -> None:
    job = bulk.start(
        db, organisation_id=organisation.id, vacancy=None, rows=rows(10_000, "Остановка")
    )
    db.commit()
    app = create_app(settings.model_copy(update={"jobs_worker": True}))
    try:
        with TestClient(app):
            deadline = utcnow() + timedelta(seconds=20)
            # Read without the test's session: on SQLite it would queue for the write lock.
            while utcnow() < deadline:
                with read_session(engine) as session:
                    if session.get(ImportJob, job.id).processed >= 1_000:
                        break
                time.sleep(0.02)
        # The server has stopped: after the batch under way, not at the job's end.
    finally:
        app.state.engine.dispose()
    given_back = job_of(db, job.id)

    assert given_back.status == ImportStatus.QUEUED, given_back
    assert 1_000 <= given_back.processed < 10_000
    assert (given_back.claimed_by, given_back.lease_until, given_back.attempts) == ("", None, 0)
    # The next worker takes it at once (no lease to wait for) and finishes it.
    assert jobs.run_due(engine, settings) == 1
    finished = job_of(db, job.id)
    assert (finished.status, finished.processed, finished.attempts) == (
        ImportStatus.SUCCEEDED,
        10_000,
        1,
    )
    assert candidates(db, "Остановка") == 10_000


def test_the_jobs_command_runs_waiting_jobs(
    cli_env: dict[str, str], empty_database_url: str
) -> None:
    run("migrate", env=cli_env)
    engine = create_db_engine(empty_database_url)
    with write_session(engine) as session:
        organisation = create_organisation(session, slug="cli", name="CLI")
        bulk.start(session, organisation_id=organisation.id, vacancy=None, rows=rows(30, "Ком"))

    ran = run("jobs", "--once", env=cli_env)
    with write_session(engine) as session:
        status = session.exec(select(ImportJob.status)).one()
        saved = session.exec(
            select(func.count()).select_from(Candidate).where(Candidate.full_name.like("Ком %"))
        ).one()
    engine.dispose()

    assert ran.returncode == 0 and "ran 1 jobs" in ran.stdout, ran.stderr
    assert (status, saved) == (ImportStatus.SUCCEEDED, 30)
