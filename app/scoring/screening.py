"""The screening score: the candidate's structured data read against the experience criteria.

Pure. Labelled "screening" wherever it is shown and kept apart from the panel's score: these
are the candidate's own claims, weighed like CV claims (see evidence_weights.yaml).
"""

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from app.profiles.schema import Platform, RoleProfile
from app.rubrics.schema import EvidenceKind
from app.scoring.engine import (
    Rating,
    ScorecardInput,
    ScoreResult,
    ScoringModel,
    score_application,
)

SCREENING_RATER = "screening"


class ScreeningData(BaseModel):
    """What a candidate (or the ATS) states in the application form. None: not stated (not
    assessed); an empty list: stated "none"."""

    model_config = ConfigDict(extra="ignore")

    years_in_smm: float | None = Field(default=None, ge=0, le=60)
    platforms: list[Platform] | None = None
    ad_tools: list[str] | None = None  # VK Ads, Yandex Direct, Telegram Ads...
    cms: list[str] | None = None
    analytics_tools: list[str] | None = None
    own_blog_url: str | None = None
    audience_built: int | None = Field(default=None, ge=0)  # followers of an account they grew
    portfolio_links: list[str] | None = None


@dataclass(frozen=True)
class ScreeningResult:
    score: ScoreResult
    # Context, not points: the range check of the years and the platforms the role needs.
    years_in_range: bool | None
    missing_platforms: tuple[Platform, ...]


def _by_count(items: list | None, *, none: int | None = 1) -> int | None:
    """Not stated: not assessed; then 1 for none, 2, 3 and 4 for one, two, three or more."""
    if items is None:
        return None
    if not items:
        return none
    return min(len(items) + 1, 4)


def years_rating(years: float | None, profile: RoleProfile) -> int | None:
    """A range check: inside the profile's range meets it; more years never score higher."""
    if years is None:
        return None
    low = profile.experience.min_years
    if years >= low:
        return 3
    return 2 if years >= low - 1 else 1


def screening_ratings(data: ScreeningData, profile: RoleProfile) -> dict[str, int | None]:
    """Returns a rating per experience criterion the data speaks to (None: it says nothing)."""
    audience = data.audience_built
    return {
        "experience.years_relevant": years_rating(data.years_in_smm, profile),
        "experience.ad_platforms": _by_count(data.ad_tools),
        "experience.cms": _by_count(data.cms),
        "experience.analytics_adjustment": _by_count(data.analytics_tools),
        "experience.blog_editing": 3 if data.own_blog_url else None,
        "experience.own_audience": (
            None
            if audience is None
            else 1
            if audience == 0
            else 2
            if audience < 1_000
            else 3
            if audience < 10_000
            else 4
        ),
        "experience.creative_ideas": _by_count(data.portfolio_links, none=None),
    }


def score_screening(
    model: ScoringModel, profile: RoleProfile, data: ScreeningData
) -> ScreeningResult:
    """Returns the screening score over the model's criteria (build it with the experience
    section only) and the range checks."""
    in_model = set(model.criterion_ids)
    ratings = tuple(
        Rating(criterion_id, value, EvidenceKind.SCREENING)
        for criterion_id, value in screening_ratings(data, profile).items()
        if criterion_id in in_model
    )
    score = score_application(model, [ScorecardInput(SCREENING_RATER, ratings)])
    years_in_range, missing = range_checks(data, profile)
    return ScreeningResult(score=score, years_in_range=years_in_range, missing_platforms=missing)


def range_checks(
    data: ScreeningData, profile: RoleProfile
) -> tuple[bool | None, tuple[Platform, ...]]:
    """Returns whether the years are in the profile's range (None: not stated) and the
    platforms the role needs that the data does not name."""
    experience = profile.experience
    years_in_range = None
    if data.years_in_smm is not None:
        years_in_range = data.years_in_smm >= experience.min_years and (
            experience.max_years is None or data.years_in_smm <= experience.max_years
        )
    missing = tuple(p for p in profile.platforms.required if p not in (data.platforms or []))
    return years_in_range, missing
