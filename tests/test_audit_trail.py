"""The audit trail: every change to a candidate, an application, a scorecard or a score and
every look at them is logged with who, when and from where (ids only); admins filter and
export the log; events are kept for the retention period, then forgotten."""

import csv
import io
import json
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlmodel import Session, select

from app.audit import forget_events_before, record
from app.demo import DEMO_LOGINS
from app.hiring.service import assign_interviewer, create_application, create_candidate
from app.models import (
    AuditEvent,
    Candidate,
    Organisation,
    Stage,
    User,
    UserRole,
    Vacancy,
    utcnow,
)
from app.scorecards.service import RatingChange, save_draft, start_scorecard
from app.scoring.service import profile_context
from app.settings import Settings
from tests.factories import DEFAULT_PASSWORD, make_api_key, make_organisation, make_user
from tests.test_web_accounts import sign_in

NAME, EMAIL = "Пётр Проверкин", "petr.proverkin@example.org"


def login_of(role: UserRole):  # noqa: ANN201
    return next(login for login in DEMO_LOGINS if login.role == role)


def user_of(db: Session, role: UserRole) -> User:
    return db.exec(select(User).where(User.email == login_of(role).email)).one()


def events(db: Session, **where: object) -> list[AuditEvent]:
    db.rollback()  # see what the server committed
    query = select(AuditEvent)
    for name, value in where.items():
        query = query.where(getattr(AuditEvent, name) == value)
    return list(db.exec(query))


def test_a_page_read_and_an_api_write_name_who_for_whom_and_from_where(
    db: Session, demo: Organisation, client: TestClient, app: FastAPI
) -> None:
    recruiter_id, hr_id = user_of(db, UserRole.RECRUITER).id, user_of(db, UserRole.HR).id
    candidate_id = db.exec(select(Candidate.id).where(Candidate.organisation_id == demo.id)).first()
    key, secret = make_api_key(db, organisation=demo, scopes=["candidates:write"])
    key_id = key.id
    db.commit()

    sign_in(client, login_of(UserRole.RECRUITER).email, login_of(UserRole.RECRUITER).password)
    assert client.get(f"/candidates/{candidate_id}").status_code == 200
    created = client.post(
        "/api/v1/candidates",
        json={"full_name": NAME, "email": EMAIL},
        headers={"Authorization": f"Bearer {secret}", "On-Behalf-Of": login_of(UserRole.HR).email},
    )
    assert created.status_code == 201, created.text
    app.state.read_log.flush()  # reads are written by a background thread

    [read] = events(db, action="candidate.read", object_id=str(candidate_id))
    assert (read.actor_user_id, read.ip_address) == (recruiter_id, "testclient")
    # The route's own event and the change itself are one event, not two.
    [write] = events(db, action="candidate.created", object_id=created.json()["id"])
    assert (write.actor_api_key_id, write.on_behalf_of_user_id) == (key_id, hr_id)
    assert write.actor_user_id is None and write.ip_address == "testclient"
    # No personal data in the log: ids, versions and field names only.
    for event in events(db):
        row = json.dumps(event.model_dump(mode="json"), ensure_ascii=False)
        assert NAME not in row and EMAIL not in row and "Проверкин" not in row


