"""Small-sample statistics for the fairness report, pure Python (no SciPy): Fisher's exact
test on a 2x2 table, and the share of values above a median."""

from collections.abc import Sequence
from statistics import median

# Tables as likely as the observed one count as "as extreme"; floating-point products of the
# same probability can differ in the last bits, so compare with a relative tolerance (as R).
_RELATIVE_TOLERANCE = 1e-7
# Weights this far below the most likely table's no longer change a p-value.
_NEGLIGIBLE = 1e-20


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Returns the two-sided p-value of Fisher's exact test of the table [[a, b], [c, d]]:
    the sum of the probabilities of every table with the same margins that is no more
    likely than the observed one (the hypergeometric distribution, as R's fisher.test)."""
    if min(a, b, c, d) < 0:
        raise ValueError("a 2x2 table holds counts, none negative")
    row1, row2, col1 = a + b, c + d, a + c
    low, high = max(0, col1 - row2), min(row1, col1)

    def ratio(x: int) -> float:
        # P(x + 1) / P(x) for the top-left cell x; C(row1, x) * C(row2, col1 - x) / C(n, col1)
        # computed with math.comb grows with n (a vacancy of 5,000 takes seconds a table), so
        # the weights are walked from the most likely table outwards instead.
        return (row1 - x) * (col1 - x) / ((x + 1) * (row2 - col1 + x + 1))

    mode = min(high, max(low, (row1 + 1) * (col1 + 1) // (row1 + row2 + 2)))
    weights = {mode: 1.0}
    weight = 1.0
    for x in range(mode, high):
        weight *= ratio(x)
        if weight < _NEGLIGIBLE:
            break
        weights[x + 1] = weight
    weight = 1.0
    for x in range(mode - 1, low - 1, -1):
        weight /= ratio(x)
        if weight < _NEGLIGIBLE:
            break
        weights[x] = weight
    observed = weights.get(a, 0.0) * (1 + _RELATIVE_TOLERANCE)
    as_extreme = sum(w for w in weights.values() if w <= observed)
    return min(1.0, as_extreme / sum(weights.values()))


def above_median(values: Sequence[float]) -> tuple[float | None, list[bool]]:
    """Returns the median of the values and, for each, whether it lies strictly above it
    (the "scoring rate" of NYC Local Law 144 audits counts scores above the median)."""
    if not values:
        return None, []
    middle = median(values)
    return middle, [value > middle for value in values]
