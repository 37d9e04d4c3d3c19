"""The role profile document: which criteria a role is assessed on, how they weigh, and terms.

Pure data validation, like the rubric schema; documented in rubrics/profiles/README.md.
"""

import enum
from typing import Annotated, Literal

from pydantic import Field, StrictInt, StringConstraints

from app.rubrics.schema import Category, Identifier, Strict, Text


class Platform(enum.StrEnum):
    VK = "vk"
    TELEGRAM = "telegram"
    ODNOKLASSNIKI = "odnoklassniki"
    DZEN = "dzen"
    RUTUBE = "rutube"
    YOUTUBE = "youtube"
    LINKEDIN = "linkedin"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    TWITTER = "twitter"
    TIKTOK = "tiktok"
    PINTEREST = "pinterest"


class FunnelStage(enum.StrEnum):
    """The article's chain: awareness, then more potential customers (leads), then sales."""

    AWARENESS = "awareness"
    ENGAGEMENT = "engagement"
    LEADS = "leads"
    SALES = "sales"


class InterviewStage(enum.StrEnum):
    SCREENING = "screening"
    INTERVIEW = "interview"
    WORK_SAMPLE = "work_sample"
    FINAL = "final"


class Level(enum.StrEnum):
    JUNIOR = "junior"
    MIDDLE = "middle"
    SENIOR = "senior"
    LEAD = "lead"


class CriterionPick(Strict):
    id: Identifier
    # None: the criterion's default weight from its rubric.
    weight: float | None = Field(default=None, ge=0)


class MustHave(Strict):
    """A criterion whose panel rating must reach min_rating, whatever the total."""

    criterion: Identifier
    # A level of the criterion's scale (checked against it); 1.0 is refused like 1.5.
    min_rating: StrictInt = Field(ge=0)


class StagePlan(Strict):
    stage: InterviewStage
    criteria: list[Identifier] = Field(min_length=1)


class Kpi(Strict):
    funnel: FunnelStage
    metric: Text


class ExperienceRange(Strict):
    min_years: float = Field(default=0, ge=0, le=50)
    max_years: float | None = Field(default=None, ge=0, le=50)


class Platforms(Strict):
    required: list[Platform] = []
    optional: list[Platform] = []


class CompanyContext(Strict):
    """What the organisation stands for; it drives the audience-alignment criterion and the ad."""

    cause: str = ""
    audience: str = ""
    tone: Literal["formal", "friendly"] = "friendly"


class Terms(Strict):
    location: str = ""
    remote: Literal["office", "hybrid", "remote"] = "hybrid"
    schedule: str = ""
    employment_type: Literal["FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN"] = (
        "FULL_TIME"
    )
    salary_min: int | None = Field(default=None, ge=0)
    salary_max: int | None = Field(default=None, ge=0)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "RUB"
    # Where remote candidates may live (ISO 3166 code), for job postings.
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = "RU"


class RoleProfile(Strict):
    id: Identifier
    title: Text
    summary: Text
    level: Level
    section_weights: dict[Category, float]
    criteria: list[CriterionPick] = Field(min_length=1)
    must_haves: list[MustHave] = []
    experience: ExperienceRange = ExperienceRange()
    platforms: Platforms = Platforms()
    kpis: list[Kpi] = []
    stages: list[StagePlan] = Field(min_length=1)
    context: CompanyContext = CompanyContext()
    terms: Terms = Terms()

    def picked_ids(self) -> list[str]:
        return [pick.id for pick in self.criteria]
