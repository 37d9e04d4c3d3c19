"""The hand-computed case the fairness tests share: 28 applications at the screening stage.

Ratings of two criteria of equal weight (A and B, levels 2 or 4) make the total a function
of A + B (4, 6 or 8), so who scores above the median is known without the weights:
12 sums of 4, 11 of 6, 5 of 8 -> median 6, above it the 5 with 8.

              selection (forward / decided)  total > 6   A > median 2   B > median 2
women  (11)   8/10 (F11 pending)             3/11       7/11           5/11
men    (11)   4/10 (M11 withdrew)            1/11       2/11           5/11
another (2)   1/2   hidden: smaller than 5
no answer (3), prefer not to say (1): counted apart

Selection impact ratio of men: 0.4 / 0.8 = 0.5 (flagged); scoring: (1/11) / (3/11) = 1/3
(flagged); criterion A: (2/11) / (7/11) = 2/7 (flagged); criterion B: 1 (the gap is in A).
Fisher for women's selection, women against everyone else who answered (men and the hidden
group: 5 forward of 12): [[8, 2], [5, 7]], margins 10/12 and 13/9 of 22; the tables' weights
C(10,x)*C(12,13-x) for x = 1..10 are 10, 540, 7920, 46200, 124740, 166320, 110880, 35640,
4950, 220 (sum C(22,13) = 497420); as likely as the observed 35640 or less: 10 + 540 + 7920
+ 35640 + 4950 + 220 = 49280; p = 49280 / 497420 = 0.0991.
Ethnicity: F1-F6 and M1-M6 answered "majority", nobody else: women x majority 6/6, men x
majority 4/6 (ratio 0.667, flagged), 16 unknown.
"""

from dataclasses import dataclass

import pytest

from app.fairness.report import Outcome

CRITERION_A = "implementation.community_activity"
CRITERION_B = "implementation.brand_advocacy"
CATEGORIES = """\
sex: Пол | Sex
  female: Женский | Female
  male: Мужской | Male
  other: Другой | Another
ethnicity: Этническая принадлежность | Ethnicity
  majority: Большинство | Majority
  minority: Меньшинство | Minority
"""
FORWARD, NOT_FORWARD = Outcome.FORWARD, Outcome.NOT_FORWARD
PENDING, WITHDRAWN = Outcome.PENDING, Outcome.WITHDRAWN


@dataclass(frozen=True)
class Applicant:
    name: str
    answers: dict[str, str] | None  # None: gave no self-identification
    outcome: Outcome  # at the screening stage
    a: int
    b: int


def _woman(n: int, outcome: Outcome, a: int, b: int) -> Applicant:
    answers = {"sex": "female"} | ({"ethnicity": "majority"} if n <= 6 else {})
    return Applicant(f"F{n}", answers, outcome, a, b)


def _man(n: int, outcome: Outcome, a: int, b: int) -> Applicant:
    answers = {"sex": "male"} | ({"ethnicity": "majority"} if n <= 6 else {})
    return Applicant(f"M{n}", answers, outcome, a, b)


APPLICANTS = (
    _woman(1, FORWARD, 4, 4),
    _woman(2, FORWARD, 4, 4),
    _woman(3, FORWARD, 4, 4),
    _woman(4, FORWARD, 4, 2),
    _woman(5, FORWARD, 4, 2),
    _woman(6, FORWARD, 4, 2),
    _woman(7, FORWARD, 4, 2),
    _woman(8, FORWARD, 2, 4),
    _woman(9, NOT_FORWARD, 2, 4),
    _woman(10, NOT_FORWARD, 2, 2),
    _woman(11, PENDING, 2, 2),
    _man(1, FORWARD, 4, 4),
    _man(2, FORWARD, 4, 2),
    _man(3, FORWARD, 2, 4),
    _man(4, FORWARD, 2, 4),
    _man(5, NOT_FORWARD, 2, 4),
    _man(6, NOT_FORWARD, 2, 4),
    _man(7, NOT_FORWARD, 2, 2),
    _man(8, NOT_FORWARD, 2, 2),
    _man(9, NOT_FORWARD, 2, 2),
    _man(10, NOT_FORWARD, 2, 2),
    _man(11, WITHDRAWN, 2, 2),
    Applicant("O1", {"sex": "other"}, FORWARD, 4, 4),
    Applicant("O2", {"sex": "other"}, NOT_FORWARD, 2, 2),
    Applicant("U1", None, FORWARD, 2, 2),
    Applicant("U2", None, NOT_FORWARD, 2, 2),
    Applicant("U3", None, NOT_FORWARD, 2, 2),
    Applicant("P1", {"sex": "prefer_not_to_say"}, FORWARD, 2, 2),
)
FISHER_WOMEN_SELECTION = 49280 / 497420


