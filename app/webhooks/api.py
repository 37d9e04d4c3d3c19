"""REST operations on webhook subscriptions and their delivery log."""

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from app import audit
from app.api.contract import RequestBody
from app.api.problems import PROBLEM_RESPONSES
from app.deps import ApiCaller, DbSession, SettingsDep, require_scope
from app.errors import NotFound
from app.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from app.ownership import owned
from app.webhooks import service

router = APIRouter(tags=["webhooks"])
Reader = Annotated[ApiCaller, require_scope("webhooks:read")]
Writer = Annotated[ApiCaller, require_scope("webhooks:write")]
ERRORS = {status: PROBLEM_RESPONSES[status] for status in (401, 403, 404, 422)}
WRITE_ERRORS = {**ERRORS, 409: PROBLEM_RESPONSES[409]}
Url = Annotated[
    str,
    Field(
        max_length=2000,
        # A host name (punycode for other alphabets), an optional port, a path without spaces
        # or control characters; written for every regex dialect alike (no \s).
        pattern=r"^https?://[A-Za-z0-9.-]+"
        r"(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?"
        r"(/[^ \x00-\x1f\x7f-\x9f]*)?$",
        examples=["https://ats.example.com/hooks/smm-hire"],
    ),
]
Events = Annotated[
    list[service.EventName], Field(min_length=1, max_length=10, examples=[["candidate.created"]])
]


class SubscriptionIn(RequestBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "url": "https://ats.example.com/hooks/smm-hire",
                    "events": ["candidate.created", "application.stage_changed", "score.updated"],
                    "description": "Синхронизация с ATS отдела кадров",
                }
            ]
        }
    )

    url: Url
    events: Events
    description: str = Field(default="", max_length=500)


class SubscriptionPatch(RequestBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"events": ["scorecard.submitted", "posting.published"], "active": True}]
        }
    )

    url: Url | None = None
    events: Events | None = None
    description: str | None = Field(default=None, max_length=500)
    active: bool | None = Field(default=None, description="true enables a disabled one again")


class SubscriptionOut(BaseModel):
    id: uuid.UUID
    url: str
    events: list[str]
    description: str
    active: bool
    disabled_reason: str
    disabled_at: datetime | None
    consecutive_failures: int
    created_at: datetime


class NewSubscriptionOut(SubscriptionOut):
    # Shown once: sign-checking key for the receiver (Standard Webhooks, "whsec_...").
    secret: str


class DeliveryOut(BaseModel):
    id: uuid.UUID
    event_id: str
    event_type: str
    payload: dict
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str
    delivered_at: datetime | None
    created_at: datetime


def _out(subscription: WebhookSubscription) -> SubscriptionOut:
    return SubscriptionOut.model_validate(
        {**subscription.model_dump(), "active": subscription.is_active}
    )


def _record(db: DbSession, caller: ApiCaller, action: str, object_id: uuid.UUID) -> None:
    audit.record_call(
        db, caller, action=action, object_type="webhook_subscription", object_id=object_id
    )


def subscription_of_caller(
    subscription_id: uuid.UUID, db: DbSession, caller: Reader
) -> WebhookSubscription:
    return owned(
        db,
        WebhookSubscription,
        subscription_id,
        organisation_id=caller.organisation.id,
        name="webhook subscription",
    )


CallerSubscription = Annotated[WebhookSubscription, Depends(subscription_of_caller)]


@router.get("/webhooks", responses=ERRORS)
def list_subscriptions(db: DbSession, caller: Reader) -> list[SubscriptionOut]:
    """The organisation's webhook subscriptions; a disabled one says why."""
    return [
        _out(row) for row in service.subscriptions_of(db, organisation_id=caller.organisation.id)
    ]


@router.post("/webhooks", status_code=201, responses=WRITE_ERRORS)
def subscribe(
    body: SubscriptionIn, db: DbSession, caller: Writer, settings: SettingsDep
) -> NewSubscriptionOut:
    """Subscribes a URL to events. The signing secret is in this answer only; the URL must be
    public https (no addresses inside a network)."""
    target = service.checked_target(body.url, settings)  # resolves: before the transaction
    subscription = service.subscribe(
        db,
        organisation_id=caller.organisation.id,
        url=target,
        events=body.events,
        description=body.description,
        settings=settings,
    )
    _record(db, caller, "webhook.subscribed", subscription.id)
    return NewSubscriptionOut.model_validate(
        {**_out(subscription).model_dump(), "secret": subscription.secret}
    )


@router.get("/webhooks/{subscription_id}", responses=ERRORS)
def get_subscription(subscription: CallerSubscription) -> SubscriptionOut:
    """One subscription."""
    return _out(subscription)


@router.patch("/webhooks/{subscription_id}", responses=WRITE_ERRORS)
def change_subscription(
    subscription_id: uuid.UUID,
    body: SubscriptionPatch,
    db: DbSession,
    caller: Writer,
    settings: SettingsDep,
) -> SubscriptionOut:
    """Changes the URL, events or description; `"active": true` enables it again."""
    changes = body.model_dump(exclude_unset=True)
    if changes.get("url") is not None:
        # Resolving the host can take seconds: before the transaction (and SQLite's write lock).
        changes["url"] = service.checked_target(changes["url"], settings)
    subscription = subscription_of_caller(subscription_id, db, caller)
    service.change(db, subscription=subscription, settings=settings, **changes)
    _record(db, caller, "webhook.changed", subscription.id)
    return _out(subscription)


@router.delete("/webhooks/{subscription_id}", status_code=204, responses=ERRORS)
def unsubscribe(subscription: CallerSubscription, db: DbSession, caller: Writer) -> Response:
    """Removes the subscription and its delivery log."""
    _record(db, caller, "webhook.unsubscribed", subscription.id)
    db.delete(subscription)
    return Response(status_code=204)


@router.get("/webhooks/{subscription_id}/deliveries", responses=ERRORS)
def deliveries(subscription: CallerSubscription, db: DbSession) -> list[DeliveryOut]:
    """The subscription's last 100 deliveries, newest first: status, attempts, last answer."""
    return [
        DeliveryOut.model_validate(row, from_attributes=True)
        for row in service.deliveries_of(db, subscription=subscription)
    ]


@router.post("/webhooks/{subscription_id}/deliveries/{delivery_id}/resend", responses=WRITE_ERRORS)
def resend(
    subscription: CallerSubscription, delivery_id: uuid.UUID, db: DbSession, caller: Writer
) -> DeliveryOut:
    """Sends the delivery again (the same webhook-id), soon after this answer."""
    delivery = owned(
        db, WebhookDelivery, delivery_id, organisation_id=caller.organisation.id, name="delivery"
    )
    if delivery.subscription_id != subscription.id:
        raise NotFound("no such delivery")
    service.resend(db, subscription=subscription, delivery=delivery)
    _record(db, caller, "webhook.resent", subscription.id)
    return DeliveryOut.model_validate(delivery, from_attributes=True)
