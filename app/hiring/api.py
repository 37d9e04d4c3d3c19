"""REST operations on vacancies, candidates, applications and interviewer assignments, with
cursor pagination and `updated_since` so an ATS can sync without missing a change (see
app/api/pagination.py for what the cursor guarantees).
Moving an application is a person's decision: POST /applications/{id}/decisions."""

import dataclasses
import json
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import select

from app import audit
from app.api.contract import RawBody
from app.api.pagination import DEFAULT_PAGE_SIZE, Cursor, Limit, Page, UpdatedSince, paginate
from app.api.problems import PROBLEM_RESPONSES
from app.db import read_session
from app.deps import ApiCaller, DbSession, OnBehalfOf, require_scope
from app.errors import NotFound
from app.hiring import bulk, export, service
from app.hiring.comparison import comparison_page
from app.hiring.schemas import (
    ApplicationIn,
    ApplicationOut,
    AssignmentIn,
    AssignmentOut,
    CandidateIn,
    CandidateOut,
    CandidatePatch,
    RankedApplicationOut,
    RankingOut,
    VacancyIn,
    VacancyOut,
    VacancyPatch,
)
from app.models import (
    Application,
    Candidate,
    ImportJob,
    ImportStatus,
    Locale,
    Stage,
    User,
    Vacancy,
    VacancyStatus,
)
from app.ownership import owned
from app.rubrics.service import profile_by_id

router = APIRouter()
VacancyReader = Annotated[ApiCaller, require_scope("vacancies:read")]
VacancyWriter = Annotated[ApiCaller, require_scope("vacancies:write")]
CandidateReader = Annotated[ApiCaller, require_scope("candidates:read")]
CandidateWriter = Annotated[ApiCaller, require_scope("candidates:write")]
ERRORS = {status: PROBLEM_RESPONSES[status] for status in (401, 403, 404, 422)}
WRITE_ERRORS = {**ERRORS, 409: PROBLEM_RESPONSES[409]}


def _record(
    db: DbSession, caller: ApiCaller, action: str, object_type: str, object_id: uuid.UUID
) -> None:
    audit.record_call(db, caller, action=action, object_type=object_type, object_id=object_id)


# --- vacancies ---------------------------------------------------------------------------------


@router.get("/vacancies", tags=["vacancies"], responses=ERRORS)
def list_vacancies(
    db: DbSession,
    caller: VacancyReader,
    status: VacancyStatus | None = None,
    updated_since: UpdatedSince = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
) -> Page[VacancyOut]:
    """The organisation's vacancies in sync order (oldest committed change first)."""
    query = select(Vacancy).where(Vacancy.organisation_id == caller.organisation.id)
    if status is not None:
        query = query.where(Vacancy.status == status)
    rows, next_cursor, more = paginate(
        db,
        query,
        Vacancy,
        list_name="vacancies",
        filters={"status": status},
        cursor=cursor,
        limit=limit,
        updated_since=updated_since,
    )
    return Page(
        items=[VacancyOut.model_validate(row, from_attributes=True) for row in rows],
        next_cursor=next_cursor,
        has_more=more,
    )


@router.post("/vacancies", tags=["vacancies"], status_code=201, responses=WRITE_ERRORS)
def create_vacancy(
    body: VacancyIn, db: DbSession, caller: VacancyWriter, user: OnBehalfOf
) -> VacancyOut:
    """Opens a vacancy for a role profile; it keeps the profile's current version."""
    stored = profile_by_id(
        db, organisation_id=caller.organisation.id, profile_id=body.role_profile_id
    )
    vacancy = service.open_vacancy(
        db,
        stored=stored,
        organisation_id=caller.organisation.id,
        title=body.title,
        locale=body.locale,
        status=body.status,
        owner=user,
    )
    _record(db, caller, "vacancy.created", "vacancy", vacancy.id)
    return VacancyOut.model_validate(vacancy, from_attributes=True)


def vacancy_of_caller(vacancy_id: uuid.UUID, db: DbSession, caller: VacancyReader) -> Vacancy:
    return service.vacancy_by_id(db, organisation_id=caller.organisation.id, vacancy_id=vacancy_id)


