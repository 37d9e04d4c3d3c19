"""How much interviewers agree: ICC(2,1), ICC(2,k), Krippendorff's alpha and leniency (pure)."""

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

Metric = Literal["nominal", "ordinal", "interval"]
MIN_UNITS = 3  # applications rated by two or more people, below which nothing is computed


def icc2(matrix: np.ndarray) -> tuple[float, float]:
    """Returns ICC(2,1) and ICC(2,k) (Shrout & Fleiss 1979: two-way random effects, absolute
    agreement) for a complete matrix of n targets (rows) by k raters (columns)."""
    n, k = matrix.shape
    grand = matrix.mean()
    ss_rows = k * ((matrix.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((matrix.mean(axis=0) - grand) ** 2).sum()
    ss_total = ((matrix - grand) ** 2).sum()
    bms = ss_rows / (n - 1)
    jms = ss_cols / (k - 1)
    ems = (ss_total - ss_rows - ss_cols) / ((n - 1) * (k - 1))
    single = (bms - ems) / (bms + (k - 1) * ems + k * (jms - ems) / n)
    average = (bms - ems) / (bms + (jms - ems) / n)
    return float(single), float(average)


def krippendorff_alpha(
    units: Sequence[Sequence[float | None]], metric: Metric = "ordinal"
) -> float:
    """Returns Krippendorff's alpha for units (one list of ratings per unit; None: missing).
    Units with fewer than two ratings are not pairable and are left out, as the method says."""
    pairable = [[value for value in unit if value is not None] for unit in units]
    pairable = [unit for unit in pairable if len(unit) >= 2]
    values = sorted({value for unit in pairable for value in unit})
    if len(values) < 2:
        return math.nan
    position = {value: i for i, value in enumerate(values)}
    coincidences = np.zeros((len(values), len(values)))
    for unit in pairable:
        counts = np.zeros(len(values))
        for value in unit:
            counts[position[value]] += 1
        pairs = np.outer(counts, counts) - np.diag(counts)
        coincidences += pairs / (len(unit) - 1)
    marginals = coincidences.sum(axis=1)
    total = marginals.sum()
    distance = _distances(values, marginals, metric)
    observed = (coincidences * distance).sum()
    expected = (np.outer(marginals, marginals) * distance).sum() / (total - 1)
    return float(1 - observed / expected)


def _distances(values: list[float], marginals: np.ndarray, metric: Metric) -> np.ndarray:
    size = len(values)
    distance = np.zeros((size, size))
    for c in range(size):
        for k in range(size):
            if metric == "nominal":
                distance[c, k] = 0.0 if c == k else 1.0
            elif metric == "interval":
                distance[c, k] = (values[c] - values[k]) ** 2
            else:  # ordinal: how many values lie between, weighted by how often they occur
                low, high = min(c, k), max(c, k)
                between = marginals[low : high + 1].sum() - (marginals[low] + marginals[high]) / 2
                distance[c, k] = between**2
    return distance


def reading_of_icc(value: float) -> str:
    """The usual reading (Koo & Li 2016)."""
    if math.isnan(value):
        return "not enough data"
    if value < 0.5:
        return "poor"
    if value < 0.75:
        return "moderate"
    if value < 0.9:
        return "good"
    return "excellent"


def reading_of_alpha(value: float) -> str:
    """Krippendorff: below .667 unreliable, .667-.800 tentative, .800 and above reliable."""
    if math.isnan(value):
        return "not enough data"
    if value < 0.667:
        return "unreliable"
    if value < 0.8:
        return "tentative"
    return "reliable"


@dataclass(frozen=True)
class CriterionAgreement:
    criterion_id: str
    units: int  # applications with two or more ratings
    icc_single: float | None
    icc_average: float | None
    icc_raters: int  # raters in the complete block the ICC was computed on
    icc_reading: str
    alpha: float | None
    alpha_reading: str


# ratings[application][criterion][rater] = rating
PanelRatings = Mapping[str, Mapping[str, Mapping[str, int]]]


def criterion_agreement(criterion_id: str, ratings: PanelRatings) -> CriterionAgreement:
    """Returns the agreement on one criterion across a vacancy's applications."""
    by_unit = [dict(per_criterion.get(criterion_id, {})) for per_criterion in ratings.values()]
    units = [unit for unit in by_unit if len(unit) >= 2]
    alpha = (
        krippendorff_alpha([list(unit.values()) for unit in units])
        if len(units) >= MIN_UNITS
        else math.nan
    )
    # ICC(2,.) needs the same raters on every target: take the largest complete block.
    blocks: dict[tuple[str, ...], list[list[int]]] = defaultdict(list)
    for unit in units:
        raters = tuple(sorted(unit))
        blocks[raters].append([unit[rater] for rater in raters])
    best = max(blocks.items(), key=lambda item: (len(item[1]), len(item[0])), default=None)
    single = average = math.nan
    raters_in_block = 0
    if best and len(best[1]) >= MIN_UNITS:
        matrix = np.array(best[1], dtype=float)
        raters_in_block = matrix.shape[1]
        with np.errstate(invalid="ignore", divide="ignore"):
            single, average = icc2(matrix)
    return CriterionAgreement(
        criterion_id=criterion_id,
        units=len(units),
        icc_single=None if math.isnan(single) else single,
        icc_average=None if math.isnan(average) else average,
        icc_raters=raters_in_block,
        icc_reading=reading_of_icc(single),
        alpha=None if math.isnan(alpha) else alpha,
        alpha_reading=reading_of_alpha(alpha),
    )


@dataclass(frozen=True)
class Leniency:
    rater_id: str
    ratings: int  # compared with at least one colleague
    offset: float  # mean of (own rating - the others' mean); above 0: more lenient


def leniency(ratings: PanelRatings) -> list[Leniency]:
    """Returns each rater's mean offset from the rest of the panel on the same criterion."""
    offsets: dict[str, list[float]] = defaultdict(list)
    for per_criterion in ratings.values():
        for per_rater in per_criterion.values():
            if len(per_rater) < 2:
                continue
            for rater, value in per_rater.items():
                others = [other for name, other in per_rater.items() if name != rater]
                offsets[rater].append(value - sum(others) / len(others))
    return sorted(
        (
            Leniency(rater, len(values), math.fsum(values) / len(values))
            for rater, values in offsets.items()
        ),
        key=lambda item: item.rater_id,
    )
