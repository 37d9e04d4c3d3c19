"""Must-haves decided once, exactly; the ranking policy; disagreement within a stage; 0-based
scales through the packed formats (pure: the engine and the packing, no database)."""

import uuid

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from app.models import CriterionRating, EvidenceSource
from app.rubrics.schema import Category, EvidenceKind
from app.scoring.engine import (
    CriterionSpec,
    MustHaveStatus,
    Outcome,
    Rating,
    ScorecardInput,
    ScoringModel,
    default_evidence_weights,
    score_application,
    score_batch,
)
from app.scoring.ranking import RankGroup, rank_group, rank_key, ranked
from app.scoring.service import (
    pack_ratings,
    pack_results,
    unpack_ratings,
    unpack_results,
)

SECTIONS = {Category.ORGANISATION: 40, Category.CORE_TRAITS: 60}


def model_with(low: int, high: int, threshold: int, aggregation: str = "mean") -> ScoringModel:
    return ScoringModel(
        criteria=(
            CriterionSpec("organisation.must", Category.ORGANISATION, 1, low, high, threshold),
            CriterionSpec("traits.other", Category.CORE_TRAITS, 1, low, high),
        ),
        section_weights=SECTIONS,
        aggregation=aggregation,
    )


def panel(levels: list[int], kinds: list[EvidenceKind], stages: list[str] | None = None) -> list:
    return [
        ScorecardInput(
            f"rater-{i}",
            (Rating("organisation.must", level, kind), Rating("traits.other", level, kind)),
            stage=(stages or [""] * len(levels))[i],
        )
        for i, (level, kind) in enumerate(zip(levels, kinds, strict=True))
    ]


def test_two_ratings_at_the_threshold_on_different_evidence_meet_it() -> None:
    # 3 x 0.33 + 3 x 0.26 over 0.59 is 2.9999999999999996 in floating point.
    model = model_with(1, 4, 3)
    result = score_application(
        model, panel([3, 3], [EvidenceKind.WORK_SAMPLE, EvidenceKind.REFERENCE])
    )

    must = result.criteria[0]
    assert must.must_have == MustHaveStatus.MET
    assert must.panel_rating == 3.0
    assert result.outcome == Outcome.MEETS_MUST_HAVES


scales = st.sampled_from([(0, 1), (0, 3), (1, 4), (1, 5), (0, 9), (1, 10)])
kinds = st.sampled_from(list(EvidenceKind))


@st.composite
def threshold_cases(draw, side: str):  # noqa: ANN001, ANN201
    low, high = draw(scales)
    threshold = draw(st.integers(low + 1, high) if side == "below" else st.integers(low, high))
    count = draw(st.integers(1, 6))
    levels = (
        st.integers(threshold, high) if side == "at_or_above" else st.integers(low, threshold - 1)
    )
    return (
        model_with(low, high, threshold, draw(st.sampled_from(["mean", "median"]))),
        [draw(levels) for _ in range(count)],
        [draw(kinds) for _ in range(count)],
    )


@settings(max_examples=300, deadline=None)
@given(threshold_cases("at_or_above"))
def test_every_rating_at_or_above_the_threshold_meets_it(case) -> None:  # noqa: ANN001
    model, levels, evidence = case
    result = score_application(model, panel(levels, evidence))
    assert result.criteria[0].must_have == MustHaveStatus.MET
    assert result.outcome == Outcome.MEETS_MUST_HAVES


@settings(max_examples=300, deadline=None)
@given(threshold_cases("below"))
def test_every_rating_below_the_threshold_fails_it(case) -> None:  # noqa: ANN001
    model, levels, evidence = case
    result = score_application(model, panel(levels, evidence))
    assert result.criteria[0].must_have == MustHaveStatus.NOT_MET
    assert result.outcome == Outcome.DOES_NOT_MEET_MUST_HAVES
    assert result.band is None


@st.composite
def pools(draw):  # noqa: ANN001, ANN201
    low, high = draw(scales)
    model = model_with(low, high, draw(st.integers(low, high)))
    applications = draw(st.integers(1, 8))
    raters = draw(st.integers(1, 4))
    levels = st.one_of(st.none(), st.integers(low, high))
    return (
        model,
        [
            [
                (
                    [draw(levels), draw(levels)],
                    draw(kinds),
                    draw(st.sampled_from(["interview", "work_sample"])),
                )
                for _ in range(raters)
            ]
            for _ in range(applications)
        ],
    )


def _stored_rating(criterion_id: str, level: int | None, kind: EvidenceKind) -> CriterionRating:
    return CriterionRating(
        organisation_id=uuid.uuid4(),
        scorecard_id=uuid.uuid4(),
        criterion_id=criterion_id,
        rating=level,
        evidence_source=EvidenceSource(kind.value),
    )


