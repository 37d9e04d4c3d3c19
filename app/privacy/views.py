"""Pages of candidate data rights (HR and admins): everything held about a candidate as a
printable page and as JSON, erasure with a confirmation, and the admins' retention settings."""

import json
import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app import audit
from app.deps import DbSession, ProfileManager, require_role
from app.errors import AppError, Conflict
from app.hiring.service import candidate_by_id
from app.i18n import N_
from app.models import Candidate, Organisation, User, UserRole, utcnow
from app.privacy import service
from app.privacy.retention import MONTHS_RANGE
from app.web.pages import CsrfChecked, render

router = APIRouter(include_in_schema=False)
# The export holds self-identification, which only HR's aggregate view may read: recruiters
# and interviewers, who decide about and assess people, get 403 like on the fairness pages.
HumanResources = ProfileManager
Admin = Annotated[User, require_role(UserRole.ADMIN)]
REASONS = list(service.ErasureReason)
REASON_LABELS = {
    service.ErasureReason.CANDIDATE_REQUEST: N_("The candidate asked to be erased"),
    service.ErasureReason.CONSENT_WITHDRAWN: N_("The candidate withdrew their consent"),
    service.ErasureReason.RETENTION_POLICY: N_("The retention period is over"),
}


def _candidate(db: DbSession, user: User, candidate_id: uuid.UUID) -> Candidate:
    return candidate_by_id(db, organisation_id=user.organisation_id, candidate_id=candidate_id)


def _exported(db: DbSession, user: User, candidate: Candidate, format: str) -> dict:
    audit.record(
        db,
        organisation_id=user.organisation_id,
        action="candidate.data_exported",
        object_type="candidate",
        object_id=candidate.id,
        actor_user_id=user.id,
        details={"format": format},
    )
    return service.export_candidate(db, candidate=candidate, locale=user.locale.value)


@router.get("/candidates/{candidate_id}/data", name="candidate_data")
def data_page(
    request: Request, candidate_id: uuid.UUID, db: DbSession, user: HumanResources
) -> Response:
    """Everything held about the candidate, to read or print for a data request."""
    candidate = _candidate(db, user, candidate_id)
    return render(
        request,
        "privacy/data.html",
        user=user,
        candidate=candidate,
        data=_exported(db, user, candidate, "html"),
        retention=service.retention_of(db, candidate=candidate),
    )


@router.get("/candidates/{candidate_id}/data.json", name="candidate_data_json")
def data_download(candidate_id: uuid.UUID, db: DbSession, user: HumanResources) -> Response:
    """The same as JSON, downloaded as a file (the name holds the id only, no personal data)."""
    candidate = _candidate(db, user, candidate_id)
    body = json.dumps(_exported(db, user, candidate, "json"), ensure_ascii=False, indent=2)
    return Response(
        body,
        media_type="application/json; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="candidate-{candidate.id}.json"'},
    )


def _erase_page(
    request: Request, user: User, candidate: Candidate, error: str | None = None, status: int = 200
) -> Response:
    return render(
        request,
        "privacy/erase.html",
        user=user,
        candidate=candidate,
        reasons=REASONS,
        reason_labels=REASON_LABELS,
        error=error,
        status_code=status,
    )


@router.get("/candidates/{candidate_id}/erase", name="erase_candidate")
def erase_form(
    request: Request, candidate_id: uuid.UUID, db: DbSession, user: HumanResources
) -> Response:
    """Asks to confirm the erasure, and why."""
    candidate = _candidate(db, user, candidate_id)
    if candidate.erased_at is not None:
        raise Conflict("the candidate's data was erased already")
    return _erase_page(request, user, candidate)


@router.post("/candidates/{candidate_id}/erase", dependencies=[CsrfChecked])
def erase(
    request: Request,
    candidate_id: uuid.UUID,
    db: DbSession,
    user: HumanResources,
    reason: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
) -> Response:
    """Erases the candidate's personal data; the page of the anonymous tombstone follows."""
    candidate = _candidate(db, user, candidate_id)
    if candidate.erased_at is not None:
        raise Conflict("the candidate's data was erased already")
    if reason not in REASONS or confirm != "yes":
        error = N_("Choose why, and tick the box to confirm: erasure cannot be undone.")
        return _erase_page(request, user, candidate, error=error, status=400)
    service.erase_candidate(
        db,
        candidate=candidate,
        reason=service.ErasureReason(reason),
        actor_user_id=user.id,
        ip_address=request.client.host if request.client else "",
    )
    return RedirectResponse(
        request.url_for("candidate", candidate_id=candidate.id).path, status_code=303
    )


# --- settings ----------------------------------------------------------------------------------


def _settings_page(
    request: Request,
    db: DbSession,
    user: User,
    organisation: Organisation,
    *,
    values: dict | None = None,
    error: str | None = None,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "settings/retention.html",
        user=user,
        values=values
        or {
            "rejected_months": organisation.retention_rejected_months,
            "talent_pool_months": organisation.retention_talent_pool_months,
        },
        months_range=MONTHS_RANGE,
        organisation_slug=organisation.slug,
        due_now=len(service.due_for_erasure(db, organisation=organisation, now=utcnow())),
        error=error,
        saved=saved,
        status_code=status_code,
    )


@router.get("/settings/retention", name="retention_settings")
def settings_form(request: Request, db: DbSession, user: Admin, saved: bool = False) -> Response:
    """How long candidates' data is kept after the hiring process ends."""
    organisation = db.get(Organisation, user.organisation_id)
    return _settings_page(request, db, user, organisation, saved=saved)


@router.post("/settings/retention", dependencies=[CsrfChecked])
def save_settings(
    request: Request,
    db: DbSession,
    user: Admin,
    rejected_months: Annotated[str, Form()] = "",
    talent_pool_months: Annotated[str, Form()] = "",
) -> Response:
    """Saves the retention months."""
    organisation = db.get(Organisation, user.organisation_id)
    values = {
        "rejected_months": rejected_months[:10],
        "talent_pool_months": talent_pool_months[:10],
    }
    try:
        months = {
            name: int(value) if value.strip().isdigit() else 0 for name, value in values.items()
        }
        service.update_policy(db, organisation=organisation, **months)
    except AppError as exc:
        return _settings_page(
            request, db, user, organisation, values=values, error=exc.detail, status_code=400
        )
    audit.record(
        db,
        organisation_id=user.organisation_id,
        action="retention_settings.updated",
        object_type="organisation",
        object_id=organisation.id,
        actor_user_id=user.id,
    )
    return RedirectResponse(
        request.url_for("retention_settings").path + "?saved=1", status_code=303
    )
