"""Stage plans a panel can run: at most 12 criteria per conversation stage, each criterion at a
stage that gives evidence it accepts, and a warning (not an error) for a bigger stage."""

import subprocess
from pathlib import Path

import pytest
import yaml

from app.profiles.checks import (
    CONVERSATION_STAGES,
    MAX_STAGE_CRITERIA,
    STAGE_EVIDENCE,
    stage_warnings,
)
from app.profiles.schema import InterviewStage, StagePlan
from app.rubrics.library import BUILTIN_DIR, builtin_library
from tests.test_cli import SMM_HIRE

PROFILES = builtin_library().profiles
BUILT_IN = pytest.mark.parametrize("profile_id", sorted(PROFILES))


@BUILT_IN
def test_every_picked_criterion_is_assessed_at_some_stage(profile_id: str) -> None:
    profile = PROFILES[profile_id]
    staged = {cid for plan in profile.stages for cid in plan.criteria}

    assert set(profile.picked_ids()) <= staged


@BUILT_IN
def test_no_conversation_stage_has_more_than_12_criteria(profile_id: str) -> None:
    sizes = {plan.stage.value: len(plan.criteria) for plan in PROFILES[profile_id].stages}

    assert all(sizes.get(stage.value, 0) <= MAX_STAGE_CRITERIA for stage in CONVERSATION_STAGES), (
        sizes
    )
    assert stage_warnings(PROFILES[profile_id].stages) == []


@BUILT_IN
def test_each_criterion_sits_at_a_stage_giving_evidence_it_accepts(profile_id: str) -> None:
    criteria = builtin_library().criteria()
    misplaced = [
        (plan.stage.value, cid, [kind.value for kind in criteria[cid][1].evidence])
        for plan in PROFILES[profile_id].stages
        for cid in plan.criteria
        if not STAGE_EVIDENCE[plan.stage] & set(criteria[cid][1].evidence)
    ]

    assert misplaced == []


@BUILT_IN
def test_a_stage_lists_a_criterion_once_and_must_haves_meet_a_panel(profile_id: str) -> None:
    profile = PROFILES[profile_id]
    in_conversation = {
        cid for plan in profile.stages if plan.stage in CONVERSATION_STAGES for cid in plan.criteria
    }

    for plan in profile.stages:
        assert len(plan.criteria) == len(set(plan.criteria)), plan.stage
    assert {must.criterion for must in profile.must_haves} <= in_conversation


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


def test_the_check_command_warns_with_file_and_line_but_passes(tmp_path: Path) -> None:
    document = yaml.safe_load((BUILTIN_DIR / "profiles" / "community-manager.yaml").read_text())
    picked = [pick["id"] for pick in document["criteria"]]
    document["id"] = "talkative"
    document["stages"] = [
        {"stage": "screening", "criteria": picked[17:]},
        {"stage": "interview", "criteria": picked[:17]},
    ]
    (tmp_path / "profiles").mkdir()
    path = tmp_path / "profiles" / "talkative.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False))
    lines = path.read_text().splitlines()
    criteria_line = lines.index("- stage: interview") + 2

    result = subprocess.run(
        [SMM_HIRE, "rubrics", "check", str(BUILTIN_DIR), str(path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"warning: profiles/talkative.yaml:{criteria_line}: stages.1.criteria: stage interview: "
        "17 criteria, about 85 minutes; structured interviews cover 6-12: "
        "move some to another stage"
    ]
    assert result.stdout.strip().endswith("7 profile(s), 1 warning(s)")
