"""Pages of interview sheets: a role profile's blank sheet from the library, and a vacancy's
sheet, blank or for one candidate, linked to that candidate's scorecard form."""

import uuid
from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi.responses import Response
from fastapi.routing import APIRouter

from app.deps import CurrentUser, DbSession
from app.hiring.service import vacancy_by_id, visible_application
from app.models import Candidate, Locale, Stage, User
from app.profiles.schema import InterviewStage
from app.scorecards.service import is_assigned
from app.sheets.service import library_sheet, sheet_document, vacancy_sheet
from app.web.pages import CsrfChecked, render
from app.web.pdf import sheet_pdf

router = APIRouter(include_in_schema=False)
StageQuery = Annotated[InterviewStage, Query()]
StageForm = Annotated[InterviewStage, Form()]
CandidateForm = Annotated[str, Form(max_length=200)]


def pdf_response(db: DbSession, user: User, context: dict[str, Any]) -> Response:
    html = sheet_document(
        db, organisation_id=user.organisation_id, context=context, locale=Locale(user.locale)
    )
    return Response(
        sheet_pdf(html),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="sheet-{context["stage"].value}.pdf"'
        },
    )


@router.get("/profiles/{profile_id}/sheet", name="interview_sheet")
def profile_sheet(
    request: Request,
    profile_id: uuid.UUID,
    db: DbSession,
    user: CurrentUser,
    stage: StageQuery = InterviewStage.INTERVIEW,
) -> Response:
    """The interview sheet of a stage: instructions, questions, probes, anchored scales with a
    box per level and room for notes; on screen, printable, or as PDF."""
    return _profile_sheet_page(request, db, user, profile_id, stage, candidate="")


@router.post("/profiles/{profile_id}/sheet", dependencies=[CsrfChecked])
def profile_sheet_for_candidate(
    request: Request,
    profile_id: uuid.UUID,
    db: DbSession,
    user: CurrentUser,
    stage: StageForm = InterviewStage.INTERVIEW,
    candidate: CandidateForm = "",
) -> Response:
    """The same sheet with a candidate's name typed in. Posted, so the name stays out of URLs
    (history, access logs, Referer)."""
    return _profile_sheet_page(request, db, user, profile_id, stage, candidate=candidate.strip())


def _profile_sheet_page(
    request: Request,
    db: DbSession,
    user: User,
    profile_id: uuid.UUID,
    stage: InterviewStage,
    *,
    candidate: str,
) -> Response:
    context = library_sheet(
        db,
        organisation_id=user.organisation_id,
        profile_id=profile_id,
        stage=stage,
        candidate=candidate,
    )
    pdf_url = request.url_for("interview_sheet_pdf", profile_id=profile_id).include_query_params(
        stage=stage.value
    )
    return render(
        request,
        "sheets/page.html",
        user=user,
        profile_id=profile_id,
        application=None,
        can_score=False,
        pdf_url=f"{pdf_url.path}?{pdf_url.query}",
        **context,
    )


@router.get("/profiles/{profile_id}/sheet.pdf", name="interview_sheet_pdf")
def profile_sheet_pdf(
    profile_id: uuid.UUID,
    db: DbSession,
    user: CurrentUser,
    stage: StageQuery = InterviewStage.INTERVIEW,
) -> Response:
    """The interview sheet as an A4 PDF with embedded fonts (Cyrillic included)."""
    context = library_sheet(
        db, organisation_id=user.organisation_id, profile_id=profile_id, stage=stage, candidate=""
    )
    return pdf_response(db, user, context)


@router.post("/profiles/{profile_id}/sheet.pdf", dependencies=[CsrfChecked])
def profile_sheet_pdf_for_candidate(
    profile_id: uuid.UUID,
    db: DbSession,
    user: CurrentUser,
    stage: StageForm = InterviewStage.INTERVIEW,
    candidate: CandidateForm = "",
) -> Response:
    """The PDF with a candidate's name typed in (posted, like the page)."""
    context = library_sheet(
        db,
        organisation_id=user.organisation_id,
        profile_id=profile_id,
        stage=stage,
        candidate=candidate.strip(),
    )
    return pdf_response(db, user, context)


def _vacancy_context(
    db: DbSession,
    user: User,
    vacancy_id: uuid.UUID,
    stage: InterviewStage,
    application_id: uuid.UUID | None,
) -> dict[str, Any]:
    vacancy = vacancy_by_id(db, organisation_id=user.organisation_id, vacancy_id=vacancy_id)
    application = None
    candidate = ""
    if application_id is not None:
        application = visible_application(db, user=user, application_id=application_id)
        if application.vacancy_id != vacancy.id:
            application = None
        else:
            candidate = db.get(Candidate, application.candidate_id).full_name
    return {
        "application": application,
        "can_score": application is not None
        and is_assigned(db, application=application, user=user, stage=Stage(stage.value)),
        **vacancy_sheet(db, vacancy=vacancy, stage=stage, candidate=candidate),
    }


@router.get("/vacancies/{vacancy_id}/sheet", name="vacancy_sheet")
def vacancy_sheet_page(
    request: Request,
    vacancy_id: uuid.UUID,
    db: DbSession,
    user: CurrentUser,
    stage: StageQuery = InterviewStage.INTERVIEW,
    application: Annotated[uuid.UUID | None, Query()] = None,
) -> Response:
    """A vacancy's interview sheet of a stage, blank or for one candidate; with a candidate it
    opens the interviewer's scorecard for that stage."""
    context = _vacancy_context(db, user, vacancy_id, stage, application)
    pdf_url = request.url_for("vacancy_sheet_pdf", vacancy_id=vacancy_id).include_query_params(
        stage=stage.value, **({"application": str(application)} if application else {})
    )
    return render(
        request,
        "sheets/page.html",
        user=user,
        profile_id=None,
        pdf_url=f"{pdf_url.path}?{pdf_url.query}",
        **context,
    )


@router.get("/vacancies/{vacancy_id}/sheet.pdf", name="vacancy_sheet_pdf")
def vacancy_sheet_pdf(
    vacancy_id: uuid.UUID,
    db: DbSession,
    user: CurrentUser,
    stage: StageQuery = InterviewStage.INTERVIEW,
    application: Annotated[uuid.UUID | None, Query()] = None,
) -> Response:
    """A vacancy's interview sheet as an A4 PDF."""
    return pdf_response(db, user, _vacancy_context(db, user, vacancy_id, stage, application))
