"""Generated documents: job postings (versioned, with a publication state) and interview sheets."""

import enum
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

from app.models.base import JSONType, OrganisationOwned, UTCDateTime, enum_type
from app.models.hiring import Stage
from app.models.organisation import Locale


class PostingState(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class JobPosting(OrganisationOwned, table=True):
    __tablename__ = "job_postings"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "slug"),)

    vacancy_id: uuid.UUID = Field(foreign_key="vacancies.id", ondelete="CASCADE", index=True)
    # The posting's address on the careers page: /careers/<organisation>/<slug>.
    slug: str = Field(max_length=120)
    locale: Locale = Field(default=Locale.RU, sa_type=enum_type(Locale))
    state: PostingState = Field(
        default=PostingState.DRAFT, sa_type=enum_type(PostingState), index=True
    )
    latest_version: int = 0
    published_version: int | None = None
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    valid_through: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class JobPostingVersion(OrganisationOwned, table=True):
    __tablename__ = "job_posting_versions"
    __table_args__ = (sa.UniqueConstraint("job_posting_id", "version"),)

    job_posting_id: uuid.UUID = Field(foreign_key="job_postings.id", ondelete="CASCADE", index=True)
    version: int
    title: str = Field(max_length=200)
    # The posting's sections (about, role, duties, requirements, offer, how to apply).
    content: dict[str, Any] = Field(sa_type=JSONType)
    role_profile_version_id: uuid.UUID = Field(foreign_key="role_profile_versions.id", index=True)
    created_by_user_id: uuid.UUID | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL", index=True
    )


class InterviewSheet(OrganisationOwned, table=True):
    """Questions, probes and anchored scales for one stage; blank or for one application."""

    __tablename__ = "interview_sheets"

    role_profile_version_id: uuid.UUID = Field(foreign_key="role_profile_versions.id", index=True)
    application_id: uuid.UUID | None = Field(
        default=None, foreign_key="applications.id", ondelete="CASCADE", index=True
    )
    stage: Stage = Field(sa_type=enum_type(Stage))
    locale: Locale = Field(default=Locale.RU, sa_type=enum_type(Locale))
    version: int = 1
    content: dict[str, Any] = Field(sa_type=JSONType)
    created_by_user_id: uuid.UUID | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL", index=True
    )


class DocumentTemplate(OrganisationOwned, table=True):
    """An organisation's own Jinja template for a posting format or the interview sheet, used
    instead of the built-in one. It runs in Jinja's sandbox."""

    __tablename__ = "document_templates"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "name"),)

    # Which built-in template it replaces: posting.html, posting.md, posting.txt or sheet.html.
    name: str = Field(max_length=40)
    source: str = Field(sa_type=sa.Text)
    updated_by_user_id: uuid.UUID | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL", index=True
    )
