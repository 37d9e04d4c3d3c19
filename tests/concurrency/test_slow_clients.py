"""Slow clients hold up nobody: connections that send their headers and half a body, then stall
(signed in or not, pages and the API), while other clients' authenticated writes go through
within a second each; the stalled ones get 408 when the read timeout passes, a trickling one
when the total passes, a body over the cap 413, and a client that goes away mid-body is
logged as a disconnect, not as an error. Against the real server, on both databases."""

import logging
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
import pytest
from sqlmodel import Session, func, select

from app.accounts.service import start_session
from app.models import Candidate
from app.settings import Settings
from tests.factories import make_api_key, make_organisation, make_user

IDLE_SECONDS = 4.0
TOTAL_SECONDS = 6.0


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "request_body_idle_seconds": IDLE_SECONDS,
            "request_body_total_seconds": TOTAL_SECONDS,
            "api_max_body_bytes": 4096,
        }
    )


@pytest.fixture
def caller(db: Session) -> dict[str, str]:
    """An ATS key and a signed-in recruiter's session cookie of one organisation."""
    organisation = make_organisation(db)
    _, secret = make_api_key(db, organisation=organisation, scopes=["candidates:write"])
    user = make_user(db, organisation=organisation)
    token = start_session(db, user=user, lifetime=timedelta(hours=1))
    db.commit()
    return {"authorization": f"Bearer {secret}", "cookie": f"smm_session={token}"}


def send_half(
    base_url: str, path: str, headers: dict[str, str], half: bytes, length: int
) -> socket.socket:
    """Opens a connection that sends the headers (declaring `length` bytes) and `half` of it."""
    address = urlsplit(base_url)
    connection = socket.create_connection((address.hostname, address.port), timeout=15)
    head = f"POST {path} HTTP/1.1\r\nHost: {address.netloc}\r\nContent-Length: {length}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    connection.sendall(head.encode() + b"\r\n" + half)
    return connection


def answer_of(connection: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    received = b""
    with connection:
        while chunk := connection.recv(65536):
            received += chunk
    return received


def answered_yet(connection: socket.socket) -> bool:
    connection.setblocking(False)
    try:
        return connection.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return False
    finally:
        connection.setblocking(True)


def candidates_named(db: Session, prefix: str) -> int:
    db.rollback()
    query = (
        select(func.count()).select_from(Candidate).where(Candidate.full_name.startswith(prefix))
    )
    return db.exec(query).one()


def test_writes_go_through_while_clients_stall_mid_body_and_the_stalled_get_408(
    live_server: str, caller: dict[str, str], db: Session
) -> None:
    api_key = {"authorization": caller["authorization"]}
    with httpx.Client(base_url=live_server, timeout=20) as ats:
        # The server's first request loads what it loads once; it is not what is measured.
        assert ats.post("/api/v1/candidates", headers=api_key, json={"full_name": "Разогрев"})

        form = {"content-type": "application/x-www-form-urlencoded"}
        stalled = [
            *(send_half(live_server, "/login", form, b"email=a%40b.c&pass", 200) for _ in range(3)),
            *(
                send_half(
                    live_server,
                    "/candidates/new",
                    {**form, "cookie": caller["cookie"]},
                    b"full_name=%D0%9C",
                    300,
                )
                for _ in range(2)
            ),
            *(
                send_half(
                    live_server,
                    "/api/v1/candidates",
                    {**api_key, "content-type": "application/json"},
                    '{"full_name": "Застрявший'.encode(),
                    100,
                )
                for _ in range(3)
            ),
        ]
        stalled_at = time.monotonic()

        def write(number: int) -> tuple[int, float]:
            started = time.monotonic()
            answer = ats.post(
                "/api/v1/candidates", headers=api_key, json={"full_name": f"Другой {number}"}
            )
            return answer.status_code, time.monotonic() - started

        with ThreadPoolExecutor(max_workers=4) as other_clients:
            writes = list(other_clients.map(write, range(8)))
        writes_done = time.monotonic() - stalled_at
        still_stalled = [not answered_yet(connection) for connection in stalled]

        answers = [answer_of(connection) for connection in stalled]
        timed_out = time.monotonic() - stalled_at

    assert [status for status, _ in writes] == [201] * 8
    assert max(seconds for _, seconds in writes) < 1.0, writes
    assert writes_done < IDLE_SECONDS and all(still_stalled)
    assert IDLE_SECONDS <= timed_out < IDLE_SECONDS + 3
    for answer in answers:
        assert answer.startswith(b"HTTP/1.1 408 ")
        assert b"connection: close" in answer.lower()
    assert all(b"application/problem+json" in answer for answer in answers[5:])
    assert all(b"text/html" in answer for answer in answers[:5])
    assert all("Форма передавалась слишком долго".encode() in answer for answer in answers[:5])
    assert candidates_named(db, "Другой") == 8 and candidates_named(db, "Застрявший") == 0


def test_a_trickling_client_gets_408_when_the_total_time_passes(
    live_server: str, caller: dict[str, str], db: Session
) -> None:
    body = '{"full_name": "Капельный"}'.encode()
    connection = send_half(
        live_server,
        "/api/v1/candidates",
        {"authorization": caller["authorization"], "content-type": "application/json"},
        body[:1],
        len(body),
    )
    started = time.monotonic()
    for byte in body[1:-1]:  # a byte at a time, well inside the idle timeout
        if answered_yet(connection):
            break
        connection.sendall(bytes([byte]))
        time.sleep(0.5)
    answer = answer_of(connection)

    assert answer.startswith(b"HTTP/1.1 408 ")
    assert TOTAL_SECONDS - 1 <= time.monotonic() - started < TOTAL_SECONDS + 3
    assert b"urn:smm-hire:problem:request-timeout" in answer
    assert candidates_named(db, "Капельный") == 0


def test_a_body_over_the_cap_is_refused_with_413_before_it_is_sent(
    live_server: str, caller: dict[str, str], db: Session
) -> None:
    declared = send_half(
        live_server,
        "/api/v1/candidates",
        {"authorization": caller["authorization"], "content-type": "application/json"},
        b"",
        5000,
    )
    answer = answer_of(declared)

    def chunks():
        yield '{"full_name": "Огромный", "notes": "'.encode()
        yield b"x" * 5000
        yield b'"}'

    with httpx.Client(base_url=live_server, timeout=20) as ats:
        streamed = ats.post(
            "/api/v1/candidates",
            headers={"authorization": caller["authorization"], "content-type": "application/json"},
            content=chunks(),
        )

    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"connection: close" in answer.lower()
    assert b"larger than 4,096 bytes" in answer
    assert streamed.status_code == 413
    assert streamed.json()["type"] == "urn:smm-hire:problem:request-too-large"
    assert candidates_named(db, "Огромный") == 0


def test_a_client_that_goes_away_mid_body_is_logged_as_a_disconnect(
    live_server: str, caller: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="smm_hire")
    connection = send_half(
        live_server,
        "/api/v1/candidates",
        {"authorization": caller["authorization"], "content-type": "application/json"},
        '{"full_name": "Ушед'.encode(),
        100,
    )
    connection.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and "disconnected" not in caplog.text:
        time.sleep(0.05)

    disconnects = [r for r in caplog.records if "disconnected" in r.getMessage()]
    assert [r.levelno for r in disconnects] == [logging.INFO]
    assert "POST /api/v1/candidates" in disconnects[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
