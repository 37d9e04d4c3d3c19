"""REST operations of candidate data rights: the export of everything held about a candidate
and their erasure. Both hold or touch self-identification, which only HR sees: the call acts
for an HR or admin user (On-Behalf-Of) or is made with an admin key."""

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from app import audit
from app.api.contract import RequestBody
from app.api.problems import PROBLEM_RESPONSES
from app.deps import ApiCaller, DbSession, require_scope
from app.errors import Forbidden
from app.hiring.api import CallerCandidate
from app.models import UserRole
from app.privacy import service
from app.privacy.service import ErasureReason

router = APIRouter(tags=["candidates"])
ERRORS = {status: PROBLEM_RESPONSES[status] for status in (401, 403, 404, 422)}


def _for_hr(caller: ApiCaller) -> ApiCaller:
    if "admin" in caller.api_key.scopes:
        return caller
    person = caller.on_behalf_of
    if person is None or person.role not in (UserRole.ADMIN, UserRole.HR):
        raise Forbidden(
            "a candidate's data export and erasure are for HR and admins: name one in "
            "On-Behalf-Of, or use an admin key"
        )
    return caller


def export_caller(caller: Annotated[ApiCaller, require_scope("candidates:read")]) -> ApiCaller:
    return _for_hr(caller)


def erase_caller(caller: Annotated[ApiCaller, require_scope("candidates:write")]) -> ApiCaller:
    return _for_hr(caller)


Rows = list[dict[str, Any]]


class CandidateDataExport(BaseModel):
    """Everything held about a candidate: a key per table their data sits in."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "format": service.EXPORT_FORMAT,
                    "exported_at": "2025-04-02T09:00:00+00:00",
                    "organisation": {"id": "01965f3a-0000-7000-8000-000000000001", "name": "Лапы"},
                    "candidates": {
                        "id": "01965f3c-1d2e-7f30-9b4c-5d6e7f809102",
                        "full_name": "Вера Кандидатова",
                        "email": "vera@example.org",
                        "phone": "+7 912 345-67-89",
                        "location": "Казань",
                        "source": "careers",
                        "external_id": None,
                        "profile": {"years_in_smm": 3},
                        "notes": "",
                        "created_at": "2025-03-14T10:31:02+00:00",
                        "updated_at": "2025-03-20T08:15:47+00:00",
                        "erased_at": None,
                    },
                    "consents": [
                        {
                            "purpose": "application",
                            "text": "Я согласна на обработку моих персональных данных...",
                            "given_at": "2025-03-14T10:31:02+00:00",
                        }
                    ],
                    "retention": {
                        "basis": "in_process",
                        "process_ended_at": None,
                        "erase_on": None,
                    },
                    "applications": [],
                    "stage_decisions": [],
                    "interviewer_assignments": [],
                    "scorecards": [],
                    "criterion_ratings": [],
                    "scorecard_revisions": [],
                    "application_scores": [],
                    "self_identifications": [],
                    "interview_sheets": [],
                    "audit_events": [],
                }
            ]
        }
    )

    format: str
    exported_at: datetime
    organisation: dict[str, Any]
    candidates: dict[str, Any] = Field(description="The candidate's own row: profile, contacts.")
    consents: Rows = Field(description="Each consent with its text, word for word, and time.")
    retention: dict[str, Any] = Field(description="When the retention policy erases the data.")
    applications: Rows
    stage_decisions: Rows
    interviewer_assignments: Rows
    scorecards: Rows
    criterion_ratings: Rows = Field(description="Each rating with the evidence written for it.")
    scorecard_revisions: Rows
    application_scores: Rows = Field(description="Each stored score with its explanation.")
    self_identifications: Rows = Field(
        description="Voluntary self-identification, labelled: for the fairness report only."
    )
    interview_sheets: Rows
    audit_events: Rows = Field(description="Audit log entries about the candidate, ids only.")


class ErasureIn(RequestBody):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "candidate_request"}]})

    reason: ErasureReason = Field(
        default=ErasureReason.CANDIDATE_REQUEST,
        description="Why: a code, kept in the audit log (free text could name the person).",
    )


class ErasureOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "candidate_id": "01965f3c-1d2e-7f30-9b4c-5d6e7f809102",
                    "erased_at": "2025-04-02T09:05:00+00:00",
                    "reason": "candidate_request",
                    "audit_event_id": "01965f3d-0000-7000-8000-000000000042",
                }
            ]
        }
    )

    candidate_id: uuid.UUID
    erased_at: datetime
    reason: ErasureReason
    audit_event_id: uuid.UUID


@router.get("/candidates/{candidate_id}/data-export", responses=ERRORS)
def export_candidate_data(
    candidate: CallerCandidate,
    db: DbSession,
    caller: Annotated[ApiCaller, Depends(export_caller)],
    locale: Annotated[str, Query(pattern="^(ru|en)$")] = "ru",
) -> CandidateDataExport:
    """Everything held about the candidate (a data subject's access request): profile,
    consents, applications, decisions, scorecards with evidence, scores with explanations,
    self-identification, generated documents and the ids of audit entries about them."""
    audit.record_call(
        db,
        caller,
        action="candidate.data_exported",
        object_type="candidate",
        object_id=candidate.id,
        details={"format": "api"},
    )
    return CandidateDataExport.model_validate(
        service.export_candidate(db, candidate=candidate, locale=locale)
    )


@router.post("/candidates/{candidate_id}/erase", responses=ERRORS)
def erase_candidate(
    candidate: CallerCandidate,
    body: ErasureIn,
    db: DbSession,
    caller: Annotated[ApiCaller, Depends(erase_caller)],
) -> ErasureOut:
    """Erases the candidate's personal data in every table; ratings and scores stay as
    anonymous numbers. Audited with the reason; the candidate is 404 afterwards."""
    event = service.erase_candidate(
        db,
        candidate=candidate,
        reason=body.reason,
        actor_api_key_id=caller.api_key.id,
        on_behalf_of_user_id=caller.on_behalf_of.id if caller.on_behalf_of else None,
    )
    return ErasureOut(
        candidate_id=candidate.id,
        erased_at=candidate.erased_at,
        reason=body.reason,
        audit_event_id=event.id,
    )
