"""Interview sheets: what a stage of a role profile asks, as a page, a document or a PDF."""

import uuid
from typing import Any

from sqlmodel import Session

from app.i18n import gettext_for
from app.models import Locale
from app.profiles.schema import InterviewStage
from app.rubrics import service
from app.web.labels import all_labels
from app.web.pages import templates


def sheet_context(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    profile_id: uuid.UUID,
    stage: InterviewStage,
    candidate: str,
) -> dict[str, Any]:
    """Returns what the sheet templates show: the criteria of the stage, in the profile's order."""
    stored = service.profile_by_id(session, organisation_id=organisation_id, profile_id=profile_id)
    criteria = service.criteria_for(session, organisation_id=organisation_id)
    ids = [cid for plan in stored.document.stages if plan.stage == stage for cid in plan.criteria]
    return {
        "stored": stored,
        "stage": stage,
        "stages": [plan.stage for plan in stored.document.stages],
        "candidate": candidate,
        "items": [(criteria[cid][0].document, criteria[cid][1]) for cid in ids if cid in criteria],
        "context": stored.document.context,
    }


def sheet_document(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    profile_id: uuid.UUID,
    stage: InterviewStage,
    candidate: str,
    locale: Locale,
) -> str:
    """Returns the sheet as a standalone HTML document (A4 print styles, for the PDF)."""
    context = sheet_context(
        session,
        organisation_id=organisation_id,
        profile_id=profile_id,
        stage=stage,
        candidate=candidate,
    )
    return templates.env.get_template("sheets/interview.html").render(
        _=gettext_for(locale), locale=locale.value, **all_labels(), **context
    )
