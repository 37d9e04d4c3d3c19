"""Properties of every API route, generated from the app's own route table (its OpenAPI
document): another organisation's key never reaches an organisation's objects, lists show it
none of them, and a read-only key may write nothing."""

import re

import httpx
import pytest
from sqlmodel import Session, select

from app.accounts.service import API_KEY_SCOPES
from app.hiring import bulk
from app.hiring.service import create_candidate
from app.models import (
    Application,
    Candidate,
    ImportJob,
    JobPosting,
    Organisation,
    RoleProfile,
    Rubric,
    Scorecard,
    User,
    Vacancy,
    WebhookDelivery,
    WebhookSubscription,
)
from app.rubrics.service import clone_rubric, visible_rubrics
from app.settings import Settings
from app.webhooks.service import subscribe
from tests.factories import make_api_key, make_organisation

WRITE_METHODS = ("post", "put", "patch", "delete")
# Ids of the shared library rather than of an organisation's objects (criterion ids are the
# same words for everyone), so every organisation may read them.
LIBRARY_IDS = {"criterion_id"}


def api_operations(http: httpx.Client) -> list[tuple[str, str, dict]]:
    document = http.get("/api/v1/openapi.json").json()
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in ("get", *WRITE_METHODS)
    ]


def objects_of(db: Session, organisation: Organisation) -> dict[str, str]:
    """One object of the organisation for each kind of id a path can name."""
    owned = organisation.id
    first = {
        "vacancy_id": Vacancy,
        "candidate_id": Candidate,
        "application_id": Application,
        "scorecard_id": Scorecard,
        "posting_id": JobPosting,
        "profile_id": RoleProfile,
        "rubric_id": Rubric,
        "subscription_id": WebhookSubscription,
        "delivery_id": WebhookDelivery,
        "job_id": ImportJob,
    }
    ids = {
        name: str(db.exec(select(model.id).where(model.organisation_id == owned)).first())
        for name, model in first.items()
    }
    db.rollback()
    return ids


@pytest.fixture
def owned_ids(db: Session, demo: Organisation) -> dict[str, str]:
    # The demo has no rubric of its own: it copies one, so rubric routes have an object too.
    builtin = visible_rubrics(db, organisation_id=demo.id)[-1]
    clone_rubric(db, organisation_id=demo.id, rubric_id=builtin.row.id)
    # And a webhook subscription with one delivery in its log.
    subscribe(
        db,
        organisation_id=demo.id,
        url="https://ats.example.com/hook",
        events=["candidate.created"],
        description="",
        settings=Settings(_env_file=None, webhooks_allow_internal=True),
    )
    create_candidate(db, organisation_id=demo.id, full_name="Для журнала")
    bulk.start(db, organisation_id=demo.id, vacancy=None, rows=[])
    db.commit()
    return objects_of(db, demo)


def filled(path: str, ids: dict[str, str]) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        return ids.get(name, {"action": "publish", "name": "posting.html"}.get(name, "x"))

    return re.sub(r"\{([a-z_]+)\}", value, path)


def test_another_organisations_key_gets_404_for_every_object(
    http: httpx.Client, db: Session, owned_ids: dict[str, str], demo: Organisation
) -> None:
    _, stranger = make_api_key(db, organisation=make_organisation(db), scopes=["admin"])
    _, owner = make_api_key(db, organisation=demo, scopes=["admin"])
    db.commit()
    checked, leaks, owner_misses = 0, [], []

    for method, path, _ in api_operations(http):
        if not set(re.findall(r"\{([a-z_]+_id)\}", path)) - LIBRARY_IDS:
            continue
        url = filled(path, owned_ids)
        answer = http.request(method, url, headers={"Authorization": f"Bearer {stranger}"}, json={})
        checked += 1
        if answer.status_code != 404:
            leaks.append(f"{method.upper()} {path}: {answer.status_code}")
        if method == "get":  # the control: the owner reaches the same address
            own = http.get(url, headers={"Authorization": f"Bearer {owner}"})
            if own.status_code != 200:
                owner_misses.append(f"GET {path}: {own.status_code}")

    assert checked >= 25
    assert leaks == []
    assert owner_misses == []


def test_lists_show_another_organisation_none_of_its_rows(
    http: httpx.Client, db: Session, owned_ids: dict[str, str], demo: Organisation
) -> None:
    _, stranger = make_api_key(db, organisation=make_organisation(db), scopes=["admin"])
    demo_ids = {
        str(row)
        for model in (Vacancy, Candidate, Application, User, JobPosting)
        for row in db.exec(select(model.id).where(model.organisation_id == demo.id))
    }
    demo_ids |= set(owned_ids.values())
    db.commit()
    headers = {"Authorization": f"Bearer {stranger}"}
    lists = [
        path for method, path, _ in api_operations(http) if method == "get" and "{" not in path
    ]

    seen = {path: http.get(path, headers=headers) for path in lists}

    assert len(lists) >= 8
    for path, answer in seen.items():
        assert answer.status_code == 200, path
        assert not demo_ids & set(re.findall(r"[0-9a-f]{8}-[0-9a-f-]{27}", answer.text)), path


def test_a_read_only_key_gets_403_on_every_write(
    http: httpx.Client, db: Session, owned_ids: dict[str, str], demo: Organisation
) -> None:
    _, reader = make_api_key(
        db, organisation=demo, scopes=[scope for scope in API_KEY_SCOPES if scope.endswith(":read")]
    )
    db.commit()
    headers = {"Authorization": f"Bearer {reader}"}
    writes = [
        (method, path)
        for method, path, operation in api_operations(http)
        if method in WRITE_METHODS and not operation.get("x-reads-only")
    ]

    answers = {
        f"{method.upper()} {path}": http.request(
            method, filled(path, owned_ids), headers=headers, json={}
        ).status_code
        for method, path in writes
    }

    assert len(writes) >= 20
    assert {operation: status for operation, status in answers.items() if status != 403} == {}
