"""Races against a real server, on SQLite and PostgreSQL: requests released together by a
barrier, each on its own connection. Whatever the timing, the data stays what one request
after another would have made: one application per candidate and vacancy, a stage history
where each decision starts where the one before it ended, a submitted scorecard that no
autosave changes, one execution per Idempotency-Key and one result per webhook delivery."""

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import Session, func, select

from app.hiring.service import assign_interviewer, create_application, create_candidate
from app.models import (
    Application,
    Candidate,
    CriterionRating,
    DeliveryStatus,
    IdempotencyRecord,
    Scorecard,
    ScorecardRevision,
    ScorecardStatus,
    Stage,
    StageDecision,
    User,
    UserRole,
    Vacancy,
    WebhookDelivery,
    utcnow,
)
from app.settings import Settings
from app.webhooks import service as webhook_service
from app.webhooks.service import deliver_due, subscribe
from tests.concurrency.races import race, race_requests
from tests.factories import make_api_key, make_organisation, make_user, make_vacancy

T = TypeVar("T")
RACERS = 16
# The criteria the community manager's interview assesses (scale 1-4).
CRITERIA = ["communicability.criticism", "implementation.conversations", "flexibility.out_of_hours"]


@dataclass(frozen=True)
class World:
    """Ids only: reading an attribute of an expired row would open a transaction, which on
    SQLite holds the write lock the server needs."""

    organisation_id: uuid.UUID
    vacancy_id: uuid.UUID
    recruiter_id: uuid.UUID
    interviewer_id: uuid.UUID
    headers: dict[str, str]


@pytest.fixture
def world(live_server: str, db: Session) -> World:
    # After the server: starting the app stores the built-in profiles a vacancy is made from.
    organisation = make_organisation(db)
    recruiter = make_user(db, organisation=organisation, role=UserRole.RECRUITER)
    interviewer = make_user(db, organisation=organisation, role=UserRole.INTERVIEWER)
    vacancy = make_vacancy(db, organisation=organisation)
    _, secret = make_api_key(db, organisation=organisation, scopes=["admin"])
    db.commit()
    return World(
        organisation.id,
        vacancy.id,
        recruiter.id,
        interviewer.id,
        {"Authorization": f"Bearer {secret}"},
    )


def new_candidate(db: Session, world: World, name: str) -> uuid.UUID:
    candidate = create_candidate(db, organisation_id=world.organisation_id, full_name=name)
    db.commit()
    return candidate.id


def new_application(db: Session, world: World, name: str) -> uuid.UUID:
    """An application with the world's interviewer assigned at the interview, committed."""
    candidate = create_candidate(db, organisation_id=world.organisation_id, full_name=name)
    application = create_application(
        db, vacancy=db.get(Vacancy, world.vacancy_id), candidate=candidate
    )
    assign_interviewer(
        db,
        application=application,
        interviewer=db.get(User, world.interviewer_id),
        stage=Stage.INTERVIEW,
    )
    db.commit()
    return application.id


def committed(db: Session, read: Callable[[Session], T]) -> T:
    """Reads what is committed now, in a transaction of its own that ends at once (an open
    one would hold SQLite's write lock while the server works)."""
    db.rollback()
    db.expire_all()
    try:
        return read(db)
    finally:
        db.rollback()


def test_racing_creates_of_one_application_make_exactly_one(
    db: Session, world: World, live_server: str
) -> None:
    for round_number in range(4):  # a few rounds: a race that is lost once in a while shows
        candidate_id = new_candidate(db, world, f"Гонка {round_number}")
        body = {"vacancy_id": str(world.vacancy_id), "candidate_id": str(candidate_id)}

        answers = race_requests(
            live_server,
            RACERS,
            lambda client, _, body=body: client.post("/api/v1/applications", json=body),
            headers=world.headers,
        )

        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [201] + [409] * (RACERS - 1), [a.text for a in answers]
        assert {a.headers["content-type"] for a in answers if a.status_code == 409} == {
            "application/problem+json"
        }
        created = next(a for a in answers if a.status_code == 201).json()["id"]
        rows = committed(
            db,
            lambda session, candidate_id=candidate_id: session.exec(
                select(Application.id).where(Application.candidate_id == candidate_id)
            ).all(),
        )
        assert [str(row) for row in rows] == [created]


