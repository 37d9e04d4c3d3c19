"""Interviewer agreement, checked against published worked examples and, with its confidence
intervals, against an independent implementation (pingouin) on random panels."""

import math

import numpy as np
import pandas as pd
import pingouin
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.scoring.agreement import (
    criterion_agreement,
    icc2,
    krippendorff_alpha,
    leniency,
    reading_of_alpha,
    reading_of_icc,
)

# pingouin's own pandas and numpy warnings, not ours.
pytestmark = [
    pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.dropna"),
    pytest.mark.filterwarnings("ignore:divide by zero encountered:RuntimeWarning"),
]

# Table 2 of Shrout & Fleiss (1979): six targets rated by four judges.
SHROUT_FLEISS = np.array(
    [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]],
    dtype=float,
)


def test_icc_matches_shrout_and_fleiss_1979() -> None:
    icc = icc2(SHROUT_FLEISS)

    # Their Table 4: ICC(2,1) = .29, ICC(2,4) = .62.
    assert (icc.targets, icc.raters) == (6, 4)
    assert round(icc.single, 2) == 0.29
    assert round(icc.average, 2) == 0.62
    # McGraw & Wong's 95% intervals, as SPSS prints them for this table.
    assert (round(icc.single_low, 3), round(icc.single_high, 3)) == (0.019, 0.761)
    assert (round(icc.average_low, 3), round(icc.average_high, 3)) == (0.071, 0.927)


def pingouin_icc2(matrix: np.ndarray) -> dict[str, tuple[float, float, float]]:
    """ICC(A,1) and ICC(A,k) with their CI95 by pingouin, from the long format it takes."""
    long = pd.DataFrame(
        [(row, column, value) for (row, column), value in np.ndenumerate(matrix)],
        columns=["target", "rater", "rating"],
    )
    table = pingouin.intraclass_corr(long, targets="target", raters="rater", ratings="rating")
    found = table.set_index("Type")
    return {
        kind: (float(found.at[kind, "ICC"]), *map(float, found.at[kind, "CI95"]))
        for kind in ("ICC(A,1)", "ICC(A,k)")
    }


@pytest.fixture
def unrounded(monkeypatch: pytest.MonkeyPatch) -> None:
    # pingouin rounds its intervals to 2 decimals unless told not to.
    monkeypatch.setitem(pingouin.options, "round.column.CI95", None)


def assert_same_as_pingouin(matrix: np.ndarray, theirs: dict) -> None:
    icc = icc2(matrix)

    ours = {
        "ICC(A,1)": (icc.single, icc.single_low, icc.single_high),
        "ICC(A,k)": (icc.average, icc.average_low, icc.average_high),
    }
    for kind, values in ours.items():
        assert values == pytest.approx(theirs[kind], rel=1e-9, abs=1e-12), kind


def test_icc_and_intervals_match_pingouin_on_shrout_and_fleiss(unrounded: None) -> None:
    assert_same_as_pingouin(SHROUT_FLEISS, pingouin_icc2(SHROUT_FLEISS))


@st.composite
def rating_matrices(draw: st.DrawFn) -> np.ndarray:
    targets = draw(st.integers(min_value=3, max_value=12))
    raters = draw(st.integers(min_value=2, max_value=6))
    top = draw(st.sampled_from([4, 5, 10]))
    cells = st.integers(min_value=1, max_value=top)
    rows = draw(
        st.lists(
            st.lists(cells, min_size=raters, max_size=raters), min_size=targets, max_size=targets
        )
    )
    return np.array(rows, dtype=float)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(matrix=rating_matrices())
def test_icc_and_intervals_match_pingouin_on_random_panels(
    unrounded: None, matrix: np.ndarray
) -> None:
    residual = matrix - matrix.mean(axis=1, keepdims=True) - matrix.mean(axis=0) + matrix.mean()
    # Where the ratings leave no error, or all targets look alike, the ICC is 1 or undefined
    # and pingouin divides by zero: those cases have tests of their own.
    assume(np.abs(residual).max() > 1e-9 and np.ptp(matrix.mean(axis=1)) > 0)
    theirs = pingouin_icc2(matrix)
    # ICC(2,k)'s denominator is zero on some small panels (e.g. 1 2 / 1 3 / 2 1), where
    # pingouin gives what rounding leaves of a division by zero (1e16) and we give NaN.
    assume(all(abs(value) < 1e6 for values in theirs.values() for value in values))

    assert_same_as_pingouin(matrix, theirs)


