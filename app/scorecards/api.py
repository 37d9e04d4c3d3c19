"""REST operations on scorecards, scores, stage decisions and interviewer agreement."""

import uuid
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlmodel import select

from app import audit
from app.api.problems import PROBLEM_RESPONSES
from app.api.versions import IfMatch, expected_row_version
from app.deps import (
    ActingUser,
    ApiCaller,
    DbSession,
    OnBehalfOf,
    require_scope,
)
from app.errors import NotFound
from app.hiring.service import (
    application_by_id,
    decision_details,
    record_decision,
    use_latest_profile_version,
    vacancy_by_id,
)
from app.models import Application, ApplicationScore, Scorecard, ScoreKind, Stage
from app.scorecards import service
from app.scorecards.ats_form import (
    FROM_ATS,
    AtsScorecard,
    AtsScorecardIn,
    changes_from_ats,
    to_ats,
)
from app.scorecards.schemas import (
    AgreementOut,
    ApplicationScores,
    CriterionAgreementOut,
    DecisionIn,
    DecisionOut,
    LeniencyOut,
    RatingIn,
    RatingOut,
    RescoreOut,
    ScorecardCorrection,
    ScorecardOut,
    ScorecardPatch,
    ScorecardStart,
    ScoreOut,
)
from app.scoring.agreement_service import vacancy_agreement
from app.scoring.service import explain, score_applications

router = APIRouter()
ScorecardReader = Annotated[ApiCaller, require_scope("scorecards:read")]
ScorecardWriter = Annotated[ApiCaller, require_scope("scorecards:write")]
CandidateWriter = Annotated[ApiCaller, require_scope("candidates:write")]
ReportReader = Annotated[ApiCaller, require_scope("reports:read")]
ERRORS = {status: PROBLEM_RESPONSES[status] for status in (401, 403, 404, 422)}
WRITE_ERRORS = {
    **ERRORS,
    409: {**PROBLEM_RESPONSES[404], "description": "Not allowed now (see detail)"},
}


def _scorecard_out(db: DbSession, scorecard: Scorecard) -> ScorecardOut:
    ratings = [
        RatingOut(
            criterion_id=r.criterion_id,
            rating=r.rating,
            evidence=r.evidence,
            evidence_source=r.evidence_source,
            updated_at=r.updated_at,
        )
        for r in service.ratings_of(db, scorecard)
    ]
    return ScorecardOut.model_validate({**scorecard.model_dump(), "ratings": ratings})


def _changes(ratings: list[RatingIn]) -> list[service.RatingChange]:
    return [
        service.RatingChange(r.criterion_id, r.rating, r.evidence, r.evidence_source)
        for r in ratings
    ]


def _record(db: DbSession, caller: ApiCaller, action: str, scorecard: Scorecard) -> None:
    audit.record_call(
        db,
        caller,
        action=action,
        object_type="scorecard",
        object_id=scorecard.id,
        details={
            "version": scorecard.version,
            "role_profile_version_id": str(scorecard.role_profile_version_id),
        },
    )


def application_of_caller(
    application_id: uuid.UUID, db: DbSession, caller: ScorecardReader
) -> Application:
    return application_by_id(
        db, organisation_id=caller.organisation.id, application_id=application_id
    )


def scorecard_of_caller(
    scorecard_id: uuid.UUID, db: DbSession, caller: ScorecardReader
) -> Scorecard:
    return service.scorecard_by_id(
        db, organisation_id=caller.organisation.id, scorecard_id=scorecard_id
    )


CallerApplication = Annotated[Application, Depends(application_of_caller)]
CallerScorecard = Annotated[Scorecard, Depends(scorecard_of_caller)]


@router.post(
    "/applications/{application_id}/scorecards",
    tags=["scorecards"],
    status_code=201,
    responses=WRITE_ERRORS,
)
def start_scorecard(
    application: CallerApplication,
    start: ScorecardStart,
    db: DbSession,
    caller: ScorecardWriter,
    user: ActingUser,
) -> ScorecardOut:
    """Starts (or returns) the On-Behalf-Of interviewer's draft scorecard for a stage."""
    scorecard = service.start_scorecard(
        db, application=application, interviewer=user, stage=start.stage
    )
    _record(db, caller, "scorecard.started", scorecard)
    return _scorecard_out(db, scorecard)


