"""Fisher's exact test and the median split, against values computed by hand and by R."""

import math
import random
from fractions import Fraction

import pytest

from app.fairness.stats import above_median, fisher_exact


def test_fisher_matches_r_on_a_small_table() -> None:
    # R: fisher.test(matrix(c(8, 1, 2, 5), 2))$p.value == 0.03496503...
    # By hand: margins 10/6 and 9/7 of 16; the tables with a top-left cell of 3..9 have
    # weights C(10,x)*C(6,9-x) = 120, 1260, 3780, 4200, 1800, 270, 10 (sum C(16,9) = 11440);
    # as likely as the observed 270 or less: 120 + 270 + 10 = 400; 400 / 11440.
    assert fisher_exact(8, 2, 1, 5) == pytest.approx(400 / 11440, rel=1e-12)
    assert round(fisher_exact(8, 2, 1, 5), 4) == 0.0350


def test_fisher_on_the_tea_tasting_table_and_extremes() -> None:
    # Fisher's lady tasting tea: R gives 0.4857 (34/70).
    assert fisher_exact(3, 1, 1, 3) == pytest.approx(34 / 70, rel=1e-12)
    assert fisher_exact(10, 0, 0, 10) == pytest.approx(2 / math.comb(20, 10), rel=1e-12)
    assert fisher_exact(5, 5, 5, 5) == pytest.approx(1.0)
    assert fisher_exact(0, 0, 0, 0) == 1.0


def test_fisher_does_not_depend_on_which_row_or_column_comes_first() -> None:
    p = fisher_exact(8, 2, 5, 7)

    assert fisher_exact(5, 7, 8, 2) == pytest.approx(p)
    assert fisher_exact(2, 8, 7, 5) == pytest.approx(p)
    assert fisher_exact(8, 5, 2, 7) == pytest.approx(p)


def exact_fisher(a: int, b: int, c: int, d: int) -> Fraction:
    """The definition, in exact integers: slow for large tables, right for every table."""
    row1, row2, col1 = a + b, c + d, a + c
    weights = {
        x: math.comb(row1, x) * math.comb(row2, col1 - x)
        for x in range(max(0, col1 - row2), min(row1, col1) + 1)
    }
    return Fraction(sum(w for w in weights.values() if w <= weights[a]), sum(weights.values()))


def test_fisher_agrees_with_the_exact_definition_on_random_tables() -> None:
    rng = random.Random(8)
    for _ in range(500):
        table = [rng.randint(0, 40) for _ in range(4)]
        assert fisher_exact(*table) == pytest.approx(float(exact_fisher(*table)), rel=1e-9)


def test_fisher_is_right_on_a_large_vacancy_too() -> None:
    # 2,000 applications: walked from the most likely table, not summed in huge integers.
    table = (560, 440, 500, 500)
    assert fisher_exact(*table) == pytest.approx(float(exact_fisher(*table)), rel=1e-9)


def test_fisher_refuses_negative_counts() -> None:
    with pytest.raises(ValueError):
        fisher_exact(-1, 2, 3, 4)


def test_above_median_counts_only_values_strictly_above() -> None:
    assert above_median([1, 2, 3, 4]) == (2.5, [False, False, True, True])
    assert above_median([2, 2, 2, 4]) == (2, [False, False, False, True])
    assert above_median([]) == (None, [])
