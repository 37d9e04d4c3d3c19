"""All table models, imported here so SQLModel.metadata (and Alembic) sees every table."""

from app.models.api import IdempotencyRecord, ImportJob, ImportJobBatch, ImportStatus
from app.models.assessment import (
    ApplicationScore,
    CriterionRating,
    EvidenceSource,
    Recommendation,
    Scorecard,
    ScorecardRevision,
    ScorecardStatus,
    ScoreKind,
)
from app.models.audit import AuditEvent
from app.models.base import new_id, utcnow
from app.models.documents import (
    DocumentTemplate,
    InterviewSheet,
    JobPosting,
    JobPostingVersion,
    PostingState,
)
from app.models.fairness import SelfIdentification
from app.models.hiring import (
    Application,
    Candidate,
    Decision,
    InterviewerAssignment,
    Stage,
    StageDecision,
    Vacancy,
    VacancyStatus,
)
from app.models.organisation import (
    ApiKey,
    Locale,
    LoginFailure,
    Organisation,
    User,
    UserRole,
    UserSession,
)
from app.models.rubric import RoleProfile, RoleProfileVersion, Rubric, RubricVersion
from app.models.webhooks import DeliveryStatus, WebhookDelivery, WebhookSubscription

__all__ = [
    "ApiKey",
    "ApplicationScore",
    "DocumentTemplate",
    "IdempotencyRecord",
    "ImportJob",
    "ImportJobBatch",
    "ImportStatus",
    "Application",
    "AuditEvent",
    "Candidate",
    "CriterionRating",
    "Decision",
    "DeliveryStatus",
    "EvidenceSource",
    "InterviewSheet",
    "InterviewerAssignment",
    "JobPosting",
    "JobPostingVersion",
    "Locale",
    "LoginFailure",
    "Organisation",
    "PostingState",
    "Recommendation",
    "RoleProfile",
    "RoleProfileVersion",
    "Rubric",
    "RubricVersion",
    "Scorecard",
    "ScorecardRevision",
    "ScorecardStatus",
    "ScoreKind",
    "SelfIdentification",
    "Stage",
    "StageDecision",
    "User",
    "UserRole",
    "UserSession",
    "Vacancy",
    "VacancyStatus",
    "WebhookDelivery",
    "WebhookSubscription",
    "new_id",
    "utcnow",
]