@router.get("/applications/{application_id}/scorecards", tags=["scorecards"], responses=ERRORS)
def list_scorecards(
    application: CallerApplication, db: DbSession, caller: ScorecardReader, user: OnBehalfOf
) -> list[ScorecardOut]:
    """Lists the application's scorecards the On-Behalf-Of user may see (an interviewer sees
    colleagues' only after submitting their own; without the header, all of them)."""
    return [
        _scorecard_out(db, card)
        for card in service.visible_scorecards(db, application=application, viewer=user)
    ]


@router.get("/scorecards/{scorecard_id}", tags=["scorecards"], responses=ERRORS)
def get_scorecard(
    scorecard: CallerScorecard, db: DbSession, caller: ScorecardReader, user: OnBehalfOf
) -> ScorecardOut:
    """Returns a scorecard with its ratings and evidence."""
    if not service.may_see(db, scorecard=scorecard, viewer=user):
        raise NotFound("no such scorecard")
    audit.record_call(
        db,
        caller,
        action="scorecard.read",
        object_type="scorecard",
        object_id=scorecard.id,
    )
    return _scorecard_out(db, scorecard)


@router.patch("/scorecards/{scorecard_id}", tags=["scorecards"], responses=WRITE_ERRORS)
def save_scorecard(
    scorecard: CallerScorecard,
    patch: ScorecardPatch,
    db: DbSession,
    caller: ScorecardWriter,
    user: ActingUser,
    if_match: IfMatch = None,
) -> ScorecardOut:
    """Saves ratings, evidence, recommendation or summary on a draft (fit for autosave).
    With If-Match (the row_version read), a scorecard saved elsewhere since is 409."""
    service.save_draft(
        db,
        scorecard=scorecard,
        user=user,
        changes=_changes(patch.ratings),
        recommendation=patch.recommendation,
        summary=patch.summary,
        expected_row_version=expected_row_version(if_match),
    )
    _record(db, caller, "scorecard.saved", scorecard)
    return _scorecard_out(db, scorecard)


@router.post("/scorecards/{scorecard_id}/submit", tags=["scorecards"], responses=WRITE_ERRORS)
def submit_scorecard(
    scorecard: CallerScorecard,
    db: DbSession,
    caller: ScorecardWriter,
    user: ActingUser,
    if_match: IfMatch = None,
) -> ScorecardOut:
    """Submits the draft: it is final from now on, and the application's score is recomputed.
    With If-Match (the row_version read), a scorecard saved elsewhere since is 409."""
    service.submit(
        db, scorecard=scorecard, user=user, expected_row_version=expected_row_version(if_match)
    )
    _record(db, caller, "scorecard.submitted", scorecard)
    return _scorecard_out(db, scorecard)


@router.post("/scorecards/{scorecard_id}/corrections", tags=["scorecards"], responses=WRITE_ERRORS)
def correct_scorecard(
    scorecard: CallerScorecard,
    correction: ScorecardCorrection,
    db: DbSession,
    caller: ScorecardWriter,
    user: ActingUser,
    if_match: IfMatch = None,
) -> ScorecardOut:
    """Corrects a submitted scorecard: a new version that keeps the reason; rescored.
    With If-Match (the row_version read), a scorecard changed elsewhere since is 409."""
    service.correct(
        db,
        scorecard=scorecard,
        user=user,
        changes=_changes(correction.ratings),
        reason=correction.reason,
        expected_row_version=expected_row_version(if_match),
    )
    _record(db, caller, "scorecard.corrected", scorecard)
    return _scorecard_out(db, scorecard)


@router.get("/scorecards/{scorecard_id}/ats-form", tags=["scorecards"], responses=ERRORS)
def get_ats_scorecard(scorecard: CallerScorecard, db: DbSession) -> AtsScorecard:
    """The scorecard in the common ATS form: overall_recommendation (definitely_not, no, yes,
    strong_yes, no_decision) and a rating with a note per criterion."""
    return to_ats(db, scorecard)


@router.post(
    "/applications/{application_id}/scorecards/ats-form",
    tags=["scorecards"],
    status_code=201,
    responses=WRITE_ERRORS,
)
def post_ats_scorecard(
    application: CallerApplication,
    form: AtsScorecardIn,
    db: DbSession,
    caller: ScorecardWriter,
    user: ActingUser,
) -> AtsScorecard:
    """Records the On-Behalf-Of interviewer's scorecard sent in the common ATS form: starts
    (or reuses) their draft for the stage, saves it and submits it unless submit is false."""
    scorecard = service.start_scorecard(
        db, application=application, interviewer=user, stage=form.stage
    )
    service.save_draft(
        db,
        scorecard=scorecard,
        user=user,
        changes=changes_from_ats(form),
        recommendation=FROM_ATS[form.overall_recommendation],
        summary=form.summary,
    )
    _record(db, caller, "scorecard.saved", scorecard)
    if form.submit:
        service.submit(db, scorecard=scorecard, user=user)
        _record(db, caller, "scorecard.submitted", scorecard)
    return to_ats(db, scorecard)


