"""The data-rights API: export and erasure for HR and admins only (an admin key, or a key acting
on behalf of HR), 404 for another organisation, audited with the key and the person."""

import uuid

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import AuditEvent, Organisation
from tests.factories import make_api_key, make_organisation
from tests.privacy.conftest import HR, RECRUITER, Person, candidate_row, user

READ, WRITE = "candidates:read", "candidates:write"


def bearer(db: Session, organisation: Organisation, *scopes: str) -> dict[str, str]:
    _, secret = make_api_key(db, organisation=organisation, scopes=list(scopes))
    db.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_the_export_is_for_admin_keys_or_on_behalf_of_hr(
    client: TestClient, db: Session, demo: Organisation, subject: Person, neighbour: Person
) -> None:
    path = f"/api/v1/candidates/{subject.candidate_id}/data-export"
    admin = bearer(db, demo, "admin")
    reader = bearer(db, demo, READ)
    stranger = bearer(db, make_organisation(db), "admin")

    exported = client.get(path, headers=admin)
    as_hr = client.get(path, headers={**reader, "On-Behalf-Of": HR.email})
    as_recruiter = client.get(path, headers={**reader, "On-Behalf-Of": RECRUITER.email})
    as_nobody = client.get(path, headers=reader)

    assert exported.status_code == 200, exported.text
    body = exported.json()
    assert body["candidates"]["email"] == subject.email
    assert body["self_identifications"][0]["answers"]
    assert neighbour.email not in exported.text and str(neighbour.candidate_id) not in exported.text
    assert as_hr.status_code == 200
    assert as_recruiter.status_code == 403 and as_nobody.status_code == 403
    assert client.get(path, headers=stranger).status_code == 404
    assert client.get(path, headers=bearer(db, demo, "vacancies:read")).status_code == 403
    events = db.exec(
        select(AuditEvent).where(
            AuditEvent.action == "candidate.data_exported",
            AuditEvent.object_id == str(subject.candidate_id),
        )
    ).all()
    assert len(events) == 2 and all(event.details == {"format": "api"} for event in events)
    db.rollback()


def test_erasure_over_the_api_is_audited_and_the_candidate_is_gone(
    client: TestClient, db: Session, demo: Organisation, subject: Person
) -> None:
    path = f"/api/v1/candidates/{subject.candidate_id}/erase"
    writer = bearer(db, demo, READ, WRITE)
    reader = bearer(db, demo, READ)
    stranger = bearer(db, make_organisation(db), "admin")
    hr_id = user(db, HR).id
    db.rollback()

    refused = [
        client.post(path, json={}, headers={**reader, "On-Behalf-Of": HR.email}).status_code,
        client.post(path, json={}, headers={**writer, "On-Behalf-Of": RECRUITER.email}).status_code,
        client.post(path, json={}, headers=stranger).status_code,
        client.post(
            path, json={"reason": "because"}, headers={**writer, "On-Behalf-Of": HR.email}
        ).status_code,
    ]
    assert candidate_row(db, subject).erased_at is None
    db.rollback()
    erased = client.post(
        path, json={"reason": "consent_withdrawn"}, headers={**writer, "On-Behalf-Of": HR.email}
    )

    assert refused == [403, 403, 404, 422]
    assert erased.status_code == 200, erased.text
    assert erased.json()["reason"] == "consent_withdrawn"
    headers = {**writer, "On-Behalf-Of": HR.email}
    assert (
        client.get(f"/api/v1/candidates/{subject.candidate_id}", headers=headers).status_code == 404
    )
    event = db.exec(
        select(AuditEvent).where(AuditEvent.id == uuid.UUID(erased.json()["audit_event_id"]))
    ).one()
    assert event.action == "candidate.erased" and event.on_behalf_of_user_id == hr_id
    assert event.actor_api_key_id is not None and event.details["reason"] == "consent_withdrawn"
    assert candidate_row(db, subject).full_name == "—"
    db.rollback()
