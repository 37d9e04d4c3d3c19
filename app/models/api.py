"""What the API remembers between requests: the first response to each Idempotency-Key."""

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from app.models.base import IdModel, UTCDateTime, organisation_fk, utcnow


class IdempotencyRecord(IdModel, table=True):
    """A POST sent with an Idempotency-Key: running until it has a response, which a retry
    with the same key and body gets again instead of doing the work twice."""

    __tablename__ = "idempotency_records"
    __table_args__ = (sa.UniqueConstraint("api_key_id", "key"),)

    organisation_id: uuid.UUID = organisation_fk()
    api_key_id: uuid.UUID = Field(foreign_key="api_keys.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=255)
    # SHA-256 of the method, path, query and body: the same key with another request is refused.
    request_hash: str = Field(max_length=64)
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    # None while the first request runs.
    response_status: int | None = None
    response_type: str = Field(default="", max_length=200)
    response_location: str = Field(default="", max_length=500)
    response_body: bytes = Field(default=b"", sa_type=sa.LargeBinary)
