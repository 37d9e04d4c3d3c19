"""Bulk import of candidates (and their applications to a vacancy) from CSV or JSON, up to
100,000 rows: every row checked first (a dry run reports each bad one), then applied in
batches, each all or nothing, with progress kept in an ImportJob."""

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from pydantic import TypeAdapter, ValidationError
from sqlmodel import Session, SQLModel, select

from app import audit
from app.db import write_session
from app.errors import Conflict, InvalidInput, NotFound
from app.hiring.csv_import import CandidateRow, read_candidates
from app.hiring.schemas import CandidateIn
from app.i18n import gettext_for
from app.models import (
    Application,
    AuditEvent,
    Candidate,
    ImportJob,
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
    total: int,
    api_key_id: uuid.UUID | None,
) -> ImportJob:
    job = ImportJob(
        organisation_id=organisation_id,
        vacancy_id=vacancy.id if vacancy else None,
        total=total,
        batch_size=BATCH_SIZE,
        created_by_api_key_id=api_key_id,
    )
    session.add(job)
    session.flush()
    return job


def apply(
    engine: sa.Engine,
    job_id: uuid.UUID,
    rows: list[CandidateRow],
    progress: Callable[[int, int], None] | None = None,
) -> ImportJob:
    """Applies the rows batch by batch; each batch and the job's progress commit together.
    A batch that fails rolls back alone and ends the job, saying which rows it held."""
    with write_session(engine) as session:
        job = session.get(ImportJob, job_id)
        job.status = ImportStatus.RUNNING
        organisation_id, vacancy_id, size = job.organisation_id, job.vacancy_id, job.batch_size
    for first in range(0, len(rows), size):
        batch = rows[first : first + size]
        try:
            with write_session(engine) as session:
                vacancy = session.get(Vacancy, vacancy_id) if vacancy_id else None
                save_rows(session, organisation_id=organisation_id, rows=batch, vacancy=vacancy)
                job = session.get(ImportJob, job_id)
                job.processed = first + len(batch)
        except Exception as exc:  # noqa: BLE001  (the job records why it stopped)
            with write_session(engine) as session:
                job = session.get(ImportJob, job_id)
                job.status = ImportStatus.FAILED
                job.error = (
                    f"rows {batch[0].line}-{batch[-1].line} were rolled back and the rest not "
                    f"tried: {type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
                )
                job.finished_at = utcnow()
            return _finished(engine, job_id)
        if progress:
            progress(first + len(batch), len(rows))
    with write_session(engine) as session:
        job = session.get(ImportJob, job_id)
        job.status = ImportStatus.SUCCEEDED
        job.finished_at = utcnow()
        audit.record(
            session,
            organisation_id=organisation_id,
            action="candidates.imported",
            object_type="import_job",
            object_id=job.id,
            actor_api_key_id=job.created_by_api_key_id,
            details={"rows": job.processed},
        )
    return _finished(engine, job_id)


def _finished(engine: sa.Engine, job_id: uuid.UUID) -> ImportJob:
    with write_session(engine) as session:
        return session.get(ImportJob, job_id)


def apply_in_background(engine: sa.Engine, job_id: uuid.UUID, rows: list[CandidateRow]) -> None:
    threading.Thread(target=apply, args=(engine, job_id, rows), name="import", daemon=True).start()
