"""Pages of the fairness report (HR and admins): a vacancy's report at a stage, as a page
(printable) and as CSV; and the admins' settings of the self-identification questions."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app import audit
from app.deps import DbSession, ProfileManager, require_role
from app.errors import AppError, InvalidInput
from app.fairness import service
from app.fairness.categories import categories_text, dimensions_of
from app.fairness.report import FOUR_FIFTHS, REPORT_STAGES, figures_csv
from app.hiring.service import vacancy_by_id
from app.models import Organisation, ScoreKind, Stage, User, UserRole
from app.web.pages import CsrfChecked, render

router = APIRouter(include_in_schema=False)
# Self-identification is for HR's aggregate view only: recruiters and interviewers, who
# decide about and assess people, never see it (403, like the other HR pages).
HumanResources = ProfileManager
Admin = Annotated[User, require_role(UserRole.ADMIN)]


def _report(
    db: DbSession, user: User, vacancy_id: uuid.UUID, stage: Stage, score: ScoreKind | None
) -> service.FairnessReport:
    if stage not in REPORT_STAGES:
        raise InvalidInput("the report is about a stage that has a next one", field="stage")
    vacancy = vacancy_by_id(db, organisation_id=user.organisation_id, vacancy_id=vacancy_id)
    report = service.fairness_report(
        db, vacancy=vacancy, stage=stage, score_kind=score, locale=user.locale.value
    )
    audit.record(
        db,
        organisation_id=user.organisation_id,
        action="fairness_report.read",
        object_type="vacancy",
        object_id=vacancy.id,
        actor_user_id=user.id,
    )
    return report


@router.get("/vacancies/{vacancy_id}/fairness", name="fairness_report")
def fairness_page(
    request: Request,
    vacancy_id: uuid.UUID,
    db: DbSession,
    user: HumanResources,
    stage: Stage = Stage.APPLIED,
    score: ScoreKind | None = None,
) -> Response:
    """Selection and scoring rates per self-identified category at a stage of the vacancy."""
    report = _report(db, user, vacancy_id, stage, score)
    return render(
        request,
        "fairness/report.html",
        user=user,
        report=report,
        figures=report.figures,
        stages=REPORT_STAGES,
        score_kinds=list(ScoreKind),
        four_fifths=FOUR_FIFTHS,
    )


@router.get("/vacancies/{vacancy_id}/fairness.csv", name="fairness_csv")
def fairness_csv(
    vacancy_id: uuid.UUID,
    db: DbSession,
    user: HumanResources,
    stage: Stage = Stage.APPLIED,
    score: ScoreKind | None = None,
) -> Response:
    """The same figures as CSV: a row per group and measure."""
    report = _report(db, user, vacancy_id, stage, score)
    name = f"fairness-{report.vacancy.id}-{stage.value}.csv"
    return Response(
        figures_csv(report.figures),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _settings_page(
    request: Request,
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
        "settings/self_identification.html",
        user=user,
        values=values
        or {
            "categories": categories_text(dimensions_of(organisation)),
            "min_group_size": organisation.fairness_min_group_size,
        },
        error=error,
        saved=saved,
        status_code=status_code,
    )


@router.get("/settings/self-identification", name="self_identification_settings")
def settings_form(request: Request, db: DbSession, user: Admin, saved: bool = False) -> Response:
    """The questions candidates may answer, and the report's minimum group size."""
    return _settings_page(request, user, db.get(Organisation, user.organisation_id), saved=saved)


@router.post("/settings/self-identification", dependencies=[CsrfChecked])
def save_settings(
    request: Request,
    db: DbSession,
    user: Admin,
    categories: Annotated[str, Form()] = "",
    min_group_size: Annotated[str, Form()] = "",
) -> Response:
    """Saves the questions and the minimum group size."""
    organisation = db.get(Organisation, user.organisation_id)
    values = {"categories": categories[:20_000], "min_group_size": min_group_size[:10]}
    try:
        size = int(values["min_group_size"])
    except ValueError:
        size = 0  # refused below with the range
    try:
        service.update_settings(
            db, organisation=organisation, categories=values["categories"], min_group_size=size
        )
    except AppError as exc:
        return _settings_page(
            request, user, organisation, values=values, error=exc.detail, status_code=400
        )
    audit.record(
        db,
        organisation_id=user.organisation_id,
        action="self_identification_settings.updated",
        object_type="organisation",
        object_id=organisation.id,
        actor_user_id=user.id,
    )
    return RedirectResponse(
        request.url_for("self_identification_settings").path + "?saved=1", status_code=303
    )
