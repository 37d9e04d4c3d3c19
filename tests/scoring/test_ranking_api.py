"""Exact must-haves, the ranking policy and the evidence weighting through the API, the pages
and the exports, on both databases, as a recruiter and an ATS would see them."""

import csv
import io
import re
import uuid
from dataclasses import dataclass

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import Session

from app.hiring.service import assign_interviewer, create_application, create_candidate
from app.models import ApplicationScore, Organisation, Stage, UserRole, Vacancy
from app.scoring.service import profile_context, rescore_outdated
from tests.factories import (
    DEFAULT_PASSWORD,
    make_api_key,
    make_organisation,
    make_user,
    make_vacancy,
)
from tests.hiring.test_pages import browser_for
from tests.test_web_accounts import csrf_token_of

MUST = ("communicability.criticism", "implementation.conversations")


@dataclass(frozen=True)
class Login:
    email: str
    password: str


@dataclass
class Pool:
    api: httpx.Client
    vacancy_id: str
    applications: dict[str, str]  # candidate name -> application id
    criteria: list[str]
    interviewers: list[str]


@pytest.fixture
def pool(db: Session, http: httpx.Client) -> Pool:
    organisation = make_organisation(db)
    interviewers = [
        make_user(db, organisation=organisation, role=UserRole.INTERVIEWER, email=email)
        for email in ("anna@example.org", "boris@example.org")
    ]
    vacancy = make_vacancy(db, organisation=organisation)
    applications = {}
    for name in ("Анна Порогова", "Борис Провалов", "Вера Частичная", "Глеб Неоценённый"):
        candidate = create_candidate(db, organisation_id=organisation.id, full_name=name)
        application = create_application(db, vacancy=vacancy, candidate=candidate)
        for interviewer in interviewers:
            assign_interviewer(
                db, application=application, interviewer=interviewer, stage=Stage.INTERVIEW
            )
        applications[name] = str(application.id)
    criteria = list(profile_context(db, vacancy.role_profile_version_id).panel_model.criterion_ids)
    _, secret = make_api_key(db, organisation=organisation, scopes=["admin"])
    db.commit()
    http.headers["Authorization"] = f"Bearer {secret}"
    return Pool(
        http, str(vacancy.id), applications, criteria, [str(user.id) for user in interviewers]
    )


def submit(pool: Pool, name: str, rater: int, ratings: dict[str, tuple[int, str]]) -> None:
    headers = {"On-Behalf-Of": pool.interviewers[rater]}
    draft = pool.api.post(
        f"/api/v1/applications/{pool.applications[name]}/scorecards",
        json={"stage": "interview"},
        headers=headers,
    )
    assert draft.status_code == 201, draft.text
    saved = pool.api.patch(
        f"/api/v1/scorecards/{draft.json()['id']}",
        json={
            "ratings": [
                {"criterion_id": cid, "rating": level, "evidence": "Пример", "evidence_source": src}
                for cid, (level, src) in ratings.items()
            ]
        },
        headers=headers,
    )
    assert saved.status_code == 200, saved.text
    done = pool.api.post(f"/api/v1/scorecards/{draft.json()['id']}/submit", headers=headers)
    assert done.status_code == 200, done.text


def test_ratings_at_the_threshold_on_two_kinds_of_evidence_meet_the_must_have(
    pool: Pool,
) -> None:
    everything = {cid: (3, "interview") for cid in pool.criteria}
    submit(pool, "Анна Порогова", 0, {**everything, MUST[0]: (3, "work_sample")})
    submit(pool, "Анна Порогова", 1, {**everything, MUST[0]: (3, "reference")})

    panel = pool.api.get(f"/api/v1/applications/{pool.applications['Анна Порогова']}/score")
    panel = panel.json()["panel"]

    statuses = {c["criterion_id"]: c["must_have"] for c in panel["criteria"] if c["must_have"]}
    assert statuses == dict.fromkeys(MUST, "met")
    assert panel["outcome"] == "meets_must_haves"
    assert panel["formula"] == "вклад = вес × нормированная оценка ÷ охват × 100"
    for line in panel["criteria"]:
        if line["rating"] is not None:
            by_hand = line["weight"] * line["normalised_rating"] / panel["coverage"] * 100
            assert line["contribution"] == pytest.approx(by_hand, abs=0.011)