CallerVacancy = Annotated[Vacancy, Depends(vacancy_of_caller)]


@router.get("/vacancies/{vacancy_id}", tags=["vacancies"], responses=ERRORS)
def get_vacancy(vacancy: CallerVacancy) -> VacancyOut:
    """One vacancy."""
    return VacancyOut.model_validate(vacancy, from_attributes=True)


@router.patch("/vacancies/{vacancy_id}", tags=["vacancies"], responses=WRITE_ERRORS)
def update_vacancy(
    vacancy: CallerVacancy,
    body: VacancyPatch,
    db: DbSession,
    caller: VacancyWriter,
    user: OnBehalfOf,
) -> VacancyOut:
    """Renames the vacancy or changes its status (open, on hold, closed)."""
    service.update_vacancy(db, vacancy=vacancy, title=body.title, status=body.status)
    _record(db, caller, "vacancy.updated", "vacancy", vacancy.id)
    return VacancyOut.model_validate(vacancy, from_attributes=True)


# --- candidates --------------------------------------------------------------------------------


def _candidate_out(candidate: Candidate) -> CandidateOut:
    return CandidateOut.model_validate(candidate, from_attributes=True)


@router.get("/candidates", tags=["candidates"], responses=ERRORS)
def list_candidates(
    db: DbSession,
    caller: CandidateReader,
    external_id: Annotated[str | None, Query(max_length=200)] = None,
    updated_since: UpdatedSince = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
) -> Page[CandidateOut]:
    """The organisation's candidates in sync order (oldest committed change first); by your
    ATS's id with external_id."""
    query = select(Candidate).where(
        Candidate.organisation_id == caller.organisation.id, Candidate.erased_at.is_(None)
    )
    if external_id is not None:
        query = query.where(Candidate.external_id == external_id)
    rows, next_cursor, more = paginate(
        db,
        query,
        Candidate,
        list_name="candidates",
        filters={"external_id": external_id},
        cursor=cursor,
        limit=limit,
        updated_since=updated_since,
    )
    return Page(items=[_candidate_out(row) for row in rows], next_cursor=next_cursor, has_more=more)


@router.post("/candidates", tags=["candidates"], status_code=201, responses=WRITE_ERRORS)
def create_candidate(
    body: CandidateIn, db: DbSession, caller: CandidateWriter, user: OnBehalfOf
) -> CandidateOut:
    """Adds a candidate; external_id (your ATS's id) is unique in the organisation."""
    service.ensure_external_id_free(
        db, organisation_id=caller.organisation.id, external_id=body.external_id
    )
    candidate = service.create_candidate(
        db,
        organisation_id=caller.organisation.id,
        **body.model_dump(exclude={"profile"}, exclude_none=False) | {"email": body.email or ""},
        profile=body.profile.model_dump(exclude_none=True, mode="json"),
    )
    _record(db, caller, "candidate.created", "candidate", candidate.id)
    return _candidate_out(candidate)


def candidate_of_caller(
    candidate_id: uuid.UUID, db: DbSession, caller: CandidateReader
) -> Candidate:
    candidate = service.candidate_by_id(
        db, organisation_id=caller.organisation.id, candidate_id=candidate_id
    )
    if candidate.erased_at is not None:
        raise NotFound("no such candidate")
    return candidate


CallerCandidate = Annotated[Candidate, Depends(candidate_of_caller)]


@router.get("/candidates/{candidate_id}", tags=["candidates"], responses=ERRORS)
def get_candidate(
    candidate: CallerCandidate, db: DbSession, caller: CandidateReader
) -> CandidateOut:
    """One candidate."""
    _record(db, caller, "candidate.read", "candidate", candidate.id)
    return _candidate_out(candidate)


