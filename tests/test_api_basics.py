"""The API's frame: health probes, OpenAPI, Bearer keys with scopes, RFC 9457 problems."""

from datetime import timedelta

import httpx
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.main import create_app
from app.models import UserRole, utcnow
from app.settings import Settings
from tests.factories import make_api_key, make_organisation, make_user


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def assert_problem(answer: httpx.Response, status: int) -> dict:
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == status
    assert problem["title"] and problem["detail"] and problem["type"]
    return problem


def test_health_and_readiness(http: httpx.Client) -> None:
    assert http.get("/healthz").json() == {"status": "ok"}
    assert http.get("/readyz").json() == {"status": "ready"}


def test_readiness_fails_while_the_database_is_not_migrated(
    empty_database_url: str, tmp_path
) -> None:
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path,
        database_url=empty_database_url,
        check_migrations_on_start=False,
    )
    app = create_app(settings)

    with TestClient(app) as client:
        answer = client.get("/readyz")

    assert answer.status_code == 503
    assert "smm-hire migrate" in answer.json()["reason"]
    app.state.engine.dispose()


def test_openapi_describes_the_api_and_only_the_api(http: httpx.Client) -> None:
    spec = http.get("/api/v1/openapi.json").json()

    assert spec["openapi"].startswith("3.1")
    assert set(spec["paths"]) >= {"/api/v1/me", "/api/v1/users"}
    assert all(path.startswith("/api/v1/") for path in spec["paths"])
    users = spec["paths"]["/api/v1/users"]["get"]
    assert users["summary"] and "422" in users["responses"]
    assert "<title>" in http.get("/api/v1/docs").text


def test_a_request_without_a_key_gets_a_problem(http: httpx.Client) -> None:
    answer = http.get("/api/v1/me")

    problem = assert_problem(answer, 401)
    assert answer.headers["www-authenticate"] == "Bearer"
    assert "Authorization: Bearer" in problem["detail"]
    assert problem["instance"] == "/api/v1/me"


def test_a_key_sees_its_organisation_and_never_its_secret(db: Session, http: httpx.Client) -> None:
    organisation = make_organisation(db, slug="flowers")
    api_key, secret = make_api_key(db, organisation=organisation, scopes=["candidates:read"])
    db.commit()

    answer = http.get("/api/v1/me", headers=bearer(secret))

    assert answer.status_code == 200
    body = answer.json()
    assert body["organisation"]["slug"] == "flowers"
    assert body["api_key"]["scopes"] == ["candidates:read"]
    assert secret not in answer.text and api_key.key_hash not in answer.text


def test_revoked_expired_and_unknown_keys_are_refused(db: Session, http: httpx.Client) -> None:
    organisation = make_organisation(db)
    revoked, revoked_secret = make_api_key(db, organisation=organisation)
    revoked.revoked_at = utcnow()
    expired, expired_secret = make_api_key(db, organisation=organisation)
    expired.expires_at = utcnow() - timedelta(minutes=1)
    db.commit()

    assert (
        "revoked"
        in assert_problem(http.get("/api/v1/me", headers=bearer(revoked_secret)), 401)["detail"]
    )
    assert (
        "expired"
        in assert_problem(http.get("/api/v1/me", headers=bearer(expired_secret)), 401)["detail"]
    )
    assert_problem(http.get("/api/v1/me", headers=bearer("smmh_nope_nope")), 401)


def test_a_key_without_the_scope_is_forbidden(db: Session, http: httpx.Client) -> None:
    organisation = make_organisation(db)
    _, secret = make_api_key(db, organisation=organisation, scopes=["candidates:read"])
    db.commit()

    problem = assert_problem(http.get("/api/v1/users", headers=bearer(secret)), 403)

    assert "users:read" in problem["detail"]


def test_invalid_parameters_are_named_in_the_problem(db: Session, http: httpx.Client) -> None:
    _, secret = make_api_key(db, organisation=make_organisation(db), scopes=["users:read"])
    db.commit()

    answer = http.get("/api/v1/users", params={"role": "boss", "limit": 0}, headers=bearer(secret))

    problem = assert_problem(answer, 422)
    assert {error["field"] for error in problem["errors"]} == {"query.role", "query.limit"}
    assert "query.role" in problem["detail"]


def test_users_are_listed_for_the_keys_organisation_only(db: Session, http: httpx.Client) -> None:
    ours = make_organisation(db)
    theirs = make_organisation(db)
    make_user(db, organisation=ours, full_name="Борис", role=UserRole.INTERVIEWER)
    make_user(db, organisation=ours, full_name="Анна", role=UserRole.RECRUITER)
    make_user(db, organisation=theirs, full_name="Чужой", role=UserRole.INTERVIEWER)
    _, secret = make_api_key(db, organisation=ours, scopes=["users:read"])
    db.commit()

    everyone = http.get("/api/v1/users", headers=bearer(secret)).json()
    interviewers = http.get(
        "/api/v1/users", params={"role": "interviewer"}, headers=bearer(secret)
    ).json()

    assert [user["full_name"] for user in everyone] == ["Анна", "Борис"]
    assert [user["full_name"] for user in interviewers] == ["Борис"]


def test_unknown_api_paths_answer_with_a_problem(http: httpx.Client) -> None:
    assert_problem(http.get("/api/v1/no-such-thing"), 404)


def test_an_api_failure_is_a_problem_not_a_page(settings: Settings) -> None:
    app = create_app(settings)

    @app.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError("bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.get("/api/v1/boom")

    assert_problem(answer, 500)
    assert "bug" not in answer.text  # no internals leak
    app.state.engine.dispose()