def test_one_ranking_for_the_api_the_export_and_the_comparison(
    pool: Pool, live_server: str, db: Session
) -> None:
    everything = {cid: (3, "interview") for cid in pool.criteria}
    submit(pool, "Анна Порогова", 0, everything)
    # Top marks everywhere but one must-have: a higher total that must still rank last.
    submit(
        pool,
        "Борис Провалов",
        0,
        {**dict.fromkeys(pool.criteria, (4, "interview")), MUST[0]: (1, "interview")},
    )
    # Two criteria only, both at the top: 100 points on a thin, provisional assessment.
    submit(pool, "Вера Частичная", 0, {MUST[0]: (4, "interview"), MUST[1]: (4, "interview")})

    ranking = pool.api.get(f"/api/v1/vacancies/{pool.vacancy_id}/ranking").json()
    export = pool.api.get(f"/api/v1/vacancies/{pool.vacancy_id}/export").json()
    csv_export = pool.api.get(f"/api/v1/vacancies/{pool.vacancy_id}/export?format=csv").text

    expected = ["Анна Порогова", "Вера Частичная", "Глеб Неоценённый", "Борис Провалов"]
    by_id = {application_id: name for name, application_id in pool.applications.items()}
    assert [by_id[item["application_id"]] for item in ranking["items"]] == expected
    assert [item["rank"] for item in ranking["items"]] == [1, 2, 3, 4]
    assert [item["group"] for item in ranking["items"]] == [
        "assessed",
        "tentative",
        "tentative",
        "fails_must_have",
    ]
    failing = ranking["items"][3]
    assert failing["total"] > ranking["items"][0]["total"] and failing["band"] is None
    assert ranking["items"][1]["total"] == 100 and ranking["items"][1]["band"] is None
    assert ranking["items"][0]["band"] is not None
    assert [(r["rank"], r["candidate"]["full_name"]) for r in export] == list(
        enumerate(expected, start=1)
    )
    rows = list(csv.DictReader(io.StringIO(csv_export.lstrip("\ufeff"))))
    assert [(row["rank"], row["full_name"]) for row in rows] == [
        (str(rank), name) for rank, name in enumerate(expected, start=1)
    ]
    make_user(
        db,
        organisation=db.get(
            Organisation, db.get(Vacancy, uuid.UUID(pool.vacancy_id)).organisation_id
        ),
        email="rita@example.org",
    )
    db.commit()
    recruiter = browser_for(live_server, Login("rita@example.org", DEFAULT_PASSWORD))
    page = recruiter.get(f"/vacancies/{pool.vacancy_id}/compare").text
    by_name = recruiter.get(f"/vacancies/{pool.vacancy_id}/compare?sort=name&desc=false").text
    assert re.findall(r'<th scope="row"><a [^>]+>([^<]+)</a>', page) == expected
    # The failing candidate is marked whatever the order.
    for html in (page, by_name):
        row = html[html.index("Борис Провалов") :].split("</tr>")[0]
        assert "не выполняет обязательные требования" in row
    paged = pool.api.get(f"/api/v1/vacancies/{pool.vacancy_id}/ranking?offset=1&limit=2").json()
    assert [item["rank"] for item in paged["items"]] == [2, 3] and paged["count"] == 4


def test_the_ranking_refuses_bad_paging(pool: Pool) -> None:
    answer = pool.api.get(f"/api/v1/vacancies/{pool.vacancy_id}/ranking?limit=0")
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "limit" in answer.text


def test_equal_weighting_is_chosen_by_an_admin_and_rescored(
    pool: Pool, db: Session, live_server: str
) -> None:
    ratings = {**{cid: (2, "interview") for cid in pool.criteria}, MUST[1]: (3, "interview")}
    # Interview 4 (weight .42) and a CV claim of 1 (.07): 3.57 by validity, 2.5 if equal.
    submit(pool, "Анна Порогова", 0, {**ratings, MUST[0]: (4, "interview")})
    submit(pool, "Анна Порогова", 1, {**ratings, MUST[0]: (1, "cv")})
    score_url = f"/api/v1/applications/{pool.applications['Анна Порогова']}/score"

    def must_have() -> tuple:
        panel = pool.api.get(score_url).json()["panel"]
        [line] = [c for c in panel["criteria"] if c["criterion_id"] == MUST[0]]
        return panel["evidence_weighting"], line["rating"], line["must_have"]

    assert must_have() == ("validity", 3.57, "met")
    organisation_id = db.get(Vacancy, uuid.UUID(pool.vacancy_id)).organisation_id
    organisation = db.get(Organisation, organisation_id)
    make_user(db, organisation=organisation, role=UserRole.ADMIN, email="admin@example.org")
    make_user(db, organisation=organisation, role=UserRole.HR, email="hr@example.org")
    db.commit()
    admin = browser_for(live_server, Login("admin@example.org", DEFAULT_PASSWORD))
    hr = browser_for(live_server, Login("hr@example.org", DEFAULT_PASSWORD))
    application_page = f"/applications/{pool.applications['Анна Порогова']}"
    assert "обязательное не выполнено" not in admin.get(application_page).text
    token = csrf_token_of(admin.get("/settings/scoring"))

    refused = admin.post(
        "/settings/scoring", data={"csrf_token": token, "evidence_weighting": "louder"}
    )
    saved = admin.post(
        "/settings/scoring", data={"csrf_token": token, "evidence_weighting": "equal"}
    )

    assert refused.status_code == 400
    assert "Выберите один из двух способов взвешивания." in refused.text
    assert "Откликов пересчитано с новыми весами: 4." in saved.text
    assert must_have() == ("equal", 2.5, "not_met")
    # The stored status, on the page too.
    assert "обязательное не выполнено" in admin.get(application_page).text
    assert hr.get("/settings/scoring").status_code == 403


def test_scores_stored_by_an_older_version_are_rescored_on_migrate(pool: Pool, db: Session) -> None:
    everything = {cid: (3, "interview") for cid in pool.criteria}
    submit(pool, "Анна Порогова", 0, {**everything, MUST[0]: (3, "work_sample")})
    submit(pool, "Анна Порогова", 1, {**everything, MUST[0]: (3, "reference")})
    score_url = f"/api/v1/applications/{pool.applications['Анна Порогова']}/score"
    before = pool.api.get(score_url).json()
    table = ApplicationScore.__table__
    size = len(pool.criteria)
    # The layout before format 2: no status byte after the spreads.
    for score_id, packed in db.execute(sa.select(table.c.id, table.c.criteria_packed)).all():
        old = packed[: 5 * size] if len(packed) == 6 * size else packed
        db.execute(
            table.update()
            .where(table.c.id == score_id)
            .values(criteria_packed=old, packed_format=1)
        )
    db.commit()

    rescored = rescore_outdated(db)
    db.commit()
    after = pool.api.get(score_url).json()

    assert rescored == 5  # four screening scores, one panel score
    assert db.execute(sa.select(sa.func.min(table.c.packed_format))).scalar_one() == 2
    for kind in ("panel", "screening"):
        assert after[kind]["criteria"] == before[kind]["criteria"]
        assert after[kind]["outcome"] == before[kind]["outcome"]
