"""Organisation (tenant), its users, their web sessions and the organisation's API keys."""

import enum
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.base import (
    JSONType,
    OrganisationOwned,
    TimestampedModel,
    UTCDateTime,
    created_at_field,
    enum_type,
    new_id,
    utcnow,
)


class Locale(enum.StrEnum):
    RU = "ru"
    EN = "en"


class UserRole(enum.StrEnum):
    ADMIN = "admin"
    HR = "hr"
    RECRUITER = "recruiter"
    INTERVIEWER = "interviewer"


class OrganisationBase(SQLModel):
    slug: str = Field(max_length=63, unique=True, regex=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(max_length=200)
    about: str = Field(default="", sa_type=sa.Text)
    cause: str = Field(default="", sa_type=sa.Text)
    website: str = Field(default="", max_length=500)
    # What the organisation offers people, for job postings (one item a line).
    benefits: str = Field(default="", sa_type=sa.Text)
    default_locale: Locale = Field(default=Locale.RU, sa_type=enum_type(Locale))


class Organisation(OrganisationBase, TimestampedModel, table=True):
    __tablename__ = "organisations"

    # The self-identification questions of the application form (see app/fairness/categories.py);
    # None: the built-in ones.
    self_identification_categories: list[dict[str, Any]] | None = Field(
        default=None, sa_type=JSONType
    )
    # The fairness report hides groups smaller than this, so no one can be singled out.
    fairness_min_group_size: int = Field(default=5, sa_column_kwargs={"server_default": "5"})
    # The retention policy (app/privacy/retention.py): months after the hiring process ends
    # before a rejected candidate is erased, and before one who consented to the talent pool is.
    retention_rejected_months: int = Field(default=6, sa_column_kwargs={"server_default": "6"})
    retention_talent_pool_months: int = Field(default=24, sa_column_kwargs={"server_default": "24"})
    # How panel scores weigh ratings by their evidence (app/scoring/engine.py EvidenceWeighting):
    # "validity", the ratios of published validities, or "equal".
    evidence_weighting: str = Field(
        default="validity", max_length=20, sa_column_kwargs={"server_default": "validity"}
    )


class User(OrganisationOwned, table=True):
    __tablename__ = "users"

    # Login is by e-mail, so an address belongs to one user of one organisation.
    email: str = Field(max_length=320, unique=True)
    full_name: str = Field(max_length=200)
    role: UserRole = Field(sa_type=enum_type(UserRole))
    password_hash: str = Field(max_length=200)
    locale: Locale = Field(default=Locale.RU, sa_type=enum_type(Locale))
    is_active: bool = True
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class UserSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "user_sessions"

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    organisation_id: uuid.UUID = Field(
        foreign_key="organisations.id", ondelete="CASCADE", index=True
    )
    created_at: datetime = created_at_field()
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ip_address: str = Field(default="", max_length=45)
    user_agent: str = Field(default="", max_length=300)


class ApiKey(OrganisationOwned, table=True):
    """A key an ATS integration sends as a Bearer token. Shown once; stored as a SHA-256."""

    __tablename__ = "api_keys"

    name: str = Field(max_length=200)
    # The first characters of the key, shown in lists so people can tell keys apart.
    prefix: str = Field(max_length=16, index=True)
    key_hash: str = Field(max_length=64, unique=True)
    scopes: list[str] = Field(default_factory=list, sa_type=JSONType)
    created_by_user_id: uuid.UUID | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL", index=True
    )
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LoginFailure(SQLModel, table=True):
    """A failed sign-in, kept briefly to slow down password guessing (not organisation data)."""

    __tablename__ = "login_failures"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    email: str = Field(max_length=320, index=True)
    ip_address: str = Field(default="", max_length=45, index=True)
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
