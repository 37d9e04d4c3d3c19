"""The rubric and profile API, as an ATS or an HR tool calls it over HTTP."""

import shutil
from pathlib import Path

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.demo import load_demo
from app.main import create_app
from app.models import RoleProfileVersion, Vacancy
from app.rubrics.library import BUILTIN_DIR
from app.rubrics.service import update_profile, visible_profiles
from app.settings import Settings
from tests.factories import make_api_key, make_organisation


def rubric_by_key(api: httpx.Client, key: str) -> dict:
    [summary] = [rubric for rubric in api.get("/api/v1/rubrics").json() if rubric["key"] == key]
    return api.get(f"/api/v1/rubrics/{summary['id']}").json()


def profile_by_key(api: httpx.Client, key: str) -> dict:
    [summary] = [item for item in api.get("/api/v1/profiles").json() if item["key"] == key]
    return api.get(f"/api/v1/profiles/{summary['id']}").json()


def test_the_built_in_library_is_listed_and_filtered(api: httpx.Client) -> None:
    everything = api.get("/api/v1/rubrics").json()
    duties = api.get("/api/v1/rubrics", params={"category": "duties"}).json()
    passion = api.get("/api/v1/rubrics", params={"seed_list": "passion"}).json()
    budget = api.get("/api/v1/rubrics", params={"q": "бюджет"}).json()

    assert {rubric["key"] for rubric in everything} == {
        "strategy",
        "implementation",
        "monitoring",
        "experience",
        "organisation",
        "core_traits",
    }
    assert all(rubric["is_builtin"] for rubric in everything)
    assert sum(rubric["criteria_count"] for rubric in everything) == 59
    assert {rubric["key"] for rubric in duties} == {"strategy", "implementation", "monitoring"}
    assert [rubric["key"] for rubric in passion] == ["core_traits"]
    assert "strategy" in {rubric["key"] for rubric in budget}


def test_criteria_are_searchable_and_shown_whole(api: httpx.Client) -> None:
    found = api.get("/api/v1/criteria", params={"q": "воскресенье"}).json()
    criterion = api.get("/api/v1/criteria/flexibility.out_of_hours").json()

    assert "flexibility.out_of_hours" in {item["id"] for item in found}
    assert criterion["category"] == "core_traits"
    assert set(criterion["criterion"]["anchors"]) == {"1", "2", "3", "4"}
    assert criterion["criterion"]["source"] == [{"list": "flexibility", "item": 2}]
    assert api.get("/api/v1/criteria/no.such").status_code == 404


@pytest.mark.parametrize("export_format", ["yaml", "json"])
def test_export_then_import_gives_the_same_content_hash(
    api: httpx.Client, export_format: str
) -> None:
    original = rubric_by_key(api, "monitoring")
    media_type = {"yaml": "application/yaml", "json": "application/json"}[export_format]

    exported = api.get(f"/api/v1/rubrics/{original['id']}/export", params={"format": export_format})
    imported = api.post(
        "/api/v1/rubrics/import", content=exported.content, headers={"Content-Type": media_type}
    )
    again = api.post(
        "/api/v1/rubrics/import", content=exported.content, headers={"Content-Type": media_type}
    )

    assert exported.headers["content-disposition"] == (
        f'attachment; filename="monitoring.{export_format}"'
    )
    assert imported.status_code == 201, imported.text
    assert imported.json()["latest"]["content_sha256"] == original["latest"]["content_sha256"]
    assert imported.json()["is_builtin"] is False
    assert again.status_code == 409  # the organisation has its own "monitoring" now


def test_a_cloned_rubric_replaces_the_built_in_one_and_versions_by_content(
    api: httpx.Client,
) -> None:
    built_in = rubric_by_key(api, "organisation")
    clone = api.post(f"/api/v1/rubrics/{built_in['id']}/clone").json()
    document = clone["document"]
    same = api.put(f"/api/v1/rubrics/{clone['id']}", json=document).json()
    document["sections"][0]["criteria"][0]["weight"] = 3
    changed = api.put(f"/api/v1/rubrics/{clone['id']}", json=document).json()
    refused = api.put(f"/api/v1/rubrics/{built_in['id']}", json=document)

    assert clone["latest"]["content_sha256"] == built_in["latest"]["content_sha256"]
    assert same["latest"]["version"] == 1
    assert changed["latest"]["version"] == 2
    assert rubric_by_key(api, "organisation")["id"] == clone["id"]  # the clone is used now
    assert refused.status_code == 409
    assert "clone it" in refused.json()["detail"]


