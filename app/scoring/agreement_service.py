"""How much a vacancy's interviewers agree, read from its submitted scorecards: per criterion,
at one stage or at all, and each interviewer's leniency.

A unit (one thing a panel rates) is an application at a stage. A Scorecard is unique per
application, interviewer and stage, so one person is one rater of a unit, and the same person
rating the same criterion at two stages gives two units, never two raters of one unit (which
would compare a person with themselves, or keep one of the two ratings at random)."""

import uuid
from dataclasses import dataclass

from sqlmodel import Session, select

from app.models import Application, Scorecard, ScorecardStatus, Stage, User, Vacancy
from app.rubrics.schema import Text
from app.scoring.agreement import (
    CriterionAgreement,
    Leniency,
    criterion_agreement,
    leniency,
)
from app.scoring.service import _in_model_order, profile_context


@dataclass(frozen=True)
class VacancyAgreement:
    vacancy_id: uuid.UUID
    stage: Stage | None  # None: every stage, each (application, stage) a unit of its own
    stages: list[Stage]  # to choose from: planned by the profile or rated, in pipeline order
    scorecards: int  # submitted scorecards read
    criteria: list[CriterionAgreement]  # in the profile's order
    interviewers: list[Leniency]
    interviewer_names: dict[str, str]  # by rater_id
    criterion_titles: dict[str, Text]  # by criterion_id, in both languages


def vacancy_agreement(
    session: Session, vacancy: Vacancy, *, stage: Stage | None = None
) -> VacancyAgreement:
    """Returns the interviewers' agreement per criterion and their leniency, at the stage (or
    at every stage, each application at a stage a unit of its own)."""
    context = profile_context(session, vacancy.role_profile_version_id)
    model = context.panel_model
    submitted = (
        select(
            Scorecard.application_id,
            Scorecard.stage,
            Scorecard.interviewer_user_id,
            Scorecard.role_profile_version_id,
            Scorecard.ratings_packed,
        )
        .join(Application, Application.id == Scorecard.application_id)
        .where(
            Application.vacancy_id == vacancy.id,
            Scorecard.status == ScorecardStatus.SUBMITTED,
            Scorecard.ratings_packed.is_not(None),
        )
    )
    if stage is not None:
        submitted = submitted.where(Scorecard.stage == stage)
    rows = session.exec(
        submitted.order_by(Scorecard.application_id, Scorecard.stage, Scorecard.interviewer_user_id)
    ).all()
    cards = [(application, rater, version, blob) for application, _, rater, version, blob in rows]
    panel: dict[tuple[str, str], dict[str, dict[str, int]]] = {}
    rated: set[str] = set()
    for (application_id, card_stage, rater_id, _, _), blob in zip(
        rows, _in_model_order(session, model, cards), strict=True
    ):
        unit = panel.setdefault((str(application_id), Stage(card_stage).value), {})
        levels = blob[: len(model.criterion_ids)]
        for criterion_id, level in zip(model.criterion_ids, levels, strict=True):
            if level:
                unit.setdefault(criterion_id, {})[str(rater_id)] = level
                rated.add(criterion_id)
    if stage is None:
        criterion_ids = list(model.criterion_ids)
    else:
        planned = set(context.stage_criteria(stage.value))
        criterion_ids = [cid for cid in model.criterion_ids if cid in planned or cid in rated]
    interviewers = leniency(panel)
    return VacancyAgreement(
        vacancy_id=vacancy.id,
        stage=stage,
        stages=_stages(session, vacancy, planned=[plan.stage for plan in context.profile.stages]),
        scorecards=len(rows),
        criteria=[criterion_agreement(criterion_id, panel) for criterion_id in criterion_ids],
        interviewers=interviewers,
        interviewer_names=_names(session, [uuid.UUID(item.rater_id) for item in interviewers]),
        criterion_titles={cid: context.criteria[cid][1].title for cid in criterion_ids},
    )


def _stages(session: Session, vacancy: Vacancy, *, planned: list[str]) -> list[Stage]:
    rated = session.exec(
        select(Scorecard.stage)
        .distinct()
        .join(Application, Application.id == Scorecard.application_id)
        .where(Application.vacancy_id == vacancy.id, Scorecard.status == ScorecardStatus.SUBMITTED)
    ).all()
    found = {*planned, *rated}
    return [item for item in Stage if item in found]


def _names(session: Session, user_ids: list[uuid.UUID]) -> dict[str, str]:
    if not user_ids:
        return {}
    rows = session.exec(select(User.id, User.full_name).where(User.id.in_(user_ids))).all()
    return {str(user_id): full_name for user_id, full_name in rows}