def by_labels(breakdown) -> dict:  # noqa: ANN001
    return {group.labels: group for group in breakdown.groups}


def assert_hand_computed(figures) -> None:  # noqa: ANN001
    """Checks the figures of the report of APPLICANTS against the values worked out above."""
    assert figures.people == 28
    assert figures.outcomes == {FORWARD: 15, NOT_FORWARD: 11, PENDING: 1, WITHDRAWN: 1}
    assert (figures.selection.hits, figures.selection.of) == (15, 26)
    assert (figures.scoring.hits, figures.scoring.of) == (5, 28)
    assert figures.respondents == 25
    sex, ethnicity, both = figures.breakdowns
    assert [d.key for d in sex.dimensions] == ["sex"]
    assert [d.key for d in both.dimensions] == ["sex", "ethnicity"]

    groups = by_labels(sex)
    women, men = groups[("Женский",)], groups[("Мужской",)]
    assert set(groups) == {("Женский",), ("Мужской",)}  # "another" (2 people) is hidden
    assert (sex.hidden_groups, sex.hidden_people, sex.unknown, sex.prefer_not) == (1, 2, 3, 1)
    assert (women.size, women.selection.hits, women.selection.of) == (11, 8, 10)
    assert (men.size, men.selection.hits, men.selection.of) == (11, 4, 10)
    assert women.selection.rate == 0.8 and men.selection.rate == 0.4
    assert women.selection.ratio == 1.0 and not women.selection.flagged
    assert men.selection.ratio == 0.5 and men.selection.flagged
    assert women.selection.p_value == pytest.approx(FISHER_WOMEN_SELECTION, rel=1e-9)
    assert round(women.selection.p_value, 4) == 0.0991
    assert (women.scoring.hits, women.scoring.of, men.scoring.hits, men.scoring.of) == (
        3,
        11,
        1,
        11,
    )
    assert women.scoring.ratio == 1.0 and men.scoring.ratio == pytest.approx(1 / 3)
    assert men.scoring.flagged
    a_women, a_men = women.criteria[CRITERION_A], men.criteria[CRITERION_A]
    assert (a_women.hits, a_women.of, a_men.hits, a_men.of) == (7, 11, 2, 11)
    assert a_men.ratio == pytest.approx(2 / 7) and a_men.flagged
    b_women, b_men = women.criteria[CRITERION_B], men.criteria[CRITERION_B]
    assert (b_women.hits, b_men.hits) == (5, 5)
    assert b_women.ratio == b_men.ratio == 1.0 and not b_men.flagged
    assert figures.criterion_medians[CRITERION_A] == 2 == figures.criterion_medians[CRITERION_B]

    assert [g.labels for g in ethnicity.groups] == [("Большинство",)]
    assert ethnicity.groups[0].selection.rate == 10 / 12
    assert (ethnicity.unknown, ethnicity.prefer_not, ethnicity.hidden_groups) == (16, 0, 0)

    pairs = by_labels(both)
    women_majority = pairs[("Женский", "Большинство")]
    men_majority = pairs[("Мужской", "Большинство")]
    assert (women_majority.selection.hits, women_majority.selection.of) == (6, 6)
    assert (men_majority.selection.hits, men_majority.selection.of) == (4, 6)
    assert men_majority.selection.ratio == pytest.approx(4 / 6) and men_majority.selection.flagged
    assert (both.unknown, both.prefer_not, both.hidden_groups) == (16, 0, 0)