@router.patch("/candidates/{candidate_id}", tags=["candidates"], responses=WRITE_ERRORS)
def update_candidate(
    candidate: CallerCandidate,
    body: CandidatePatch,
    db: DbSession,
    caller: CandidateWriter,
    user: OnBehalfOf,
) -> CandidateOut:
    """Changes the fields given; a new profile replaces the old one and rescores screening."""
    fields = body.model_dump(exclude_unset=True)
    if "external_id" in fields:
        service.ensure_external_id_free(
            db,
            organisation_id=caller.organisation.id,
            external_id=body.external_id,
            candidate_id=candidate.id,
        )
    if "profile" in fields:
        fields["profile"] = (
            body.profile.model_dump(exclude_none=True, mode="json") if body.profile else {}
        )
    if "email" in fields:
        fields["email"] = body.email or ""
    service.update_candidate(db, candidate=candidate, **fields)
    _record(db, caller, "candidate.updated", "candidate", candidate.id)
    return _candidate_out(candidate)


# --- applications ------------------------------------------------------------------------------


def _application_out(application: Application) -> ApplicationOut:
    return ApplicationOut.model_validate(application, from_attributes=True)


@router.get("/applications", tags=["applications"], responses=ERRORS)
def list_applications(
    db: DbSession,
    caller: CandidateReader,
    vacancy_id: uuid.UUID | None = None,
    candidate_id: uuid.UUID | None = None,
    stage: Stage | None = None,
    updated_since: UpdatedSince = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
) -> Page[ApplicationOut]:
    """Applications in sync order (oldest committed change first; a stage change is a change);
    filter by vacancy, candidate or stage."""
    query = select(Application).where(Application.organisation_id == caller.organisation.id)
    for column, value in (
        (Application.vacancy_id, vacancy_id),
        (Application.candidate_id, candidate_id),
        (Application.stage, stage),
    ):
        if value is not None:
            query = query.where(column == value)
    rows, next_cursor, more = paginate(
        db,
        query,
        Application,
        list_name="applications",
        filters={"vacancy_id": vacancy_id, "candidate_id": candidate_id, "stage": stage},
        cursor=cursor,
        limit=limit,
        updated_since=updated_since,
    )
    return Page(
        items=[_application_out(row) for row in rows], next_cursor=next_cursor, has_more=more
    )


@router.post("/applications", tags=["applications"], status_code=201, responses=WRITE_ERRORS)
def create_application(
    body: ApplicationIn, db: DbSession, caller: CandidateWriter, user: OnBehalfOf
) -> ApplicationOut:
    """The candidate applies to the vacancy (once per pair: 409 the second time)."""
    organisation_id = caller.organisation.id
    vacancy = service.vacancy_by_id(db, organisation_id=organisation_id, vacancy_id=body.vacancy_id)
    candidate = service.candidate_by_id(
        db, organisation_id=organisation_id, candidate_id=body.candidate_id
    )
    application = service.create_application(db, vacancy=vacancy, candidate=candidate)
    _record(db, caller, "application.created", "application", application.id)
    return _application_out(application)


def application_of_caller(
    application_id: uuid.UUID, db: DbSession, caller: CandidateReader
) -> Application:
    return service.application_by_id(
        db, organisation_id=caller.organisation.id, application_id=application_id
    )


CallerApplication = Annotated[Application, Depends(application_of_caller)]


@router.get("/applications/{application_id}", tags=["applications"], responses=ERRORS)
def get_application(application: CallerApplication) -> ApplicationOut:
    """One application and its stage."""
    return _application_out(application)


@router.post(
    "/applications/{application_id}/assignments",
    tags=["applications"],
    status_code=201,
    responses=WRITE_ERRORS,
)
def assign(
    application: CallerApplication,
    body: AssignmentIn,
    db: DbSession,
    caller: CandidateWriter,
    user: OnBehalfOf,
) -> AssignmentOut:
    """Asks an interviewer to assess the application at a stage (the same again is no-op)."""
    interviewer = db.get(User, body.user_id)
    if interviewer is None or interviewer.organisation_id != caller.organisation.id:
        raise NotFound("no such user", field="user_id")
    assignment = service.assign_interviewer(
        db, application=application, interviewer=interviewer, stage=body.stage, assigned_by=user
    )
    _record(db, caller, "application.assigned", "application", application.id)
    return AssignmentOut.model_validate(assignment, from_attributes=True)


