"""Webhook subscriptions and the outbox of their deliveries."""

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlmodel import Field

from app.models.base import JSONType, OrganisationOwned, UTCDateTime, enum_type, utcnow


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # gave up after the last retry


class WebhookSubscription(OrganisationOwned, table=True):
    __tablename__ = "webhook_subscriptions"

    url: str = Field(max_length=2000)
    events: list[str] = Field(default_factory=list, sa_type=JSONType)
    # Signing secret (Standard Webhooks "whsec_..."); needed in clear to sign each delivery.
    secret: str = Field(max_length=200)
    description: str = Field(default="", max_length=500)
    is_active: bool = Field(default=True, index=True)
    disabled_reason: str = Field(default="", max_length=500)
    disabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    consecutive_failures: int = 0


class WebhookDelivery(OrganisationOwned, table=True):
    """One event for one subscription; written in the same transaction as the change."""

    __tablename__ = "webhook_deliveries"

    subscription_id: uuid.UUID = Field(
        foreign_key="webhook_subscriptions.id", ondelete="CASCADE", index=True
    )
    # The webhook-id header: the same on every retry, so receivers can drop duplicates.
    event_id: str = Field(max_length=64, unique=True)
    event_type: str = Field(max_length=100)
    payload: dict[str, Any] = Field(sa_type=JSONType)
    status: DeliveryStatus = Field(
        default=DeliveryStatus.PENDING, sa_type=enum_type(DeliveryStatus), index=True
    )
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    # A worker sending it holds it until then, so two workers never send it together.
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_status_code: int | None = None
    last_error: str = Field(default="", max_length=1000)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
