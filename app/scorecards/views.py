"""The scorecard form: ratings beside their anchors, evidence notes, autosave, submit."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from app import audit
from app.deps import CurrentUser, DbSession
from app.errors import AppError, NotFound
from app.hiring.service import visible_application
from app.i18n import N_
from app.models import EvidenceSource, Recommendation, Scorecard, ScorecardStatus, Stage, User
from app.scorecards import service
from app.scoring.service import profile_context
from app.security import csrf_token_is_valid
from app.web.pages import CSRF_COOKIE, CsrfChecked, CsrfFailed, PostedForm, render

router = APIRouter(include_in_schema=False)


def _stage_criteria(db: DbSession, scorecard: Scorecard) -> list[tuple[Any, Any]]:
    """Returns (rubric, criterion) for each criterion the scorecard's stage assesses."""
    context = profile_context(db, scorecard.role_profile_version_id)
    ids = context.stage_criteria(scorecard.stage.value) or list(context.panel_model.criterion_ids)
    return [context.criteria[criterion_id] for criterion_id in ids]


def _visible_scorecard(db: DbSession, user: User, scorecard_id: uuid.UUID) -> Scorecard:
    scorecard = service.scorecard_by_id(
        db, organisation_id=user.organisation_id, scorecard_id=scorecard_id
    )
    if not service.may_see(db, scorecard=scorecard, viewer=user):
        raise NotFound("no such scorecard")
    return scorecard


@router.post(
    "/applications/{application_id}/scorecards", name="start_scorecard", dependencies=[CsrfChecked]
)
def start(
    request: Request,
    application_id: uuid.UUID,
    db: DbSession,
    user: CurrentUser,
    stage: Annotated[Stage, Form()],
) -> Response:
    """Opens the signed-in interviewer's scorecard for the stage (a draft the first time)."""
    application = visible_application(db, user=user, application_id=application_id)
    scorecard = service.start_scorecard(db, application=application, interviewer=user, stage=stage)
    return RedirectResponse(
        request.url_for("scorecard", scorecard_id=scorecard.id).path, status_code=303
    )


