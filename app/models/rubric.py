"""Rubrics and their immutable versions; role profiles and their immutable versions."""

import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

from app.models.base import JSONType, RowVersioned, TimestampedModel, row_version_field


class Rubric(RowVersioned, TimestampedModel, table=True):
    """A named rubric. Built-in ones (from rubrics/) have no organisation; clones have one."""

    __tablename__ = "rubrics"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "key"),
        # NULLs are distinct in unique constraints, so built-in keys need their own index.
        sa.Index(
            "uq_rubrics_builtin_key",
            "key",
            unique=True,
            sqlite_where=sa.text("organisation_id IS NULL"),
            postgresql_where=sa.text("organisation_id IS NULL"),
        ),
    )

    organisation_id: uuid.UUID | None = Field(
        default=None, foreign_key="organisations.id", ondelete="CASCADE", index=True
    )
    key: str = Field(max_length=100)
    cloned_from_rubric_id: uuid.UUID | None = Field(
        default=None, foreign_key="rubrics.id", ondelete="SET NULL", index=True
    )
    latest_version: int = 0
    row_version: int = row_version_field()


class RubricVersion(TimestampedModel, table=True):
    """One frozen version of a rubric's content; scorecards point at the one they used."""

    __tablename__ = "rubric_versions"
    __table_args__ = (sa.UniqueConstraint("rubric_id", "version"),)

    rubric_id: uuid.UUID = Field(foreign_key="rubrics.id", ondelete="CASCADE", index=True)
    organisation_id: uuid.UUID | None = Field(
        default=None, foreign_key="organisations.id", ondelete="CASCADE", index=True
    )
    version: int
    # The validated rubric document (see rubrics/README.md).
    content: dict[str, Any] = Field(sa_type=JSONType)
    content_sha256: str = Field(max_length=64)
    created_by_user_id: uuid.UUID | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL", index=True
    )


class RoleProfile(RowVersioned, TimestampedModel, table=True):
    """A role (full SMM manager, content manager, analyst...) built by picking criteria.

    Built-in profiles (from rubrics/profiles/) have no organisation; organisations clone them.
    """

    __tablename__ = "role_profiles"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "key"),
        sa.Index(
            "uq_role_profiles_builtin_key",
            "key",
            unique=True,
            sqlite_where=sa.text("organisation_id IS NULL"),
            postgresql_where=sa.text("organisation_id IS NULL"),
        ),
    )

    organisation_id: uuid.UUID | None = Field(
        default=None, foreign_key="organisations.id", ondelete="CASCADE", index=True
    )
    key: str = Field(max_length=100)
    cloned_from_role_profile_id: uuid.UUID | None = Field(
        default=None, foreign_key="role_profiles.id", ondelete="SET NULL", index=True
    )
    latest_version: int = 0
    row_version: int = row_version_field()
    archived: bool = Field(default=False, index=True)


class RoleProfileVersion(TimestampedModel, table=True):
    """One frozen version of a profile, with the rubric versions its criteria come from."""

    __tablename__ = "role_profile_versions"
    __table_args__ = (sa.UniqueConstraint("role_profile_id", "version"),)

    organisation_id: uuid.UUID | None = Field(
        default=None, foreign_key="organisations.id", ondelete="CASCADE", index=True
    )
    role_profile_id: uuid.UUID = Field(
        foreign_key="role_profiles.id", ondelete="CASCADE", index=True
    )
    version: int
    # The validated profile document (see rubrics/README.md).
    content: dict[str, Any] = Field(sa_type=JSONType)
    content_sha256: str = Field(max_length=64)
    # Rubric version ids (as strings) that the picked criteria were taken from.
    rubric_version_ids: list[str] = Field(default_factory=list, sa_type=JSONType)
    created_by_user_id: uuid.UUID | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL", index=True
    )
