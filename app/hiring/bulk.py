"""Bulk import of candidates (and their applications to a vacancy) from CSV or JSON, up to
100,000 rows: every row checked first (a dry run reports each bad one), then applied in
batches, each all or nothing, with progress kept in an ImportJob."""

import dataclasses
import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from pydantic import TypeAdapter, ValidationError
from sqlmodel import Session, SQLModel, select

from app import audit
from app.db import read_session, write_session
from app.errors import Conflict, InvalidInput, NotFound
from app.hiring.csv_import import CandidateRow, read_candidates
from app.hiring.schemas import CandidateIn
from app.i18n import gettext_for
from app.models import (
    Application,
    AuditEvent,
    Candidate,
    ImportJob,
    ImportJobBatch,
    ImportStatus,
    Locale,
    Vacancy,
    utcnow,
)
from app.models.base import column_values, new_ids
from app.scoring.service import profile_context, store_screening_scores
from app.webhooks.service import emit_many

MAX_ROWS = 100_000
MAX_BYTES = 64 * 1024 * 1024
BATCH_SIZE = 1_000
_json_rows = TypeAdapter(list[dict])
_english = gettext_for(Locale.EN)
logger = logging.getLogger("smm_hire.jobs")


@dataclass(frozen=True)
class RowProblem:
    row: int  # the CSV line, or the JSON item counting from 1
    field: str
    detail: str


