"""API limits: requests a minute per key (429 with Retry-After and X-RateLimit-* headers) and
the size of a request body (413), with nothing stored."""

import httpx
import pytest
from sqlmodel import Session

from app.settings import Settings
from tests.api.conftest import candidates_named


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"api_rate_limit_per_minute": 5, "api_max_body_bytes": 2048})


def test_a_key_over_its_rate_limit_gets_429_with_retry_after(
    http: httpx.Client, headers: dict
) -> None:
    answers = [http.get("/api/v1/vacancies", headers=headers) for _ in range(6)]

    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert answers[0].headers["X-RateLimit-Limit"] == "5"
    assert answers[4].headers["X-RateLimit-Remaining"] == "0"
    assert 1 <= int(answers[5].headers["Retry-After"]) <= 60
    assert answers[5].json()["type"] == "urn:smm-hire:problem:too-many-requests"


def test_an_oversized_body_is_refused_and_nothing_stored(
    http: httpx.Client, headers: dict, db: Session
) -> None:
    answer = http.post(
        "/api/v1/candidates", headers=headers, json={"full_name": "Большая", "notes": "x" * 5000}
    )

    def chunks():
        yield '{"full_name": "Потоковая", "notes": "'.encode()
        yield b"x" * 5000
        yield b'"}'

    streamed = http.post(
        "/api/v1/candidates",
        headers={**headers, "content-type": "application/json"},
        content=chunks(),
    )

    assert answer.status_code == streamed.status_code == 413
    assert candidates_named(db, "Большая") == candidates_named(db, "Потоковая") == 0
