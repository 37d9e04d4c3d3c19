"""Background jobs (bulk imports) run from the database: any worker of any server process
claims a waiting job under a lease, renews it with each batch and, when it dies, leaves the
job to be taken over once the lease has run out. A job that keeps dying is failed with that
reason; no job stays "running" with nobody running it."""

import logging
import os
import socket
import threading
import uuid
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, func, select

from app.db import read_session, write_session
from app.hiring import bulk
from app.models import ImportJob, ImportStatus, utcnow
from app.settings import Settings

logger = logging.getLogger("smm_hire.jobs")

# A job taken up this many times without finishing (each time its worker died or lost it)
# fails rather than bring down the next worker too.
MAX_ATTEMPTS = 3
WAITING = (ImportStatus.QUEUED, ImportStatus.RUNNING)


def worker_name(label: str = "worker") -> str:
    """Names a worker in claimed_by: the host and process, for whoever reads a stuck job."""
    return f"{socket.gethostname()}:{os.getpid()}:{label}:{uuid.uuid4().hex[:8]}"[:200]


def lease_of(settings: Settings) -> timedelta:
    return timedelta(seconds=settings.jobs_lease_seconds)


def _free(now: datetime) -> sa.ColumnElement[bool]:
    """Waiting for a worker: queued, or running under a lease that has run out."""
    return sa.and_(
        ImportJob.status.in_(WAITING),
        sa.or_(ImportJob.lease_until.is_(None), ImportJob.lease_until < now),
    )


def claim(engine: sa.Engine, *, worker: str, lease: timedelta) -> uuid.UUID | None:
    """Takes the oldest waiting job for the worker, or returns None. Each is taken by a
    conditional update, so of two workers racing for one, exactly one gets it."""
    now = utcnow()
    # Read first (on SQLite a read takes no write lock): most polls find nothing.
    with read_session(engine) as session:
        waiting = session.exec(
            select(ImportJob.id, ImportJob.attempts, ImportJob.claimed_by)
            .where(_free(now))
            .order_by(ImportJob.created_at)
            .limit(10)
        ).all()
    for job_id, attempts, last_worker in waiting:
        if attempts >= MAX_ATTEMPTS:
            with write_session(engine) as session:
                gone = session.execute(
                    sa.update(ImportJob)
                    .where(ImportJob.id == job_id, _free(now))
                    .values(lease_until=now + lease, claimed_by=worker)
                ).rowcount
            if gone == 1:
                bulk.fail(
                    engine,
                    job_id,
                    reason=f"stopped {attempts} times before it finished (the last worker, "
                    f"{last_worker}, died or lost its lease); the batches counted in processed "
                    "were saved, the rest were not: import them again",
                )
            continue
        with write_session(engine) as session:
            taken = session.execute(
                sa.update(ImportJob)
                .where(ImportJob.id == job_id, _free(now))
                .values(
                    status=ImportStatus.RUNNING,
                    claimed_by=worker,
                    lease_until=now + lease,
                    attempts=ImportJob.attempts + 1,
                )
            ).rowcount
        if taken == 1:
            if attempts:
                logger.warning(
                    "import job %s resumed by %s (attempt %d; %s stopped before it finished)",
                    job_id,
                    worker,
                    attempts + 1,
                    last_worker or "a worker",
                )
            return job_id
    return None


def run_one(
    engine: sa.Engine,
    job_id: uuid.UUID,
    *,
    worker: str,
    lease: timedelta,
    stopping: threading.Event | None = None,
) -> None:
    """Runs a claimed job to its end. Whatever goes wrong ends it as failed with a reason a
    person can read (at least the exception's type), and is logged."""
    try:
        bulk.run(engine, job_id, worker=worker, lease=lease, stopping=stopping)
    except bulk.LeaseLost:
        logger.warning("import job %s: %s lost its lease to another worker", job_id, worker)
    except Exception as exc:
        logger.exception("import job %s failed", job_id)
        bulk.fail(engine, job_id, reason=f"the job stopped on an error: {bulk.describe(exc)}")


def run_due(
    engine: sa.Engine,
    settings: Settings,
    *,
    worker: str | None = None,
    stopping: threading.Event | None = None,
    limit: int | None = None,
) -> int:
    """Runs waiting jobs one after another until none is left (or `limit` have run);
    returns how many were taken up. Tests call it as they call deliver_due for webhooks."""
    worker = worker or worker_name()
    lease = lease_of(settings)
    ran = 0
    while limit is None or ran < limit:
        if stopping is not None and stopping.is_set():
            break
        job_id = claim(engine, worker=worker, lease=lease)
        if job_id is None:
            break
        run_one(engine, job_id, worker=worker, lease=lease, stopping=stopping)
        ran += 1
    return ran


class Runner:
    """Runs jobs in `jobs_concurrency` threads of the process until stopped. Several runners
    (processes, hosts) may run at once: claims keep them from running one job twice."""

    POLL_SECONDS = 1.0

    def __init__(self, engine: sa.Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self.stopping = threading.Event()
        self.wakeup = threading.Event()
        self.threads = [
            threading.Thread(target=self._loop, args=(n,), name=f"jobs-{n}", daemon=True)
            for n in range(settings.jobs_concurrency)
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def wake(self) -> None:
        """A job was queued in this process: look now rather than at the next poll."""
        self.wakeup.set()

    def _loop(self, number: int) -> None:
        worker = worker_name(f"jobs-{number}")
        while not self.stopping.is_set():
            try:
                ran = run_due(
                    self.engine, self.settings, worker=worker, stopping=self.stopping, limit=1
                )
            except Exception:  # a database hiccup must not end the runner
                logger.exception("job runner pass failed")
                ran = 0
            if not ran:
                self.wakeup.wait(self.POLL_SECONDS)
                self.wakeup.clear()

    def stop(self) -> None:
        """Stops after the batch under way; its job is given back for the next worker."""
        self.stopping.set()
        self.wakeup.set()
        for thread in self.threads:
            thread.join(timeout=30)


def purge_finished(
    session: Session, cutoff: datetime, *, organisation_id: uuid.UUID, dry_run: bool = False
) -> int:
    """Deletes the organisation's import jobs that finished before the cutoff; returns how
    many (that would be deleted, on a dry run). Waiting and running jobs are kept."""
    old = (
        ImportJob.organisation_id == organisation_id,
        ImportJob.status.in_((ImportStatus.SUCCEEDED, ImportStatus.FAILED)),
        ImportJob.finished_at < cutoff,
    )
    count = session.exec(select(func.count()).select_from(ImportJob).where(*old)).one()
    if not dry_run and count:
        session.execute(sa.delete(ImportJob).where(*old))
    return count