def test_a_perfectly_agreeing_panel_has_an_icc_of_one_and_a_closed_interval() -> None:
    icc = icc2(np.array([[1, 1, 1], [3, 3, 3], [2, 2, 2], [4, 4, 4]], dtype=float))

    assert (icc.single, icc.single_low, icc.single_high) == (1.0, 1.0, 1.0)
    assert (icc.average, icc.average_low, icc.average_high) == (1.0, 1.0, 1.0)


def test_an_icc_is_undefined_when_every_target_gets_the_same_ratings() -> None:
    icc = icc2(np.array([[2, 2], [2, 2], [2, 2]], dtype=float))

    assert all(math.isnan(value) for value in (icc.single, icc.single_low, icc.average))


def test_an_icc_of_k_raters_is_undefined_where_its_denominator_is_zero() -> None:
    icc = icc2(np.array([[1, 2], [1, 3], [2, 1]], dtype=float))

    assert math.isnan(icc.average) and math.isnan(icc.average_low)
    assert math.isnan(icc.average_high)


# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C: four observers,
# twelve units, missing values (None).
OBSERVERS = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}
UNITS = list(zip(*OBSERVERS.values(), strict=True))


@pytest.mark.parametrize(
    ("metric", "published"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)]
)
def test_alpha_matches_krippendorffs_worked_example(metric: str, published: float) -> None:
    assert round(krippendorff_alpha(UNITS, metric), 3) == published


def test_readings() -> None:
    assert [reading_of_icc(v) for v in (0.29, 0.62, 0.8, 0.95)] == [
        "poor",
        "moderate",
        "good",
        "excellent",
    ]
    assert [reading_of_alpha(v) for v in (0.5, 0.7, 0.815)] == [
        "unreliable",
        "tentative",
        "reliable",
    ]


def test_a_vacancy_panel_is_read_per_criterion_and_per_interviewer() -> None:
    # Anna rates one point above Boris on every application; they agree on the order.
    ratings = {
        f"application-{n}": {"criticism": {"anna": level + 1, "boris": level}}
        for n, level in enumerate([1, 2, 3, 1, 2, 3])
    }

    agreement = criterion_agreement("criticism", ratings)
    lenient = {item.rater_id: item.offset for item in leniency(ratings)}

    assert (agreement.units, agreement.icc_units, agreement.k) == (6, 6, 2)
    assert agreement.icc_single is not None and agreement.icc_single < 0.75
    assert agreement.icc_single_low < agreement.icc_single < agreement.icc_single_high
    assert agreement.icc_average_low < agreement.icc_average < agreement.icc_average_high
    assert agreement.alpha is not None
    assert lenient == {"anna": 1.0, "boris": -1.0}


def test_too_few_ratings_are_not_read() -> None:
    ratings = {"only": {"criticism": {"anna": 3, "boris": 2}}}

    agreement = criterion_agreement("criticism", ratings)

    assert agreement.icc_single is None and agreement.alpha is None
    assert agreement.icc_single_low is None and agreement.icc_average_high is None
    assert agreement.k == 0
    assert agreement.icc_reading == agreement.icc_average_reading == "not enough data"


def test_the_icc_block_is_chosen_whatever_order_the_units_come_in() -> None:
    # Two complete blocks of three units each: anna and boris agree, anna and vera do not.
    # The tie goes to the first raters by name, not to whichever unit came first.
    pairs = {"vera": [4, 1, 2], "boris": [1, 2, 4]}
    ratings = {
        f"{other}-{n}": {"criticism": {"anna": [1, 2, 4][n], other: level}}
        for other, levels in pairs.items()
        for n, level in enumerate(levels)
    }
    backwards = dict(reversed(list(ratings.items())))

    agreement = criterion_agreement("criticism", ratings)

    assert agreement == criterion_agreement("criticism", backwards)
    assert (agreement.units, agreement.icc_units, agreement.k) == (6, 3, 2)
    assert agreement.icc_single == 1.0
