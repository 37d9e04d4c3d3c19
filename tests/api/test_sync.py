"""The API as an ATS uses it: vacancies, candidates and applications written and read back;
lists paged by cursor so a poller sees every change, including one that commits after the
poll that started the sync; Idempotency-Key retries; limits."""

import base64
import hashlib
import json
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import sqlalchemy as sa
from sqlmodel import Session, select

from app import migrations
from app.db import create_db_engine, read_session, write_session
from app.demo import DEMO_LOGINS
from app.models import AuditEvent, Candidate, IdempotencyRecord, Organisation, RoleProfile, User
from tests.api.conftest import candidates_named
from tests.factories import make_organisation


def all_pages(http: httpx.Client, path: str, headers: dict, **params) -> tuple[list[dict], str]:
    items, cursor = [], None
    while True:
        page = http.get(
            path, headers=headers, params={**params, **({"cursor": cursor} if cursor else {})}
        ).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return items, cursor


def test_an_ats_opens_a_vacancy_adds_a_candidate_and_applies_them(
    http: httpx.Client, headers: dict, db: Session
) -> None:
    profile_id = db.exec(
        select(RoleProfile.id).where(RoleProfile.key == "community_manager")
    ).first()
    db.rollback()

    vacancy = http.post(
        "/api/v1/vacancies",
        headers=headers,
        json={"role_profile_id": str(profile_id), "title": "Комьюнити-менеджер приюта"},
    )
    candidate = http.post(
        "/api/v1/candidates",
        headers=headers,
        json={
            "full_name": "Вера Кандидатова",
            "email": "Vera@Example.org",
            "external_id": "ats-17",
            "profile": {"years_in_smm": 3, "platforms": ["vk", "telegram"]},
        },
    )
    twin = http.post(
        "/api/v1/candidates",
        headers=headers,
        json={"full_name": "Двойник", "external_id": "ats-17"},
    )
    application = http.post(
        "/api/v1/applications",
        headers=headers,
        json={"vacancy_id": vacancy.json()["id"], "candidate_id": candidate.json()["id"]},
    )
    again = http.post(
        "/api/v1/applications",
        headers=headers,
        json={"vacancy_id": vacancy.json()["id"], "candidate_id": candidate.json()["id"]},
    )
    closed = http.patch(
        f"/api/v1/vacancies/{vacancy.json()['id']}", headers=headers, json={"status": "closed"}
    )
    by_ats_id = http.get("/api/v1/candidates", headers=headers, params={"external_id": "ats-17"})

    assert vacancy.status_code == 201 and vacancy.json()["status"] == "open"
    assert candidate.status_code == 201 and candidate.json()["email"] == "vera@example.org"
    assert candidate.json()["profile"] == {"years_in_smm": 3.0, "platforms": ["vk", "telegram"]}
    assert twin.status_code == 409 and twin.json()["errors"][0]["field"] == "external_id"
    assert application.status_code == 201 and application.json()["stage"] == "applied"
    assert again.status_code == 409
    assert closed.json()["status"] == "closed" and closed.json()["closed_at"] is not None
    assert [c["id"] for c in by_ats_id.json()["items"]] == [candidate.json()["id"]]


def test_bodies_may_not_set_ids_owners_or_unknown_fields(
    http: httpx.Client, headers: dict, db: Session, demo: Organisation
) -> None:
    answer = http.post(
        "/api/v1/candidates",
        headers=headers,
        json={
            "full_name": "Захватчик",
            "id": "01a2168a-5080-7e89-8561-b2fecd2946d4",
            "organisation_id": str(demo.id),
            "created_by": "x",
        },
    )
    wrong_type = http.post("/api/v1/candidates", headers=headers, json={"full_name": 5})
    not_json = http.post(
        "/api/v1/candidates",
        headers={**headers, "content-type": "application/json"},
        content=b"{full_name: ",
    )

    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["errors"]} == {
        "body.id",
        "body.organisation_id",
        "body.created_by",
    }
    assert (
        wrong_type.status_code == 422
        and wrong_type.json()["errors"][0]["field"] == "body.full_name"
    )
    assert (
        not_json.status_code == 422
        and not_json.headers["content-type"] == "application/problem+json"
    )
    assert candidates_named(db, "Захватчик") == 0


def test_a_poller_sees_every_change_once_and_nothing_twice(
    http: httpx.Client, headers: dict, db: Session
) -> None:
    before, _ = all_pages(http, "/api/v1/candidates", headers)
    for number in range(7):
        http.post("/api/v1/candidates", headers=headers, json={"full_name": f"Пачка {number}"})

    first_sync, kept = all_pages(http, "/api/v1/candidates", headers, limit=3)
    changed = first_sync[0]["id"]
    http.patch(f"/api/v1/candidates/{changed}", headers=headers, json={"location": "Тула"})
    new = http.post("/api/v1/candidates", headers=headers, json={"full_name": "Новенькая"}).json()
    later, _ = all_pages(http, "/api/v1/candidates", headers, limit=3, cursor=kept)
    since = all_pages(
        http,
        "/api/v1/candidates",
        headers,
        updated_since=(datetime.now(UTC) - timedelta(minutes=5)).isoformat(),
    )[0]

    ids = [item["id"] for item in first_sync]
    assert len(ids) == len(set(ids)) == len(before) + 7
    assert [item["id"] for item in later] == [changed, new["id"]]
    assert later[0]["location"] == "Тула"
    assert len(since) == len(before) + 8