# --- bulk import -------------------------------------------------------------------------------


class ImportProblem(BaseModel):
    row: int = Field(description="The CSV line (the header is line 1), or the JSON item from 1.")
    field: str
    detail: str


class ImportReport(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "rows": 120,
                    "valid": False,
                    "problems": [{"row": 7, "field": "email", "detail": "not an e-mail address"}],
                }
            ]
        }
    )

    rows: int
    valid: bool
    problems: list[ImportProblem]


class ImportJobOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "01965f40-5162-7374-8f80-910213243546",
                    "status": "succeeded",
                    "vacancy_id": "01965f3b-0c1d-7e2f-8a3b-4c5d6e7f8091",
                    "total": 2500,
                    "processed": 2500,
                    "batch_size": 1000,
                    "error": "",
                    "attempts": 1,
                    "created_at": "2025-03-14T09:00:00Z",
                    "finished_at": "2025-03-14T09:00:41Z",
                }
            ]
        }
    )

    id: uuid.UUID
    status: ImportStatus
    vacancy_id: uuid.UUID | None
    total: int
    processed: int
    batch_size: int
    error: str = Field(
        description="Why the job failed: which batch was rolled back and the cause; empty "
        "unless the status is failed."
    )
    attempts: int = Field(
        description="How many times a worker took the job up (0 while it waits for the first); "
        "more than 1 means it was resumed "
        "where it stopped after its server stopped or died (no batch is applied twice).",
    )
    created_at: datetime
    finished_at: datetime | None


IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {
                "schema": {"type": "string"},
                "example": "full_name,email,years_in_smm,platforms,external_id\n"
                "Вера Кандидатова,vera@example.org,3,vk;telegram,ats-17\n",
            },
            "application/json": {
                # A reference: an inlined model schema would carry "#/$defs/..." references,
                # which resolve against the whole document and find nothing there.
                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/CandidateIn"}},
                "example": [{"full_name": "Вера Кандидатова", "external_id": "ats-17"}],
            },
        },
    }
}


@router.post(
    "/imports",
    tags=["candidates"],
    responses={
        **WRITE_ERRORS,
        200: {"model": ImportReport, "description": "The dry run's report (dry_run=true)"},
        202: {"model": ImportJobOut, "description": "The job started"},
    },
    openapi_extra=IMPORT_BODY,
)
def import_candidates(
    request: Request,
    db: DbSession,
    caller: CandidateWriter,
    body: RawBody,
    vacancy_id: uuid.UUID | None = None,
    dry_run: bool = False,
) -> Response:
    """Imports up to 100,000 candidates from CSV (text/csv) or JSON (application/json), and
    applies them to the vacancy when one is given. `dry_run=true` checks every row and reports
    each bad one, saving nothing. Otherwise every row is checked first (422 with the same
    report if any is bad), then a job applies them in batches of 1,000, each all or nothing:
    follow it at the Location given (202)."""
    organisation_id = caller.organisation.id
    vacancy = (
        service.vacancy_by_id(db, organisation_id=organisation_id, vacancy_id=vacancy_id)
        if vacancy_id
        else None
    )
    reading = bulk.read(body, request.headers.get("content-type", "text/csv"))
    problems = reading.problems + bulk.taken_external_ids(
        db, organisation_id=organisation_id, rows=reading.rows
    )
    if not reading.rows and not problems:
        problems = [bulk.RowProblem(0, "file", "no candidates in the body")]
    report = ImportReport(
        rows=len(reading.rows) + len({p.row for p in problems if p.row}),
        valid=not problems,
        problems=[ImportProblem(**p.__dict__) for p in problems],
    )
    if dry_run:
        return JSONResponse(report.model_dump(mode="json"))
    if problems:
        raise bulk.RowsInvalid(problems)
    # The rows are stored with the job: the job outlives this process. It acts as the
    # request did (the key, the person it acts for, the address) in its audit events.
    job = bulk.start(
        db,
        organisation_id=organisation_id,
        vacancy=vacancy,
        rows=reading.rows,
        actor=audit.actor_of(db),
    )
    # Committed before a worker looks for it.
    db.commit()
    runner = getattr(request.app.state, "job_runner", None)
    if runner is not None:
        runner.wake()
    location = request.url_for("api.import_job", job_id=job.id).path
    return JSONResponse(
        ImportJobOut.model_validate(job, from_attributes=True).model_dump(mode="json"),
        status_code=202,
        headers={"Location": location},
    )


