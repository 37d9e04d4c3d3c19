"""Pages for recruiters: vacancies with their pipeline, candidates (with CSV import), an
application's page with its scores and decisions, and the comparison of candidates."""

import base64
import uuid
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from sqlmodel import Session, or_, select

from app import audit
from app.db import read_session
from app.deps import CurrentUser, DbSession, require_role
from app.errors import AppError, NotFound
from app.hiring import bulk, csv_import, service
from app.hiring.comparison import SORTABLE, TRAITS, comparison_csv, comparison_page, ranked_rows
from app.hiring.csv_import import CsvReading, Message, read_candidates
from app.i18n import N_
from app.models import (
    Application,
    ApplicationScore,
    Candidate,
    Decision,
    RoleProfile,
    ScorecardStatus,
    ScoreKind,
    Stage,
    StageDecision,
    User,
    UserRole,
    Vacancy,
    VacancyStatus,
)
from app.postings.service import postings_of_vacancy
from app.privacy.service import retention_of
from app.rubrics import service as library
from app.scorecards.service import ratings_of, visible_scorecards
from app.scoring.service import explain
from app.web.charts import radar_axes, radar_points
from app.web.pages import CsrfChecked, render

router = APIRouter(include_in_schema=False)
Recruiter = Annotated[User, require_role(UserRole.ADMIN, UserRole.HR, UserRole.RECRUITER)]
PIPELINE = list(Stage)
BOARD_CARDS_PER_STAGE = 50
COMPARISON_PAGE_SIZE = 100


def _to(request: Request, name: str, **params: Any) -> RedirectResponse:
    return RedirectResponse(request.url_for(name, **params).path, status_code=303)


def _record(db: Session, user: User, action: str, object_type: str, object_id: uuid.UUID) -> None:
    audit.record(
        db,
        organisation_id=user.organisation_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        actor_user_id=user.id,
    )


# --- vacancies ---------------------------------------------------------------------------------


@router.get("/vacancies", name="vacancies")
def vacancies(request: Request, db: DbSession, user: Recruiter) -> Response:
    """Lists the vacancies with how many applications stand at each stage."""
    rows = db.exec(
        select(Vacancy)
        .where(Vacancy.organisation_id == user.organisation_id)
        .order_by(Vacancy.status, Vacancy.created_at.desc())
    ).all()
    counts = service.stage_counts(db, organisation_id=user.organisation_id)
    return render(
        request, "vacancies/index.html", user=user, vacancies=rows, counts=counts, pipeline=PIPELINE
    )


@router.get("/vacancies/new", name="new_vacancy")
def new_vacancy_form(
    request: Request, db: DbSession, user: Recruiter, profile: uuid.UUID | None = None
) -> Response:
    """Opens a vacancy from a role profile."""
    return _vacancy_form(request, db, user, values={"profile": str(profile or ""), "title": ""})


