"""Interview sheets: what a stage of a role profile asks, as a page, a document or a PDF. A
vacancy's sheet follows the profile version the vacancy scores with; the library's sheet, the
profile's latest version."""

import uuid
from typing import Any

from sqlmodel import Session

from app.i18n import gettext_for
from app.models import Locale, Vacancy
from app.profiles.schema import InterviewStage, RoleProfile
from app.rubrics import service
from app.rubrics.schema import Criterion
from app.rubrics.schema import Rubric as RubricDocument
from app.scoring.service import profile_context
from app.templating.sandbox import run
from app.templating.store import template_for
from app.web.labels import all_labels


def sheet_context(
    profile: RoleProfile,
    criteria: dict[str, tuple[RubricDocument, Criterion]],
    *,
    stage: InterviewStage,
    candidate: str,
    vacancy: Vacancy | None = None,
) -> dict[str, Any]:
    """Returns what the sheet templates show: the criteria of the stage, in the profile's order."""
    ids = [cid for plan in profile.stages if plan.stage == stage for cid in plan.criteria]
    return {
        "profile": profile,
        "vacancy": vacancy,
        "stage": stage,
        "stages": [plan.stage for plan in profile.stages],
        "candidate": candidate,
        "items": [criteria[cid] for cid in ids if cid in criteria],
        "context": profile.context,
    }


def library_sheet(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    profile_id: uuid.UUID,
    stage: InterviewStage,
    candidate: str,
) -> dict[str, Any]:
    """The sheet of a role profile's latest version."""
    stored = service.profile_by_id(session, organisation_id=organisation_id, profile_id=profile_id)
    criteria = service.criteria_for(session, organisation_id=organisation_id)
    documents = {cid: (rubric.document, criterion) for cid, (rubric, criterion) in criteria.items()}
    return sheet_context(stored.document, documents, stage=stage, candidate=candidate)


def vacancy_sheet(
    session: Session, *, vacancy: Vacancy, stage: InterviewStage, candidate: str
) -> dict[str, Any]:
    """The sheet of the profile version the vacancy's scorecards use."""
    context = profile_context(session, vacancy.role_profile_version_id)
    return sheet_context(
        context.profile, context.criteria, stage=stage, candidate=candidate, vacancy=vacancy
    )


def sheet_document(
    session: Session, *, organisation_id: uuid.UUID, context: dict[str, Any], locale: Locale
) -> str:
    """Returns the sheet as a standalone HTML document (A4 print styles, for the PDF), through
    the organisation's own template if it has one."""
    template = template_for(session, organisation_id=organisation_id, name="sheet.html")
    return run(template, document_context(context, locale))


def document_context(context: dict[str, Any], locale: Locale) -> dict[str, Any]:
    return {"_": gettext_for(locale), "locale": locale.value, **all_labels(), **context}
