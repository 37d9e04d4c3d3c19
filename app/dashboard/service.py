"""What waits for a user on the dashboard: counted and cut in the database, one page at a time
(an interviewer may have thousands of assignments)."""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, func, select

from app.models import (
    Application,
    Candidate,
    InterviewerAssignment,
    Scorecard,
    ScorecardStatus,
    User,
    Vacancy,
)


@dataclass
class Listing:
    count: int  # in all
    rows: list[Any]  # this page's


def waiting_for(session: Session, *, user: User, offset: int, limit: int) -> Listing:
    """The user's assignments without a submitted scorecard of theirs at that stage, oldest
    first."""
    submitted = (
        sa.select(Scorecard.id)
        .where(
            Scorecard.application_id == InterviewerAssignment.application_id,
            Scorecard.stage == InterviewerAssignment.stage,
            Scorecard.interviewer_user_id == user.id,
            Scorecard.status == ScorecardStatus.SUBMITTED,
        )
        .exists()
    )
    mine = (InterviewerAssignment.user_id == user.id, ~submitted)
    count = session.exec(select(func.count()).select_from(InterviewerAssignment).where(*mine)).one()
    rows = session.exec(
        select(InterviewerAssignment, Application, Candidate, Vacancy)
        .join(Application, Application.id == InterviewerAssignment.application_id)
        .join(Candidate, Candidate.id == Application.candidate_id)
        .join(Vacancy, Vacancy.id == Application.vacancy_id)
        .where(*mine)
        .order_by(InterviewerAssignment.created_at, InterviewerAssignment.id)
        .offset(offset)
        .limit(limit)
    ).all()
    return Listing(count, list(rows))


def drafts_of(session: Session, *, user: User, offset: int, limit: int) -> Listing:
    """The user's draft scorecards, oldest first."""
    mine = (Scorecard.interviewer_user_id == user.id, Scorecard.status == ScorecardStatus.DRAFT)
    count = session.exec(select(func.count()).select_from(Scorecard).where(*mine)).one()
    rows = session.exec(
        select(Scorecard, Candidate)
        .join(Application, Application.id == Scorecard.application_id)
        .join(Candidate, Candidate.id == Application.candidate_id)
        .where(*mine)
        .order_by(Scorecard.created_at, Scorecard.id)
        .offset(offset)
        .limit(limit)
    ).all()
    return Listing(count, list(rows))