def test_a_bad_rubric_answers_422_naming_each_field(api: httpx.Client) -> None:
    document = rubric_by_key(api, "strategy")["document"]
    document["id"] = "my_strategy"
    for criterion in document["sections"][0]["criteria"]:
        criterion["id"] = "my_" + criterion["id"]
        criterion["related"] = []
    del document["sections"][0]["criteria"][0]["anchors"]["4"]
    document["sections"][0]["criteria"][1]["evidence"] = ["gut_feeling"]

    answer = api.post("/api/v1/rubrics", json=document)

    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    fields = [error["field"] for error in answer.json()["errors"]]
    assert fields == ["body.sections.0.criteria.1.evidence.0"]
    document["sections"][0]["criteria"][1]["evidence"] = ["interview"]
    second = api.post("/api/v1/rubrics", json=document).json()
    assert [error["field"] for error in second["errors"]] == ["body.sections.0.criteria.0.anchors"]
    assert "missing anchor for level 4" in second["errors"][0]["detail"]


def test_an_import_that_is_not_yaml_names_the_body(api: httpx.Client) -> None:
    answer = api.post(
        "/api/v1/rubrics/import",
        content=b"id: [unclosed",
        headers={"Content-Type": "application/yaml"},
    )

    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "body"


def test_a_nul_character_written_as_a_yaml_escape_is_refused(api: httpx.Client) -> None:
    # PostgreSQL cannot store NUL; in YAML it hides behind "\0", which the raw body lacks.
    answer = api.post(
        "/api/v1/rubrics/import",
        content='id: care\ntitle: {ru: "За\\0бота", en: Care}\n'.encode(),
        headers={"Content-Type": "application/yaml"},
    )

    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"field": "body", "detail": "text may not contain NUL characters"}
    ]


def test_profiles_are_cloned_edited_and_versioned(api: httpx.Client) -> None:
    built_in = profile_by_key(api, "community_manager")
    clone = api.post(
        f"/api/v1/profiles/{built_in['id']}/clone", json={"key": "community_manager_spb"}
    ).json()
    document = clone["document"]
    document["section_weights"]["core_traits"] = 50
    document["context"] = {
        "cause": "Помогаем бездомным животным",
        "audience": "Жители Петербурга",
        "tone": "friendly",
    }
    updated = api.put(f"/api/v1/profiles/{clone['id']}", json=document).json()
    listed = api.get("/api/v1/profiles", params={"builtin": False}).json()

    assert clone["is_builtin"] is False and clone["document"]["id"] == "community_manager_spb"
    # implementation, monitoring, experience, organisation, core traits
    assert len(clone["rubric_version_ids"]) == 5
    assert updated["latest"]["version"] == 2
    assert updated["document"]["context"]["cause"] == "Помогаем бездомным животным"
    assert [item["key"] for item in listed] == ["community_manager_spb"]
    assert api.put(f"/api/v1/profiles/{built_in['id']}", json=document).status_code == 409


def test_a_profile_is_built_by_picking_items(api: httpx.Client) -> None:
    picked = ["implementation.editorial_calendar", "organisation.deadlines", "passion.own_blog"]
    document = {
        "id": "weekend_editor",
        "title": {"ru": "Редактор выходного дня", "en": "Weekend editor"},
        "summary": {"ru": "Ведёт публикации по выходным.", "en": "Runs the weekend posts."},
        "level": "junior",
        "section_weights": {"duties": 50, "organisation": 30, "core_traits": 20},
        "criteria": [{"id": criterion_id} for criterion_id in picked],
        "must_haves": [{"criterion": "organisation.deadlines", "min_rating": 3}],
        "stages": [{"stage": "interview", "criteria": picked}],
        "terms": {
            "remote": "remote",
            "schedule": "Сб-Вс",
            "salary_min": 40000,
            "salary_max": 60000,
            "currency": "RUB",
        },
    }

    created = api.post("/api/v1/profiles", json=document)
    document["criteria"].append({"id": "strategy.nonexistent"})
    dangling = api.post("/api/v1/profiles", json={**document, "id": "other"})
    document["criteria"].pop()
    document["must_haves"].append({"criterion": "monitoring.kpis", "min_rating": 3})
    unpicked = api.post("/api/v1/profiles", json={**document, "id": "other"})

    assert created.status_code == 201, created.text
    assert created.json()["document"]["terms"]["salary_max"] == 60000
    assert dangling.status_code == 422
    assert dangling.json()["errors"][0]["field"] == "body.criteria.3.id"
    assert "dangling reference" in dangling.json()["errors"][0]["detail"]
    assert unpicked.json()["errors"][0]["field"] == "body.must_haves.1.criterion"


