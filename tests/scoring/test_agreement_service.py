"""A vacancy's interviewer agreement from real submitted scorecards, per stage: the service
and the API, on SQLite and PostgreSQL."""

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session

from app.models import Stage, Vacancy
from app.scoring.agreement_service import vacancy_agreement
from app.scoring.service import profile_context
from tests.scoring.agreement_case import CRITICISM, LISTENING, MOBILE, World, make_world


@pytest.fixture
def world(db: Session, app: FastAPI) -> World:
    """The app loads the built-in profiles the world is made of."""
    return make_world(db)


def test_one_interviewer_at_two_stages_is_two_units_and_a_perfect_panel_agrees_perfectly(
    db: Session, world: World
) -> None:
    found = vacancy_agreement(db, db.get(Vacancy, world.vacancy_id))

    by_id = {item.criterion_id: item for item in found.criteria}
    assert found.stage is None and found.scorecards == 16
    for criterion_id in (CRITICISM, LISTENING):
        item = by_id[criterion_id]
        # 4 applications x 2 stages, each rated by Anna and Boris: 8 units of 2 ratings.
        assert (item.units, item.icc_units, item.k) == (8, 8, 2), criterion_id
        assert (item.icc_single, item.icc_average, item.alpha) == (1.0, 1.0, 1.0), criterion_id
        assert (item.icc_single_low, item.icc_single_high) == (1.0, 1.0)
        assert item.icc_reading == "excellent" and item.alpha_reading == "reliable"
    assert all(item.icc_single is None or item.icc_single > 0 for item in found.criteria)
    assert [item.rater_id for item in found.interviewers] == sorted(
        [str(world.anna.id), str(world.boris.id)]
    )
    assert found.interviewer_names[str(world.anna.id)] == "Анна Интервьюерова"
    assert found.criterion_titles[CRITICISM].en == "Responding to criticism"
    assert found.stages == [Stage.SCREENING, Stage.INTERVIEW, Stage.WORK_SAMPLE]
    db.rollback()


def test_the_stage_filter_reads_the_stage_alone_with_its_own_leniency(
    db: Session, world: World
) -> None:
    vacancy = db.get(Vacancy, world.vacancy_id)

    interview = vacancy_agreement(db, vacancy, stage=Stage.INTERVIEW)
    work_sample = vacancy_agreement(db, vacancy, stage=Stage.WORK_SAMPLE)
    every_stage = vacancy_agreement(db, vacancy)

    def mobile(found) -> object:  # noqa: ANN001
        return next(item for item in found.criteria if item.criterion_id == MOBILE)

    assert interview.stage == Stage.INTERVIEW and interview.scorecards == 8
    assert (mobile(interview).units, mobile(interview).k, mobile(interview).icc_single) == (
        4,
        2,
        1.0,
    )
    assert mobile(work_sample).icc_single < mobile(every_stage).icc_single < 1.0
    assert mobile(work_sample).icc_single_low < mobile(work_sample).icc_single
    # The stage's criteria: those the profile plans there (and any rated there besides).
    planned = profile_context(db, vacancy.role_profile_version_id).stage_criteria("work_sample")
    assert {item.criterion_id for item in work_sample.criteria} >= set(planned)
    assert len(work_sample.criteria) < len(every_stage.criteria)
    lenient = {item.rater_id: item.offset for item in work_sample.interviewers}
    # Boris is 3 points above Anna on 4 MOBILE units and level with her on 8 other ratings.
    assert lenient[str(world.boris.id)] == pytest.approx(3 / 12)
    assert lenient[str(world.anna.id)] == pytest.approx(-3 / 12)
    assert {item.offset for item in interview.interviewers} == {0.0}
    db.rollback()


def test_the_api_answers_per_stage_and_refuses_an_unknown_stage(
    http: httpx.Client, world: World
) -> None:
    path = f"/api/v1/vacancies/{world.vacancy_id}/agreement"
    headers = {"Authorization": f"Bearer {world.api_key}"}

    every_stage = http.get(path, headers=headers)
    work_sample = http.get(path, params={"stage": "work_sample"}, headers=headers)
    unknown = http.get(path, params={"stage": "lunch"}, headers=headers)

    assert every_stage.status_code == 200, every_stage.text
    assert every_stage.json()["stage"] is None
    criticism = next(c for c in every_stage.json()["criteria"] if c["criterion_id"] == CRITICISM)
    assert criticism["icc_single"] == 1.0 and criticism["k"] == 2 and criticism["units"] == 8
    assert criticism["icc_average_low"] == 1.0 and criticism["alpha"] == 1.0
    assert work_sample.json()["stage"] == "work_sample"
    assert work_sample.json()["scorecards"] == 8
    assert unknown.status_code == 422
    assert [error["field"] for error in unknown.json()["errors"]] == ["query.stage"]
