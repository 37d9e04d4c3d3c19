"""Webhooks: Standard Webhooks signatures a receiver can verify, the outbox in the change's
transaction, retries with backoff until the subscription is disabled, the delivery log and
"send again", no redirects, no targets inside the network, no delivery sent twice at once."""

import json
import re
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import Session, func, select

from app.db import read_session
from app.demo import DEMO_LOGINS
from app.hiring.service import create_candidate
from app.models import (
    DeliveryStatus,
    Organisation,
    WebhookDelivery,
    WebhookSubscription,
    utcnow,
)
from app.settings import Settings
from app.webhooks import service as webhook_service
from app.webhooks import signing
from app.webhooks.service import RETRY_DELAYS, claim_due, deliver_due, send, subscribe
from app.webhooks.targets import UnsafeTarget
from tests.factories import make_api_key
from tests.hiring.test_pages import browser_for
from tests.test_web_accounts import csrf_token_of


class Receiver:
    """A webhook receiver on loopback that records what it gets and answers `status`."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        self.delay = 0.0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["content-length"]))
                time.sleep(receiver.delay)
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.status)
                if receiver.status == 302:
                    self.send_header("location", receiver.url + "/elsewhere")
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:  # noqa: ANN002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self) -> list[dict]:
        return [json.loads(body) for _, body in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    served = Receiver()
    yield served
    served.server.shutdown()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # The receiver lives on loopback over http: allowed here, as in development only.
    return settings.model_copy(
        update={"webhooks_allow_http": True, "webhooks_allow_internal": True}
    )


@pytest.fixture
def writer(db: Session, demo: Organisation) -> dict[str, str]:
    _, secret = make_api_key(
        db, organisation=demo, scopes=["webhooks:read", "webhooks:write", "candidates:write"]
    )
    db.commit()
    return {"Authorization": f"Bearer {secret}"}


def deliveries_in(engine: sa.Engine) -> list[WebhookDelivery]:
    with read_session(engine) as session:
        return list(session.exec(select(WebhookDelivery)))


def deliveries(db: Session) -> list[WebhookDelivery]:
    """The deliveries as they are now, detached, with the test's transaction ended (on SQLite
    an open one would hold the lock the worker needs)."""
    db.rollback()
    rows = list(db.exec(select(WebhookDelivery).order_by(WebhookDelivery.created_at)))
    db.expunge_all()
    db.rollback()
    return rows


def make_due(db: Session) -> None:
    """Moves every pending delivery's next attempt to now (time passing, in a test)."""
    db.rollback()
    db.exec(sa.update(WebhookDelivery).values(next_attempt_at=utcnow()))
    db.commit()


def test_a_signature_verifies_and_a_changed_byte_or_old_timestamp_does_not() -> None:
    secret = signing.new_secret()
    body = b'{"type":"candidate.created"}'
    headers = signing.headers(secret, "msg_1", body)

    assert signing.verify(secret, headers, body)
    assert not signing.verify(secret, headers, body.replace(b"c", b"C", 1))
    assert not signing.verify(secret, {**headers, "webhook-id": "msg_2"}, body)
    assert not signing.verify(signing.new_secret(), headers, body)
    stale = signing.headers(secret, "msg_1", body, timestamp=int(time.time()) - 600)
    assert not signing.verify(secret, stale, body)


def test_an_event_reaches_the_receiver_signed(
    http: httpx.Client, db: Session, writer: dict, receiver: Receiver, settings: Settings
) -> None:
    subscribed = http.post(
        "/api/v1/webhooks",
        headers=writer,
        json={"url": receiver.url, "events": ["candidate.created"]},
    )
    candidate = http.post("/api/v1/candidates", headers=writer, json={"full_name": "Вебхук"})
    queued = deliveries(db)

    attempted = deliver_due(db.get_bind(), settings)
    log = http.get(f"/api/v1/webhooks/{subscribed.json()['id']}/deliveries", headers=writer)

    assert subscribed.status_code == 201 and subscribed.json()["secret"].startswith("whsec_")
    assert len(queued) == 1  # written with the candidate, before any worker ran
    assert attempted == 1 and len(receiver.received) == 1
    headers, body = receiver.received[0]
    assert signing.verify(subscribed.json()["secret"], headers, body)
    assert json.loads(body)["data"]["candidate_id"] == candidate.json()["id"]
    assert log.json()[0]["status"] == "succeeded" and log.json()[0]["last_status_code"] == 200
    assert "secret" not in http.get("/api/v1/webhooks", headers=writer).json()[0]


