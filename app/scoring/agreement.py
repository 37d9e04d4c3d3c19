"""How much interviewers agree: ICC(2,1), ICC(2,k), Krippendorff's alpha and leniency (pure)."""

import math
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats

Metric = Literal["nominal", "ordinal", "interval"]
MIN_UNITS = 3  # units rated by two or more people, below which nothing is computed


@dataclass(frozen=True)
class Icc:
    """ICC(2,1) and ICC(2,k) of a complete n x k matrix, each with its confidence interval."""

    targets: int  # n: rows
    raters: int  # k: columns, the ratings averaged per target in ICC(2,k)
    single: float  # ICC(2,1): the reliability of one rater's rating
    single_low: float
    single_high: float
    average: float  # ICC(2,k): the reliability of the mean of the k ratings
    average_low: float
    average_high: float


def icc2(matrix: np.ndarray, confidence: float = 0.95) -> Icc:
    """Returns ICC(2,1) and ICC(2,k) (Shrout & Fleiss 1979: two-way random effects, absolute
    agreement) for a complete matrix of n targets (rows) by k raters (columns), with their
    confidence intervals by McGraw & Wong (1996, table 7, case 2A); NaN where undefined."""
    n, k = matrix.shape
    grand = matrix.mean()
    ss_rows = k * ((matrix.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((matrix.mean(axis=0) - grand) ** 2).sum()
    ss_total = ((matrix - grand) ** 2).sum()
    # What rounding leaves of a sum of squares that is zero (raters who agree exactly) is zero.
    rounding = 1e-12 * ss_total
    ss_cols = ss_cols if ss_cols > rounding else 0.0
    ss_error = ss_total - ss_rows - ss_cols
    ss_error = ss_error if ss_error > rounding else 0.0
    msr = ss_rows / (n - 1)  # between targets
    msc = ss_cols / (k - 1)  # between raters
    mse = ss_error / ((n - 1) * (k - 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        single = _ratio(msr - mse, msr + (k - 1) * mse + k * (msc - mse) / n, msr + msc + mse)
        average = _ratio(msr - mse, msr + (msc - mse) / n, msr + msc + mse)
        single_low, single_high, average_low, average_high = _icc2_bounds(
            n, k, msr, msc, mse, single, confidence
        )
    if math.isnan(average):
        average_low = average_high = math.nan
    return Icc(
        targets=n,
        raters=k,
        single=float(single),
        single_low=single_low,
        single_high=single_high,
        average=float(average),
        average_low=average_low,
        average_high=average_high,
    )


def _ratio(numerator: float, denominator: float, scale: float) -> float:
    """numerator / denominator, NaN where the denominator is zero but for rounding."""
    if not abs(denominator) > 1e-12 * scale:
        return math.nan
    return float(numerator / denominator)


def _icc2_bounds(
    n: int, k: int, msr: float, msc: float, mse: float, single: float, confidence: float
) -> tuple[float, float, float, float]:
    """McGraw & Wong's bounds of ICC(A,1) and ICC(A,k): F with Satterthwaite's degrees of
    freedom v, where a and b are theirs multiplied by n(1 - ICC), which v does not mind and
    which keeps them finite when the ICC is 1."""
    if math.isnan(single):
        return (math.nan,) * 4
    a = k * single
    b = n * (1 + (k - 1) * single) - k * single
    spread = (a * msc) ** 2 / (k - 1) + (b * mse) ** 2 / ((n - 1) * (k - 1))
    if spread == 0:  # no rater effect and no error: every rating agrees exactly
        return single, single, single, single
    v = (a * msc + b * mse) ** 2 / spread
    tail = 1 - (1 - confidence) / 2
    f_low = float(stats.f.ppf(tail, n - 1, v))
    f_high = float(stats.f.ppf(tail, v, n - 1))
    spread_single = k * msc + (k * n - k - n) * mse
    single_low = n * (msr - f_low * mse) / (f_low * spread_single + n * msr)
    single_high = n * (f_high * msr - mse) / (spread_single + n * f_high * msr)
    average_low = n * (msr - f_low * mse) / (f_low * (msc - mse) + n * msr)
    average_high = n * (f_high * msr - mse) / (msc - mse + n * f_high * msr)
    return (
        float(single_low),
        float(single_high),
        float(average_low),
        float(average_high),
    )


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
    units: int  # units (an application at a stage) with two or more ratings: alpha's
    icc_units: int  # n: units of the complete block the ICC was computed on
    k: int  # raters of that block: the ratings averaged per unit in ICC(2,k)
    icc_single: float | None
    icc_single_low: float | None  # the 95% confidence interval
    icc_single_high: float | None
    icc_average: float | None
    icc_average_low: float | None
    icc_average_high: float | None
    icc_reading: str  # of ICC(2,1)
    icc_average_reading: str
    alpha: float | None
    alpha_reading: str


# ratings[unit][criterion][rater] = rating; a unit is one thing rated by a panel (for a
# vacancy: an application at a stage), so nobody is two raters of one unit.
PanelRatings = Mapping[Hashable, Mapping[str, Mapping[str, int]]]


def criterion_agreement(criterion_id: str, ratings: PanelRatings) -> CriterionAgreement:
    """Returns the agreement on one criterion across the units."""
    by_unit = [dict(per_criterion.get(criterion_id, {})) for per_criterion in ratings.values()]
    units = [unit for unit in by_unit if len(unit) >= 2]
    alpha = (
        krippendorff_alpha([list(unit.values()) for unit in units])
        if len(units) >= MIN_UNITS
        else math.nan
    )
    # ICC(2,.) needs the same raters on every unit: take the largest complete block (most
    # units, then most raters; then the first rater names, so the choice never depends on
    # the order the ratings came in).
    blocks: dict[tuple[str, ...], list[list[int]]] = defaultdict(list)
    for unit in units:
        raters = tuple(sorted(unit))
        blocks[raters].append([unit[rater] for rater in raters])
    ranked = sorted(blocks.items(), key=lambda item: (-len(item[1]), -len(item[0]), item[0]))
    icc = None
    if ranked and len(ranked[0][1]) >= MIN_UNITS:
        # Rows sorted: the same ratings give the same figures to the last bit, in any order.
        icc = icc2(np.array(sorted(ranked[0][1]), dtype=float))
    return CriterionAgreement(
        criterion_id=criterion_id,
        units=len(units),
        icc_units=icc.targets if icc else 0,
        k=icc.raters if icc else 0,
        icc_single=_defined(icc.single if icc else math.nan),
        icc_single_low=_defined(icc.single_low if icc else math.nan),
        icc_single_high=_defined(icc.single_high if icc else math.nan),
        icc_average=_defined(icc.average if icc else math.nan),
        icc_average_low=_defined(icc.average_low if icc else math.nan),
        icc_average_high=_defined(icc.average_high if icc else math.nan),
        icc_reading=reading_of_icc(icc.single if icc else math.nan),
        icc_average_reading=reading_of_icc(icc.average if icc else math.nan),
        alpha=_defined(alpha),
        alpha_reading=reading_of_alpha(alpha),
    )


def _defined(value: float) -> float | None:
    return None if math.isnan(value) else value


@dataclass(frozen=True)
class Leniency:
    rater_id: str
    ratings: int  # compared with at least one colleague
    offset: float  # mean of (own rating - the others' mean); above 0: more lenient


def leniency(ratings: PanelRatings) -> list[Leniency]:
    """Returns each rater's mean offset from the rest of the panel on the same criterion of
    the same unit."""
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