def test_read_only_keys_cannot_write(db: Session, http: httpx.Client) -> None:
    _, secret = make_api_key(db, organisation=make_organisation(db), scopes=["profiles:read"])
    db.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    [rubric, *_] = http.get("/api/v1/rubrics", headers=headers).json()

    answer = http.post(f"/api/v1/rubrics/{rubric['id']}/clone", headers=headers)

    assert answer.status_code == 403


def test_an_organisations_own_rubric_is_invisible_to_others(db: Session, api: httpx.Client) -> None:
    built_in = rubric_by_key(api, "experience")
    clone = api.post(f"/api/v1/rubrics/{built_in['id']}/clone").json()
    _, other_secret = make_api_key(db, organisation=make_organisation(db), scopes=["profiles:read"])
    db.commit()
    other = {"Authorization": f"Bearer {other_secret}"}

    assert api.get(f"/api/v1/rubrics/{clone['id']}").status_code == 200
    assert api.get(f"/api/v1/rubrics/{clone['id']}", headers=other).status_code == 404
    assert rubric_by_key_with(api, other, "experience")["id"] == built_in["id"]


def rubric_by_key_with(api: httpx.Client, headers: dict, key: str) -> dict:
    return next(
        item for item in api.get("/api/v1/rubrics", headers=headers).json() if item["key"] == key
    )


def test_a_broken_rubric_file_is_refused_and_reported(
    settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "rubrics"
    shutil.copytree(BUILTIN_DIR, folder)
    broken = yaml.safe_load((folder / "monitoring.yaml").read_text())
    broken["sections"][0]["criteria"][0]["weight"] = -1
    (folder / "monitoring.yaml").write_text(yaml.safe_dump(broken, allow_unicode=True))
    for profile in (folder / "profiles").glob("*.yaml"):
        profile.unlink()  # profiles that pick monitoring criteria would be refused too

    app = create_app(settings.model_copy(update={"rubrics_dir": folder}))
    with TestClient(app) as client:
        ready = client.get("/readyz").json()
    app.state.engine.dispose()

    assert ready["status"] == "degraded"
    [problem] = ready["rubric_problems"]
    assert "monitoring.yaml:" in problem and "weight cannot be negative" in problem
    assert any("monitoring.yaml" in record.getMessage() for record in caplog.records)


def test_the_demo_gets_the_built_in_profiles_and_a_vacancy_each(db: Session) -> None:
    organisation = load_demo(db)
    load_demo(db)  # a second run adds nothing
    own = visible_profiles(db, organisation_id=organisation.id, include_builtin=False)
    vacancies = db.exec(select(Vacancy)).all()

    assert sorted(stored.row.key for stored in own) == [
        "community_manager",
        "content_manager",
        "smm_assistant",
        "smm_lead",
        "smm_manager",
        "social_media_analyst",
    ]
    assert len(vacancies) == 6
    assert {vacancy.role_profile_id for vacancy in vacancies} == {stored.row.id for stored in own}

    # A vacancy keeps the profile version it was opened with.
    analyst = next(stored for stored in own if stored.row.key == "social_media_analyst")
    document = analyst.document.model_dump(mode="json")
    document["section_weights"]["duties"] = 60
    updated = update_profile(
        db, organisation_id=organisation.id, profile_id=analyst.row.id, data=document
    )
    vacancy = next(v for v in vacancies if v.role_profile_id == analyst.row.id)
    db.refresh(vacancy)
    assert updated.version.version == 2
    assert vacancy.role_profile_version_id == analyst.version.id
    assert db.get(RoleProfileVersion, vacancy.role_profile_version_id).version == 1
