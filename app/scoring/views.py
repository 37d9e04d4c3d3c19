"""Scoring pages: how much a vacancy's interviewers agree (HR, admins, recruiters), per
criterion, at one stage or at all, and how lenient each one is; and the admins' scoring
settings (how panel scores weigh ratings by their evidence)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import DbSession, require_role
from app.errors import InvalidInput
from app.hiring.service import vacancy_by_id
from app.i18n import N_
from app.models import Organisation, Stage, User, UserRole
from app.scoring.agreement import MIN_UNITS
from app.scoring.agreement_service import vacancy_agreement
from app.scoring.engine import EvidenceWeighting, default_evidence_weights
from app.scoring.service import set_evidence_weighting
from app.web.pages import CsrfChecked, render

router = APIRouter(include_in_schema=False)
Recruiter = Annotated[User, require_role(UserRole.ADMIN, UserRole.HR, UserRole.RECRUITER)]
Admin = Annotated[User, require_role(UserRole.ADMIN)]


def _page(
    request: Request,
    user: User,
    organisation: Organisation,
    *,
    chosen: str,
    error: str | None = None,
    rescored: int | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "settings/scoring.html",
        user=user,
        chosen=chosen,
        weightings=[weighting.value for weighting in EvidenceWeighting],
        validity_weights=default_evidence_weights(),
        error=error,
        rescored=rescored,
        status_code=status_code,
    )


@router.get("/settings/scoring", name="scoring_settings")
def scoring_settings(
    request: Request, db: DbSession, user: Admin, rescored: int | None = None
) -> Response:
    """How ratings weigh by their evidence in panel scores."""
    organisation = db.get(Organisation, user.organisation_id)
    return _page(
        request, user, organisation, chosen=organisation.evidence_weighting, rescored=rescored
    )


@router.post("/settings/scoring", dependencies=[CsrfChecked])
def save_scoring_settings(
    request: Request,
    db: DbSession,
    user: Admin,
    evidence_weighting: Annotated[str, Form()] = "",
) -> Response:
    """Saves the evidence weighting and rescores the organisation's vacancies with it."""
    organisation = db.get(Organisation, user.organisation_id)
    if evidence_weighting not in set(EvidenceWeighting):
        return _page(
            request,
            user,
            organisation,
            chosen=organisation.evidence_weighting,
            error=N_("Choose one of the two weightings."),
            status_code=400,
        )
    rescored = set_evidence_weighting(
        db, organisation=organisation, weighting=EvidenceWeighting(evidence_weighting)
    )
    return RedirectResponse(
        request.url_for("scoring_settings").path + f"?rescored={rescored}", status_code=303
    )


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