class RowsInvalid(InvalidInput):
    """Rows with problems: the import does nothing; each problem names its row and field."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(
            f"{len(problems):,} problems in the rows: nothing was imported; fix them "
            "(dry_run=true lists them all) and send again",
            field="body",
        )
        self.problems = problems

    def field_errors(self) -> list[tuple[str, str]]:
        return [(f"row {p.row}: {p.field}", p.detail) for p in self.problems[:1000]]


@dataclass
class Reading:
    rows: list[CandidateRow]
    problems: list[RowProblem]


def read(data: bytes, media_type: str) -> Reading:
    """Reads every row of a CSV (text/csv) or JSON array (application/json) of candidates and
    says what is wrong with each bad one; saves nothing."""
    if media_type.startswith("application/json"):
        return _read_json(data)
    reading = read_candidates(data, max_rows=MAX_ROWS, max_bytes=MAX_BYTES)
    if reading.file_error is not None:
        error = reading.file_error
        return Reading([], [RowProblem(0, "file", _english(error.text) % error.values)])
    return Reading(
        reading.rows,
        [
            RowProblem(line, column, _english(message.text) % message.values)
            for line, column, message in reading.row_errors
        ],
    )


def _read_json(data: bytes) -> Reading:
    try:
        items = _json_rows.validate_json(data)
    except ValidationError:
        return Reading([], [RowProblem(0, "file", "the body must be a JSON array of objects")])
    if len(items) > MAX_ROWS:
        return Reading(
            [], [RowProblem(0, "file", f"{len(items):,} rows: send at most {MAX_ROWS:,} at a time")]
        )
    rows, problems = [], []
    for number, item in enumerate(items, start=1):
        try:
            candidate = CandidateIn.model_validate(item)
        except ValidationError as exc:
            problems += [
                RowProblem(number, ".".join(str(p) for p in error["loc"]) or "row", error["msg"])
                for error in exc.errors()
            ]
            continue
        rows.append(
            CandidateRow(
                line=number,
                full_name=candidate.full_name,
                email=candidate.email or "",
                phone=candidate.phone,
                location=candidate.location,
                source=candidate.source,
                external_id=candidate.external_id,
                profile=candidate.profile.model_dump(exclude_none=True, mode="json"),
            )
        )
    return Reading(rows, problems)


def taken_external_ids(
    session: Session, *, organisation_id: uuid.UUID, rows: list[CandidateRow]
) -> list[RowProblem]:
    """External ids already used in the organisation, or twice in the file."""
    wanted = [row for row in rows if row.external_id]
    existing: set[str] = set()
    ids = [row.external_id for row in wanted]
    for start in range(0, len(ids), 5_000):
        existing |= set(
            session.exec(
                select(Candidate.external_id).where(
                    Candidate.organisation_id == organisation_id,
                    Candidate.external_id.in_(ids[start : start + 5_000]),
                )
            )
        )
    problems, seen = [], set()
    for row in wanted:
        if row.external_id in existing:
            problems.append(RowProblem(row.line, "external_id", "a candidate has this id already"))
        elif row.external_id in seen:
            problems.append(RowProblem(row.line, "external_id", "this id is in the file twice"))
        seen.add(row.external_id)
    return problems


def save_rows(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    rows: list[CandidateRow],
    vacancy: Vacancy | None,
) -> None:
    """Adds checked rows as candidates, each applied to the vacancy when there is one, with
    the screening scores and webhook events that create_candidate and create_application give
    one by one; set-based: a few statements for the whole list, whatever its length."""
    if not rows:
        return
    if vacancy is not None and vacancy.organisation_id != organisation_id:
        raise NotFound("no such vacancy")
    # Ascending ids: lists sorted by creation, then id, show the rows in the file's order.
    candidate_ids = new_ids(len(rows))
    template = column_values(Candidate(organisation_id=organisation_id, full_name=""))
    try:
        with session.begin_nested():
            session.execute(
                sa.insert(Candidate.__table__),
                [
                    {
                        **template,
                        "id": candidate_id,
                        "full_name": row.full_name,
                        "email": row.email,
                        "phone": row.phone,
                        "location": row.location,
                        "source": row.source,
                        "external_id": row.external_id,
                        "profile": row.profile,
                    }
                    for candidate_id, row in zip(candidate_ids, rows, strict=True)
                ],
            )
    except sa.exc.IntegrityError:
        # Someone took an id since the rows were checked: name the row. (Looked up only now:
        # on PostgreSQL, while a big import outruns the statistics, each lookup scans all
        # the organisation's candidates.)
        taken = taken_external_ids(session, organisation_id=organisation_id, rows=rows)
        if not taken:
            raise
        more = f" (and {len(taken) - 1:,} more)" if len(taken) > 1 else ""
        raise Conflict(
            f"row {taken[0].row}: {taken[0].detail}{more}", field="external_id"
        ) from None
    emit_many(
        session,
        organisation_id=organisation_id,
        event_type="candidate.created",
        events=[
            {"candidate_id": candidate_id, "source": row.source}
            for candidate_id, row in zip(candidate_ids, rows, strict=True)
        ],
    )
    _log_created(session, Candidate, organisation_id, candidate_ids)
    if vacancy is None:
        return
    application_ids = new_ids(len(rows))
    template = column_values(
        Application(
            organisation_id=organisation_id, vacancy_id=vacancy.id, candidate_id=candidate_ids[0]
        )
    )
    session.execute(
        sa.insert(Application.__table__),
        [
            {**template, "id": application_id, "candidate_id": candidate_id}
            for application_id, candidate_id in zip(application_ids, candidate_ids, strict=True)
        ],
    )
    _log_created(session, Application, organisation_id, application_ids)
    store_screening_scores(
        session,
        vacancy,
        [
            (application_id, row.profile)
            for application_id, row in zip(application_ids, rows, strict=True)
        ],
    )
    # Scores written together log one event, as a vacancy's rescoring does.
    context = profile_context(session, vacancy.role_profile_version_id)
    audit.record(
        session,
        organisation_id=organisation_id,
        action="score.screening.updated",
        object_type="vacancy",
        object_id=vacancy.id,
        details={
            "applications": len(application_ids),
            "role_profile_version_id": str(context.profile_version_id),
            "rubric_version_ids": list(context.rubric_version_ids),
        },
    )


def _log_created(
    session: Session, model: type[SQLModel], organisation_id: uuid.UUID, ids: list[uuid.UUID]
) -> None:
    """The audit events the session logs at flush for objects it adds ("candidate.created"
    for each, by the session's actor), for rows inserted past it: one insert for all."""
    name, object_type, _ = audit.WATCHED[model]
    actor = audit.actor_of(session)
    template = column_values(
        AuditEvent(
            organisation_id=organisation_id,
            action=f"{name}.created",
            object_type=object_type,
            object_id="",
            actor_user_id=actor.user_id,
            actor_api_key_id=actor.api_key_id,
            on_behalf_of_user_id=actor.on_behalf_of_user_id,
            ip_address=actor.ip_address[:45],
            details={},
        )
    )
    session.execute(
        sa.insert(AuditEvent.__table__),
        [
            {**template, "id": event_id, "object_id": str(object_id)}
            for event_id, object_id in zip(new_ids(len(ids)), ids, strict=True)
        ],
    )


def start(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    vacancy: Vacancy | None,
    rows: list[CandidateRow],
    actor: audit.Actor = audit.NOBODY,
    worker: str = "",
    lease: timedelta = timedelta(seconds=60),
) -> ImportJob:
    """Queues a job for the checked rows, stored with it in batches so that any worker, now
    or after a restart, can apply them. Given a worker, the job is claimed for it at once
    (the command line runs its own job)."""
    now = utcnow()
    job = ImportJob(
        organisation_id=organisation_id,
        vacancy_id=vacancy.id if vacancy else None,
        total=len(rows),
        batch_size=BATCH_SIZE,
        created_by_api_key_id=actor.api_key_id,
        actor_user_id=actor.user_id,
        on_behalf_of_user_id=actor.on_behalf_of_user_id,
        ip_address=actor.ip_address[:45],
    )
    if worker:
        job.status, job.claimed_by, job.lease_until, job.attempts = (
            ImportStatus.RUNNING,
            worker,
            now + lease,
            1,
        )
    session.add(job)
    session.flush()
    if rows:
        session.execute(
            sa.insert(ImportJobBatch.__table__),
            [
                {
                    "id": batch_id,
                    "organisation_id": organisation_id,
                    "job_id": job.id,
                    "number": number,
                    "rows": [dataclasses.asdict(row) for row in rows[first : first + BATCH_SIZE]],
                }
                for batch_id, (number, first) in zip(
                    new_ids(len(range(0, len(rows), BATCH_SIZE))),
                    enumerate(range(0, len(rows), BATCH_SIZE)),
                    strict=True,
                )
            ],
        )
    return job


class LeaseLost(Exception):
    """The job is no longer this worker's: its lease ran out and another worker took it."""


def describe(exc: BaseException) -> str:
    """The exception as a person reads it: its type, and its message's first line if any."""
    lines = str(exc).strip().splitlines()
    return type(exc).__name__ + (f": {lines[0][:300]}" if lines else "")


def actor_of_job(job: ImportJob) -> audit.Actor:
    return audit.Actor(
        user_id=job.actor_user_id,
        api_key_id=job.created_by_api_key_id,
        on_behalf_of_user_id=job.on_behalf_of_user_id,
        ip_address=job.ip_address,
    )


def run(
    engine: sa.Engine,
    job_id: uuid.UUID,
    *,
    worker: str,
    lease: timedelta,
    stopping: threading.Event | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportJob:
    """Applies the job's waiting batches in order for the worker that claimed it. Each batch,
    the removal of its stored rows and the job's progress (with a renewed lease) commit
    together, so a job taken over after a crash never applies a batch twice. A batch that
    fails rolls back alone and ends the job, saying which rows it held and why. Raises
    LeaseLost when another worker has taken the job over."""
    with read_session(engine) as session:
        job = session.get(ImportJob, job_id)
        actor, organisation_id, vacancy_id = actor_of_job(job), job.organisation_id, job.vacancy_id
    while True:
        if stopping is not None and stopping.is_set():
            release(engine, job_id, worker=worker)
            return _finished(engine, job_id)
        lines = None
        try:
            with write_session(engine) as session:
                audit.act_as(session, actor)
                _renew(session, job_id, worker=worker, lease=lease)
                batch = session.exec(
                    select(ImportJobBatch)
                    .where(ImportJobBatch.job_id == job_id)
                    .order_by(ImportJobBatch.number)
                    .limit(1)
                ).first()
                if batch is None:
                    _succeed(session, job_id, organisation_id)
                    break
                # Its deletion is the claim on the batch: of two workers, one deletes it.
                gone = session.execute(
                    sa.delete(ImportJobBatch).where(ImportJobBatch.id == batch.id)
                ).rowcount
                if gone != 1:
                    raise LeaseLost
                rows = [CandidateRow(**row) for row in batch.rows]
                lines = (rows[0].line, rows[-1].line) if rows else (0, 0)
                vacancy = session.get(Vacancy, vacancy_id) if vacancy_id else None
                save_rows(session, organisation_id=organisation_id, rows=rows, vacancy=vacancy)
                session.execute(
                    sa.update(ImportJob)
                    .where(ImportJob.id == job_id)
                    .values(processed=ImportJob.processed + len(rows))
                )
        except LeaseLost:
            raise
        except Exception as exc:
            where = (
                f"rows {lines[0]}-{lines[1]} were rolled back and the rest not tried: "
                if lines
                else ""
            )
            fail(engine, job_id, reason=where + describe(exc))
            return _finished(engine, job_id)
        if progress:
            with read_session(engine) as session:
                job = session.get(ImportJob, job_id)
                progress(job.processed, job.total)
    return _finished(engine, job_id)


def _renew(session: Session, job_id: uuid.UUID, *, worker: str, lease: timedelta) -> None:
    """Extends the worker's lease, first in the transaction: on PostgreSQL the row stays
    locked until it commits, so no other worker can take the job over meanwhile."""
    held = session.execute(
        sa.update(ImportJob)
        .where(
            ImportJob.id == job_id,
            ImportJob.claimed_by == worker,
            ImportJob.status == ImportStatus.RUNNING,
        )
        .values(lease_until=utcnow() + lease)
    ).rowcount
    if held != 1:
        raise LeaseLost


def _succeed(session: Session, job_id: uuid.UUID, organisation_id: uuid.UUID) -> None:
    job = session.get(ImportJob, job_id)
    job.status = ImportStatus.SUCCEEDED
    job.finished_at = utcnow()
    job.lease_until = None
    session.add(job)
    audit.record(
        session,
        organisation_id=organisation_id,
        action="candidates.imported",
        object_type="import_job",
        object_id=job.id,
        details={"rows": job.processed},
    )


def fail(engine: sa.Engine, job_id: uuid.UUID, *, reason: str) -> None:
    """Ends the job as failed with the reason; its rows not yet applied are dropped (a failed
    job is not resumed, and they are candidates' data)."""
    with write_session(engine) as session:
        job = session.get(ImportJob, job_id)
        if job is None or job.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED):
            return
        job.status = ImportStatus.FAILED
        job.error = reason[:2000]
        job.finished_at = utcnow()
        job.lease_until = None
        session.add(job)
        session.execute(sa.delete(ImportJobBatch).where(ImportJobBatch.job_id == job_id))
    logger.warning("import job %s failed: %s", job_id, reason)


def release(engine: sa.Engine, job_id: uuid.UUID, *, worker: str) -> None:
    """A worker stopping cleanly gives its job back at once (and the stop does not count as
    an attempt): the next worker resumes it without waiting for the lease to run out."""
    with write_session(engine) as session:
        session.execute(
            sa.update(ImportJob)
            .where(
                ImportJob.id == job_id,
                ImportJob.claimed_by == worker,
                ImportJob.status == ImportStatus.RUNNING,
            )
            .values(
                status=ImportStatus.QUEUED,
                claimed_by="",
                lease_until=None,
                attempts=ImportJob.attempts - 1,
            )
        )


def _finished(engine: sa.Engine, job_id: uuid.UUID) -> ImportJob:
    with read_session(engine) as session:
        return session.get(ImportJob, job_id)