def test_a_cursor_works_only_for_its_own_list_and_filters(
    http: httpx.Client, headers: dict
) -> None:
    page = http.get("/api/v1/vacancies", headers=headers, params={"limit": 1}).json()

    other_list = http.get(
        "/api/v1/candidates", headers=headers, params={"cursor": page["next_cursor"]}
    )
    other_filter = http.get(
        "/api/v1/vacancies",
        headers=headers,
        params={"cursor": page["next_cursor"], "status": "closed"},
    )
    garbage = http.get("/api/v1/vacancies", headers=headers, params={"cursor": "not-a-cursor"})
    too_big = http.get("/api/v1/vacancies", headers=headers, params={"limit": 1000})
    naive = http.get(
        "/api/v1/vacancies", headers=headers, params={"updated_since": "2026-01-01T00:00:00"}
    )

    for answer in (other_list, other_filter, garbage):
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["field"] == "query.cursor"
    assert too_big.status_code == 422 and too_big.json()["errors"][0]["field"] == "query.limit"
    assert naive.status_code == 422 and naive.json()["errors"][0]["field"] == "query.updated_since"


def test_a_retry_with_the_same_idempotency_key_gets_the_first_response(
    http: httpx.Client, headers: dict, db: Session
) -> None:
    keyed = {**headers, "Idempotency-Key": "import-42"}
    body = {"full_name": "Повторная", "email": "p@example.org"}

    first = http.post("/api/v1/candidates", headers=keyed, json=body)
    retry = http.post("/api/v1/candidates", headers=keyed, json=body)
    different = http.post("/api/v1/candidates", headers=keyed, json={"full_name": "Другая"})

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json() and retry.headers["idempotent-replayed"] == "true"
    assert different.status_code == 422
    assert different.json()["type"] == "urn:smm-hire:problem:idempotency-key-reused"
    assert candidates_named(db, "Повторная") == 1 and candidates_named(db, "Другая") == 0


def test_the_same_key_while_the_first_request_runs_is_409(
    http: httpx.Client, headers: dict, db: Session
) -> None:
    keyed = {**headers, "Idempotency-Key": "busy"}
    body = {"full_name": "Одновременная"}
    answers: list[httpx.Response] = []
    start = threading.Barrier(6)

    def send() -> None:
        with httpx.Client(base_url=str(http.base_url), timeout=30) as client:
            start.wait()
            answers.append(client.post("/api/v1/candidates", headers=keyed, json=body))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(answer.status_code for answer in answers)
    created = {answer.json()["id"] for answer in answers if answer.status_code == 201}
    assert set(statuses) <= {201, 409} and 201 in statuses
    assert len(created) == 1  # replays carry the first response; nothing ran twice
    assert all(
        answer.json()["type"] == "urn:smm-hire:problem:idempotency-key-in-use"
        for answer in answers
        if answer.status_code == 409
    )
    assert candidates_named(db, "Одновременная") == 1


def test_a_key_still_marked_running_answers_409_until_it_goes_stale(
    http: httpx.Client, headers: dict, db: Session, demo: Organisation
) -> None:
    http.post(
        "/api/v1/candidates",
        headers={**headers, "Idempotency-Key": "k1"},
        json={"full_name": "Первая"},
    )
    db.rollback()
    record = db.exec(select(IdempotencyRecord)).one()
    record.response_status = None  # as if the first request were still running
    db.add(record)
    db.commit()
    running = http.post(
        "/api/v1/candidates",
        headers={**headers, "Idempotency-Key": "k1"},
        json={"full_name": "Первая"},
    )
    record.started_at = datetime.now(UTC) - timedelta(minutes=10)  # its process died
    db.add(record)
    db.commit()
    taken_over = http.post(
        "/api/v1/candidates",
        headers={**headers, "Idempotency-Key": "k1"},
        json={"full_name": "Первая"},
    )

    assert running.status_code == 409
    assert taken_over.status_code == 201


def test_every_write_is_audited_with_the_key_and_the_person_it_acts_for(
    http: httpx.Client, headers: dict, db: Session, demo: Organisation
) -> None:
    recruiter_id = db.exec(select(User.id).where(User.email == DEMO_LOGINS[2].email)).one()
    db.rollback()

    created = http.post(
        "/api/v1/candidates",
        headers={**headers, "On-Behalf-Of": DEMO_LOGINS[2].email},
        json={"full_name": "Аудит"},
    )
    anonymous = http.post("/api/v1/candidates", headers=headers, json={"full_name": "Без лица"})
    assert created.status_code == 201, created.text

    db.rollback()
    events = {
        event.object_id: event
        for event in db.exec(select(AuditEvent).where(AuditEvent.action == "candidate.created"))
    }
    first, second = events[created.json()["id"]], events[anonymous.json()["id"]]
    assert first.actor_api_key_id is not None and first.on_behalf_of_user_id == recruiter_id
    assert second.actor_api_key_id == first.actor_api_key_id and second.on_behalf_of_user_id is None