def test_racing_decisions_each_start_where_the_one_before_ended(
    db: Session, world: World, live_server: str
) -> None:
    # Half reject, half take the application back in: each is possible from one of the two
    # stages only, so a decision that read a stale stage would record a move that never was.
    moves = [("reject", "rejected"), ("reopen", "applied")] * (RACERS // 2)
    for round_number in range(4):
        application_id = new_application(db, world, f"Решение {round_number}")
        url = f"/api/v1/applications/{application_id}/decisions"

        answers = race_requests(
            live_server,
            RACERS,
            lambda client, index, url=url: client.post(
                url,
                json={"decision": moves[index][0], "to_stage": moves[index][1], "reason": "Гонка"},
            ),
            headers={**world.headers, "On-Behalf-Of": str(world.recruiter_id)},
        )

        assert {a.status_code for a in answers} <= {201, 422}, [a.text for a in answers]
        history, final_stage = committed(
            db,
            lambda session, application_id=application_id: (
                session.exec(
                    select(StageDecision.from_stage, StageDecision.to_stage)
                    .where(StageDecision.application_id == application_id)
                    .order_by(StageDecision.decided_at, StageDecision.id)
                ).all(),
                session.get(Application, application_id).stage,
            ),
        )
        assert len(history) == sum(a.status_code == 201 for a in answers) >= 1
        stage = Stage.APPLIED
        for from_stage, to_stage in history:
            assert from_stage == stage, history
            stage = to_stage
        assert final_stage == stage


def submitted_state(session: Session, scorecard_id: uuid.UUID) -> tuple:
    """The scorecard's status, its ratings as stored and as its submitted revision has them."""
    scorecard = session.get(Scorecard, scorecard_id)
    stored = {
        r.criterion_id: (r.rating, r.evidence)
        for r in session.exec(
            select(CriterionRating).where(CriterionRating.scorecard_id == scorecard_id)
        )
    }
    revision = session.exec(
        select(ScorecardRevision).where(ScorecardRevision.scorecard_id == scorecard_id)
    ).one()
    snapshot = {
        r["criterion_id"]: (r["rating"], r["evidence"]) for r in revision.snapshot["ratings"]
    }
    return scorecard.status, stored, snapshot


def test_autosaves_racing_a_submit_never_change_the_submitted_scorecard(
    db: Session, world: World, live_server: str
) -> None:
    as_interviewer = {**world.headers, "On-Behalf-Of": str(world.interviewer_id)}
    submitter = RACERS // 2
    for round_number in range(3):
        application_id = new_application(db, world, f"Автосохранение {round_number}")
        with httpx.Client(base_url=live_server, headers=as_interviewer) as api:
            card = api.post(
                f"/api/v1/applications/{application_id}/scorecards", json={"stage": "interview"}
            ).json()
            api.patch(
                f"/api/v1/scorecards/{card['id']}",
                json={"ratings": [{"criterion_id": c, "rating": 1} for c in CRITERIA]},
            ).raise_for_status()

        def save_or_submit(
            client: httpx.Client, index: int, card_id: str = card["id"]
        ) -> httpx.Response:
            if index == submitter:
                return client.post(f"/api/v1/scorecards/{card_id}/submit")
            # Every autosave rates every criterion at a level and with evidence of its own.
            ratings = [
                {"criterion_id": c, "rating": index % 4 + 1, "evidence": f"#{index}"}
                for c in CRITERIA
            ]
            return client.patch(f"/api/v1/scorecards/{card_id}", json={"ratings": ratings})

        answers = race_requests(live_server, RACERS, save_or_submit, headers=as_interviewer)

        assert answers[submitter].status_code == 200, answers[submitter].text
        assert {a.status_code for a in answers} <= {200, 409}, [a.text for a in answers]
        status, stored, snapshot = committed(
            db, lambda session, card_id=card["id"]: submitted_state(session, uuid.UUID(card_id))
        )
        assert status == ScorecardStatus.SUBMITTED
        assert stored == snapshot
        levels = {c: rating for c, (rating, _) in stored.items()}
        # The submit's own answer, and the score computed from what it submitted.
        assert {r["criterion_id"]: r["rating"] for r in answers[submitter].json()["ratings"]} == (
            levels
        )
        with httpx.Client(base_url=live_server, headers=world.headers) as api:
            panel = api.get(f"/api/v1/applications/{application_id}/score").json()["panel"]
        scored = {c["criterion_id"]: c["rating"] for c in panel["criteria"] if c["rating"]}
        assert scored == levels


def candidates_named(db: Session, name: str) -> int:
    return committed(
        db,
        lambda session: session.exec(
            select(func.count()).select_from(Candidate).where(Candidate.full_name == name)
        ).one(),
    )


@pytest.mark.parametrize("first_attempt", ["none", "died"])
def test_racing_retries_with_one_idempotency_key_run_once(
    db: Session, world: World, live_server: str, first_attempt: str
) -> None:
    name = f"Повтор {first_attempt}"
    headers = {**world.headers, "Idempotency-Key": f"key-{first_attempt}"}
    body = {"full_name": name}
    if first_attempt == "died":
        # The first attempt ran, then its process died before storing the response: the key
        # stays "running" until it is stale, and then one retry may take over.
        with httpx.Client(base_url=live_server, headers=headers) as api:
            api.post("/api/v1/candidates", json=body).raise_for_status()
        db.exec(
            sa.update(IdempotencyRecord).values(
                response_status=None, started_at=utcnow() - timedelta(minutes=10)
            )
        )
        db.commit()
    before = candidates_named(db, name)

    answers = race_requests(
        live_server,
        RACERS,
        lambda client, _: client.post("/api/v1/candidates", json=body),
        headers=headers,
    )

    assert candidates_named(db, name) == before + 1
    statuses = [a.status_code for a in answers]
    assert statuses.count(201) >= 1 and set(statuses) <= {201, 409}, [a.text for a in answers]
    # Every 201 is the one execution (or a replay of its stored response).
    assert len({a.json()["id"] for a in answers if a.status_code == 201}) == 1


class TricklingReceiver:
    """A receiver on loopback whose first answer is a 500 that trickles in byte by byte for
    longer than a worker's lease (each byte well within the read timeout); every later
    request gets 204 at once."""

    TRICKLE_SECONDS = 1.2

    def __init__(self) -> None:
        self.received: list[str] = []
        lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers["content-length"]))
                with lock:
                    first = not receiver.received
                    receiver.received.append(self.headers["webhook-id"])
                if not first:
                    self.send_response(204)
                    self.send_header("content-length", "0")
                    self.end_headers()
                    return
                answer = b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"
                pause = TricklingReceiver.TRICKLE_SECONDS / len(answer)
                for byte in answer:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(pause)
                self.close_connection = True

            def log_message(self, *args) -> None:  # noqa: ANN002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def test_racing_webhook_workers_record_one_result_per_delivery(
    db: Session, world: World, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A lease shorter than the first send takes: another worker claims that delivery again
    # meanwhile and delivers it; the first worker's late result must not undo that.
    monkeypatch.setattr(webhook_service, "LEASE", timedelta(seconds=0.5))
    monkeypatch.setattr(webhook_service, "SEND_TIMEOUT_SECONDS", 0.3)
    settings = settings.model_copy(
        update={"webhooks_allow_http": True, "webhooks_allow_internal": True}
    )
    receiver = TricklingReceiver()
    try:
        subscribe(
            db,
            organisation_id=world.organisation_id,
            url=receiver.url,
            events=["candidate.created"],
            description="",
            settings=settings,
        )
        for number in range(6):
            create_candidate(
                db, organisation_id=world.organisation_id, full_name=f"Вебхук {number}"
            )
        db.commit()
        engine = db.get_bind()

        def work(_: int) -> None:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                deliver_due(engine, settings)
                with Session(engine) as session:
                    if not session.exec(
                        select(WebhookDelivery.id).where(
                            WebhookDelivery.status == DeliveryStatus.PENDING
                        )
                    ).first():
                        return
                time.sleep(0.05)

        race(3, work)  # the first worker's late result is in when its thread ends
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()

    deliveries = committed(db, lambda session: session.exec(select(WebhookDelivery)).all())
    assert len(deliveries) == 6
    assert [(d.status, d.attempts, d.last_status_code) for d in deliveries] == [
        (DeliveryStatus.SUCCEEDED, 1, 204)
    ] * 6
    # The trickled one went out twice (its lease ran out), every other delivery once.
    assert sorted(receiver.received.count(d.event_id) for d in deliveries) == [1] * 5 + [2]
