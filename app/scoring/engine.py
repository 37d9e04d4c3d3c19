"""The scoring engine: pure, deterministic, no database and no web imports.

One application is a (raters x criteria) matrix of ratings; many applications are a stack of
them, scored at once with numpy (the bulk path). `score_application` is the same computation
for one application, with the explanation a person reads.
"""

import enum
import math
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Literal

import numpy as np
import yaml

from app.profiles.schema import RoleProfile
from app.rubrics.schema import Category, Criterion, EvidenceKind, Rubric

EVIDENCE_WEIGHTS_FILE = Path(__file__).with_name("evidence_weights.yaml")
DISAGREEMENT_SPREAD = 2  # scale points between the lowest and highest rating of one stage
DEFAULT_COVERAGE_THRESHOLD = 0.6
# Evidence weights are counted in thousandths, so a panel's weighted sum of integer ratings
# is an integer and a must-have is decided exactly (never 2.9999999999999996 < 3).
EVIDENCE_UNITS = 1000
# Recommendation bands on the 0-100 total, highest first.
BANDS = ((75.0, "strong"), (60.0, "good"), (40.0, "mixed"), (0.0, "weak"))


class EvidenceWeighting(enum.StrEnum):
    """How much a rating counts by the evidence it rests on (an organisation's choice)."""

    VALIDITY = "validity"  # ratios of published operational validities (evidence_weights.yaml)
    EQUAL = "equal"  # every kind of evidence counts the same


@cache
def default_evidence_weights() -> dict[EvidenceKind, float]:
    """Returns the weight of each evidence source, from evidence_weights.yaml."""
    data = yaml.safe_load(EVIDENCE_WEIGHTS_FILE.read_text(encoding="utf-8"))
    return {EvidenceKind(kind): float(weight) for kind, weight in data["weights"].items()}


def evidence_weights_for(weighting: EvidenceWeighting) -> dict[EvidenceKind, float]:
    """Returns the weight of each evidence source under the organisation's weighting."""
    if weighting == EvidenceWeighting.EQUAL:
        return dict.fromkeys(EvidenceKind, 1.0)
    return default_evidence_weights()


class Outcome(enum.StrEnum):
    MEETS_MUST_HAVES = "meets_must_haves"
    DOES_NOT_MEET_MUST_HAVES = "does_not_meet_must_haves"
    INCOMPLETE = "incomplete"  # a must-have was not assessed: never a pass


