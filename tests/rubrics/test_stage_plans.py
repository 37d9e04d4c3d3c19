"""Stage plans a panel can run: at most 12 criteria per conversation stage, each criterion at a
stage that gives evidence it accepts, and a warning (not an error) for a bigger stage."""

from app.profiles.checks import stage_warnings
from app.profiles.schema import InterviewStage, StagePlan


def plan(stage: InterviewStage, count: int) -> StagePlan:
    return StagePlan(stage=stage, criteria=[f"sample.c{number}" for number in range(count)])


def test_a_conversation_stage_of_13_is_warned_about_with_its_minutes() -> None:
    warnings = stage_warnings([plan(InterviewStage.SCREENING, 2), plan(InterviewStage.FINAL, 13)])

    assert [(warning.field, warning.message) for warning in warnings] == [
        (
            "stages.1.criteria",
            "stage final: 13 criteria, about 65 minutes; structured interviews cover 6-12: "
            "move some to another stage",
        )
    ]


def test_12_criteria_or_a_big_screening_are_fine() -> None:
    assert stage_warnings([plan(InterviewStage.INTERVIEW, 12)]) == []
    assert stage_warnings([plan(InterviewStage.SCREENING, 30)]) == []
