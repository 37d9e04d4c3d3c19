"""The admins' scoring settings page: how panel scores weigh ratings by their evidence."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import DbSession, require_role
from app.i18n import N_
from app.models import Organisation, User, UserRole
from app.scoring.engine import EvidenceWeighting, default_evidence_weights
from app.scoring.service import set_evidence_weighting
from app.web.pages import CsrfChecked, render

router = APIRouter(include_in_schema=False)
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