class MustHaveStatus(enum.StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_ASSESSED = "not_assessed"


# Each criterion's must-have status as a small integer in arrays (and in stored results).
MUST_NONE, MUST_MET, MUST_NOT_MET, MUST_NOT_ASSESSED = 0, 1, 2, 3
MUST_STATUS_BY_CODE = {
    MUST_NONE: None,
    MUST_MET: MustHaveStatus.MET,
    MUST_NOT_MET: MustHaveStatus.NOT_MET,
    MUST_NOT_ASSESSED: MustHaveStatus.NOT_ASSESSED,
}


@dataclass(frozen=True)
class CriterionSpec:
    id: str
    category: Category
    weight: float  # within its section
    min_level: int
    max_level: int
    must_have_min: int | None = None


@dataclass(frozen=True)
class ScoringModel:
    """What a profile version and its rubric versions say about scoring."""

    criteria: tuple[CriterionSpec, ...]
    section_weights: dict[Category, float]
    aggregation: Literal["mean", "median"] = "mean"
    coverage_threshold: float = DEFAULT_COVERAGE_THRESHOLD
    evidence_weights: dict[EvidenceKind, float] = field(default_factory=default_evidence_weights)

    @cached_property
    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(spec.id for spec in self.criteria)

    def global_weights(self) -> np.ndarray:
        """Returns each criterion's share of the whole score when all are assessed (sums to 1)."""
        weights = np.array([spec.weight for spec in self.criteria], dtype=float)
        categories = [spec.category for spec in self.criteria]
        shares = np.zeros(len(self.criteria))
        live_sections = {
            category: self.section_weights.get(category, 0.0)
            for category in set(categories)
            if self.section_weights.get(category, 0.0) > 0
            and sum(w for w, c in zip(weights, categories, strict=True) if c == category) > 0
        }
        section_total = sum(live_sections.values())
        for category, section_weight in live_sections.items():
            members = np.array([c == category for c in categories])
            shares[members] = (
                section_weight / section_total * weights[members] / weights[members].sum()
            )
        return shares


def scoring_model(
    profile: RoleProfile,
    criteria: dict[str, tuple[Rubric, Criterion]],
    *,
    aggregation: Literal["mean", "median"] = "mean",
    only_categories: set[Category] | None = None,
) -> ScoringModel:
    """Returns the scoring model of a profile whose criteria come from these rubrics."""
    must = {must_have.criterion: must_have.min_rating for must_have in profile.must_haves}
    specs = []
    for pick in profile.criteria:
        rubric, criterion = criteria[pick.id]
        if only_categories is not None and rubric.category not in only_categories:
            continue
        specs.append(
            CriterionSpec(
                id=pick.id,
                category=rubric.category,
                weight=pick.weight if pick.weight is not None else criterion.weight,
                min_level=min(rubric.scale.levels),
                max_level=max(rubric.scale.levels),
                must_have_min=must.get(pick.id),
            )
        )
    return ScoringModel(
        criteria=tuple(specs),
        section_weights=dict(profile.section_weights),
        aggregation=aggregation,
    )


# --- inputs and outputs of one application -----------------------------------------------------


@dataclass(frozen=True)
class Rating:
    criterion_id: str
    value: int | None  # None: not assessed
    source: EvidenceKind = EvidenceKind.INTERVIEW


@dataclass(frozen=True)
class ScorecardInput:
    rater_id: str
    ratings: tuple[Rating, ...]
    # The stage the ratings were given at: disagreement is looked for among the raters of one
    # stage, so a person who rates a criterion at two stages never disagrees with themself.
    stage: str = ""


@dataclass(frozen=True)
class CriterionResult:
    criterion_id: str
    category: Category
    weight: float  # its share of the whole score when everything is assessed, 0..1
    ratings: tuple[int, ...]
    panel_rating: float | None
    spread: int | None
    disagreement: bool
    contribution: float  # points of the 0-100 total; the contributions sum to the total
    must_have: MustHaveStatus | None


@dataclass(frozen=True)
class SectionResult:
    category: Category
    score: float | None  # 0-100 over the assessed criteria of the section
    coverage: float


@dataclass(frozen=True)
class ScoreResult:
    total: float | None  # 0-100; None when nothing was assessed
    coverage: float  # share of the profile's weight that was assessed
    provisional: bool
    outcome: Outcome
    band: str | None
    sections: tuple[SectionResult, ...]
    criteria: tuple[CriterionResult, ...]


# --- the bulk computation ----------------------------------------------------------------------


@dataclass(frozen=True)
class BatchResult:
    """Scores of many applications; arrays indexed [application] or [application, criterion]."""

    panel: np.ndarray  # float, NaN where not assessed
    spread: np.ndarray  # float: the largest spread within one stage, NaN where not assessed
    contribution: np.ndarray  # points of the total
    total: np.ndarray  # float, NaN where nothing assessed
    coverage: np.ndarray
    section_scores: np.ndarray  # [application, section], NaN where nothing assessed
    section_coverage: np.ndarray
    must_status: np.ndarray  # MUST_* code per [application, criterion], decided exactly

    @property
    def must_failed(self) -> np.ndarray:
        """bool per application: a must-have was assessed below its threshold."""
        return (self.must_status == MUST_NOT_MET).any(axis=1)

    @property
    def must_missing(self) -> np.ndarray:
        """bool per application: a must-have was not assessed."""
        return (self.must_status == MUST_NOT_ASSESSED).any(axis=1)


def score_batch(
    model: ScoringModel,
    ratings: np.ndarray,
    evidence: np.ndarray,
    stages: np.ndarray | None = None,
) -> BatchResult:
    """Scores applications given ratings[app, rater, criterion] (NaN: not assessed), the
    evidence weight of each rating (same shape) and the stage of each rater's scorecard,
    stages[app, rater] (any integers; None: all one stage). Raters without a rating are NaN
    throughout."""
    assessed = ~np.isnan(ratings)
    # Integer units: the panel's weighted sum is exact, and so is every must-have decision.
    units = np.where(assessed, np.rint(evidence * EVIDENCE_UNITS), 0).astype(np.int64)
    levels = np.where(assessed, ratings, 0).astype(np.int64)
    unit_sum = units.sum(axis=1)
    weighted_sum = (levels * units).sum(axis=1)
    has_rating = unit_sum > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        if model.aggregation == "median":
            panel = _weighted_median(ratings, units.astype(float))
        else:
            panel = weighted_sum / unit_sum
    panel = np.where(has_rating, panel, np.nan)
    spread = _spread_within_stages(ratings, assessed, stages)

    low = np.array([spec.min_level for spec in model.criteria], dtype=float)
    high = np.array([spec.max_level for spec in model.criteria], dtype=float)
    normalised = (panel - low) / (high - low)
    global_weights = model.global_weights()
    assessed_weight = np.where(has_rating, global_weights, 0.0)
    coverage = assessed_weight.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        contribution = (
            np.where(has_rating, normalised * assessed_weight, 0.0) / coverage[:, None] * 100
        )
    contribution = np.where(coverage[:, None] > 0, contribution, 0.0)
    total, contribution = _in_hundredths(contribution, coverage > 0)

    categories = list(Category)
    section_scores = np.full((ratings.shape[0], len(categories)), np.nan)
    section_coverage = np.zeros((ratings.shape[0], len(categories)))
    for index, category in enumerate(categories):
        members = np.array([spec.category == category for spec in model.criteria])
        if not members.any() or global_weights[members].sum() == 0:
            continue
        section_weight = assessed_weight[:, members]
        covered = section_weight.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            score = np.where(has_rating[:, members], normalised[:, members] * section_weight, 0.0)
            section_scores[:, index] = np.where(
                covered > 0, score.sum(axis=1) / covered * 100, np.nan
            )
        section_coverage[:, index] = covered / global_weights[members].sum()

    return BatchResult(
        panel,
        spread,
        contribution,
        total,
        coverage,
        section_scores,
        section_coverage,
        _must_status(model, panel, weighted_sum, unit_sum, has_rating),
    )


def _must_status(
    model: ScoringModel,
    panel: np.ndarray,
    weighted_sum: np.ndarray,
    unit_sum: np.ndarray,
    has_rating: np.ndarray,
) -> np.ndarray:
    """Returns the MUST_* code of every [application, criterion], decided in integers: the
    weighted mean reaches the threshold when sum(units x rating) >= threshold x sum(units);
    a weighted median is one of the ratings, so it is compared as it is."""
    thresholds = np.array([spec.must_have_min or 0 for spec in model.criteria], dtype=np.int64)
    is_must = np.array([spec.must_have_min is not None for spec in model.criteria])
    if model.aggregation == "median":
        reaches = np.where(has_rating, panel, -1) >= thresholds
    else:
        reaches = weighted_sum >= thresholds * unit_sum
    status = np.where(has_rating, np.where(reaches, MUST_MET, MUST_NOT_MET), MUST_NOT_ASSESSED)
    return np.where(is_must, status, MUST_NONE).astype(np.int8)


def _spread_within_stages(
    ratings: np.ndarray, assessed: np.ndarray, stages: np.ndarray | None
) -> np.ndarray:
    """Returns per [application, criterion] the largest spread (highest minus lowest rating)
    among the raters of one stage; NaN where nothing is assessed."""
    if stages is None:
        stages = np.zeros(ratings.shape[:2], dtype=int)
    spread = np.full((ratings.shape[0], ratings.shape[2]), np.nan)
    for stage in np.unique(stages):
        in_stage = assessed & (stages == stage)[:, :, None]
        highest = np.where(in_stage, ratings, -np.inf).max(axis=1)
        lowest = np.where(in_stage, ratings, np.inf).min(axis=1)
        stage_spread = np.where(in_stage.any(axis=1), highest - lowest, np.nan)
        spread = np.fmax(spread, stage_spread)
    return spread


def _in_hundredths(contribution: np.ndarray, scored: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Returns totals and contributions in hundredths of a point, the contributions of each
    application adding up exactly to its total (largest remainder), totals within 0-100."""
    raw = contribution * 100
    cents = np.floor(raw)
    target = np.clip(np.round(raw.sum(axis=1)), 0, 10_000)
    short = (target - cents.sum(axis=1)).astype(int)
    # Rank each criterion by its remainder, largest first (ties: the earlier criterion).
    order = np.argsort(-(raw - cents), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(raw.shape[1])[None, :], axis=1)
    cents += rank < short[:, None]
    total = np.where(scored, target / 100, np.nan)
    return total, np.where(scored[:, None], cents / 100, 0.0)


def _weighted_median(ratings: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Returns the lower weighted median over the rater axis (NaN ratings carry no weight)."""
    order = np.argsort(np.where(weights > 0, ratings, np.inf), axis=1, kind="stable")
    sorted_ratings = np.take_along_axis(ratings, order, axis=1)
    sorted_weights = np.take_along_axis(weights, order, axis=1)
    cumulative = np.cumsum(sorted_weights, axis=1)
    half = cumulative[:, -1:, :] / 2
    first = np.argmax(cumulative >= half, axis=1)[:, None, :]
    return np.take_along_axis(sorted_ratings, first, axis=1)[:, 0, :]


def outcome_of(must_failed: bool, must_missing: bool) -> Outcome:
    """A failed must-have wins over everything; a missing one is never a pass."""
    if must_failed:
        return Outcome.DOES_NOT_MEET_MUST_HAVES
    if must_missing:
        return Outcome.INCOMPLETE
    return Outcome.MEETS_MUST_HAVES


def bands_of(totals: np.ndarray, banded: np.ndarray | None = None) -> list[str | None]:
    """Returns the recommendation band of each total: None where there is no total, or where
    `banded` is False (a result that misses a must-have or is provisional gets no band)."""
    if banded is not None:
        totals = np.where(banded, totals, np.nan)
    floors = np.array([floor for floor, _ in BANDS])
    names = np.array([name for _, name in BANDS] + [None], dtype=object)
    # Index of the first (highest) floor the total reaches; NaN reaches none.
    reached = totals[:, None] >= floors[None, :]
    first = np.where(reached.any(axis=1), reached.argmax(axis=1), len(BANDS))
    return names[first].tolist()


def band_of(total: float | None, *, outcome: Outcome, provisional: bool) -> str | None:
    return bands_of(
        np.array([np.nan if total is None else total]),
        np.array([is_banded(outcome, provisional)]),
    )[0]


def is_banded(outcome: Outcome | str, provisional: bool) -> bool:
    """A quality band is given only to a result that meets every must-have on enough of the
    profile: a band beside a failed must-have or a thin assessment would mislead."""
    return outcome == Outcome.MEETS_MUST_HAVES and not provisional


# --- one application ---------------------------------------------------------------------------


class UnknownCriterion(ValueError):
    """A rating names a criterion the profile does not assess."""


class RatingOutOfScale(ValueError):
    """A rating is not a level of its criterion's scale."""


def score_application(model: ScoringModel, scorecards: list[ScorecardInput]) -> ScoreResult:
    """Returns the panel's score of one application, with its explanation."""
    index = {criterion_id: position for position, criterion_id in enumerate(model.criterion_ids)}
    # Raters in a fixed order, so the order of the input never changes a result.
    ordered = sorted(scorecards, key=lambda scorecard: (scorecard.stage, scorecard.rater_id))
    ratings = np.full((1, max(len(ordered), 1), len(index)), np.nan)
    evidence = np.zeros_like(ratings)
    stage_codes = {stage: code for code, stage in enumerate(sorted({c.stage for c in ordered}))}
    stages = np.zeros((1, ratings.shape[1]), dtype=int)
    for rater, scorecard in enumerate(ordered):
        stages[0, rater] = stage_codes[scorecard.stage]
        for rating in scorecard.ratings:
            if rating.criterion_id not in index:
                raise UnknownCriterion(rating.criterion_id)
            if rating.value is None:
                continue
            spec = model.criteria[index[rating.criterion_id]]
            if not spec.min_level <= rating.value <= spec.max_level:
                raise RatingOutOfScale(f"{rating.criterion_id}: {rating.value}")
            ratings[0, rater, index[rating.criterion_id]] = rating.value
            evidence[0, rater, index[rating.criterion_id]] = model.evidence_weights[rating.source]
    batch = score_batch(model, ratings, evidence, stages)
    global_weights = model.global_weights()
    total = None if math.isnan(batch.total[0]) else float(batch.total[0])
    criteria = []
    for position, spec in enumerate(model.criteria):
        given = tuple(int(value) for value in ratings[0, :, position] if not math.isnan(value))
        panel = batch.panel[0, position]
        spread = batch.spread[0, position]
        criteria.append(
            CriterionResult(
                criterion_id=spec.id,
                category=spec.category,
                weight=float(global_weights[position]),
                ratings=given,
                panel_rating=None if math.isnan(panel) else float(panel),
                spread=None if math.isnan(spread) else int(spread),
                disagreement=bool(not math.isnan(spread) and spread >= DISAGREEMENT_SPREAD),
                contribution=float(batch.contribution[0, position]),
                must_have=MUST_STATUS_BY_CODE[int(batch.must_status[0, position])],
            )
        )
    sections = tuple(
        SectionResult(
            category=category,
            score=None
            if math.isnan(batch.section_scores[0, i])
            else float(batch.section_scores[0, i]),
            coverage=float(batch.section_coverage[0, i]),
        )
        for i, category in enumerate(Category)
        if any(spec.category == category for spec in model.criteria)
    )
    coverage = float(batch.coverage[0])
    provisional = coverage < model.coverage_threshold
    outcome = outcome_of(bool(batch.must_failed[0]), bool(batch.must_missing[0]))
    return ScoreResult(
        total=total,
        coverage=coverage,
        provisional=provisional,
        outcome=outcome,
        band=band_of(total, outcome=outcome, provisional=provisional),
        sections=sections,
        criteria=tuple(criteria),
    )
