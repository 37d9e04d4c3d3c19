"""The page a user lands on after signing in: what waits for them."""

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import select

from app.deps import CurrentUser, DbSession
from app.hiring.service import stage_counts
from app.models import (
    Application,
    Candidate,
    InterviewerAssignment,
    Organisation,
    Scorecard,
    ScorecardStatus,
    Stage,
    UserRole,
    Vacancy,
)
from app.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/", name="dashboard")
def dashboard(request: Request, db: DbSession, user: CurrentUser) -> Response:
    """My interviews waiting for a scorecard, my drafts, and the vacancies by stage."""
    organisation = db.get(Organisation, user.organisation_id)
    submitted = {
        (card.application_id, card.stage)
        for card in db.exec(
            select(Scorecard).where(
                Scorecard.interviewer_user_id == user.id,
                Scorecard.status == ScorecardStatus.SUBMITTED,
            )
        )
    }
    assigned = db.exec(
        select(InterviewerAssignment, Application, Candidate, Vacancy)
        .join(Application, Application.id == InterviewerAssignment.application_id)
        .join(Candidate, Candidate.id == Application.candidate_id)
        .join(Vacancy, Vacancy.id == Application.vacancy_id)
        .where(InterviewerAssignment.user_id == user.id)
        .order_by(InterviewerAssignment.created_at)
    ).all()
    waiting = [row for row in assigned if (row[1].id, row[0].stage) not in submitted]
    drafts = db.exec(
        select(Scorecard, Candidate)
        .join(Application, Application.id == Scorecard.application_id)
        .join(Candidate, Candidate.id == Application.candidate_id)
        .where(Scorecard.interviewer_user_id == user.id, Scorecard.status == ScorecardStatus.DRAFT)
    ).all()
    vacancies = []
    if user.role != UserRole.INTERVIEWER:
        vacancies = db.exec(
            select(Vacancy)
            .where(Vacancy.organisation_id == user.organisation_id)
            .order_by(Vacancy.title)
        ).all()
    return render(
        request,
        "dashboard/index.html",
        user=user,
        organisation=organisation,
        waiting=waiting,
        drafts=drafts,
        vacancies=vacancies,
        counts=stage_counts(db, organisation_id=user.organisation_id),
        pipeline=list(Stage),
    )