def _vacancy_form(
    request: Request,
    db: Session,
    user: User,
    *,
    values: dict,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    profiles = library.visible_profiles(db, organisation_id=user.organisation_id)
    return render(
        request,
        "vacancies/new.html",
        user=user,
        profiles=profiles,
        values=values,
        error=error,
        status_code=status_code,
    )


@router.post("/vacancies/new", dependencies=[CsrfChecked])
def create_vacancy(
    request: Request,
    db: DbSession,
    user: Recruiter,
    profile: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
) -> Response:
    """Opens the vacancy with the profile's latest version, which it keeps."""
    values = {"profile": profile, "title": title}
    try:
        stored = library.profile_by_id(
            db, organisation_id=user.organisation_id, profile_id=uuid.UUID(profile)
        )
    except (ValueError, NotFound):
        return _vacancy_form(
            request,
            db,
            user,
            values=values,
            status_code=400,
            error=N_("Choose the role profile the vacancy is for."),
        )
    vacancy = service.open_vacancy(
        db, stored=stored, organisation_id=user.organisation_id, title=title, owner=user
    )
    _record(db, user, "vacancy.created", "vacancy", vacancy.id)
    return _to(request, "vacancy", vacancy_id=vacancy.id)


@router.get("/vacancies/{vacancy_id}", name="vacancy")
def vacancy_page(
    request: Request,
    vacancy_id: uuid.UUID,
    db: DbSession,
    user: Recruiter,
    stage: Annotated[Stage | None, Query()] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    """The pipeline: applications by stage, with their scores, and interviewer assignment."""
    vacancy = service.vacancy_by_id(db, organisation_id=user.organisation_id, vacancy_id=vacancy_id)
    # A column shows BOARD_CARDS_PER_STAGE cards; the rest are a page away in that column.
    pipeline = service.board(
        db, vacancy=vacancy, per_stage=BOARD_CARDS_PER_STAGE, stage=stage, page=page
    )
    interviewers = db.exec(
        select(User)
        .where(User.organisation_id == user.organisation_id, User.is_active.is_(True))
        .order_by(User.full_name)
    ).all()
    profile = db.get(RoleProfile, vacancy.role_profile_id)
    return render(
        request,
        "vacancies/detail.html",
        user=user,
        vacancy=vacancy,
        board=pipeline.cards,
        stage_totals=pipeline.totals,
        stage_pages=pipeline.pages,
        per_stage=BOARD_CARDS_PER_STAGE,
        postings=postings_of_vacancy(db, vacancy_id=vacancy.id),
        interviewers=interviewers,
        profile=profile,
        count=sum(pipeline.totals.values()),
    )


@router.post("/vacancies/{vacancy_id}/assign", name="assign_many", dependencies=[CsrfChecked])
def assign_many(
    request: Request,
    vacancy_id: uuid.UUID,
    db: DbSession,
    user: Recruiter,
    interviewer: Annotated[uuid.UUID, Form()],
    stage: Annotated[Stage, Form()],
    applications: Annotated[list[uuid.UUID], Form()] = (),
) -> Response:
    """Assigns the interviewer to every ticked application of the vacancy at the stage."""
    vacancy = service.vacancy_by_id(db, organisation_id=user.organisation_id, vacancy_id=vacancy_id)
    person = db.get(User, interviewer)
    if person is None or person.organisation_id != user.organisation_id:
        raise NotFound("no such user")
    for application_id in applications:
        application = service.visible_application(db, user=user, application_id=application_id)
        if application.vacancy_id == vacancy.id:
            service.assign_interviewer(
                db, application=application, interviewer=person, stage=stage, assigned_by=user
            )
            _record(db, user, "application.assigned", "application", application.id)
    return _to(request, "vacancy", vacancy_id=vacancy.id)


@router.get("/vacancies/{vacancy_id}/compare", name="compare")
def compare(
    request: Request,
    vacancy_id: uuid.UUID,
    db: DbSession,
    user: Recruiter,
    sort: str = "rank",
    desc: bool = False,
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    """Candidates side by side: sections, must-haves, coverage, disagreement, pictures; a
    hundred a page, in the ranking policy's order unless sorted by another column."""
    vacancy = service.vacancy_by_id(db, organisation_id=user.organisation_id, vacancy_id=vacancy_id)
    count = service.application_count(db, vacancy_id=vacancy.id)
    pages = max(1, -(-count // COMPARISON_PAGE_SIZE))
    page = min(page, pages)
    rows = comparison_page(
        db,
        vacancy,
        sort=sort,
        descending=desc,
        offset=(page - 1) * COMPARISON_PAGE_SIZE,
        limit=COMPARISON_PAGE_SIZE,
    )
    return render(
        request,
        "vacancies/compare.html",
        user=user,
        vacancy=vacancy,
        rows=rows,
        sort=sort,
        desc=desc,
        sortable=SORTABLE,
        traits=TRAITS,
        radar_points=radar_points,
        radar_axes=radar_axes(len(TRAITS)),
        page=page,
        pages=pages,
        total_rows=count,
    )


@router.get("/vacancies/{vacancy_id}/compare.csv", name="compare_csv")
def compare_export(
    request: Request, vacancy_id: uuid.UUID, db: DbSession, user: Recruiter
) -> Response:
    """The comparison as a CSV file, streamed in the policy's order."""
    vacancy = service.vacancy_by_id(db, organisation_id=user.organisation_id, vacancy_id=vacancy_id)
    engine = request.app.state.engine

    def body() -> Iterator[str]:
        # Streamed after the request's session has closed: the file reads in its own.
        with read_session(engine) as session:
            yield from comparison_csv(ranked_rows(session, session.get(Vacancy, vacancy.id)))

    return StreamingResponse(
        body(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="comparison-{vacancy.id}.csv"'},
    )


# --- candidates --------------------------------------------------------------------------------

CANDIDATE_SORTS = {
    "name": Candidate.full_name,
    "created": Candidate.created_at,
    "updated": Candidate.updated_at,
}


@router.get("/candidates", name="candidates")
def candidates(
    request: Request,
    db: DbSession,
    user: Recruiter,
    stage: Annotated[Stage | None, Query()] = None,
    vacancy: Annotated[uuid.UUID | None, Query()] = None,
    sort: str = "name",
    desc: bool = False,
) -> Response:
    """Lists candidates: filter by stage and vacancy."""
    return _candidates_page(request, db, user, "", stage, vacancy, sort, desc)


@router.post("/candidates", dependencies=[CsrfChecked])
def search_candidates(
    request: Request,
    db: DbSession,
    user: Recruiter,
    q: Annotated[str, Form(max_length=200)] = "",
    stage: Annotated[Stage | None, Form()] = None,
    vacancy: Annotated[uuid.UUID | None, Form()] = None,
    sort: Annotated[str, Form()] = "name",
    desc: Annotated[bool, Form()] = False,
) -> Response:
    """Searches candidates by name, e-mail or phone. The search form posts (and the answer is
    the list, not a redirect) so names and e-mails stay out of URLs, history and access logs."""
    return _candidates_page(request, db, user, q, stage, vacancy, sort, desc)


def _candidates_page(
    request: Request,
    db: Session,
    user: User,
    q: str,
    stage: Stage | None,
    vacancy: uuid.UUID | None,
    sort: str,
    desc: bool,
) -> Response:
    query = select(Candidate).where(
        Candidate.organisation_id == user.organisation_id, Candidate.erased_at.is_(None)
    )
    if q.strip():
        needle = f"%{q.strip()}%"
        query = query.where(
            or_(
                Candidate.full_name.ilike(needle),
                Candidate.email.ilike(needle),
                Candidate.phone.ilike(needle),
            )
        )
    if stage or vacancy:
        applied = select(Application.candidate_id)
        if stage:
            applied = applied.where(Application.stage == stage)
        if vacancy:
            applied = applied.where(Application.vacancy_id == vacancy)
        query = query.where(Candidate.id.in_(applied))
    column = CANDIDATE_SORTS.get(sort, Candidate.full_name)
    rows = db.exec(query.order_by(column.desc() if desc else column).limit(500)).all()
    vacancies = db.exec(
        select(Vacancy)
        .where(Vacancy.organisation_id == user.organisation_id)
        .order_by(Vacancy.title)
    ).all()
    return render(
        request,
        "candidates/index.html",
        user=user,
        candidates=rows,
        vacancies=vacancies,
        filters={
            "q": q,
            "stage": stage.value if stage else "",
            "vacancy": str(vacancy or ""),
            "sort": sort,
            "desc": desc,
        },
        pipeline=PIPELINE,
    )


CANDIDATE_FIELDS = ("full_name", "email", "phone", "location", "notes")


def _candidate_form(
    request: Request,
    db: Session,
    user: User,
    *,
    values: dict,
    candidate=None,  # noqa: ANN001
    errors: dict | None = None,
    status_code: int = 200,
) -> Response:
    vacancies = db.exec(
        select(Vacancy)
        .where(
            Vacancy.organisation_id == user.organisation_id, Vacancy.status == VacancyStatus.OPEN
        )
        .order_by(Vacancy.title)
    ).all()
    return render(
        request,
        "candidates/form.html",
        user=user,
        values=values,
        candidate=candidate,
        errors=errors or {},
        vacancies=vacancies,
        status_code=status_code,
    )


@router.get("/candidates/new", name="new_candidate")
def new_candidate(
    request: Request, db: DbSession, user: Recruiter, vacancy: uuid.UUID | None = None
) -> Response:
    return _candidate_form(request, db, user, values={"vacancy": str(vacancy or "")})


async def _candidate_values(request: Request) -> dict[str, Any]:
    """The candidate form's fields, read before the route runs (in its thread, off the loop)."""
    form = await request.form()
    values = {
        name: str(form.get(name, "")).strip()
        for name in (*CANDIDATE_FIELDS, "vacancy", "years_in_smm", "consent")
    }
    values["platforms"] = form.getlist("platforms")
    return values


CandidateValues = Annotated[dict[str, Any], Depends(_candidate_values)]


def _candidate_errors(values: dict[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
    errors: dict[str, str] = {}
    profile: dict[str, Any] = {}
    if not values["full_name"]:
        errors["full_name"] = N_("Enter the candidate's name.")
    if values["email"] and (
        "@" not in values["email"] or "." not in values["email"].split("@")[-1]
    ):
        errors["email"] = N_("This is not an e-mail address.")
    if values["years_in_smm"]:
        try:
            profile["years_in_smm"] = float(values["years_in_smm"].replace(",", "."))
        except ValueError:
            errors["years_in_smm"] = N_("Enter the years as a number, e.g. 3.5.")
    if values["platforms"]:
        profile["platforms"] = values["platforms"]
    return errors, profile


@router.post("/candidates/new", dependencies=[CsrfChecked])
def create_candidate(
    request: Request, db: DbSession, user: Recruiter, values: CandidateValues
) -> Response:
    """Adds a candidate (and their application, when a vacancy is chosen)."""
    errors, profile = _candidate_errors(values)
    if errors:
        return _candidate_form(request, db, user, values=values, errors=errors, status_code=400)
    candidate = service.create_candidate(
        db,
        organisation_id=user.organisation_id,
        full_name=values["full_name"],
        email=values["email"].lower(),
        phone=values["phone"],
        location=values["location"],
        notes=values["notes"],
        profile=profile,
        source="manual",
    )
    _record(db, user, "candidate.created", "candidate", candidate.id)
    if values["vacancy"]:
        vacancy = service.vacancy_by_id(
            db, organisation_id=user.organisation_id, vacancy_id=uuid.UUID(values["vacancy"])
        )
        application = service.create_application(db, vacancy=vacancy, candidate=candidate)
        return _to(request, "application", application_id=application.id)
    return _to(request, "candidate", candidate_id=candidate.id)


@router.get("/candidates/import", name="import_candidates")
def import_form(request: Request, db: DbSession, user: Recruiter) -> Response:
    return _import_page(request, db, user)


def _import_page(request: Request, db: Session, user: User, **context: Any) -> Response:
    vacancies = db.exec(
        select(Vacancy)
        .where(
            Vacancy.organisation_id == user.organisation_id, Vacancy.status == VacancyStatus.OPEN
        )
        .order_by(Vacancy.title)
    ).all()
    status = 400 if context.get("reading") is not None and not context["reading"].ok else 200
    return render(
        request,
        "candidates/import.html",
        user=user,
        vacancies=vacancies,
        status_code=status,
        **{"reading": None, "payload": "", "vacancy": "", **context},
    )


CSV_SUFFIXES = (".csv", ".txt", ".tsv")
NOT_A_CSV = N_("This is not a CSV file: save the table as CSV (UTF-8) and upload the .csv file.")


@router.post("/candidates/import", dependencies=[CsrfChecked])
def preview_import(
    request: Request,
    db: DbSession,
    user: Recruiter,
    file: Annotated[UploadFile, File()],
    vacancy: Annotated[str, Form()] = "",
) -> Response:
    """Reads the file and shows every row and every problem; saves nothing."""
    if not (file.filename or "").lower().endswith(CSV_SUFFIXES):
        # The content is checked too (text, columns); the name catches a wrong file early.
        reading = CsvReading(file_error=Message(NOT_A_CSV))
        return _import_page(request, db, user, reading=reading, vacancy=vacancy)
    data = file.file.read(csv_import.MAX_BYTES + 1)  # in the route's thread: a plain read
    reading = read_candidates(data)
    payload = base64.b64encode(data).decode() if reading.ok else ""
    return _import_page(request, db, user, reading=reading, payload=payload, vacancy=vacancy)


@router.post("/candidates/import/confirm", name="confirm_import", dependencies=[CsrfChecked])
def confirm_import(
    request: Request,
    db: DbSession,
    user: Recruiter,
    payload: Annotated[str, Form()],
    vacancy: Annotated[str, Form()] = "",
) -> Response:
    """Saves the previewed rows, all of them or none."""
    reading = read_candidates(base64.b64decode(payload.encode()))
    if not reading.ok:
        return _import_page(request, db, user, reading=reading, vacancy=vacancy)
    target = (
        service.vacancy_by_id(
            db, organisation_id=user.organisation_id, vacancy_id=uuid.UUID(vacancy)
        )
        if vacancy
        else None
    )
    bulk.save_rows(db, organisation_id=user.organisation_id, rows=reading.rows, vacancy=target)
    audit.record(
        db,
        organisation_id=user.organisation_id,
        action="candidates.imported",
        object_type="vacancy" if target else "organisation",
        object_id=target.id if target else user.organisation_id,
        actor_user_id=user.id,
        details={"rows": len(reading.rows)},
    )
    return _to(request, "vacancy", vacancy_id=target.id) if target else _to(request, "candidates")


@router.get("/candidates/{candidate_id}", name="candidate")
def candidate_page(
    request: Request, candidate_id: uuid.UUID, db: DbSession, user: Recruiter
) -> Response:
    """A candidate with their applications and the decisions taken on them."""
    candidate = service.candidate_by_id(
        db, organisation_id=user.organisation_id, candidate_id=candidate_id
    )
    applications = db.exec(
        select(Application, Vacancy)
        .join(Vacancy, Vacancy.id == Application.vacancy_id)
        .where(Application.candidate_id == candidate.id)
    ).all()
    history = db.exec(
        select(StageDecision, User)
        .join(User, User.id == StageDecision.decided_by_user_id, isouter=True)
        .where(StageDecision.application_id.in_([a.id for a, _ in applications]))
        .order_by(StageDecision.decided_at.desc())
    ).all()
    _record(db, user, "candidate.read", "candidate", candidate.id)
    return render(
        request,
        "candidates/detail.html",
        user=user,
        candidate=candidate,
        applications=applications,
        history=history,
        retention=retention_of(db, candidate=candidate),
    )


@router.get("/candidates/{candidate_id}/edit", name="edit_candidate")
def edit_candidate_form(
    request: Request, candidate_id: uuid.UUID, db: DbSession, user: Recruiter
) -> Response:
    candidate = service.candidate_by_id(
        db, organisation_id=user.organisation_id, candidate_id=candidate_id
    )
    values = {name: getattr(candidate, name) for name in CANDIDATE_FIELDS}
    values["years_in_smm"] = str(candidate.profile.get("years_in_smm", "") or "")
    values["platforms"] = candidate.profile.get("platforms", [])
    return _candidate_form(request, db, user, values=values, candidate=candidate)


@router.post("/candidates/{candidate_id}/edit", dependencies=[CsrfChecked])
def update_candidate(
    request: Request,
    candidate_id: uuid.UUID,
    db: DbSession,
    user: Recruiter,
    values: CandidateValues,
) -> Response:
    candidate = service.candidate_by_id(
        db, organisation_id=user.organisation_id, candidate_id=candidate_id
    )
    errors, profile = _candidate_errors(values)
    if errors:
        return _candidate_form(
            request, db, user, values=values, candidate=candidate, errors=errors, status_code=400
        )
    service.update_candidate(
        db,
        candidate=candidate,
        full_name=values["full_name"],
        email=values["email"].lower(),
        phone=values["phone"],
        location=values["location"],
        notes=values["notes"],
        profile={**candidate.profile, **profile},
    )
    _record(db, user, "candidate.updated", "candidate", candidate.id)
    return _to(request, "candidate", candidate_id=candidate.id)


# --- an application ----------------------------------------------------------------------------


@router.get("/applications/{application_id}", name="application")
def application_page(
    request: Request, application_id: uuid.UUID, db: DbSession, user: CurrentUser
) -> Response:
    """Everything about one application: data, screening, scorecards, score, decisions."""
    application = service.visible_application(db, user=user, application_id=application_id)
    return _application_page(request, db, user, application)


def _application_page(
    request: Request,
    db: Session,
    user: User,
    application: Application,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The application's page; after a refused decision, its form with the values and errors."""
    vacancy = db.get(Vacancy, application.vacancy_id)
    candidate = db.get(Candidate, application.candidate_id)
    scores = {
        score.kind: explain(db, score, user.locale.value)
        for score in db.exec(
            select(ApplicationScore).where(ApplicationScore.application_id == application.id)
        )
    }
    cards = visible_scorecards(db, application=application, viewer=user)
    raters = {
        u.id: u for u in db.exec(select(User).where(User.organisation_id == user.organisation_id))
    }
    my_stages = list(
        db.exec(
            select(service.InterviewerAssignment.stage).where(
                service.InterviewerAssignment.application_id == application.id,
                service.InterviewerAssignment.user_id == user.id,
            )
        )
    )
    assignments = db.exec(
        select(service.InterviewerAssignment).where(
            service.InterviewerAssignment.application_id == application.id
        )
    ).all()
    decisions = db.exec(
        select(StageDecision)
        .where(StageDecision.application_id == application.id)
        .order_by(StageDecision.decided_at.desc())
    ).all()
    can_decide = user.role in service.DECIDERS
    moves = service.allowed_moves(db, application=application) if can_decide else None
    # The page shows the candidate's record and the application's scores.
    _record(db, user, "candidate.read", "candidate", application.candidate_id)
    _record(db, user, "score.read", "application", application.id)
    return render(
        request,
        "applications/detail.html",
        user=user,
        application=application,
        vacancy=vacancy,
        candidate=candidate,
        panel=scores.get(ScoreKind.PANEL),
        screening=scores.get(ScoreKind.SCREENING),
        cards=[(card, ratings_of(db, card)) for card in cards],
        raters=raters,
        my_stages=my_stages,
        assignments=assignments,
        decisions=decisions,
        can_decide=can_decide,
        moves=moves,
        values=values or _first_move(moves),
        errors=errors or {},
        interviewers=[u for u in raters.values() if u.is_active],
        submitted=ScorecardStatus.SUBMITTED,
        status_code=status_code,
    )


def _first_move(moves: service.AllowedMoves | None) -> dict[str, Any]:
    """The form's choice before the person picks: the first decision and its first stage."""
    if not moves or not moves.targets:
        return {}
    decision, stages = next(iter(moves.targets.items()))
    return {"decision": decision.value, "to_stage": stages[0].value}


@router.post("/applications/{application_id}/assign", name="assign", dependencies=[CsrfChecked])
def assign(
    request: Request,
    application_id: uuid.UUID,
    db: DbSession,
    user: Recruiter,
    interviewer: Annotated[uuid.UUID, Form()],
    stage: Annotated[Stage, Form()],
) -> Response:
    """Asks an interviewer to assess the application at a stage."""
    application = service.visible_application(db, user=user, application_id=application_id)
    person = db.get(User, interviewer)
    if person is None or person.organisation_id != user.organisation_id:
        raise NotFound("no such user")
    service.assign_interviewer(
        db, application=application, interviewer=person, stage=stage, assigned_by=user
    )
    _record(db, user, "application.assigned", "application", application.id)
    return RedirectResponse(
        request.headers.get("referer")
        or request.url_for("application", application_id=application.id).path,
        status_code=303,
    )


@router.post("/applications/{application_id}/decide", name="decide", dependencies=[CsrfChecked])
def decide(
    request: Request,
    application_id: uuid.UUID,
    db: DbSession,
    user: Recruiter,
    decision: Annotated[str, Form()] = "",
    to_stage: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    override: Annotated[bool, Form()] = False,
    override_reason: Annotated[str, Form()] = "",
) -> Response:
    """Records the person's decision with the reason; a refused one shows the form again."""
    application = service.visible_application(db, user=user, application_id=application_id)
    values = {
        "decision": decision,
        "to_stage": to_stage,
        "reason": reason,
        "override": override,
        "override_reason": override_reason,
    }
    errors = {}
    if decision not in set(Decision):
        errors["decision"] = N_("Choose a decision from the list.")
    if to_stage not in set(Stage):
        errors["to_stage"] = N_("Choose a stage from the list.")
    status_code = 422
    if not errors:
        try:
            record = service.record_decision(
                db,
                application=application,
                decision=Decision(decision),
                to_stage=Stage(to_stage),
                reason=reason,
                decided_by=user,
                override=override,
                override_reason=override_reason,
            )
        except AppError as exc:
            errors[exc.field or "stage"] = exc.detail
            status_code = exc.status_code
        else:
            audit.record(
                db,
                organisation_id=user.organisation_id,
                action="application.decided",
                object_type="application",
                object_id=application.id,
                actor_user_id=user.id,
                details=service.decision_details(record),
            )
            return RedirectResponse(
                request.url_for("application", application_id=application.id).path
                + f"#decision-{record.id}",
                status_code=303,
            )
    return _application_page(
        request, db, user, application, values=values, errors=errors, status_code=status_code
    )
