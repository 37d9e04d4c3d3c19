"""The scoring engine: properties that must hold for any input, and one example per outcome."""

import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.rubrics.library import builtin_library
from app.rubrics.schema import Category, EvidenceKind
from app.scoring.engine import (
    CriterionSpec,
    MustHaveStatus,
    Outcome,
    Rating,
    RatingOutOfScale,
    ScorecardInput,
    ScoringModel,
    UnknownCriterion,
    score_application,
    score_batch,
    scoring_model,
)

CRITERIA = (
    CriterionSpec("experience.a", Category.EXPERIENCE, 1, 1, 4),
    CriterionSpec("experience.b", Category.EXPERIENCE, 0.5, 1, 4),
    CriterionSpec("organisation.a", Category.ORGANISATION, 1, 1, 4, must_have_min=3),
    CriterionSpec("traits.a", Category.CORE_TRAITS, 2, 1, 4),
    CriterionSpec("traits.b", Category.CORE_TRAITS, 1, 1, 4),
    CriterionSpec("duties.a", Category.DUTIES, 1, 1, 4),
)
SECTIONS = {
    Category.EXPERIENCE: 20,
    Category.ORGANISATION: 15,
    Category.CORE_TRAITS: 30,
    Category.DUTIES: 35,
}
MODEL = ScoringModel(criteria=CRITERIA, section_weights=SECTIONS)
IDS = [spec.id for spec in CRITERIA]

levels = st.one_of(st.none(), st.integers(min_value=1, max_value=4))
sources = st.sampled_from(list(EvidenceKind))


@st.composite
def panels(draw) -> list[ScorecardInput]:  # noqa: ANN001
    raters = draw(st.integers(min_value=1, max_value=4))
    return [
        ScorecardInput(
            rater_id=f"rater-{r}",
            ratings=tuple(Rating(criterion, draw(levels), draw(sources)) for criterion in IDS),
        )
        for r in range(raters)
    ]


@given(panels())
def test_totals_and_sections_stay_between_0_and_100(panel: list[ScorecardInput]) -> None:
    result = score_application(MODEL, panel)

    if result.total is not None:
        assert 0 <= result.total <= 100
    for section in result.sections:
        assert section.score is None or 0 <= section.score <= 100
    assert 0 <= result.coverage <= 1 + 1e-12


@given(panels())
def test_the_explanation_sums_exactly_to_the_total(panel: list[ScorecardInput]) -> None:
    result = score_application(MODEL, panel)
    contributions = [criterion.contribution for criterion in result.criteria]

    # Shown in hundredths of a point: the contributions add up to the total exactly.
    if result.total is None:
        assert all(value == 0 for value in contributions)
    else:
        assert sum(round(value * 100) for value in contributions) == round(result.total * 100)
        assert result.total == round(result.total, 2)


@given(panels(), st.randoms())
def test_the_order_of_scorecards_and_ratings_changes_nothing(panel, rng: random.Random) -> None:
    shuffled = [
        ScorecardInput(card.rater_id, tuple(rng.sample(card.ratings, len(card.ratings))))
        for card in rng.sample(panel, len(panel))
    ]

    assert score_application(MODEL, shuffled) == score_application(MODEL, panel)


@given(panels(), st.data())
def test_raising_one_rating_never_lowers_the_total(panel, data) -> None:
    before = score_application(MODEL, panel)
    rater = data.draw(st.integers(0, len(panel) - 1))
    position = data.draw(st.integers(0, len(IDS) - 1))
    rating = panel[rater].ratings[position]
    if rating.value is None or rating.value == 4:
        return
    raised = list(panel[rater].ratings)
    raised[position] = Rating(rating.criterion_id, rating.value + 1, rating.source)
    panel[rater] = ScorecardInput(panel[rater].rater_id, tuple(raised))

    after = score_application(MODEL, panel)

    assert after.total >= before.total - 1e-9


@given(panels())
def test_a_failed_must_have_always_wins(panel: list[ScorecardInput]) -> None:
    failing = [
        ScorecardInput(
            card.rater_id,
            tuple(
                Rating(
                    r.criterion_id, 1 if r.criterion_id == "organisation.a" else r.value, r.source
                )
                for r in card.ratings
            ),
        )
        for card in panel
    ]

    assert score_application(MODEL, failing).outcome == Outcome.DOES_NOT_MEET_MUST_HAVES


@given(panels(), st.floats(min_value=0.01, max_value=1000))
def test_multiplying_all_weights_by_a_constant_changes_nothing(panel, factor: float) -> None:
    scaled = ScoringModel(
        criteria=tuple(
            CriterionSpec(
                s.id, s.category, s.weight * factor, s.min_level, s.max_level, s.must_have_min
            )
            for s in CRITERIA
        ),
        section_weights={category: weight * factor for category, weight in SECTIONS.items()},
    )

    original, rescaled = score_application(MODEL, panel), score_application(scaled, panel)

    assert (original.total is None) == (rescaled.total is None)
    if original.total is not None:
        assert rescaled.total == pytest.approx(original.total, abs=0.01)  # shown to 0.01
    assert rescaled.coverage == pytest.approx(original.coverage, abs=1e-12)
    assert rescaled.outcome == original.outcome


