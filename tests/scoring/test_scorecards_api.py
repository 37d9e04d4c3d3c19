"""Scorecards, scores and decisions through the API, as an ATS acting for people would."""

import uuid
from dataclasses import dataclass

import httpx
import pytest
from sqlmodel import Session, select

from app.hiring.service import assign_interviewer, create_application, create_candidate
from app.models import (
    Application,
    ScorecardRevision,
    Stage,
    StageDecision,
    UserRole,
)
from tests.factories import make_api_key, make_organisation, make_user, make_vacancy

STAGE_CRITERIA = [
    "communicability.criticism",
    "implementation.conversations",
    "flexibility.out_of_hours",
]


@dataclass
class World:
    api: httpx.Client
    application_id: str
    vacancy_id: str
    anna: str
    boris: str
    recruiter: str
    outsider: str


@pytest.fixture
def world(db: Session, http: httpx.Client) -> World:
    organisation = make_organisation(db)
    anna = make_user(
        db, organisation=organisation, role=UserRole.INTERVIEWER, email="anna@example.org"
    )
    boris = make_user(
        db, organisation=organisation, role=UserRole.INTERVIEWER, email="boris@example.org"
    )
    recruiter = make_user(db, organisation=organisation, email="rita@example.org")
    outsider = make_user(
        db, organisation=organisation, role=UserRole.INTERVIEWER, email="olga@example.org"
    )
    vacancy = make_vacancy(db, organisation=organisation)
    candidate = create_candidate(
        db,
        organisation_id=organisation.id,
        full_name="Вера Кандидатова",
        profile={
            "years_in_smm": 2,
            "platforms": ["vk"],
            "ad_tools": ["VK Реклама"],
            "audience_built": 5000,
        },
    )
    application = create_application(db, vacancy=vacancy, candidate=candidate)
    for interviewer in (anna, boris):
        assign_interviewer(
            db, application=application, interviewer=interviewer, stage=Stage.INTERVIEW
        )
    _, secret = make_api_key(db, organisation=organisation, scopes=["admin"])
    db.commit()
    http.headers["Authorization"] = f"Bearer {secret}"
    return World(
        http,
        str(application.id),
        str(vacancy.id),
        str(anna.id),
        str(boris.id),
        str(recruiter.id),
        str(outsider.id),
    )


def as_(user: str) -> dict[str, str]:
    return {"On-Behalf-Of": user}


def rate(world: World, user: str, levels: list[int | None]) -> dict:
    draft = world.api.post(
        f"/api/v1/applications/{world.application_id}/scorecards",
        json={"stage": "interview"},
        headers=as_(user),
    )
    assert draft.status_code == 201, draft.text
    ratings = [
        {"criterion_id": c, "rating": level, "evidence": "Пример из практики"}
        for c, level in zip(STAGE_CRITERIA, levels, strict=True)
    ]
    saved = world.api.patch(
        f"/api/v1/scorecards/{draft.json()['id']}",
        json={"ratings": ratings, "recommendation": "yes"},
        headers=as_(user),
    )
    assert saved.status_code == 200, saved.text
    return saved.json()


def test_a_submitted_scorecard_is_scored_and_explained(world: World) -> None:
    draft = rate(world, world.anna, [4, 3, None])

    submitted = world.api.post(f"/api/v1/scorecards/{draft['id']}/submit", headers=as_(world.anna))
    score = world.api.get(f"/api/v1/applications/{world.application_id}/score").json()

    assert submitted.json()["status"] == "submitted"
    panel = score["panel"]
    assert panel["kind"] == "panel" and 0 <= panel["total"] <= 100
    assert round(sum(c["contribution"] for c in panel["criteria"]), 2) == panel["total"]
    rated = {c["criterion_id"]: c["rating"] for c in panel["criteria"] if c["rating"] is not None}
    assert rated == {"communicability.criticism": 4, "implementation.conversations": 3}
    assert panel["provisional"] is True  # two criteria of many: low coverage
    assert panel["outcome"] == "meets_must_haves" or panel["outcome"] == "incomplete"
    assert score["screening"]["kind"] == "screening"
    assert score["screening"]["years_in_range"] is True
    assert len(panel["inputs_sha256"]) == 64


def test_a_submitted_scorecard_is_final_and_corrections_are_versions(
    world: World, db: Session
) -> None:
    draft = rate(world, world.anna, [2, 3, 3])
    url = f"/api/v1/scorecards/{draft['id']}"
    world.api.post(f"{url}/submit", headers=as_(world.anna))

    second_submit = world.api.post(f"{url}/submit", headers=as_(world.anna))
    late_edit = world.api.patch(url, json={"ratings": []}, headers=as_(world.anna))
    before = world.api.get(f"/api/v1/applications/{world.application_id}/score").json()["panel"]
    corrected = world.api.post(
        f"{url}/corrections",
        headers=as_(world.anna),
        json={
            "ratings": [{"criterion_id": "communicability.criticism", "rating": 4}],
            "reason": "Перепутала кандидатов в заметках",
        },
    )
    after = world.api.get(f"/api/v1/applications/{world.application_id}/score").json()["panel"]

    assert second_submit.status_code == 409 and late_edit.status_code == 409
    assert corrected.json()["version"] == 2
    assert after["total"] > before["total"]
    assert after["inputs_sha256"] != before["inputs_sha256"]
    reasons = db.exec(
        select(ScorecardRevision.change_reason).order_by(ScorecardRevision.version)
    ).all()
    assert reasons == ["submitted", "Перепутала кандидатов в заметках"]


