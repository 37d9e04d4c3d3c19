"""The agreement page (HR, admins, recruiters): how much a vacancy's interviewers agree, per
criterion, at one stage or at all, and how lenient each one is."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import DbSession, require_role
from app.errors import InvalidInput
from app.hiring.service import vacancy_by_id
from app.models import Stage, User, UserRole
from app.scoring.agreement import MIN_UNITS
from app.scoring.agreement_service import vacancy_agreement
from app.web.pages import render

router = APIRouter(include_in_schema=False)
Recruiter = Annotated[User, require_role(UserRole.ADMIN, UserRole.HR, UserRole.RECRUITER)]


@router.get("/vacancies/{vacancy_id}/agreement", name="agreement")
def agreement_page(
    request: Request,
    vacancy_id: uuid.UUID,
    db: DbSession,
    user: Recruiter,
    stage: str = "",
) -> Response:
    """ICC(2,1), ICC(2,k) with their intervals and Krippendorff's alpha per criterion, and
    each interviewer's leniency, at the stage chosen (or at every stage)."""
    vacancy = vacancy_by_id(db, organisation_id=user.organisation_id, vacancy_id=vacancy_id)
    found = vacancy_agreement(db, vacancy, stage=_stage(stage))
    chosen = found.stage
    stages = found.stages if chosen is None or chosen in found.stages else [*found.stages, chosen]
    return render(
        request,
        "scoring/agreement.html",
        user=user,
        vacancy=vacancy,
        agreement=found,
        stages=stages,
        min_units=MIN_UNITS,
    )


def _stage(value: str) -> Stage | None:
    """The form's stage: empty for every stage (the select's first option)."""
    if not value:
        return None
    try:
        return Stage(value)
    except ValueError:
        raise InvalidInput(f"no stage {value[:40]!r}", field="stage") from None