@given(panels())
@settings(max_examples=50)
def test_median_aggregation_keeps_the_same_properties(panel: list[ScorecardInput]) -> None:
    median = ScoringModel(criteria=CRITERIA, section_weights=SECTIONS, aggregation="median")
    result = score_application(median, panel)

    if result.total is not None:
        assert 0 <= result.total <= 100
        assert sum(round(c.contribution * 100) for c in result.criteria) == round(
            result.total * 100
        )
    for criterion in result.criteria:
        if criterion.panel_rating is not None:
            assert criterion.panel_rating in criterion.ratings


def card(rater: str, **levels_by_id: int | None) -> ScorecardInput:
    return ScorecardInput(
        rater,
        tuple(
            Rating(criterion_id.replace("__", "."), level)
            for criterion_id, level in levels_by_id.items()
        ),
    )


ALL_FOURS = {criterion_id.replace(".", "__"): 4 for criterion_id in IDS}


def test_not_assessed_lowers_coverage_not_the_score() -> None:
    partial = {**ALL_FOURS, "traits__b": None}

    result = score_application(MODEL, [card("anna", **partial)])

    assert result.total == 100
    assert result.coverage < 1
    traits = next(section for section in result.sections if section.category == "core_traits")
    assert traits.score == 100 and traits.coverage == pytest.approx(2 / 3)


def test_low_coverage_is_provisional() -> None:
    result = score_application(MODEL, [card("anna", experience__a=4, organisation__a=4)])

    assert result.coverage == pytest.approx(20 / 100 * 1 / 1.5 + 15 / 100)
    assert result.provisional


def test_outcomes_meets_fails_and_incomplete() -> None:
    meets = score_application(MODEL, [card("anna", **ALL_FOURS)])
    fails = score_application(MODEL, [card("anna", **{**ALL_FOURS, "organisation__a": 2})])
    missing = score_application(MODEL, [card("anna", **{**ALL_FOURS, "organisation__a": None})])

    assert (meets.outcome, meets.band, meets.provisional) == (
        Outcome.MEETS_MUST_HAVES,
        "strong",
        False,
    )
    assert fails.outcome == Outcome.DOES_NOT_MEET_MUST_HAVES
    assert fails.total == pytest.approx(90)  # a high total does not hide it
    assert missing.outcome == Outcome.INCOMPLETE
    must = next(c for c in missing.criteria if c.criterion_id == "organisation.a")
    assert must.must_have == MustHaveStatus.NOT_ASSESSED


def test_the_panel_weighs_interview_evidence_above_cv_claims_and_flags_disagreement() -> None:
    panel = [
        ScorecardInput("anna", (Rating("duties.a", 4, EvidenceKind.CV),)),
        ScorecardInput("boris", (Rating("duties.a", 2, EvidenceKind.INTERVIEW),)),
    ]

    [duties] = [c for c in score_application(MODEL, panel).criteria if c.criterion_id == "duties.a"]

    assert duties.panel_rating == pytest.approx((4 * 0.07 + 2 * 0.42) / (0.07 + 0.42))
    assert duties.spread == 2 and duties.disagreement


def test_bad_ratings_are_refused() -> None:
    with pytest.raises(RatingOutOfScale):
        score_application(MODEL, [card("anna", duties__a=5)])
    with pytest.raises(UnknownCriterion):
        score_application(MODEL, [card("anna", strategy__nowhere=3)])


def test_the_bulk_path_agrees_with_one_by_one() -> None:
    rng = np.random.default_rng(7)
    ratings = rng.integers(1, 5, size=(50, 3, len(IDS))).astype(float)
    ratings[rng.random(ratings.shape) < 0.2] = np.nan
    evidence = np.full(ratings.shape, 0.42)

    batch = score_batch(MODEL, ratings, evidence)

    for app in range(50):
        cards = [
            ScorecardInput(
                f"r{r}",
                tuple(
                    Rating(
                        IDS[c], None if np.isnan(ratings[app, r, c]) else int(ratings[app, r, c])
                    )
                    for c in range(len(IDS))
                ),
            )
            for r in range(3)
        ]
        one = score_application(MODEL, cards)
        assert one.total == pytest.approx(batch.total[app], abs=0.005)


def test_built_in_profiles_make_valid_models() -> None:
    library = builtin_library()
    criteria = library.criteria()
    for profile in library.profiles.values():
        model = scoring_model(profile, criteria)
        assert math.isclose(model.global_weights().sum(), 1.0)
