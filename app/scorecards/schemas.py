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
    row_version: int = Field(
        description="Bumped by every save: send it back as If-Match to refuse a stale write."
    )
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


ICC_READINGS = "poor, moderate, good, excellent (Koo & Li 2016), or: not enough data"


class CriterionAgreementOut(BaseModel):
    criterion_id: str
    units: int = Field(
        description="Units (an application at a stage) rated on the criterion by two or more "
        "interviewers: what alpha is computed on."
    )
    icc_units: int = Field(
        description="Units of the largest complete block (the same interviewers on every "
        "unit): what the ICC is computed on."
    )
    k: int = Field(
        description="Interviewers of that block: the ratings averaged per unit in ICC(2,k); "
        "0 when there is not enough data."
    )
    icc_single: float | None = Field(
        description="ICC(2,1): two-way random effects, absolute agreement, one rater's "
        "rating. Null: not enough data (fewer than 3 units)."
    )
    icc_single_low: float | None = Field(description="ICC(2,1)'s 95% confidence interval.")
    icc_single_high: float | None
    icc_average: float | None = Field(description="ICC(2,k): the mean of the k ratings.")
    icc_average_low: float | None = Field(description="ICC(2,k)'s 95% confidence interval.")
    icc_average_high: float | None
    icc_reading: str = Field(description=f"Of ICC(2,1): {ICC_READINGS}.")
    icc_average_reading: str = Field(description=f"Of ICC(2,k): {ICC_READINGS}.")
    alpha: float | None = Field(description="Krippendorff's alpha, ordinal, on every unit.")
    alpha_reading: str = Field(
        description="unreliable (below 0.667), tentative (below 0.8), reliable, "
        "or: not enough data."
    )


class LeniencyOut(BaseModel):
    rater_id: uuid.UUID
    ratings: int = Field(description="Ratings compared with at least one colleague's.")
    offset: float = Field(
        description="Mean of (own rating - the colleagues' mean) on the same unit and "
        "criterion; above 0: more lenient than the panel."
    )


class AgreementOut(BaseModel):
    """How much the interviewers agree. A unit is an application at a stage: one interviewer
    rating at two stages gives two units, never two raters of one."""

    # The document leaves out null values, examples' too: this one has none.
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "stage": "interview",
                    "stages": ["interview", "work_sample"],
                    "scorecards": 18,
                    "criteria": [
                        {
                            "criterion_id": "communicability.criticism",
                            "units": 6,
                            "icc_units": 6,
                            "k": 3,
                            "icc_single": 0.81,
                            "icc_single_low": 0.49,
                            "icc_single_high": 0.96,
                            "icc_average": 0.93,
                            "icc_average_low": 0.74,
                            "icc_average_high": 0.99,
                            "icc_reading": "good",
                            "icc_average_reading": "excellent",
                            "alpha": 0.83,
                            "alpha_reading": "reliable",
                        },
                        {
                            "criterion_id": "flexibility.out_of_hours",
                            "units": 6,
                            "icc_units": 5,
                            "k": 2,
                            "icc_single": 0.52,
                            "icc_single_low": -0.31,
                            "icc_single_high": 0.93,
                            "icc_average": 0.68,
                            "icc_average_low": -0.9,
                            "icc_average_high": 0.96,
                            "icc_reading": "moderate",
                            "icc_average_reading": "moderate",
                            "alpha": 0.55,
                            "alpha_reading": "unreliable",
                        },
                    ],
                    "interviewers": [
                        {
                            "rater_id": "01965f3d-2e3f-7041-8c5d-6e7f80910213",
                            "ratings": 12,
                            "offset": 0.42,
                        },
                        {
                            "rater_id": "01965f3d-2e3f-7041-8c5d-6e7f80910214",
                            "ratings": 12,
                            "offset": -0.25,
                        },
                    ],
                }
            ]
        }
    )

    stage: Stage | None = Field(description="The stage asked for; null: every stage.")
    stages: list[Stage] = Field(
        description="The stages to ask about: planned by the profile or with submitted scorecards."
    )
    scorecards: int = Field(description="Submitted scorecards read.")
    criteria: list[CriterionAgreementOut] = Field(
        description="Every criterion of the profile; at a stage, those planned or rated there."
    )
    interviewers: list[LeniencyOut]


class RescoreOut(BaseModel):
    applications: int
    scorecards: int
    ratings: int
    seconds: float
    role_profile_version_id: uuid.UUID


def score_out(payload: dict[str, Any]) -> ScoreOut:
    return ScoreOut.model_validate(payload)