def test_a_poll_that_finds_nothing_gives_a_cursor_and_the_cursor_overrides_updated_since(
    http: httpx.Client, headers: dict
) -> None:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    empty = http.get("/api/v1/candidates", headers=headers, params={"updated_since": tomorrow})
    new = http.post("/api/v1/candidates", headers=headers, json={"full_name": "Позже"}).json()
    later = http.get(
        "/api/v1/candidates",
        headers=headers,
        params={"cursor": empty.json()["next_cursor"], "updated_since": tomorrow},
    ).json()
    again = http.get("/api/v1/candidates", headers=headers, params={"cursor": later["next_cursor"]})

    assert empty.status_code == 200 and empty.json()["items"] == []
    assert empty.json()["next_cursor"] and not empty.json()["has_more"]
    assert [item["id"] for item in later["items"]] == [new["id"]]
    assert again.json()["items"] == []


def test_a_change_timed_before_updated_since_that_commits_after_the_poll_comes_by_cursor(
    http: httpx.Client, headers: dict, engine: sa.Engine, demo: Organisation
) -> None:
    """updated_since is only where the sync starts: a transaction that wrote before that time
    and commits after the poll is not lost; the cursor brings it."""
    with write_session(engine) as writer:
        late = Candidate(organisation_id=demo.id, full_name="Долгая транзакция")
        writer.add(late)
        writer.flush()  # written (and timed) now, committed after the poll below
        time.sleep(0.05)
        since = datetime.now(UTC).isoformat()
        first = http.get("/api/v1/candidates", headers=headers, params={"updated_since": since})
    later = http.get(
        "/api/v1/candidates", headers=headers, params={"cursor": first.json()["next_cursor"]}
    ).json()

    assert first.status_code == 200 and first.json()["items"] == []
    assert [item["id"] for item in later["items"]] == [str(late.id)]
    assert later["items"][0]["updated_at"] < since  # timed before the poll's start


def test_a_cursor_given_out_before_sync_positions_is_taken_and_misses_nothing(
    http: httpx.Client, headers: dict, db: Session, demo: Organisation
) -> None:
    """A poller that kept a cursor of the old format (by updated_at) goes on after the upgrade:
    from a margin before the cursor's time, so it gets some rows twice and none missed."""
    old_rows = db.exec(
        select(Candidate).where(Candidate.organisation_id == demo.id).order_by(Candidate.id)
    ).all()
    seen_before, not_seen = old_rows[0], old_rows[1]
    now = datetime.now(UTC)
    seen_before.updated_at = now - timedelta(hours=2)
    not_seen.updated_at = now - timedelta(minutes=1)  # committed after the old poll's page
    db.add_all([seen_before, not_seen])
    db.commit()
    fingerprint = hashlib.sha256(
        json.dumps({"list": "candidates", "external_id": None}, sort_keys=True).encode()
    ).hexdigest()[:16]
    old_cursor = (
        base64.urlsafe_b64encode(
            json.dumps(
                {"f": fingerprint, "u": now.isoformat(), "i": str(uuid.UUID(int=0))}
            ).encode()
        )
        .decode()
        .rstrip("=")
    )

    answer = http.get(
        "/api/v1/candidates", headers=headers, params={"cursor": old_cursor, "limit": 200}
    )
    ids = [item["id"] for item in answer.json()["items"]]
    then = http.get(
        "/api/v1/candidates", headers=headers, params={"cursor": answer.json()["next_cursor"]}
    )

    assert answer.status_code == 200 and not answer.json()["has_more"]
    assert str(not_seen.id) in ids and str(seen_before.id) not in ids
    assert then.status_code == 200 and then.json()["items"] == []


def test_existing_rows_keep_their_sync_order_through_the_upgrade(
    empty_database_url: str,
) -> None:
    engine = create_db_engine(empty_database_url)
    try:
        migrations.upgrade(engine)
        now = datetime.now(UTC)
        with write_session(engine) as session:
            organisation = make_organisation(session)
            rows = [
                Candidate(
                    organisation_id=organisation.id,
                    full_name=f"До обновления {number}",
                    updated_at=now - timedelta(minutes=number),
                )
                for number in range(5)
            ]
            session.add_all(rows)
        migrations.downgrade(engine, "e13b7c2a9d40")
        migrations.upgrade(engine)
        with write_session(engine) as session:
            session.add(Candidate(organisation_id=organisation.id, full_name="После"))
        with read_session(engine) as session:
            in_sync_order = session.exec(
                select(Candidate.full_name)
                .where(Candidate.organisation_id == organisation.id)
                .order_by(Candidate.change_position, Candidate.id)
            ).all()

        assert in_sync_order == [f"До обновления {n}" for n in reversed(range(5))] + ["После"]
    finally:
        engine.dispose()
