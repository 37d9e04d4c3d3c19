"""Interviewer agreement, checked against published worked examples."""

import numpy as np
import pytest

from app.scoring.agreement import (
    criterion_agreement,
    icc2,
    krippendorff_alpha,
    leniency,
    reading_of_alpha,
    reading_of_icc,
)


def test_icc_matches_shrout_and_fleiss_1979() -> None:
    # Table 2 of Shrout & Fleiss (1979): six targets rated by four judges.
    ratings = np.array(
        [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]],
        dtype=float,
    )

    single, average = icc2(ratings)

    # Their Table 4: ICC(2,1) = .29, ICC(2,4) = .62.
    assert round(single, 2) == 0.29
    assert round(average, 2) == 0.62


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

    assert agreement.units == 6 and agreement.icc_raters == 2
    assert agreement.icc_single is not None and agreement.icc_single < 0.75
    assert agreement.alpha is not None
    assert lenient == {"anna": 1.0, "boris": -1.0}


def test_too_few_ratings_are_not_read() -> None:
    ratings = {"only": {"criticism": {"anna": 3, "boris": 2}}}

    agreement = criterion_agreement("criticism", ratings)

    assert agreement.icc_single is None and agreement.alpha is None
    assert agreement.icc_reading == "not enough data"