def test_a_rolled_back_change_announces_nothing(
    db: Session, demo: Organisation, settings: Settings
) -> None:
    subscribe(
        db,
        organisation_id=demo.id,
        url="https://ats.example.com/hook",
        events=["candidate.created"],
        description="",
        settings=settings,
    )
    db.commit()

    create_candidate(db, organisation_id=demo.id, full_name="Передумали")
    db.rollback()

    assert deliveries(db) == []


def test_failures_back_off_then_disable_the_subscription_until_enabled_and_resent(
    http: httpx.Client, db: Session, writer: dict, receiver: Receiver, settings: Settings
) -> None:
    receiver.status = 500
    subscription_id = http.post(
        "/api/v1/webhooks",
        headers=writer,
        json={"url": receiver.url, "events": ["candidate.created"]},
    ).json()["id"]
    http.post("/api/v1/candidates", headers=writer, json={"full_name": "Недоставленная"})
    engine = db.get_bind()

    deliver_due(engine, settings)
    after_first = deliveries(db)[0]
    delays = [after_first.next_attempt_at - after_first.updated_at]
    for _ in RETRY_DELAYS:
        make_due(db)
        deliver_due(engine, settings)
    failed = deliveries(db)[0]
    subscription = http.get(f"/api/v1/webhooks/{subscription_id}", headers=writer).json()
    resend_while_disabled = http.post(
        f"/api/v1/webhooks/{subscription_id}/deliveries/{failed.id}/resend", headers=writer
    )
    receiver.status = 200
    http.patch(f"/api/v1/webhooks/{subscription_id}", headers=writer, json={"active": True})
    resent = http.post(
        f"/api/v1/webhooks/{subscription_id}/deliveries/{failed.id}/resend", headers=writer
    )
    deliver_due(engine, settings)

    assert timedelta(seconds=4) < delays[0] <= timedelta(seconds=6)
    assert sum(RETRY_DELAYS, timedelta()) > timedelta(hours=14)
    assert failed.status == DeliveryStatus.FAILED and failed.attempts == len(RETRY_DELAYS) + 1
    assert failed.last_status_code == 500
    assert subscription["active"] is False and "500" in subscription["disabled_reason"]
    assert resend_while_disabled.status_code == 409
    assert resent.status_code == 200 and resent.json()["status"] == "pending"
    assert deliveries(db)[0].status == DeliveryStatus.SUCCEEDED
    assert len({headers["webhook-id"] for headers, _ in receiver.received}) == 1  # one message


def test_redirects_are_not_followed(
    http: httpx.Client, db: Session, writer: dict, receiver: Receiver, settings: Settings
) -> None:
    receiver.status = 302
    http.post(
        "/api/v1/webhooks",
        headers=writer,
        json={"url": receiver.url, "events": ["candidate.created"]},
    )
    http.post("/api/v1/candidates", headers=writer, json={"full_name": "Перенаправленная"})

    deliver_due(db.get_bind(), settings)

    delivery = deliveries(db)[0]
    assert len(receiver.received) == 1  # not the redirect's target
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_status_code == 302
    assert "redirects are not followed" in delivery.last_error


@pytest.mark.parametrize(
    "url",
    [
        "http://ats.example.com/hook",
        "https://127.0.0.1/hook",
        "https://localhost:8443/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://user:pw@ats.example.com/hook",
    ],
)
def test_targets_inside_the_network_or_without_https_are_refused(
    db: Session, demo: Organisation, url: str
) -> None:
    strict = Settings(_env_file=None)  # production's defaults

    with pytest.raises(UnsafeTarget) as refused:
        subscribe(
            db,
            organisation_id=demo.id,
            url=url,
            events=["candidate.created"],
            description="",
            settings=strict,
        )

    assert refused.value.field == "url"
    db.rollback()
    assert db.exec(select(func.count()).select_from(WebhookSubscription)).one() == 0


