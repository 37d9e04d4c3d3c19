"""The append-only audit log: who did what to which object, and when. Ids only, no personal data."""

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

from app.models.base import IdModel, JSONType, UTCDateTime, organisation_fk, utcnow


class AuditEvent(IdModel, table=True):
    __tablename__ = "audit_events"
    # The audit page lists an organisation's object types by skipping through this index.
    __table_args__ = (
        sa.Index("ix_audit_events_organisation_id_object_type", "organisation_id", "object_type"),
    )

    organisation_id: uuid.UUID = organisation_fk()
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    # e.g. "candidate.created", "scorecard.submitted", "score.read"
    action: str = Field(max_length=100, index=True)
    object_type: str = Field(max_length=50)
    object_id: str = Field(max_length=64, index=True)
    # Not foreign keys: the log outlives the users and keys it names.
    actor_user_id: uuid.UUID | None = Field(default=None, index=True)
    actor_api_key_id: uuid.UUID | None = Field(default=None, index=True)
    on_behalf_of_user_id: uuid.UUID | None = None
    ip_address: str = Field(default="", max_length=45)
    # Ids and versions only (e.g. rubric and profile versions used for a score).
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
