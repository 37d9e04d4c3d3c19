"""Vacancies, candidates, applications, interviewer assignments and stage decisions."""

import enum
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

from app.models.base import (
    JSONType,
    OrganisationOwned,
    RowVersioned,
    UTCDateTime,
    change_position_field,
    enum_type,
    row_version_field,
    sync_index,
    utcnow,
)
from app.models.organisation import Locale


class VacancyStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    ON_HOLD = "on_hold"
    CLOSED = "closed"


class Stage(enum.StrEnum):
    """Where an application stands; the order is the usual path through hiring."""

    APPLIED = "applied"
    SCREENING = "screening"
    INTERVIEW = "interview"
    WORK_SAMPLE = "work_sample"
    FINAL = "final"
    OFFER = "offer"
    HIRED = "hired"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Decision(enum.StrEnum):
    ADVANCE = "advance"
    REJECT = "reject"
    HOLD = "hold"
    WITHDRAW = "withdraw"
    # Back to an earlier stage of the path, or a rejected or withdrawn application back in.
    REOPEN = "reopen"


class Vacancy(OrganisationOwned, table=True):
    __tablename__ = "vacancies"
    __table_args__ = (sync_index("vacancies"),)

    role_profile_id: uuid.UUID = Field(foreign_key="role_profiles.id", index=True)
    role_profile_version_id: uuid.UUID = Field(foreign_key="role_profile_versions.id", index=True)
    title: str = Field(max_length=200)
    locale: Locale = Field(default=Locale.RU, sa_type=enum_type(Locale))
    status: VacancyStatus = Field(
        default=VacancyStatus.DRAFT, sa_type=enum_type(VacancyStatus), index=True
    )
    owner_user_id: uuid.UUID | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL", index=True
    )
    opened_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Where the API's sync order puts the row's last change (app/api/pagination.py).
    change_position: int | None = change_position_field("vacancies")


class Candidate(OrganisationOwned, table=True):
    __tablename__ = "candidates"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "external_id"),
        sync_index("candidates"),
    )

    full_name: str = Field(max_length=200, index=True)
    email: str = Field(default="", max_length=320, index=True)
    phone: str = Field(default="", max_length=50)
    location: str = Field(default="", max_length=200)
    # Where the candidate came from: "manual", "csv", "careers", "ats"...
    source: str = Field(default="manual", max_length=50)
    # The id the candidate has in the ATS that sent them, for sync.
    external_id: str | None = Field(default=None, max_length=200)
    # Structured screening data: years in SMM/PR, platforms, tools, portfolio links...
    profile: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    notes: str = Field(default="", sa_type=sa.Text)
    consent_text: str = Field(default="", sa_type=sa.Text)
    consent_given_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Consent to stay in the talent pool (kept longer, for other vacancies), word for word.
    talent_pool_consent_text: str = Field(
        default="", sa_type=sa.Text, sa_column_kwargs={"server_default": ""}
    )
    talent_pool_consent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Set by erasure: the row stays as an anonymous tombstone so scores keep counting.
    erased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    change_position: int | None = change_position_field("candidates")


class Application(RowVersioned, OrganisationOwned, table=True):
    """A candidate applying to one vacancy."""

    __tablename__ = "applications"
    __table_args__ = (
        sa.UniqueConstraint("vacancy_id", "candidate_id"),
        sync_index("applications"),
        # The vacancy page counts and pages its applications per stage.
        sa.Index("ix_applications_vacancy_id_stage", "vacancy_id", "stage"),
    )

    vacancy_id: uuid.UUID = Field(foreign_key="vacancies.id", ondelete="CASCADE", index=True)
    candidate_id: uuid.UUID = Field(foreign_key="candidates.id", ondelete="CASCADE", index=True)
    stage: Stage = Field(default=Stage.APPLIED, sa_type=enum_type(Stage), index=True)
    stage_changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    change_position: int | None = change_position_field("applications")
    row_version: int = row_version_field()


class InterviewerAssignment(OrganisationOwned, table=True):
    """An interviewer asked to assess one application at one stage."""

    __tablename__ = "interviewer_assignments"
    __table_args__ = (sa.UniqueConstraint("application_id", "user_id", "stage"),)

    application_id: uuid.UUID = Field(foreign_key="applications.id", ondelete="CASCADE", index=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    stage: Stage = Field(sa_type=enum_type(Stage))
    assigned_by_user_id: uuid.UUID | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL", index=True
    )


class StageDecision(OrganisationOwned, table=True):
    """A person's decision to move an application: scores inform it, people make it."""

    __tablename__ = "stage_decisions"

    application_id: uuid.UUID = Field(foreign_key="applications.id", ondelete="CASCADE", index=True)
    from_stage: Stage = Field(sa_type=enum_type(Stage))
    to_stage: Stage = Field(sa_type=enum_type(Stage))
    decision: Decision = Field(sa_type=enum_type(Decision))
    reason: str = Field(sa_type=sa.Text)
    # Hired without a submitted scorecard from interview, work sample or final: a person
    # chose to, and said why.
    override: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    override_reason: str = Field(
        default="", sa_type=sa.Text, sa_column_kwargs={"server_default": ""}
    )
    decided_by_user_id: uuid.UUID | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL", index=True
    )
    decided_by_api_key_id: uuid.UUID | None = Field(
        default=None, foreign_key="api_keys.id", ondelete="SET NULL", index=True
    )
    decided_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