def test_the_target_is_checked_again_when_sending(
    db: Session, demo: Organisation, receiver: Receiver, settings: Settings
) -> None:
    subscribe(
        db,
        organisation_id=demo.id,
        url=receiver.url,
        events=["candidate.created"],
        description="",
        settings=settings,
    )
    create_candidate(db, organisation_id=demo.id, full_name="Внутренняя")
    db.commit()
    claimed = claim_due(db.get_bind(), now=utcnow())

    with httpx.Client() as client:
        status, error = send(claimed[0], client=client, settings=Settings(_env_file=None))

    assert status is None and "https" in error
    assert receiver.received == []


def test_two_workers_never_send_the_same_delivery(
    db: Session, demo: Organisation, receiver: Receiver, settings: Settings
) -> None:
    subscribe(
        db,
        organisation_id=demo.id,
        url=receiver.url,
        events=["candidate.created"],
        description="",
        settings=settings,
    )
    for number in range(30):
        create_candidate(db, organisation_id=demo.id, full_name=f"Очередь {number}")
    db.commit()
    receiver.delay = 0.01
    engine = db.get_bind()
    start = threading.Barrier(2)

    def work() -> None:
        start.wait()
        while deliver_due(engine, settings):
            pass

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    ids = [headers["webhook-id"] for headers, _ in receiver.received]
    assert len(ids) == len(set(ids)) == 30
    assert {d.status for d in deliveries(db)} == {DeliveryStatus.SUCCEEDED}


def test_a_slow_receiver_never_gets_a_delivery_twice_when_the_lease_runs_out(
    db: Session,
    demo: Organisation,
    receiver: Receiver,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A lease shorter than one batch's sends: the first worker must stop sending when its
    # lease ends, because the second one claims the rest then.
    monkeypatch.setattr(webhook_service, "LEASE", timedelta(seconds=0.6))
    monkeypatch.setattr(webhook_service, "SEND_TIMEOUT_SECONDS", 0.2)
    subscribe(
        db,
        organisation_id=demo.id,
        url=receiver.url,
        events=["candidate.created"],
        description="",
        settings=settings,
    )
    for number in range(12):
        create_candidate(db, organisation_id=demo.id, full_name=f"Медленная {number}")
    db.commit()
    receiver.delay = 0.15
    engine = db.get_bind()

    def work() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(
            d.status == DeliveryStatus.PENDING for d in deliveries_in(engine)
        ):
            deliver_due(engine, settings)
            time.sleep(0.05)

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
        time.sleep(0.7)  # the second worker starts after the first one's lease has run out
    for worker in workers:
        worker.join()

    ids = [headers["webhook-id"] for headers, _ in receiver.received]
    assert len(ids) == len(set(ids)) == 12


def test_an_admin_subscribes_reads_the_log_sends_again_and_enables_in_the_ui(
    live_server: str, db: Session, demo: Organisation, receiver: Receiver, settings: Settings
) -> None:
    admin = browser_for(live_server, DEMO_LOGINS[0])
    page = admin.get("/settings/webhooks")
    token = csrf_token_of(page)
    created = admin.post(
        "/settings/webhooks",
        data={"csrf_token": token, "url": receiver.url, "events": ["candidate.created"]},
    )
    secret = re.search(r'<code id="new-secret">(whsec_[^<]+)</code>', created.text).group(1)
    receiver.status = 500
    create_candidate(db, organisation_id=demo.id, full_name="Журнальная")
    db.commit()
    deliver_due(db.get_bind(), settings)
    subscription_id = db.exec(select(WebhookSubscription.id)).one()
    delivery = deliveries(db)[0]
    log = admin.get(f"/settings/webhooks/{subscription_id}")
    resent = admin.post(
        f"/settings/webhooks/{subscription_id}/resend",
        data={"csrf_token": token, "delivery_id": str(delivery.id)},
    )
    db.exec(sa.update(WebhookSubscription).values(is_active=False, disabled_reason="проверка"))
    db.commit()
    disabled = admin.get(f"/settings/webhooks/{subscription_id}")
    admin.post(f"/settings/webhooks/{subscription_id}/enable", data={"csrf_token": token})

    assert secret not in admin.get("/settings/webhooks").text
    assert "candidate.created" in log.text and "500" in log.text
    assert resent.status_code == 200 and deliveries(db)[0].attempts == 0
    assert "проверка" in disabled.text
    db.rollback()
    active = db.exec(select(WebhookSubscription.is_active)).one()
    db.rollback()
    assert active is True
    assert browser_for(live_server, DEMO_LOGINS[1]).get("/settings/webhooks").status_code == 403