@settings(max_examples=150, deadline=None)
@given(pools())
def test_the_bulk_path_from_packed_ratings_gives_what_one_application_gives(pool) -> None:  # noqa: ANN001
    """Ratings packed as scorecards store them, unpacked and scored in bulk, then packed as
    scores store them: the same outcome, statuses, ratings and total as one application."""
    model, applications = pool
    size = len(model.criteria)
    raters = len(applications[0])
    ratings = np.full((len(applications), raters, size), np.nan)
    evidence = np.zeros_like(ratings)
    stages = np.zeros((len(applications), raters), dtype=int)
    for a, cards in enumerate(applications):
        for r, (levels, kind, stage) in enumerate(cards):
            blob = pack_ratings(
                model,
                [
                    _stored_rating(spec.id, level, kind)
                    for spec, level in zip(model.criteria, levels, strict=True)
                ],
            )
            ratings[a, r], evidence[a, r] = (
                row[0] for row in unpack_ratings([blob], size, default_evidence_weights())
            )
            stages[a, r] = ["interview", "work_sample"].index(stage)
    stored = pack_results(score_batch(model, ratings, evidence, stages))

    for a, cards in enumerate(applications):
        one = score_application(
            model,
            [
                ScorecardInput(
                    f"rater-{r}",
                    tuple(
                        Rating(spec.id, level, kind)
                        for spec, level in zip(model.criteria, levels, strict=True)
                    ),
                    stage=stage,
                )
                for r, (levels, kind, stage) in enumerate(cards)
            ],
        )
        panels, contributions, spreads, musts = unpack_results(stored[a], size)
        assert musts == [criterion.must_have for criterion in one.criteria]
        for stored_panel, criterion in zip(panels, one.criteria, strict=True):
            assert (stored_panel is None) == (criterion.panel_rating is None)
            if stored_panel is not None:
                assert abs(stored_panel - criterion.panel_rating) <= 0.005 + 1e-9
        assert spreads == [criterion.spread for criterion in one.criteria]
        assert contributions == [criterion.contribution for criterion in one.criteria]
        # A zero rating on a 0-based scale is a rating, not "not assessed".
        if any(levels[0] == 0 for levels, _, _ in cards):
            assert panels[0] is not None


def test_one_person_at_two_stages_does_not_disagree_with_themself() -> None:
    model = model_with(1, 4, 3)
    same_person = [
        ScorecardInput("anna", (Rating("traits.other", 1),), stage="interview"),
        ScorecardInput("anna", (Rating("traits.other", 4),), stage="work_sample"),
    ]
    two_people = [
        ScorecardInput("anna", (Rating("traits.other", 1),), stage="interview"),
        ScorecardInput("boris", (Rating("traits.other", 4),), stage="interview"),
    ]

    assert score_application(model, same_person).criteria[1].disagreement is False
    assert score_application(model, two_people).criteria[1].disagreement is True


def test_no_band_for_a_provisional_or_incomplete_result() -> None:
    model = model_with(1, 4, 3)
    thin = score_application(model, [ScorecardInput("anna", (Rating("traits.other", 4),))])
    full = score_application(model, panel([4], [EvidenceKind.INTERVIEW]))

    assert thin.total == 100 and thin.outcome == Outcome.INCOMPLETE and thin.band is None
    assert full.total == 100 and full.band == "strong"


def test_the_ranking_policy_puts_must_haves_and_coverage_before_the_total() -> None:
    rows = [
        ("fails", Outcome.DOES_NOT_MEET_MUST_HAVES, False, 97.6, 1.0),
        ("thin", Outcome.MEETS_MUST_HAVES, True, 100.0, 0.37),
        ("good", Outcome.MEETS_MUST_HAVES, False, 71.0, 1.0),
        ("best", Outcome.MEETS_MUST_HAVES, False, 88.0, 0.9),
        ("unscored", None, True, None, None),
        ("incomplete", Outcome.INCOMPLETE, False, 90.0, 0.8),
        ("tie-b", Outcome.MEETS_MUST_HAVES, False, 71.0, 0.8),
    ]

    order = ranked(
        rows,
        key=lambda row: rank_key(
            outcome=row[1], provisional=row[2], total=row[3], coverage=row[4], tie=row[0]
        ),
    )

    assert [row[0] for _, row in order] == [
        "best",
        "good",
        "tie-b",
        "thin",
        "incomplete",
        "unscored",
        "fails",
    ]
    assert [rank for rank, _ in order] == list(range(1, 8))
    assert rank_group(Outcome.MEETS_MUST_HAVES, True) == RankGroup.TENTATIVE
    assert rank_group(None, True) == RankGroup.TENTATIVE


def test_the_readme_worked_example() -> None:
    model = ScoringModel(
        criteria=(
            CriterionSpec("organisation.a", Category.ORGANISATION, 12, 1, 4),
            CriterionSpec("organisation.b", Category.ORGANISATION, 8, 1, 4),
            CriterionSpec("organisation.c", Category.ORGANISATION, 80, 1, 4),
        ),
        section_weights={Category.ORGANISATION: 100},
    )
    result = score_application(
        model,
        [ScorecardInput("anna", (Rating("organisation.a", 3), Rating("organisation.b", 4)))],
    )

    assert [round(c.weight, 2) for c in result.criteria] == [0.12, 0.08, 0.8]
    assert round(result.coverage, 2) == 0.2
    assert [c.contribution for c in result.criteria] == [40.0, 40.0, 0.0]
    assert result.total == 80.0 and result.provisional and result.band is None
