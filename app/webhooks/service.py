"""Webhooks: subscriptions, the outbox of deliveries written in the same transaction as the
change they announce, and the worker that sends them, signed, retried with backoff for about
15 hours, at least once, never by two workers at the same time."""

import json
import logging
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, get_args

import httpx
import sqlalchemy as sa
from sqlmodel import Session, select, update

from app.db import write_session
from app.errors import Conflict, InvalidInput
from app.models import DeliveryStatus, WebhookDelivery, WebhookSubscription, utcnow
from app.models.base import column_values, new_ids
from app.settings import Settings
from app.webhooks import signing
from app.webhooks.targets import UnsafeTarget, check_url

logger = logging.getLogger("smm_hire")
EventName = Literal[
    "candidate.created",
    "application.stage_changed",
    "scorecard.submitted",
    "score.updated",
    "posting.published",
]
EVENTS: tuple[str, ...] = get_args(EventName)
# After the first attempt: 5 s, 5 min, 30 min, 2 h, 5 h and 7 h, about 15 hours in all.
RETRY_DELAYS = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=7),
)
# A worker holds a delivery this long while it sends it; another may take it after that.
LEASE = timedelta(seconds=60)
SEND_TIMEOUT_SECONDS = 10
MAX_ERROR_CHARS = 1000


# --- subscriptions -----------------------------------------------------------------------------


def _check_events(events: Iterable[str]) -> list[str]:
    chosen = sorted(set(events))
    unknown = [event for event in chosen if event not in EVENTS]
    if unknown or not chosen:
        raise InvalidInput(
            f"choose events among {', '.join(EVENTS)}"
            + (f" (unknown: {', '.join(unknown)})" if unknown else ""),
            field="events",
        )
    return chosen


def check_target(url: str, settings: Settings) -> None:
    check_url(
        url,
        allow_http=settings.webhooks_allow_http,
        allow_internal=settings.webhooks_allow_internal,
    )


@dataclass(frozen=True)
class Target:
    """A URL checked as a webhook target. Checking resolves its host, which can take seconds:
    callers check before their transaction begins (on SQLite, before the write lock)."""

    url: str


def checked_target(url: str, settings: Settings) -> Target:
    """Returns the URL as a Target; UnsafeTarget (422) when webhooks may not go there."""
    check_target(url, settings)
    return Target(url)


def _target_url(url: str | Target, settings: Settings) -> str:
    if isinstance(url, Target):
        return url.url
    return checked_target(url, settings).url


def subscribe(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    url: str | Target,
    events: Iterable[str],
    description: str,
    settings: Settings,
) -> WebhookSubscription:
    """Returns a new active subscription with its signing secret."""
    subscription = WebhookSubscription(
        organisation_id=organisation_id,
        url=_target_url(url, settings),
        events=_check_events(events),
        description=description,
        secret=signing.new_secret(),
    )
    session.add(subscription)
    session.flush()
    return subscription


def change(
    session: Session,
    *,
    subscription: WebhookSubscription,
    settings: Settings,
    url: str | Target | None = None,
    events: Iterable[str] | None = None,
    description: str | None = None,
    active: bool | None = None,
) -> WebhookSubscription:
    """Changes a subscription; active=True enables a disabled one again."""
    if url is not None:
        subscription.url = _target_url(url, settings)
    if events is not None:
        subscription.events = _check_events(events)
    if description is not None:
        subscription.description = description
    if active is True and not subscription.is_active:
        subscription.is_active = True
        subscription.disabled_reason = ""
        subscription.disabled_at = None
        subscription.consecutive_failures = 0
    elif active is False and subscription.is_active:
        _disable(subscription, "disabled by the organisation")
    session.add(subscription)
    session.flush()
    return subscription


def _disable(subscription: WebhookSubscription, reason: str) -> None:
    subscription.is_active = False
    subscription.disabled_reason = reason[:500]
    subscription.disabled_at = utcnow()


def subscriptions_of(session: Session, *, organisation_id: uuid.UUID) -> list[WebhookSubscription]:
    return list(
        session.exec(
            select(WebhookSubscription)
            .where(WebhookSubscription.organisation_id == organisation_id)
            .order_by(WebhookSubscription.created_at)
        )
    )


def deliveries_of(
    session: Session, *, subscription: WebhookSubscription, limit: int = 100
) -> list[WebhookDelivery]:
    return list(
        session.exec(
            select(WebhookDelivery)
            .where(WebhookDelivery.subscription_id == subscription.id)
            .order_by(WebhookDelivery.created_at.desc())
            .limit(limit)
        )
    )


