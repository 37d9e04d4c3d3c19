"""The screening score: the candidate's own data against the experience criteria."""

from app.profiles.schema import Platform
from app.rubrics.library import builtin_library
from app.rubrics.schema import Category
from app.scoring.engine import default_evidence_weights, scoring_model
from app.scoring.screening import ScreeningData, score_screening, years_rating

LIBRARY = builtin_library()
PROFILE = LIBRARY.profiles["smm_manager"]  # 3 to 6 years; VK and Telegram required
MODEL = scoring_model(PROFILE, LIBRARY.criteria(), only_categories={Category.EXPERIENCE})


def test_years_are_a_range_check_not_more_is_better() -> None:
    assert [years_rating(years, PROFILE) for years in (None, 0.5, 2.5, 3, 6, 15)] == [
        None,
        1,
        2,
        3,
        3,
        3,
    ]


def test_screening_reads_the_structured_data_and_names_missing_platforms() -> None:
    data = ScreeningData(
        years_in_smm=4,
        platforms=[Platform.VK],
        ad_tools=["VK Реклама", "Яндекс Директ"],
        cms=["Tilda"],
        analytics_tools=[],
        own_blog_url="https://t.me/my_blog",
        audience_built=12_000,
        portfolio_links=["https://example.org/case"],
    )

    result = score_screening(MODEL, PROFILE, data)

    ratings = {c.criterion_id: c.panel_rating for c in result.score.criteria}
    assert ratings["experience.years_relevant"] == 3
    assert ratings["experience.ad_platforms"] == 3
    assert ratings["experience.own_audience"] == 4
    assert ratings["experience.analytics_adjustment"] == 1
    assert ratings["experience.strategy_experience"] is None  # data cannot say: interview it
    assert result.years_in_range is True
    assert result.missing_platforms == (Platform.TELEGRAM,)
    assert {c.category for c in result.score.criteria} == {Category.EXPERIENCE}


def test_screening_weighs_less_than_the_interview() -> None:
    weights = default_evidence_weights()

    assert weights["screening"] < weights["work_sample"] < weights["interview"]
    assert weights["screening"] == weights["cv"] == 0.07


def test_nothing_stated_means_nothing_scored() -> None:
    result = score_screening(MODEL, PROFILE, ScreeningData())

    assert result.score.total is None and result.years_in_range is None