def test_a_submitted_scorecard_logs_its_fields_and_the_score_with_its_versions(
    db: Session, demo: Organisation, client: TestClient
) -> None:
    interviewer = db.exec(select(User).where(User.role == UserRole.INTERVIEWER)).first()
    vacancy = db.exec(select(Vacancy).where(Vacancy.organisation_id == demo.id)).first()
    context = profile_context(db, vacancy.role_profile_version_id)
    candidate = create_candidate(db, organisation_id=demo.id, full_name=NAME)
    application = create_application(db, vacancy=vacancy, candidate=candidate)
    assign_interviewer(db, application=application, interviewer=interviewer, stage=Stage.INTERVIEW)
    card = start_scorecard(
        db, application=application, interviewer=interviewer, stage=Stage.INTERVIEW
    )
    save_draft(
        db,
        scorecard=card,
        user=interviewer,
        changes=[RatingChange(cid, 3) for cid in context.stage_criteria("interview")],
    )
    _, secret = make_api_key(db, organisation=demo, scopes=["scorecards:read", "scorecards:write"])
    card_id, application_id, email = card.id, application.id, interviewer.email
    rubric_versions = sorted(context.rubric_version_ids)
    db.commit()

    submitted = client.post(
        f"/api/v1/scorecards/{card_id}/submit",
        headers={"Authorization": f"Bearer {secret}", "On-Behalf-Of": email},
    )
    assert submitted.status_code == 200, submitted.text

    [change] = events(db, action="scorecard.updated", object_id=str(card_id))
    assert {"status", "submitted_at", "ratings_packed"} <= set(change.details["fields"])
    scores = [
        event
        for event in events(db, object_id=str(application_id))
        if event.action == "score.panel.updated"
    ]
    assert scores, "the recomputed score is logged"
    for event in scores:
        assert event.details["role_profile_version_id"] == str(vacancy.role_profile_version_id)
        assert sorted(event.details["rubric_version_ids"]) == rubric_versions


def test_admins_filter_and_export_the_log_of_their_organisation_only(
    db: Session, demo: Organisation, client: TestClient
) -> None:
    candidate_id = db.exec(select(Candidate.id).where(Candidate.organisation_id == demo.id)).first()
    for _ in range(3):
        record(
            db,
            organisation_id=demo.id,
            action="candidate.read",
            object_type="candidate",
            object_id=candidate_id,
        )
    other = make_organisation(db)
    other_admin = make_user(db, organisation=other, role=UserRole.ADMIN)
    other_email = other_admin.email
    db.commit()
    expected = len(events(db, action="candidate.read", organisation_id=demo.id))
    db.rollback()  # on SQLite the test's session would hold the write lock

    admin = login_of(UserRole.ADMIN)
    sign_in(client, admin.email, admin.password)
    page = client.get("/settings/audit", params={"action": "candidate.read"})
    assert page.status_code == 200
    assert str(candidate_id) in page.text and "candidate.created" not in page.text
    exported = client.get("/settings/audit.csv", params={"action": "candidate.read"})
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == expected and {row["action"] for row in rows} == {"candidate.read"}
    as_json = client.get("/settings/audit.json", params={"object_id": str(candidate_id)}).json()
    assert len(as_json) >= expected and {item["object_id"] for item in as_json} == {
        str(candidate_id)
    }
    assert client.get("/settings/audit", params={"since": "yesterday"}).status_code == 400

    client.cookies.clear()
    sign_in(client, other_email, DEFAULT_PASSWORD)
    assert str(candidate_id) not in client.get("/settings/audit").text
    assert client.get("/settings/audit.json").json() == []

    client.cookies.clear()
    recruiter = login_of(UserRole.RECRUITER)
    sign_in(client, recruiter.email, recruiter.password)
    assert client.get("/settings/audit").status_code == 403
    assert client.get("/settings/audit.csv").status_code == 403


def test_events_older_than_the_retention_period_are_forgotten(
    db: Session, demo: Organisation
) -> None:
    now = utcnow()
    for age in (400, 200, 1):
        event = record(
            db, organisation_id=demo.id, action="test.aged", object_type="test", object_id=f"x{age}"
        )
        event.occurred_at = now - timedelta(days=age)
    db.commit()
    cutoff = now - timedelta(days=Settings(_env_file=None).audit_retention_days)

    assert forget_events_before(db, cutoff, organisation_id=demo.id, dry_run=True) == 1
    assert len(events(db, action="test.aged")) == 3
    assert forget_events_before(db, cutoff, organisation_id=demo.id) == 1
    db.commit()
    assert sorted((now - e.occurred_at).days for e in events(db, action="test.aged")) == [1, 200]


def test_the_retention_period_is_at_least_six_months() -> None:
    with pytest.raises(ValidationError, match="audit_retention_days"):
        Settings(_env_file=None, audit_retention_days=90)
    assert Settings(_env_file=None).audit_retention_days >= 183