@router.get("/applications/{application_id}/score", tags=["scores"], responses=ERRORS)
def get_score(
    application: CallerApplication,
    db: DbSession,
    caller: ScorecardReader,
    locale: Annotated[str, Query(pattern="^(ru|en)$")] = "ru",
) -> ApplicationScores:
    """Returns the panel score (from scorecards) and the screening score (from the candidate's
    data), each with its explanation. Scores inform people's decisions; they make none."""
    scores = {
        score.kind: ScoreOut.model_validate(explain(db, score, locale))
        for score in db.exec(
            select(ApplicationScore).where(ApplicationScore.application_id == application.id)
        )
    }
    audit.record_call(
        db,
        caller,
        action="score.read",
        object_type="application",
        object_id=application.id,
        details={kind.value: str(score.role_profile_version_id) for kind, score in scores.items()},
    )
    return ApplicationScores(
        panel=scores.get(ScoreKind.PANEL), screening=scores.get(ScoreKind.SCREENING)
    )


@router.post(
    "/applications/{application_id}/decisions",
    tags=["applications"],
    status_code=201,
    responses=WRITE_ERRORS,
)
def decide(
    application: CallerApplication,
    decision: DecisionIn,
    db: DbSession,
    caller: CandidateWriter,
    user: ActingUser,
    if_match: IfMatch = None,
) -> DecisionOut:
    """Records a person's decision (advance, reopen, hold, reject, withdraw) with the reason.
    With If-Match (the application's row_version read), an application moved since is 409."""
    record = record_decision(
        db,
        expected_row_version=expected_row_version(if_match),
        application=application,
        decision=decision.decision,
        to_stage=decision.to_stage,
        reason=decision.reason,
        decided_by=user,
        api_key=caller.api_key,
        override=decision.override,
        override_reason=decision.override_reason,
    )
    audit.record_call(
        db,
        caller,
        action="application.decided",
        object_type="application",
        object_id=application.id,
        details=decision_details(record),
    )
    return DecisionOut.model_validate(record.model_dump())


@router.get("/vacancies/{vacancy_id}/agreement", tags=["reports"], responses=ERRORS)
def agreement(
    vacancy_id: uuid.UUID,
    db: DbSession,
    caller: ReportReader,
    stage: Annotated[
        Stage | None,
        Query(description="Only the scorecards of this stage; without it, every stage."),
    ] = None,
) -> AgreementOut:
    """How much the vacancy's interviewers agree, per criterion, and each one's leniency."""
    vacancy = vacancy_by_id(db, organisation_id=caller.organisation.id, vacancy_id=vacancy_id)
    found = vacancy_agreement(db, vacancy, stage=stage)
    return AgreementOut(
        stage=found.stage,
        stages=found.stages,
        scorecards=found.scorecards,
        criteria=[CriterionAgreementOut.model_validate(asdict(item)) for item in found.criteria],
        interviewers=[LeniencyOut.model_validate(asdict(item)) for item in found.interviewers],
    )


@router.post("/vacancies/{vacancy_id}/rescore", tags=["scores"], responses=WRITE_ERRORS)
def rescore(
    vacancy_id: uuid.UUID,
    db: DbSession,
    caller: ScorecardWriter,
    latest_profile: Annotated[
        bool, Query(description="First move the vacancy to its profile's latest version.")
    ] = False,
) -> RescoreOut:
    """Recomputes every application's panel score of the vacancy (after a profile change)."""
    vacancy = vacancy_by_id(db, organisation_id=caller.organisation.id, vacancy_id=vacancy_id)
    if latest_profile:
        use_latest_profile_version(db, vacancy=vacancy)
    report = score_applications(db, vacancy)
    audit.record_call(
        db,
        caller,
        action="vacancy.rescored",
        object_type="vacancy",
        object_id=vacancy.id,
        details={"role_profile_version_id": str(vacancy.role_profile_version_id)},
    )
    return RescoreOut(**report.__dict__, role_profile_version_id=vacancy.role_profile_version_id)
