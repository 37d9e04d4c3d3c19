"""Scorecards in the form the big ATSs use: an overall recommendation of definitely_not, no,
yes, strong_yes or no_decision, and a rating with a note per criterion. Mapped both ways."""

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from app.api.contract import RequestBody
from app.models import Recommendation, Scorecard, Stage
from app.scorecards import service

AtsRecommendation = Literal["definitely_not", "no", "yes", "strong_yes", "no_decision"]
TO_ATS: dict[Recommendation | None, AtsRecommendation] = {
    Recommendation.STRONG_NO: "definitely_not",
    Recommendation.NO: "no",
    Recommendation.YES: "yes",
    Recommendation.STRONG_YES: "strong_yes",
    None: "no_decision",
}
FROM_ATS = {ats: ours for ours, ats in TO_ATS.items()}


class AtsRating(RequestBody):
    criterion_id: str = Field(max_length=100, examples=["communicability.listening"])
    rating: int | None = Field(description="A level of the criterion's scale; null: not assessed.")
    note: str = Field(default="", max_length=10_000)


class AtsScorecardIn(RequestBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "stage": "interview",
                    "overall_recommendation": "strong_yes",
                    "ratings": [
                        {
                            "criterion_id": "communicability.listening",
                            "rating": 4,
                            "note": "Разобрала конфликт в комментариях по шагам.",
                        },
                        {
                            "criterion_id": "monitoring.trends",
                            "rating": 3,
                            "note": "Следит за трендами VK Клипов, приводит свежие примеры.",
                        },
                    ],
                    "summary": "Готова вести сообщество с первого дня.",
                    "submit": True,
                }
            ]
        }
    )

    stage: Stage
    overall_recommendation: AtsRecommendation = "no_decision"
    ratings: list[AtsRating] = Field(default=[], max_length=200)
    summary: str = Field(default="", max_length=20_000)
    submit: bool = Field(default=True, description="false keeps it a draft")


class AtsScorecard(BaseModel):
    id: uuid.UUID
    application_id: uuid.UUID
    interviewer_user_id: uuid.UUID
    stage: Stage
    status: str
    submitted_at: datetime | None
    overall_recommendation: AtsRecommendation
    ratings: list[AtsRating]
    summary: str


def to_ats(session: Session, scorecard: Scorecard) -> AtsScorecard:
    return AtsScorecard(
        id=scorecard.id,
        application_id=scorecard.application_id,
        interviewer_user_id=scorecard.interviewer_user_id,
        stage=scorecard.stage,
        status=scorecard.status.value,
        submitted_at=scorecard.submitted_at,
        overall_recommendation=TO_ATS[scorecard.recommendation],
        ratings=[
            AtsRating(criterion_id=r.criterion_id, rating=r.rating, note=r.evidence)
            for r in service.ratings_of(session, scorecard)
        ],
        summary=scorecard.summary,
    )


def changes_from_ats(form: AtsScorecardIn) -> list[service.RatingChange]:
    return [service.RatingChange(r.criterion_id, r.rating, r.note) for r in form.ratings]
