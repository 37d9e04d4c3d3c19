"""What the API keeps between requests: the first response to each Idempotency-Key, and
bulk import jobs."""

import enum
import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from app.models.base import (
    IdModel,
    OrganisationOwned,
    UTCDateTime,
    enum_type,
    organisation_fk,
    utcnow,
)


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


class ImportStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # a batch failed: the batches before it stay, it and the rest do not


class ImportJob(OrganisationOwned, table=True):
    """A bulk import of candidates (and their applications to a vacancy), applied in batches
    of which each is all or nothing; `processed` counts the rows of the committed batches."""

    __tablename__ = "import_jobs"

    vacancy_id: uuid.UUID | None = Field(
        default=None, foreign_key="vacancies.id", ondelete="SET NULL", index=True
    )
    status: ImportStatus = Field(default=ImportStatus.QUEUED, sa_type=enum_type(ImportStatus))
    total: int = 0
    processed: int = 0
    batch_size: int = 1000
    error: str = Field(default="", sa_type=sa.Text)
    created_by_api_key_id: uuid.UUID | None = Field(
        default=None, foreign_key="api_keys.id", ondelete="SET NULL", index=True
    )
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
