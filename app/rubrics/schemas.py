"""API shapes of rubrics, criteria and role profiles."""

import uuid
from datetime import datetime

from pydantic import BaseModel

from app.profiles.schema import RoleProfile as ProfileDocument
from app.rubrics.schema import Category, Criterion, Text
from app.rubrics.schema import Rubric as RubricDocument
from app.rubrics.service import StoredProfile, StoredRubric


class VersionInfo(BaseModel):
    version: int
    version_id: uuid.UUID
    content_sha256: str
    created_at: datetime


class RubricSummary(BaseModel):
    id: uuid.UUID
    key: str
    category: Category
    title: Text
    is_builtin: bool
    criteria_count: int
    latest: VersionInfo

    @classmethod
    def of(cls, stored: StoredRubric) -> "RubricSummary":
        return cls(
            id=stored.row.id,
            key=stored.row.key,
            category=stored.document.category,
            title=stored.document.title,
            is_builtin=stored.is_builtin,
            criteria_count=len(stored.document.criteria()),
            latest=_version_info(stored.version),
        )


class RubricDetail(RubricSummary):
    document: RubricDocument

    @classmethod
    def of(cls, stored: StoredRubric) -> "RubricDetail":
        return cls(**RubricSummary.of(stored).model_dump(), document=stored.document)


class CriterionSummary(BaseModel):
    id: str
    rubric_id: uuid.UUID
    rubric_key: str
    category: Category
    title: Text
    description: Text
    weight: float
    seed_sources: list[str]


class CriterionDetail(BaseModel):
    rubric_id: uuid.UUID
    rubric_key: str
    category: Category
    criterion: Criterion


class ProfileSummary(BaseModel):
    id: uuid.UUID
    key: str
    title: Text
    level: str
    is_builtin: bool
    latest: VersionInfo

    @classmethod
    def of(cls, stored: StoredProfile) -> "ProfileSummary":
        return cls(
            id=stored.row.id,
            key=stored.row.key,
            title=stored.document.title,
            level=stored.document.level,
            is_builtin=stored.is_builtin,
            latest=_version_info(stored.version),
        )


class ProfileDetail(ProfileSummary):
    rubric_version_ids: list[uuid.UUID]
    document: ProfileDocument

    @classmethod
    def of(cls, stored: StoredProfile) -> "ProfileDetail":
        return cls(
            **ProfileSummary.of(stored).model_dump(),
            rubric_version_ids=[uuid.UUID(value) for value in stored.version.rubric_version_ids],
            document=stored.document,
        )


class CloneRequest(BaseModel):
    """For profiles: the id of the copy (default: the same id as the original)."""

    key: str | None = None


def _version_info(version) -> VersionInfo:  # noqa: ANN001
    return VersionInfo(
        version=version.version,
        version_id=version.id,
        content_sha256=version.content_sha256,
        created_at=version.created_at,
    )
