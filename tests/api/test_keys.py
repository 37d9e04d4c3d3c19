"""API keys as admins manage them in the UI: created with scopes and an expiry, shown once,
last use recorded, revoked at once; expired and revoked keys get 401."""

import re
from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlmodel import Session, select

from app.demo import DEMO_LOGINS
from app.models import ApiKey, AuditEvent, Organisation
from tests.factories import make_api_key
from tests.hiring.test_pages import browser_for
from tests.test_web_accounts import csrf_token_of

ADMIN, HR = DEMO_LOGINS[0], DEMO_LOGINS[1]


def test_an_admin_creates_uses_and_revokes_a_key(
    live_server: str, http: httpx.Client, db: Session, demo: Organisation, app: FastAPI
) -> None:
    admin = browser_for(live_server, ADMIN)
    page = admin.get("/settings/api-keys")
    created = admin.post(
        "/settings/api-keys",
        data={
            "csrf_token": csrf_token_of(page),
            "name": "Наша ATS",
            "scopes": ["candidates:read"],
            "expires": (datetime.now(UTC) + timedelta(days=30)).date().isoformat(),
        },
    )
    secret = re.search(r'<code id="new-key">(smmh_[^<]+)</code>', created.text).group(1)
    bearer = {"Authorization": f"Bearer {secret}"}

    read = http.get("/api/v1/candidates", headers=bearer)
    write = http.post("/api/v1/candidates", headers=bearer, json={"full_name": "Нельзя"})
    app.state.read_log.flush()  # a read's last use is written a moment after its answer
    listing = admin.get("/settings/api-keys")
    key_id = db.exec(select(ApiKey.id).where(ApiKey.name == "Наша ATS")).one()
    db.rollback()
    admin.post(f"/settings/api-keys/{key_id}/revoke", data={"csrf_token": csrf_token_of(listing)})
    after = http.get("/api/v1/candidates", headers=bearer)
    again = admin.get("/settings/api-keys")

    assert read.status_code == 200 and write.status_code == 403
    assert secret not in listing.text  # shown once, never again
    assert "никогда" not in listing.text.split("Наша ATS")[1].split("</tr>")[0]  # last used
    assert after.status_code == 401
    assert "отозван" in again.text
    actions = set(db.exec(select(AuditEvent.action).where(AuditEvent.object_id == str(key_id))))
    assert actions == {"api_key.created", "api_key.revoked"}


def test_a_key_without_scopes_or_with_a_past_expiry_is_not_created(
    live_server: str, db: Session, demo: Organisation
) -> None:
    admin = browser_for(live_server, ADMIN)
    page = admin.get("/settings/api-keys")
    token = csrf_token_of(page)

    no_scope = admin.post("/settings/api-keys", data={"csrf_token": token, "name": "Без прав"})
    past = admin.post(
        "/settings/api-keys",
        data={
            "csrf_token": token,
            "name": "Прошлое",
            "scopes": ["candidates:read"],
            "expires": "2020-01-01",
        },
    )

    assert no_scope.status_code == past.status_code == 400
    assert "Выберите хотя бы одну область" in no_scope.text
    assert db.exec(select(ApiKey).where(ApiKey.name.in_(["Без прав", "Прошлое"]))).all() == []


def test_only_admins_see_api_keys(live_server: str, demo: Organisation) -> None:
    assert browser_for(live_server, HR).get("/settings/api-keys").status_code == 403


def test_an_expired_key_gets_401(http: httpx.Client, db: Session, demo: Organisation) -> None:
    api_key, secret = make_api_key(db, organisation=demo, scopes=["candidates:read"])
    api_key.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.add(api_key)
    db.commit()

    answer = http.get("/api/v1/candidates", headers={"Authorization": f"Bearer {secret}"})

    assert answer.status_code == 401
    assert "expired" in answer.json()["detail"]
