"""The page a user lands on after signing in: what waits for them."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlmodel import select

from app.dashboard.service import drafts_of, waiting_for
from app.deps import CurrentUser, DbSession
from app.hiring.service import stage_counts
from app.models import Organisation, Stage, UserRole, Vacancy
from app.web.pages import render

router = APIRouter(include_in_schema=False)
# Each list shows this many; the rest are a page away.
PER_LIST = 20
Page = Annotated[int, Query(ge=1, le=1_000_000)]


@router.get("/", name="dashboard")
def dashboard(
    request: Request,
    db: DbSession,
    user: CurrentUser,
    waiting_page: Page = 1,
    drafts_page: Page = 1,
) -> Response:
    """My interviews waiting for a scorecard, my drafts, and the vacancies by stage."""
    organisation = db.get(Organisation, user.organisation_id)
    waiting = waiting_for(db, user=user, offset=(waiting_page - 1) * PER_LIST, limit=PER_LIST)
    drafts = drafts_of(db, user=user, offset=(drafts_page - 1) * PER_LIST, limit=PER_LIST)
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
        waiting_page=waiting_page,
        drafts=drafts,
        drafts_page=drafts_page,
        per_list=PER_LIST,
        vacancies=vacancies,
        counts=stage_counts(db, organisation_id=user.organisation_id),
        pipeline=list(Stage),
    )
