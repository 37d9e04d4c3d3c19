"""REST operation for interview sheets: a vacancy's sheet of a stage, blank or for one
candidate, as an HTML document or a PDF."""

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.api.problems import PROBLEM_RESPONSES
from app.deps import ApiCaller, DbSession, require_scope
from app.errors import NotFound
from app.hiring.service import application_by_id, vacancy_by_id
from app.models import Candidate, Locale
from app.profiles.schema import InterviewStage
from app.sheets.service import sheet_document, vacancy_sheet
from app.web.pdf import sheet_pdf

router = APIRouter(tags=["interview sheets"])
Reader = Annotated[ApiCaller, require_scope("scorecards:read")]
ERRORS = {status: PROBLEM_RESPONSES[status] for status in (401, 403, 404, 422)}


@router.get(
    "/vacancies/{vacancy_id}/sheet",
    response_class=Response,
    responses={
        **ERRORS,
        200: {
            "content": {"text/html": {}, "application/pdf": {}},
            "description": "The interview sheet",
        },
        503: PROBLEM_RESPONSES[503],
    },
)
def get_sheet(
    vacancy_id: uuid.UUID,
    db: DbSession,
    caller: Reader,
    stage: InterviewStage = InterviewStage.INTERVIEW,
    application_id: Annotated[
        uuid.UUID | None, Query(description="For one candidate; blank without.")
    ] = None,
    locale: Locale = Locale.RU,
    format: Literal["html", "pdf"] = "pdf",
) -> Response:
    """The interview sheet of a vacancy's stage: instructions, the stage's criteria with their
    questions, probes and anchored scales, room for evidence and the overall recommendation."""
    organisation_id = caller.organisation.id
    vacancy = vacancy_by_id(db, organisation_id=organisation_id, vacancy_id=vacancy_id)
    candidate = ""
    if application_id is not None:
        application = application_by_id(
            db, organisation_id=organisation_id, application_id=application_id
        )
        if application.vacancy_id != vacancy.id:
            raise NotFound("no such application in this vacancy")
        candidate = db.get(Candidate, application.candidate_id).full_name
    context = vacancy_sheet(db, vacancy=vacancy, stage=stage, candidate=candidate)
    html = sheet_document(db, organisation_id=organisation_id, context=context, locale=locale)
    if format == "html":
        return Response(html, media_type="text/html; charset=utf-8")
    return Response(
        sheet_pdf(html),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="sheet-{stage.value}.pdf"'},
    )
