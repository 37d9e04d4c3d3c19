"""Scorecards with their per-criterion ratings and submitted revisions."""

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
    enum_type,
    row_version_field,
)
from app.models.hiring import Stage


class ScorecardStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class EvidenceSource(enum.StrEnum):
    CV = "cv"
    SCREENING = "screening"
    INTERVIEW = "interview"
    WORK_SAMPLE = "work_sample"
    REFERENCE = "reference"


class Recommendation(enum.StrEnum):
    STRONG_NO = "strong_no"
    NO = "no"
    YES = "yes"
    STRONG_YES = "strong_yes"


class Scorecard(RowVersioned, OrganisationOwned, table=True):
    """One interviewer's ratings of one application at one stage."""

    __tablename__ = "scorecards"
    __table_args__ = (sa.UniqueConstraint("application_id", "interviewer_user_id", "stage"),)

    application_id: uuid.UUID = Field(foreign_key="applications.id", ondelete="CASCADE", index=True)
    interviewer_user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    stage: Stage = Field(sa_type=enum_type(Stage))
    status: ScorecardStatus = Field(
        default=ScorecardStatus.DRAFT, sa_type=enum_type(ScorecardStatus), index=True
    )
    # Bumped by every edit after submission; each submitted state is kept as a revision.
    version: int = 1
    rubric_version_ids: list[str] = Field(default_factory=list, sa_type=JSONType)
    role_profile_version_id: uuid.UUID = Field(foreign_key="role_profile_versions.id", index=True)
    recommendation: Recommendation | None = Field(default=None, sa_type=enum_type(Recommendation))
    summary: str = Field(default="", sa_type=sa.Text)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The submitted ratings packed for the bulk path: one byte per criterion of the profile
    # version for the level, then one byte per criterion for the evidence source, 0 marking
    # "not assessed" (so a level of 0 is a rating). A copy of the criterion_ratings rows.
    ratings_packed: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    # Bumped by every save (autosave included): the form sends it back, so a save from a
    # stale tab is refused (not to be confused with `version`, the submitted revision).
    row_version: int = row_version_field()


class CriterionRating(OrganisationOwned, table=True):
    """A rating of one rubric criterion on a scorecard; no rating means "not assessed"."""

    __tablename__ = "criterion_ratings"
    __table_args__ = (sa.UniqueConstraint("scorecard_id", "criterion_id"),)

    scorecard_id: uuid.UUID = Field(foreign_key="scorecards.id", ondelete="CASCADE", index=True)
    # The criterion's stable id in the rubric document, e.g. "traits.flexibility.out_of_hours".
    criterion_id: str = Field(max_length=200)
    rating: int | None = None
    evidence: str = Field(default="", sa_type=sa.Text)
    evidence_source: EvidenceSource = Field(
        default=EvidenceSource.INTERVIEW, sa_type=enum_type(EvidenceSource)
    )


class ScorecardRevision(OrganisationOwned, table=True):
    """The full state of a scorecard as submitted, one row per submitted version."""

    __tablename__ = "scorecard_revisions"
    __table_args__ = (sa.UniqueConstraint("scorecard_id", "version"),)

    scorecard_id: uuid.UUID = Field(foreign_key="scorecards.id", ondelete="CASCADE", index=True)
    version: int
    snapshot: dict[str, Any] = Field(sa_type=JSONType)
    changed_by_user_id: uuid.UUID | None = Field(
        default=None, foreign_key="users.id", ondelete="SET NULL", index=True
    )
    change_reason: str = Field(default="", sa_type=sa.Text)


class ScoreKind(enum.StrEnum):
    PANEL = "panel"  # from the submitted scorecards
    SCREENING = "screening"  # from the candidate's structured data; kept apart, counts less


class ApplicationScore(OrganisationOwned, table=True):
    """A computed score, stored so that reading one costs one row; recomputed when its inputs
    change (a scorecard submitted or corrected, a profile edited). updated_at: when computed."""

    __tablename__ = "application_scores"
    __table_args__ = (
        sa.UniqueConstraint("application_id", "kind"),
        # Holds every column the ranking policy orders by, so the comparison's ORDER BY reads
        # the index, not the rows with their packed results.
        sa.Index(
            "ix_application_scores_ranking",
            "application_id",
            "kind",
            "role_profile_version_id",
            "outcome",
            "provisional",
            "total",
            "coverage",
        ),
    )

    application_id: uuid.UUID = Field(foreign_key="applications.id", ondelete="CASCADE", index=True)
    kind: ScoreKind = Field(sa_type=enum_type(ScoreKind))
    # The profile version names the rubric versions its criteria come from.
    role_profile_version_id: uuid.UUID = Field(foreign_key="role_profile_versions.id", index=True)
    # SHA-256 of everything the score was computed from: the same inputs, the same hash.
    inputs_sha256: str = Field(max_length=64)
    total: float | None = Field(default=None, index=True)
    coverage: float = 0.0
    provisional: bool = True
    outcome: str = Field(max_length=40, index=True)
    band: str | None = Field(default=None, max_length=20)
    # Criteria whose raters of one stage differ by DISAGREEMENT_SPREAD or more, stored so the
    # comparison sorts by it in SQL (None only for a score stored before the column existed).
    disagreements: int | None = None
    # Per criterion of the profile version, in its order (see app/scoring/service.py):
    # panel rating x100 and contribution x100 as 16-bit numbers, the spread as a byte, then a
    # status byte (assessed; must-have met, not met or not assessed).
    criteria_packed: bytes = Field(sa_type=sa.LargeBinary)
    # The layout of criteria_packed (app/scoring/service.py RESULTS_FORMAT); 2 added a status
    # byte per criterion with the must-have status as the engine decided it.
    packed_format: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    # Section scores and coverage; for screening also the range checks.
    result: dict[str, Any] = Field(sa_type=JSONType)