def resend(
    session: Session, *, subscription: WebhookSubscription, delivery: WebhookDelivery
) -> WebhookDelivery:
    """Queues the delivery again at once, with the same webhook-id (the same message)."""
    if not subscription.is_active:
        raise Conflict("the subscription is disabled: enable it again first", field="active")
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = utcnow()
    delivery.locked_until = None
    session.add(delivery)
    session.flush()
    return delivery


# --- the outbox --------------------------------------------------------------------------------


def emit(
    session: Session, *, organisation_id: uuid.UUID, event_type: str, data: dict[str, Any]
) -> None:
    """Queues the event for every active subscription to it, in the caller's transaction: if
    the change is rolled back, so is the announcement."""
    emit_many(session, organisation_id=organisation_id, event_type=event_type, events=[data])


def emit_many(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    event_type: str,
    events: list[dict[str, Any]],
) -> None:
    """Queues events of one type (each event's data) as emit() does, with one query for the
    subscriptions and one insert for all the deliveries (a batch of imported candidates)."""
    subscription_ids = [
        subscription_id
        for subscription_id, wanted in session.exec(
            select(WebhookSubscription.id, WebhookSubscription.events).where(
                WebhookSubscription.organisation_id == organisation_id,
                WebhookSubscription.is_active.is_(True),
            )
        )
        if event_type in wanted
    ]
    if not subscription_ids or not events:
        return
    template = column_values(
        WebhookDelivery(
            organisation_id=organisation_id,
            subscription_id=subscription_ids[0],
            event_id="",
            event_type=event_type,
            payload={},
        )
    )
    timestamp = utcnow().isoformat()
    payloads = [
        {
            "type": event_type,
            "timestamp": timestamp,
            "data": {k: str(v) if isinstance(v, uuid.UUID) else v for k, v in data.items()},
        }
        for data in events
    ]
    pairs = [
        (subscription_id, payload) for subscription_id in subscription_ids for payload in payloads
    ]
    session.execute(
        sa.insert(WebhookDelivery.__table__),
        [
            {
                **template,
                "id": delivery_id,
                "subscription_id": subscription_id,
                "event_id": f"msg_{event_id.hex}",
                "payload": payload,
            }
            for delivery_id, event_id, (subscription_id, payload) in zip(
                new_ids(len(pairs)), new_ids(len(pairs)), pairs, strict=True
            )
        ],
    )


# --- the worker --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    delivery_id: uuid.UUID
    subscription_id: uuid.UUID
    event_id: str
    url: str
    secret: str
    body: bytes
    # The lease this worker holds: its result counts only while the delivery still has it.
    lease_until: datetime


def claim_due(engine: sa.Engine, *, now: datetime, limit: int = 20) -> list[Claimed]:
    """Takes up to `limit` due deliveries for this worker. Each is taken by a conditional
    update, so of two workers racing for one, exactly one gets it."""
    claimed: list[Claimed] = []
    lease_until = now + LEASE
    with write_session(engine) as session:
        due = session.exec(
            select(WebhookDelivery.id)
            .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
            .where(
                WebhookDelivery.status == DeliveryStatus.PENDING,
                WebhookDelivery.next_attempt_at <= now,
                sa.or_(WebhookDelivery.locked_until.is_(None), WebhookDelivery.locked_until < now),
                WebhookSubscription.is_active.is_(True),
            )
            .order_by(WebhookDelivery.next_attempt_at)
            .limit(limit)
        ).all()
    for delivery_id in due:
        with write_session(engine) as session:
            taken = (
                session.connection()
                .execute(
                    update(WebhookDelivery)
                    .where(
                        WebhookDelivery.id == delivery_id,
                        WebhookDelivery.status == DeliveryStatus.PENDING,
                        sa.or_(
                            WebhookDelivery.locked_until.is_(None),
                            WebhookDelivery.locked_until < now,
                        ),
                    )
                    .values(locked_until=lease_until)
                )
                .rowcount
            )
            if taken != 1:
                continue  # another worker has it
            delivery = session.get(WebhookDelivery, delivery_id)
            subscription = session.get(WebhookSubscription, delivery.subscription_id)
            claimed.append(
                Claimed(
                    delivery_id=delivery.id,
                    subscription_id=subscription.id,
                    event_id=delivery.event_id,
                    url=subscription.url,
                    secret=subscription.secret,
                    body=json.dumps(
                        delivery.payload, ensure_ascii=False, separators=(",", ":")
                    ).encode(),
                    lease_until=lease_until,
                )
            )
    return claimed


def send(claimed: Claimed, *, client: httpx.Client, settings: Settings) -> tuple[int | None, str]:
    """Sends one delivery; returns the status code (None when none came) and an error text."""
    try:
        check_target(claimed.url, settings)  # again: the name may resolve elsewhere by now
    except UnsafeTarget as exc:
        return None, exc.detail
    try:
        answer = client.post(
            claimed.url,
            content=claimed.body,
            headers=signing.headers(claimed.secret, claimed.event_id, claimed.body),
        )
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
    if 200 <= answer.status_code < 300:
        return answer.status_code, ""
    return answer.status_code, f"the receiver answered {answer.status_code}" + (
        " (redirects are not followed)" if 300 <= answer.status_code < 400 else ""
    )


