"""Small-sample statistics for the fairness report, pure Python (no SciPy): Fisher's exact
test on a 2x2 table, and the share of values above a median."""

import math
from collections.abc import Sequence
from statistics import median

# Tables as likely as the observed one count as "as extreme"; floating-point sums of the
# same probability can differ in the last bits, so compare with a relative tolerance.
_RELATIVE_TOLERANCE = 1e-7


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Returns the two-sided p-value of Fisher's exact test of the table [[a, b], [c, d]]:
    the sum of the probabilities of every table with the same margins that is no more
    likely than the observed one (the hypergeometric distribution, as R's fisher.test)."""
    if min(a, b, c, d) < 0:
        raise ValueError("a 2x2 table holds counts, none negative")
    row1, row2, col1 = a + b, c + d, a + c
    total = row1 + row2
    denominator = math.comb(total, col1)

    def probability(x: int) -> float:
        # x: the top-left cell; the margins fix the other three.
        return math.comb(row1, x) * math.comb(row2, col1 - x) / denominator

    observed = probability(a)
    p_value = sum(
        p
        for x in range(max(0, col1 - row2), min(row1, col1) + 1)
        if (p := probability(x)) <= observed * (1 + _RELATIVE_TOLERANCE)
    )
    return min(1.0, p_value)


def above_median(values: Sequence[float]) -> tuple[float | None, list[bool]]:
    """Returns the median of the values and, for each, whether it lies strictly above it
    (the "scoring rate" of NYC Local Law 144 audits counts scores above the median)."""
    if not values:
        return None, []
    middle = median(values)
    return middle, [value > middle for value in values]