def _form(
    request: Request,
    db: DbSession,
    user: User,
    scorecard: Scorecard,
    *,
    values: dict | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    saved = {rating.criterion_id: rating for rating in service.ratings_of(db, scorecard)}
    application = visible_application(db, user=user, application_id=scorecard.application_id)
    return render(
        request,
        "scorecards/form.html",
        user=user,
        scorecard=scorecard,
        application=application,
        criteria=_stage_criteria(db, scorecard),
        saved=saved,
        values=values,
        error=error,
        editable=scorecard.interviewer_user_id == user.id
        and scorecard.status == ScorecardStatus.DRAFT,
        recommendations=list(Recommendation),
        evidence_sources=list(EvidenceSource),
        status_code=status_code,
    )


@router.get("/scorecards/{scorecard_id}", name="scorecard")
def scorecard_page(
    request: Request, scorecard_id: uuid.UUID, db: DbSession, user: CurrentUser
) -> Response:
    """The scorecard: a form for its interviewer while it is a draft, a record after."""
    scorecard = _visible_scorecard(db, user, scorecard_id)
    audit.record(
        db,
        organisation_id=user.organisation_id,
        action="scorecard.read",
        object_type="scorecard",
        object_id=scorecard.id,
        actor_user_id=user.id,
    )
    return _form(request, db, user, scorecard)


def _changes_from(form: Any, criteria: list[tuple[Any, Any]]) -> list[service.RatingChange]:
    changes = []
    for _, criterion in criteria:
        raw = str(form.get(f"rating__{criterion.id}", "")).strip()
        if raw == "" and f"evidence__{criterion.id}" not in form:
            continue
        source = form.get(f"source__{criterion.id}") or EvidenceSource.INTERVIEW.value
        changes.append(
            service.RatingChange(
                criterion_id=criterion.id,
                rating=int(raw) if raw.isdigit() else None,
                evidence=str(form.get(f"evidence__{criterion.id}", "")).strip(),
                evidence_source=EvidenceSource(source),
            )
        )
    return changes


def _save_form(db: DbSession, user: User, scorecard: Scorecard, form: Any) -> None:
    """Saves what the form (or the autosave script) sent; fields it did not send stay."""
    service.save_draft(
        db,
        scorecard=scorecard,
        user=user,
        changes=_changes_from(form, _stage_criteria(db, scorecard)),
        recommendation=Recommendation(form["recommendation"])
        if form.get("recommendation")
        else None,
        summary=str(form["summary"]) if "summary" in form else None,
        # The row_version the page was rendered with: a save from a stale tab is refused.
        expected_row_version=int(raw)
        if (raw := str(form.get("row_version", ""))).isdigit()
        else None,
    )


STALE = N_(
    "This scorecard was submitted meanwhile (in another tab or on another device), so "
    "nothing was saved here. To change it now, send a correction with a reason."
)
OTHER_TAB = N_(
    "This scorecard was saved in another tab or on another device since this page was "
    "opened, so nothing was saved here. What you typed is kept below: check it against the "
    "other save and save again."
)


def _problem_of(scorecard: Scorecard, exc: AppError) -> tuple[int, str]:
    """The status and message of a save that was refused."""
    if scorecard.status == ScorecardStatus.SUBMITTED:
        return 409, STALE
    if isinstance(exc, service.StaleScorecard):
        return 409, OTHER_TAB
    return 400, exc.detail


@router.post("/scorecards/{scorecard_id}", dependencies=[CsrfChecked])
def save(
    request: Request, scorecard_id: uuid.UUID, db: DbSession, user: CurrentUser, form: PostedForm
) -> Response:
    """Saves the draft without JavaScript; the same form again on a problem."""
    scorecard = _visible_scorecard(db, user, scorecard_id)
    try:
        _save_form(db, user, scorecard, form)
    except AppError as exc:
        status_code, error = _problem_of(scorecard, exc)
        return _form(
            request, db, user, scorecard, values=dict(form), status_code=status_code, error=error
        )
    target = request.url_for("scorecard", scorecard_id=scorecard.id).path
    if form.get("then") == "submit":
        target = request.url_for("confirm_submit", scorecard_id=scorecard.id).path
    return RedirectResponse(target, status_code=303)


@router.post("/scorecards/{scorecard_id}/autosave", name="autosave")
def autosave(
    request: Request, scorecard_id: uuid.UUID, db: DbSession, user: CurrentUser, form: PostedForm
) -> Response:
    """What the page's script sends a moment after each change; answers with the saved time."""
    if not csrf_token_is_valid(
        request.app.state.secret_key,
        request.cookies.get(CSRF_COOKIE),
        request.headers.get("x-csrf-token"),
    ):
        raise CsrfFailed
    scorecard = _visible_scorecard(db, user, scorecard_id)
    try:
        _save_form(db, user, scorecard, form)
    except AppError as exc:
        status_code, error = _problem_of(scorecard, exc)
        return JSONResponse({"error": error}, status_code=422 if status_code == 400 else 409)
    return JSONResponse(
        {"saved_at": scorecard.updated_at.isoformat(), "row_version": scorecard.row_version}
    )


@router.get("/scorecards/{scorecard_id}/submit", name="confirm_submit")
def confirm_submit(
    request: Request, scorecard_id: uuid.UUID, db: DbSession, user: CurrentUser
) -> Response:
    """Asks to confirm, naming every criterion left unrated."""
    scorecard = _visible_scorecard(db, user, scorecard_id)
    rated = {r.criterion_id for r in service.ratings_of(db, scorecard) if r.rating is not None}
    unrated = [
        criterion for _, criterion in _stage_criteria(db, scorecard) if criterion.id not in rated
    ]
    return render(
        request, "scorecards/confirm.html", user=user, scorecard=scorecard, unrated=unrated
    )


@router.post("/scorecards/{scorecard_id}/submit", dependencies=[CsrfChecked])
def submit(request: Request, scorecard_id: uuid.UUID, db: DbSession, user: CurrentUser) -> Response:
    """Submits: the scorecard is final, the score recomputed, the panel's scorecards shown."""
    scorecard = _visible_scorecard(db, user, scorecard_id)
    try:
        service.submit(db, scorecard=scorecard, user=user)
    except AppError:
        return _form(request, db, user, scorecard, error=STALE, status_code=409)
    audit.record(
        db,
        organisation_id=user.organisation_id,
        action="scorecard.submitted",
        object_type="scorecard",
        object_id=scorecard.id,
        actor_user_id=user.id,
        details={"version": scorecard.version},
    )
    return RedirectResponse(
        request.url_for("application", application_id=scorecard.application_id).path
        + "#scorecards",
        status_code=303,
    )
