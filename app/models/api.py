"""What the API keeps between requests: the first response to each Idempotency-Key, and
bulk import jobs."""

import enum
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

from app.models.base import (
    IdModel,
    JSONType,
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
    QUEUED = "queued"  # waiting for a worker (also after a clean stop of the one that ran it)
    RUNNING = "running"  # a worker holds it until lease_until; after that another takes it
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # a batch failed: the batches before it stay, it and the rest do not


class ImportJob(OrganisationOwned, table=True):
    """A bulk import of candidates (and their applications to a vacancy), applied in batches
    of which each is all or nothing; `processed` counts the rows of the committed batches.
    The rows wait in ImportJobBatch, so a job outlives the process that started it."""

    __tablename__ = "import_jobs"

    vacancy_id: uuid.UUID | None = Field(
        default=None, foreign_key="vacancies.id", ondelete="SET NULL", index=True
    )
    # Indexed: every server's job runner looks for waiting jobs each second.
    status: ImportStatus = Field(
        default=ImportStatus.QUEUED, sa_type=enum_type(ImportStatus), index=True
    )
    total: int = 0
    processed: int = 0
    batch_size: int = 1000
    error: str = Field(default="", sa_type=sa.Text)
    created_by_api_key_id: uuid.UUID | None = Field(
        default=None, foreign_key="api_keys.id", ondelete="SET NULL", index=True
    )
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Who started it (with created_by_api_key_id): its audit events name them, as the
    # request's own events would.
    actor_user_id: uuid.UUID | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL", index=True
    )
    on_behalf_of_user_id: uuid.UUID | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL", index=True
    )
    ip_address: str = Field(default="", max_length=45)
    # The worker running it holds it until lease_until and renews the lease with each batch;
    # once the lease has run out (the worker died) another worker takes the job over.
    claimed_by: str = Field(default="", max_length=200)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # How many times a worker took it up: more than once means it was resumed.
    attempts: int = 0


class ImportJobBatch(IdModel, table=True):
    """The rows of one batch of a job, not yet applied. Deleted in the transaction that saves
    them: a job resumed after a crash applies each batch exactly once, and candidates' data
    stays here no longer than the import needs it."""

    __tablename__ = "import_job_batches"
    __table_args__ = (sa.UniqueConstraint("job_id", "number"),)

    organisation_id: uuid.UUID = organisation_fk()
    job_id: uuid.UUID = Field(foreign_key="import_jobs.id", ondelete="CASCADE")
    number: int  # from 0, in the file's order
    rows: list[dict[str, Any]] = Field(sa_type=JSONType)
