"""API shapes of scorecards, scores, decisions and interviewer agreement."""

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.api.contract import RequestBody
from app.models import Decision, EvidenceSource, Recommendation, ScorecardStatus, Stage


class RatingIn(RequestBody):
    criterion_id: str
    rating: int | None = Field(description="A level of the criterion's scale; null: not assessed.")
    evidence: str = Field(
        default="", max_length=10_000, description="What the candidate said or did."
    )
    evidence_source: EvidenceSource = EvidenceSource.INTERVIEW


class ScorecardStart(RequestBody):
    model_config = ConfigDict(json_schema_extra={"examples": [{"stage": "interview"}]})

    stage: Stage


class ScorecardPatch(RequestBody):
    """Any part of a draft; autosave sends what changed."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "ratings": [
                        {
                            "criterion_id": "communicability.listening",
                            "rating": 3,
                            "evidence": "Пересказала жалобу подписчика и спросила, "
                            "чего он ждёт, прежде чем предлагать решение.",
                            "evidence_source": "interview",
                        },
                        {"criterion_id": "organisation.deadlines", "rating": 2},
                    ],
                    "recommendation": "yes",
                    "summary": "Сильна в общении с аудиторией; контент-план ведёт сама.",
                }
            ]
        }
    )

    ratings: list[RatingIn] = []
    recommendation: Recommendation | None = None
    summary: str | None = Field(default=None, max_length=20_000)


class ScorecardCorrection(RequestBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "ratings": [
                        {
                            "criterion_id": "implementation.editorial_calendar",
                            "rating": 2,
                            "evidence": "Календарь показала, но без рубрик и сроков согласования.",
                            "evidence_source": "work_sample",
                        }
                    ],
                    "reason": "Оценка стояла у соседнего критерия: перенёс после сверки записей.",
                }
            ]
        }
    )

    ratings: list[RatingIn] = Field(min_length=1)
    reason: str = Field(min_length=1, max_length=2_000)


class RatingOut(RatingIn):
    updated_at: datetime


class ScorecardOut(BaseModel):
    id: uuid.UUID
    application_id: uuid.UUID
    interviewer_user_id: uuid.UUID
    stage: Stage
    status: ScorecardStatus
    version: int
    role_profile_version_id: uuid.UUID
    rubric_version_ids: list[uuid.UUID]
    recommendation: Recommendation | None
    summary: str
    submitted_at: datetime | None
    updated_at: datetime
    ratings: list[RatingOut]


class CriterionExplanation(BaseModel):
    criterion_id: str
    title: str
    section: str
    weight: float = Field(description="Share of the whole score when everything is assessed.")
    scale_min: int = Field(description="The lowest level of the criterion's scale.")
    scale_max: int = Field(description="The highest level of the criterion's scale.")
    rating: float | None = Field(
        description="The panel rating on the criterion's scale (evidence-weighted mean or "
        "median of the ratings, rounded to hundredths); null: not assessed."
    )
    normalised_rating: float | None = Field(
        description="(rating - scale_min) / (scale_max - scale_min): the ordinal scale mapped "
        "linearly to 0..1."
    )
    spread: float | None = Field(
        description="The largest difference between two raters of one stage, in scale points."
    )
    disagreement: bool = Field(
        description="Two raters of one stage differ by 2 or more points: discuss at the debrief."
    )
    contribution: float = Field(
        description="Points of the total: weight x normalised_rating / coverage x 100, in "
        "hundredths; the contributions add up to the total."
    )
    must_have: Literal["met", "not_met", "not_assessed"] | None = Field(
        description="For a must-have, the status the scoring engine decided (exactly, on the "
        "unrounded ratings) and stored with the score; null: not a must-have."
    )
    must_have_threshold: int | None = Field(description="The must-have's lowest passing level.")


class SectionScore(BaseModel):
    score: float | None
    coverage: float


class ScoreOut(BaseModel):
    """A stored score and its explanation. Scores inform people; they decide nothing."""

    kind: str = Field(description="panel: from scorecards; screening: from the candidate's data.")
    total: float | None
    coverage: float
    provisional: bool
    outcome: str
    band: str | None = Field(
        description="Quality band of the total; null when the result does not meet a "
        "must-have, is incomplete or provisional."
    )
    formula: str = Field(description="How each criterion's contribution is computed.")
    evidence_weighting: Literal["validity", "equal"] = Field(
        description="validity: ratings weigh by the published validity of their evidence; "
        "equal: every kind of evidence counts the same (the organisation's setting)."
    )
    evidence_weights: dict[str, float]
    sections: dict[str, SectionScore]
    criteria: list[CriterionExplanation]
    role_profile_version_id: uuid.UUID
    rubric_version_ids: list[uuid.UUID]
    inputs_sha256: str
    computed_at: datetime
    years_in_range: bool | None = None
    missing_platforms: list[str] | None = None


class ApplicationScores(BaseModel):
    panel: ScoreOut | None
    screening: ScoreOut | None


class DecisionIn(RequestBody):
    """A person's decision: advance (forward along the vacancy's stages), reopen (back to an
    earlier stage, or a rejected or withdrawn application back in), hold, reject or
    withdraw. A hire without a submitted scorecard from interview, work sample or final
    needs `override` with its own `override_reason`."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "decision": "advance",
                    "to_stage": "work_sample",
                    "reason": "Панель единогласно за: критерии «обязательно» пройдены.",
                },
                {
                    "decision": "advance",
                    "to_stage": "hired",
                    "reason": "Кандидат принял предложение.",
                    "override": True,
                    "override_reason": "Собеседование провёл директор, оценку он не заполняет.",
                },
            ]
        }
    )

    decision: Decision
    to_stage: Stage
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5_000)]
    override: bool = Field(
        default=False,
        description="Hire without a submitted scorecard from interview, work sample or final.",
    )
    override_reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=5_000)] = (
        Field(default="", description="Why the hire goes ahead without one; needed with override.")
    )


class DecisionOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "01965f41-6273-7485-9091-021324354657",
                    "application_id": "01965f3e-3f40-7152-8d6e-7f8091021324",
                    "decision": "advance",
                    "from_stage": "interview",
                    "to_stage": "work_sample",
                    "reason": "Панель единогласно за: критерии «обязательно» пройдены.",
                    "override": False,
                    "override_reason": "",
                    "decided_by_user_id": "01965f3d-2e3f-7041-8c5d-6e7f80910213",
                    "decided_at": "2025-03-19T16:20:00Z",
                }
            ]
        }
    )

    id: uuid.UUID
    application_id: uuid.UUID
    decision: Decision
    from_stage: Stage
    to_stage: Stage
    reason: str
    # A hire without a submitted scorecard after screening, and why.
    override: bool
    override_reason: str
    decided_by_user_id: uuid.UUID | None
    decided_at: datetime


class CriterionAgreementOut(BaseModel):
    criterion_id: str
    units: int
    icc_single: float | None
    icc_average: float | None
    icc_raters: int
    icc_reading: str
    alpha: float | None
    alpha_reading: str


class LeniencyOut(BaseModel):
    rater_id: uuid.UUID
    ratings: int
    offset: float


class AgreementOut(BaseModel):
    criteria: list[CriterionAgreementOut]
    interviewers: list[LeniencyOut]


class RescoreOut(BaseModel):
    applications: int
    scorecards: int
    ratings: int
    seconds: float
    role_profile_version_id: uuid.UUID


def score_out(payload: dict[str, Any]) -> ScoreOut:
    return ScoreOut.model_validate(payload)
