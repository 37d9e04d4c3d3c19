"""The report's figures from plain data: outcomes at a stage, categories, rates and CSV."""

import csv
import io

import pytest

from app.errors import InvalidInput
from app.fairness.categories import (
    DEFAULT_CATEGORIES_TEXT,
    DEFAULT_DIMENSIONS,
    categories_text,
    clean_answers,
    dimensions_from,
    parse_categories,
)
from app.fairness.report import Outcome, Person, compute, figures_csv, outcome_at
from app.models import Stage
from tests.fairness.cases import (
    APPLICANTS,
    CATEGORIES,
    CRITERION_A,
    CRITERION_B,
    assert_hand_computed,
)

S = Stage


def test_moved_forward_means_reaching_a_later_stage_of_the_path() -> None:
    screened_in = [(S.APPLIED, S.SCREENING)]

    assert outcome_at(S.APPLIED, S.SCREENING, screened_in) == Outcome.FORWARD
    assert outcome_at(S.SCREENING, S.SCREENING, screened_in) == Outcome.PENDING
    assert outcome_at(S.INTERVIEW, S.SCREENING, screened_in) is None  # never got there
    # Rejected later: still moved forward at the earlier stages.
    later = [*screened_in, (S.SCREENING, S.INTERVIEW), (S.INTERVIEW, S.REJECTED)]
    assert outcome_at(S.SCREENING, S.REJECTED, later) == Outcome.FORWARD
    assert outcome_at(S.INTERVIEW, S.REJECTED, later) == Outcome.NOT_FORWARD
    assert outcome_at(S.SCREENING, S.WITHDRAWN, [*screened_in, (S.SCREENING, S.WITHDRAWN)]) == (
        Outcome.WITHDRAWN
    )
    # A skipped stage was never reached; a hold leaves the application pending.
    skipped = [(S.APPLIED, S.SCREENING), (S.SCREENING, S.FINAL)]
    assert outcome_at(S.INTERVIEW, S.FINAL, skipped) is None
    assert outcome_at(S.SCREENING, S.SCREENING, [*screened_in, (S.SCREENING, S.SCREENING)]) == (
        Outcome.PENDING
    )
    # Imported straight into a later stage, without decisions: it passed "applied".
    assert outcome_at(S.APPLIED, S.INTERVIEW, []) == Outcome.FORWARD
    assert outcome_at(S.APPLIED, S.REJECTED, []) == Outcome.NOT_FORWARD


def case_people() -> list[Person]:
    # Any score rising with A + B gives the same figures as the real totals.
    return [
        Person(
            outcome=applicant.outcome,
            answers=applicant.answers or {},
            score=applicant.a + applicant.b,
            ratings={CRITERION_A: applicant.a, CRITERION_B: applicant.b},
        )
        for applicant in APPLICANTS
    ]


def case_figures():  # noqa: ANN201
    return compute(
        case_people(),
        dimensions_from(parse_categories(CATEGORIES)),
        min_group_size=5,
        criteria=[(CRITERION_A, "A"), (CRITERION_B, "B")],
        locale="ru",
    )


def test_the_hand_computed_case() -> None:
    figures = case_figures()

    assert_hand_computed(figures)
    assert figures.median_score == 6


def test_a_smaller_minimum_shows_the_small_group() -> None:
    figures = compute(
        case_people(),
        dimensions_from(parse_categories(CATEGORIES)),
        min_group_size=2,
        criteria=[],
        locale="en",
    )
    sex = figures.breakdowns[0]

    assert [g.labels for g in sex.groups] == [("Female",), ("Male",), ("Another",)]
    assert sex.hidden_groups == 0
    # "Another" moved forward 1 of 2: 0.5 / 0.8 of women.
    assert sex.groups[2].selection.ratio == pytest.approx(0.625)


def test_the_csv_holds_the_same_figures() -> None:
    rows = list(csv.DictReader(io.StringIO(figures_csv(case_figures()).lstrip("\ufeff"))))
    men = {
        (row["measure"], row["criterion"]): row
        for row in rows
        if row["breakdown"] == "sex" and row["category"] == "Мужской"
    }

    assert {key: value for key, value in men["selection", ""].items() if key != "fisher_p"} == {
        "breakdown": "sex",
        "category": "Мужской",
        "measure": "selection",
        "criterion": "",
        "group_size": "11",
        "hits": "4",
        "of": "10",
        "rate": "0.4000",
        "impact_ratio": "0.5000",
        "below_four_fifths": "yes",
    }
    assert men["scoring", ""]["impact_ratio"] == "0.3333"
    assert men["criterion", CRITERION_A]["impact_ratio"] == "0.2857"
    assert men["criterion", CRITERION_B]["below_four_fifths"] == "no"
    women = next(r for r in rows if r["category"] == "Женский" and r["measure"] == "selection")
    assert women["fisher_p"] == "0.0991"
    counts = {r["category"]: r["group_size"] for r in rows if r["breakdown"] == "sex"}
    assert counts["hidden: 1 groups"] == "2"
    assert counts["unknown"] == "3" and counts["prefer not to say"] == "1"
    assert any(r["category"] == "Мужской × Большинство" for r in rows)


def test_categories_read_back_as_written_and_refuse_mistakes() -> None:
    assert categories_text(DEFAULT_DIMENSIONS) == DEFAULT_CATEGORIES_TEXT
    assert categories_text(dimensions_from(parse_categories(CATEGORIES))) == CATEGORIES
    for wrong in (
        "sex: Пол\n  female: Ж | F\n  male: М | M\n",  # no English label
        "Sex: Пол | Sex\n  female: Ж | F\n  male: М | M\n",  # capital letter in the key
        "  female: Ж | F\n",  # a category before its dimension
        "sex: Пол | Sex\n  female: Ж | F\n",  # one category only
        "sex: Пол | Sex\n  prefer_not_to_say: Не скажу | No\n  male: М | M\n",  # reserved
        "sex: Пол | Sex\n  male: Ж | F\n  male: М | M\n",  # the same key twice
    ):
        with pytest.raises(InvalidInput):
            parse_categories(wrong)


def test_answers_are_kept_to_the_known_categories() -> None:
    raw = {"sex": "female", "ethnicity": "martian", "shoe_size": "42"}

    assert clean_answers(DEFAULT_DIMENSIONS, raw) == {"sex": "female"}
    assert clean_answers(DEFAULT_DIMENSIONS, {"ethnicity": "prefer_not_to_say", "sex": ""}) == {
        "ethnicity": "prefer_not_to_say"
    }