def record_result(
    engine: sa.Engine, claimed: Claimed, *, status_code: int | None, error: str, now: datetime
) -> None:
    """Marks the delivery sent, or schedules the next attempt; after the last one it fails
    for good and the subscription is disabled with the reason."""
    with write_session(engine) as session:
        # Only while this worker still holds the lease (the row locked while it writes): once
        # the lease ran out another worker may have claimed the delivery and recorded its own
        # result, which a late write-back must not undo (a success turned back into a retry).
        delivery = session.exec(
            select(WebhookDelivery)
            .where(
                WebhookDelivery.id == claimed.delivery_id,
                WebhookDelivery.status == DeliveryStatus.PENDING,
                WebhookDelivery.locked_until == claimed.lease_until,
            )
            .with_for_update()
        ).first()
        if delivery is None:
            logger.warning(
                "webhook delivery %s: the lease ran out before the result came (%s); "
                "another worker has it, this result is dropped",
                claimed.delivery_id,
                status_code if status_code is not None else error,
            )
            return
        subscription = session.get(WebhookSubscription, claimed.subscription_id)
        if subscription is None:
            return
        delivery.attempts += 1
        delivery.last_status_code = status_code
        delivery.last_error = error[:MAX_ERROR_CHARS]
        delivery.locked_until = None
        if not error:
            delivery.status = DeliveryStatus.SUCCEEDED
            delivery.delivered_at = now
            subscription.consecutive_failures = 0
        else:
            subscription.consecutive_failures += 1
            if delivery.attempts > len(RETRY_DELAYS):
                delivery.status = DeliveryStatus.FAILED
                _disable(
                    subscription,
                    f"a delivery failed for about 15 hours ({delivery.attempts} attempts); "
                    f"the last: {error}",
                )
            else:
                delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
        session.add_all([delivery, subscription])


def deliver_due(
    engine: sa.Engine, settings: Settings, *, client: httpx.Client | None = None
) -> int:
    """One pass of the worker: sends what is due; returns how many were attempted."""
    own_client = client is None
    client = client or httpx.Client(timeout=SEND_TIMEOUT_SECONDS, follow_redirects=False)
    try:
        started = utcnow()
        claimed = claim_due(engine, now=started)
        for item in claimed:
            # Send only while the lease outlasts the send: once it has run out, another worker
            # may have claimed the delivery (the rest are claimed again when it runs out).
            if utcnow() + timedelta(seconds=SEND_TIMEOUT_SECONDS) >= started + LEASE:
                break
            status_code, error = send(item, client=client, settings=settings)
            record_result(engine, item, status_code=status_code, error=error, now=utcnow())
        return len(claimed)
    finally:
        if own_client:
            client.close()


class Worker(threading.Thread):
    """Delivers due webhooks every POLL_SECONDS until stopped. Several workers (threads,
    processes, hosts) may run at once: claims keep them from sending the same delivery."""

    POLL_SECONDS = 2.0

    def __init__(self, engine: sa.Engine, settings: Settings) -> None:
        super().__init__(name="webhooks", daemon=True)
        self.engine = engine
        self.settings = settings
        self.stopping = threading.Event()

    def run(self) -> None:
        with httpx.Client(timeout=SEND_TIMEOUT_SECONDS, follow_redirects=False) as client:
            while not self.stopping.is_set():
                try:
                    sent = deliver_due(self.engine, self.settings, client=client)
                except Exception:  # a database hiccup must not end the worker
                    logger.exception("webhook delivery pass failed")
                    sent = 0
                # Busy: go again at once; idle: wait (a stop wakes it).
                if not sent:
                    self.stopping.wait(self.POLL_SECONDS)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=SEND_TIMEOUT_SECONDS + 5)


# --- retention ---------------------------------------------------------------------------------


def purge_deliveries(
    session: Session, cutoff: datetime, *, organisation_id: uuid.UUID, dry_run: bool = False
) -> int:
    """Deletes the organisation's deliveries that were sent, or given up, before the cutoff;
    returns how many (that would be deleted, on a dry run). Pending ones are kept."""
    old = (
        WebhookDelivery.organisation_id == organisation_id,
        WebhookDelivery.status != DeliveryStatus.PENDING,
        WebhookDelivery.updated_at < cutoff,
    )
    count = session.exec(select(sa.func.count()).select_from(WebhookDelivery).where(*old)).one()
    if not dry_run and count:
        session.execute(sa.delete(WebhookDelivery).where(*old))
    return count