@router.get("/imports/{job_id}", tags=["candidates"], responses=ERRORS)
def import_job(job_id: uuid.UUID, db: DbSession, caller: CandidateReader) -> ImportJobOut:
    """An import's progress: rows of the committed batches, and why it stopped if it failed.
    A job whose server stops or dies is resumed by another (`attempts` counts the workers
    that took it up) or, after three tries, failed with that reason: it never stays running."""
    job = owned(db, ImportJob, job_id, organisation_id=caller.organisation.id, name="import")
    return ImportJobOut.model_validate(job, from_attributes=True)


# --- export ------------------------------------------------------------------------------------

ReportReader = Annotated[ApiCaller, require_scope("reports:read")]


@router.get(
    "/vacancies/{vacancy_id}/export",
    tags=["reports"],
    response_class=Response,
    responses={
        **ERRORS,
        200: {
            "description": "The applications, streamed",
            "content": {
                "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
                "text/csv": {"schema": {"type": "string"}},
            },
        },
    },
)
def export_applications(
    request: Request,
    vacancy_id: uuid.UUID,
    db: DbSession,
    caller: ReportReader,
    format: Literal["json", "csv"] = "json",
    locale: Locale = Locale.RU,
) -> Response:
    """Every application of the vacancy with its candidate, stage, screening and panel scores
    with their explanations (each criterion's rating, weight and points), and, in JSON, its
    scorecards in the common ATS form."""
    vacancy = service.vacancy_by_id(
        db, organisation_id=caller.organisation.id, vacancy_id=vacancy_id
    )
    engine = request.app.state.engine
    audit.record_call(
        db,
        caller,
        action="applications.exported",
        object_type="vacancy",
        object_id=vacancy.id,
        details={"format": format},
    )

    def records() -> Iterator[dict]:
        # Streamed after the request's session has closed: the export reads in its own.
        with read_session(engine) as session:
            yield from export.applications(session, session.get(Vacancy, vacancy.id), locale.value)

    if format == "csv":
        body = export.as_csv(records())
        media = "text/csv; charset=utf-8"
    else:
        body = _json_array(records())
        media = "application/json"
    return StreamingResponse(
        body,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="applications-{vacancy.id}.{format}"'
        },
    )


@router.get("/vacancies/{vacancy_id}/ranking", tags=["reports"], responses=ERRORS)
def vacancy_ranking(
    vacancy_id: uuid.UUID,
    db: DbSession,
    caller: ReportReader,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=1_000)] = DEFAULT_PAGE_SIZE,
) -> RankingOut:
    """The vacancy's applications in the order of the ranking policy: those who meet every
    must-have and are not provisional first, by total; then provisional or incomplete ones;
    then those who do not meet a must-have, whatever their total. Only the first group has a
    quality band. Scores inform people; they decide nothing."""
    vacancy = service.vacancy_by_id(
        db, organisation_id=caller.organisation.id, vacancy_id=vacancy_id
    )
    rows = comparison_page(db, vacancy, offset=offset, limit=limit)
    return RankingOut(
        vacancy_id=vacancy.id,
        count=service.application_count(db, vacancy_id=vacancy.id),
        offset=offset,
        items=[
            RankedApplicationOut.model_validate(
                {**dataclasses.asdict(row), "group": row.group.name.lower()}
            )
            for row in rows
        ],
    )


def _json_array(records: Iterator[dict]) -> Iterator[str]:
    yield "["
    for number, record in enumerate(records):
        yield ("," if number else "") + json.dumps(record, ensure_ascii=False)
    yield "]"
