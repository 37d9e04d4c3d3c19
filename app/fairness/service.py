"""Self-identification in the database (recorded with an application, read only here) and
the fairness report of a vacancy at a stage."""

import uuid
from dataclasses import dataclass

from sqlmodel import Session, select

from app.errors import InvalidInput
from app.fairness.categories import Dimension, clean_answers, dimensions_of, parse_categories
from app.fairness.report import Figures, Person, compute, outcome_at
from app.models import (
    Application,
    ApplicationScore,
    Organisation,
    ScoreKind,
    SelfIdentification,
    Stage,
    StageDecision,
    Vacancy,
)
from app.scoring.service import profile_context, unpack_results

MIN_GROUP_SIZE_RANGE = (2, 100)


def record_self_identification(
    session: Session, *, application: Application, answers: dict[str, str]
) -> SelfIdentification | None:
    """Returns the application's self-identification, kept to the organisation's categories;
    nothing is stored when no question was answered."""
    organisation = session.get(Organisation, application.organisation_id)
    cleaned = clean_answers(dimensions_of(organisation), answers)
    row = session.exec(
        select(SelfIdentification).where(SelfIdentification.application_id == application.id)
    ).first()
    if not cleaned:
        return row
    if row is None:
        row = SelfIdentification(
            organisation_id=application.organisation_id, application_id=application.id
        )
    row.answers = cleaned
    session.add(row)
    session.flush()
    return row


def update_settings(
    session: Session, *, organisation: Organisation, categories: str, min_group_size: int
) -> Organisation:
    """Stores the organisation's self-identification questions and minimum group size."""
    low, high = MIN_GROUP_SIZE_RANGE
    if not low <= min_group_size <= high:
        raise InvalidInput(f"the minimum group size is {low} to {high}", field="min_group_size")
    organisation.self_identification_categories = parse_categories(categories)
    organisation.fairness_min_group_size = min_group_size
    session.add(organisation)
    session.flush()
    return organisation


@dataclass(frozen=True)
class FairnessReport:
    vacancy: Vacancy
    stage: Stage
    score_kind: ScoreKind
    min_group_size: int
    dimensions: list[Dimension]
    figures: Figures


def fairness_report(
    session: Session,
    *,
    vacancy: Vacancy,
    stage: Stage,
    score_kind: ScoreKind | None = None,
    locale: str = "ru",
) -> FairnessReport:
    """Returns the report of the vacancy's applications that reached the stage. Scores: the
    kind asked for, else the kind most of them have; only scores on the vacancy's current
    profile version count (as in the comparison of candidates)."""
    organisation = session.get(Organisation, vacancy.organisation_id)
    dimensions = dimensions_of(organisation)
    in_vacancy = (Application.vacancy_id == vacancy.id) & (
        Application.organisation_id == vacancy.organisation_id
    )
    moves: dict[uuid.UUID, list[tuple[Stage, Stage]]] = {}
    for application_id, from_stage, to_stage in session.exec(
        select(StageDecision.application_id, StageDecision.from_stage, StageDecision.to_stage)
        .join(Application, Application.id == StageDecision.application_id)
        .where(in_vacancy)
    ):
        moves.setdefault(application_id, []).append((from_stage, to_stage))
    outcomes = {}
    for application_id, current in session.exec(
        select(Application.id, Application.stage).where(in_vacancy)
    ):
        outcome = outcome_at(stage, current, moves.get(application_id, ()))
        if outcome is not None:
            outcomes[application_id] = outcome
    answers = dict(
        session.exec(
            select(SelfIdentification.application_id, SelfIdentification.answers)
            .join(Application, Application.id == SelfIdentification.application_id)
            .where(in_vacancy)
        ).all()
    )
    scores = {kind: _scores(session, vacancy, kind, in_vacancy) for kind in ScoreKind}
    if score_kind is None:
        # The kind most of them have: screening scores early on, panel scores once
        # interviews have been held (a tie goes to the panel, the better evidence).
        scored = {
            kind: sum(
                1
                for application_id, (total, _) in scores[kind].items()
                if total is not None and application_id in outcomes
            )
            for kind in ScoreKind
        }
        score_kind = max((ScoreKind.PANEL, ScoreKind.SCREENING), key=scored.__getitem__)
    context = profile_context(session, vacancy.role_profile_version_id)
    model = context.panel_model if score_kind == ScoreKind.PANEL else context.screening_model
    criterion_ids = [spec.id for spec in model.criteria]
    people = []
    for application_id, outcome in outcomes.items():
        total, packed = scores[score_kind].get(application_id, (None, None))
        ratings = {}
        if packed is not None:
            panel, _, _, _ = unpack_results(packed, len(criterion_ids))
            ratings = {
                cid: value
                for cid, value in zip(criterion_ids, panel, strict=True)
                if value is not None
            }
        people.append(
            Person(
                outcome=outcome,
                answers=answers.get(application_id, {}),
                score=total,
                ratings=ratings,
            )
        )
    # Criteria nobody was rated on at this point (another stage's) would be empty rows.
    criteria = [
        (cid, context.criteria[cid][1].title.in_(locale))
        for cid in criterion_ids
        if any(cid in person.ratings for person in people)
    ]
    return FairnessReport(
        vacancy=vacancy,
        stage=stage,
        score_kind=score_kind,
        min_group_size=organisation.fairness_min_group_size,
        dimensions=dimensions,
        figures=compute(
            people,
            dimensions,
            min_group_size=organisation.fairness_min_group_size,
            criteria=criteria,
            locale=locale,
        ),
    )


def _scores(
    session: Session, vacancy: Vacancy, kind: ScoreKind, in_vacancy: object
) -> dict[uuid.UUID, tuple[float | None, bytes]]:
    """Returns the total and packed criteria of each application's score of the kind."""
    rows = session.exec(
        select(
            ApplicationScore.application_id,
            ApplicationScore.total,
            ApplicationScore.criteria_packed,
        )
        .join(Application, Application.id == ApplicationScore.application_id)
        .where(
            in_vacancy,
            ApplicationScore.kind == kind,
            ApplicationScore.role_profile_version_id == vacancy.role_profile_version_id,
        )
    )
    return {application_id: (total, packed) for application_id, total, packed in rows}
