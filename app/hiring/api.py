"""REST operations on vacancies, candidates, applications and interviewer assignments, with
cursor pagination and `updated_since` so an ATS can sync without missing or repeating rows.
Moving an application is a person's decision: POST /applications/{id}/decisions."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlmodel import select

from app import audit
from app.api.pagination import DEFAULT_PAGE_SIZE, Cursor, Limit, Page, UpdatedSince, paginate
from app.api.problems import PROBLEM_RESPONSES
from app.deps import ApiCaller, DbSession, OnBehalfOf, require_scope
from app.errors import NotFound
from app.hiring import service
from app.hiring.schemas import (
    ApplicationIn,
    ApplicationOut,
    AssignmentIn,
    AssignmentOut,
    CandidateIn,
    CandidateOut,
    CandidatePatch,
    VacancyIn,
    VacancyOut,
    VacancyPatch,
)
from app.models import Application, Candidate, Stage, User, Vacancy, VacancyStatus
from app.rubrics.service import profile_by_id

router = APIRouter()
VacancyReader = Annotated[ApiCaller, require_scope("vacancies:read")]
VacancyWriter = Annotated[ApiCaller, require_scope("vacancies:write")]
CandidateReader = Annotated[ApiCaller, require_scope("candidates:read")]
CandidateWriter = Annotated[ApiCaller, require_scope("candidates:write")]
ERRORS = {status: PROBLEM_RESPONSES[status] for status in (401, 403, 404, 422)}
WRITE_ERRORS = {**ERRORS, 409: PROBLEM_RESPONSES[409]}


def _record(
    db: DbSession,
    caller: ApiCaller,
    user: User | None,
    action: str,
    object_type: str,
    object_id: uuid.UUID,
) -> None:
    audit.record(
        db,
        organisation_id=caller.organisation.id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        actor_api_key_id=caller.api_key.id,
        on_behalf_of_user_id=user.id if user else None,
    )


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
    """The organisation's vacancies, oldest change first."""
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
    _record(db, caller, user, "vacancy.created", "vacancy", vacancy.id)
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
    _record(db, caller, user, "vacancy.updated", "vacancy", vacancy.id)
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
    """The organisation's candidates, oldest change first; by your ATS's id with external_id."""
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
    _record(db, caller, user, "candidate.created", "candidate", candidate.id)
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
def get_candidate(candidate: CallerCandidate) -> CandidateOut:
    """One candidate."""
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
    _record(db, caller, user, "candidate.updated", "candidate", candidate.id)
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
    """Applications, oldest change first (a stage change is a change); filter by vacancy,
    candidate or stage."""
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
    _record(db, caller, user, "application.created", "application", application.id)
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
    _record(db, caller, user, "application.assigned", "application", application.id)
    return AssignmentOut.model_validate(assignment, from_attributes=True)