def test_interviewers_see_colleagues_scorecards_only_after_submitting(world: World) -> None:
    anna_card = rate(world, world.anna, [4, 4, 4])
    world.api.post(f"/api/v1/scorecards/{anna_card['id']}/submit", headers=as_(world.anna))
    boris_card = rate(world, world.boris, [2, 2, 2])
    listing = f"/api/v1/applications/{world.application_id}/scorecards"

    boris_before = world.api.get(listing, headers=as_(world.boris)).json()
    direct = world.api.get(f"/api/v1/scorecards/{anna_card['id']}", headers=as_(world.boris))
    recruiter_view = world.api.get(listing, headers=as_(world.recruiter)).json()
    world.api.post(f"/api/v1/scorecards/{boris_card['id']}/submit", headers=as_(world.boris))
    boris_after = world.api.get(listing, headers=as_(world.boris)).json()

    assert [card["interviewer_user_id"] for card in boris_before] == [world.boris]
    assert direct.status_code == 404
    assert len(recruiter_view) == 2
    assert {card["interviewer_user_id"] for card in boris_after} == {world.anna, world.boris}


def test_bad_scorecard_input_is_refused_naming_the_field(world: World) -> None:
    draft = rate(world, world.anna, [3, 3, 3])
    url = f"/api/v1/scorecards/{draft['id']}"

    def patch(criterion: str, level: int) -> httpx.Response:
        return world.api.patch(
            url,
            headers=as_(world.anna),
            json={"ratings": [{"criterion_id": criterion, "rating": level}]},
        )

    off_scale = patch("communicability.criticism", 7)
    unknown = patch("communicability.mind_reading", 3)
    not_in_profile = patch("implementation.editorial_calendar", 3)
    not_assigned = world.api.post(
        f"/api/v1/applications/{world.application_id}/scorecards",
        json={"stage": "interview"},
        headers=as_(world.outsider),
    )
    nobody = world.api.post(f"{url}/submit")
    someone_else = world.api.post(f"{url}/submit", headers=as_(world.boris))

    assert off_scale.status_code == 422
    assert off_scale.json()["errors"][0]["field"] == "ratings.0.rating"
    assert unknown.json()["errors"][0]["field"] == "ratings.0.criterion_id"
    assert "no criterion 'communicability.mind_reading'" in unknown.json()["errors"][0]["detail"]
    assert "not in this vacancy's profile" in not_in_profile.json()["errors"][0]["detail"]
    assert not_assigned.status_code == 409 and "not assigned" in not_assigned.json()["detail"]
    assert nobody.status_code == 422
    assert nobody.json()["errors"][0]["field"] == "header.on-behalf-of"
    assert someone_else.status_code == 409
    saved = world.api.get(url).json()
    assert {r["criterion_id"]: r["rating"] for r in saved["ratings"]} == dict.fromkeys(
        STAGE_CRITERIA, 3
    )


def test_people_decide_and_the_record_says_who_when_and_why(world: World, db: Session) -> None:
    card = rate(world, world.anna, [1, 1, 1])
    world.api.post(f"/api/v1/scorecards/{card['id']}/submit", headers=as_(world.anna))
    url = f"/api/v1/applications/{world.application_id}/decisions"

    assert db.get(Application, uuid.UUID(world.application_id)).stage == Stage.APPLIED
    db.rollback()  # a low score moved nobody; and the test's session lets the server write
    by_interviewer = world.api.post(
        url,
        headers=as_(world.anna),
        json={"decision": "advance", "to_stage": "interview", "reason": "ok"},
    )
    without_reason = world.api.post(
        url,
        headers=as_(world.recruiter),
        json={"decision": "advance", "to_stage": "interview", "reason": ""},
    )
    decided = world.api.post(
        url,
        headers=as_(world.recruiter),
        json={
            "decision": "advance",
            "to_stage": "work_sample",
            "reason": "Сильный пример работы с негативом; низкие оценки за другой опыт",
        },
    )

    assert by_interviewer.status_code == 409
    assert without_reason.status_code == 422
    assert without_reason.json()["errors"][0]["field"] == "body.reason"
    assert decided.status_code == 201
    body = decided.json()
    assert (body["from_stage"], body["to_stage"], body["decided_by_user_id"]) == (
        "applied",
        "work_sample",
        world.recruiter,
    )
    db.expire_all()
    assert db.get(Application, uuid.UUID(world.application_id)).stage == Stage.WORK_SAMPLE
    assert len(db.exec(select(StageDecision)).all()) == 1


def test_agreement_and_rescoring_of_the_vacancy(world: World, db: Session) -> None:
    for user, levels in ((world.anna, [4, 3, 2]), (world.boris, [2, 3, 4])):
        card = rate(world, user, levels)
        world.api.post(f"/api/v1/scorecards/{card['id']}/submit", headers=as_(user))
    before = world.api.get(f"/api/v1/applications/{world.application_id}/score").json()["panel"]

    agreement = world.api.get(f"/api/v1/vacancies/{world.vacancy_id}/agreement").json()
    rescored = world.api.post(f"/api/v1/vacancies/{world.vacancy_id}/rescore").json()
    after = world.api.get(f"/api/v1/applications/{world.application_id}/score").json()["panel"]

    flags = {c["criterion_id"]: c["disagreement"] for c in before["criteria"] if c["rating"]}
    assert flags["communicability.criticism"] and flags["flexibility.out_of_hours"]
    assert not flags["implementation.conversations"]
    assert {item["rater_id"] for item in agreement["interviewers"]} == {world.anna, world.boris}
    assert all(c["icc_reading"] == "not enough data" for c in agreement["criteria"])
    assert rescored["applications"] == 1 and rescored["scorecards"] == 2
    assert after["total"] == before["total"]
    assert after["inputs_sha256"] == before["inputs_sha256"]  # same inputs, same hash
