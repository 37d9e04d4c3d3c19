"""Candidate data rights: the export of everything held about a candidate, erasure, and the
organisation's retention policy applied by `smm-hire purge`.

Erasure keeps an anonymous tombstone: the candidate row stays (name "—", every personal field
blank, `erased_at` set) with its applications, stage moves, ratings and scores as numbers, so
the fairness report and the comparison still count them; what could identify the person goes
(contact data, profile, notes, evidence and summaries, decision reasons, self-identification,
consent records, generated documents, the address they applied from in the audit log).
"""

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlmodel import Session, delete, func, select, update

from app import audit
from app.api import idempotency
from app.errors import InvalidInput
from app.fairness.categories import PREFER_NOT_TO_SAY, dimensions_of
from app.hiring.service import FINAL_STAGES
from app.i18n import N_
from app.models import (
    Application,
    ApplicationScore,
    AuditEvent,
    Candidate,
    CriterionRating,
    IdempotencyRecord,
    InterviewerAssignment,
    InterviewSheet,
    Organisation,
    Scorecard,
    ScorecardRevision,
    SelfIdentification,
    Stage,
    StageDecision,
    Vacancy,
    utcnow,
)
from app.privacy.retention import MONTHS_RANGE, Basis, Policy, Retention, retention
from app.scoring.service import explain

EXPORT_FORMAT = "smm-hire/candidate-data/1"
ERASED_NAME = "—"
# Shown on the settings page, translated there (the numbers are MONTHS_RANGE's).
MONTHS_OUT_OF_RANGE = N_("Keep the data 1 to 24 months after the process ends.")
TALENT_POOL_TOO_SHORT = N_("The talent pool keeps people at least as long as rejected candidates.")


class ErasureReason(enum.StrEnum):
    """Why a candidate was erased: a code, never free text (the audit log holds no personal
    data, and a reason written by hand could name the person)."""

    CANDIDATE_REQUEST = "candidate_request"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    RETENTION_POLICY = "retention_policy"


def policy_of(organisation: Organisation) -> Policy:
    return Policy(
        rejected_months=organisation.retention_rejected_months,
        talent_pool_months=organisation.retention_talent_pool_months,
    )


def update_policy(
    session: Session, *, organisation: Organisation, rejected_months: int, talent_pool_months: int
) -> Organisation:
    """Stores the organisation's retention months (the talent pool keeps people no shorter)."""
    low, high = MONTHS_RANGE
    for field, months in (
        ("rejected_months", rejected_months),
        ("talent_pool_months", talent_pool_months),
    ):
        if not low <= months <= high:
            raise InvalidInput(MONTHS_OUT_OF_RANGE, field=field)
    if talent_pool_months < rejected_months:
        raise InvalidInput(TALENT_POOL_TOO_SHORT, field="talent_pool_months")
    organisation.retention_rejected_months = rejected_months
    organisation.retention_talent_pool_months = talent_pool_months
    session.add(organisation)
    session.flush()
    return organisation


# --- retention ---------------------------------------------------------------------------------


def _retention_query(organisation_id: uuid.UUID):  # noqa: ANN202  (a select statement)
    """Per candidate of the organisation not erased yet: what retention() needs, in one query."""
    is_open = sa.case((Application.stage.not_in(FINAL_STAGES), 1), else_=0)
    is_hired = sa.case((Application.stage == Stage.HIRED, 1), else_=0)
    return (
        select(
            Candidate.id,
            Candidate.created_at,
            Candidate.talent_pool_consent_at,
            func.count(Application.id),
            func.coalesce(func.sum(is_open), 0),
            func.coalesce(func.sum(is_hired), 0),
            func.max(Application.stage_changed_at),
        )
        .join(Application, Application.candidate_id == Candidate.id, isouter=True)
        .where(Candidate.organisation_id == organisation_id, Candidate.erased_at.is_(None))
        .group_by(Candidate.id, Candidate.created_at, Candidate.talent_pool_consent_at)
    )


def _retention_of_row(policy: Policy, row: Any) -> Retention:
    _, created_at, consent_at, applications, open_count, hired_count, last_change = row
    return retention(
        policy,
        created_at=created_at,
        applications=applications,
        open_applications=open_count,
        hired_applications=hired_count,
        last_stage_change_at=last_change,
        talent_pool_consent=consent_at is not None,
    )


def retention_of(session: Session, *, candidate: Candidate) -> Retention:
    """Returns when the candidate is due for erasure under their organisation's policy."""
    if candidate.erased_at is not None:
        return Retention(Basis.ERASED)
    organisation = session.get(Organisation, candidate.organisation_id)
    row = session.exec(_retention_query(organisation.id).where(Candidate.id == candidate.id)).one()
    return _retention_of_row(policy_of(organisation), row)


@dataclass(frozen=True)
class Due:
    candidate_id: uuid.UUID
    retention: Retention


def due_for_erasure(session: Session, *, organisation: Organisation, now: datetime) -> list[Due]:
    """Returns the organisation's candidates past the retention policy at `now`, oldest first."""
    policy = policy_of(organisation)
    due = [
        Due(row[0], kept)
        for row in session.exec(_retention_query(organisation.id))
        if (kept := _retention_of_row(policy, row)).is_due(now)
    ]
    return sorted(due, key=lambda item: (item.retention.erase_on, str(item.candidate_id)))


# --- export ------------------------------------------------------------------------------------


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _ids(values: Any) -> Any:
    """Makes a row's values JSON-ready: ids and enums as strings, times in ISO 8601."""
    if isinstance(values, dict):
        return {key: _ids(value) for key, value in values.items()}
    if isinstance(values, list | tuple):
        return [_ids(value) for value in values]
    if isinstance(values, uuid.UUID):
        return str(values)
    if isinstance(values, datetime):
        return values.isoformat()
    if isinstance(values, enum.Enum):
        return values.value
    return values


def _row(model: Any, *names: str) -> dict[str, Any]:
    return _ids({name: getattr(model, name) for name in names})


def _self_identification(
    row: SelfIdentification, organisation: Organisation, locale: str
) -> dict[str, Any]:
    """The answers with the question and category labels, so a person can read them."""
    dimensions = {dimension.key: dimension for dimension in dimensions_of(organisation)}
    answers = []
    for key, value in row.answers.items():
        dimension = dimensions.get(key)
        option = dimension.option(value) if dimension else None
        answers.append(
            {
                "question": key,
                "question_label": dimension.label(locale) if dimension else key,
                "answer": value,
                "answer_label": option.label(locale)
                if option
                else ("prefer not to say" if value == PREFER_NOT_TO_SAY else value),
            }
        )
    return {
        **_row(row, "id", "application_id", "created_at", "updated_at"),
        "about": "voluntary self-identification: stored apart from the application, used only "
        "in the fairness report in aggregate, never shown to interviewers or used in scoring",
        "answers": answers,
    }


def export_candidate(session: Session, *, candidate: Candidate, locale: str = "ru") -> dict:
    """Returns everything held about the candidate, JSON-ready: a key per table their data sits
    in (tests/privacy/test_export.py checks that none is missed), ids for the audit events."""
    organisation = session.get(Organisation, candidate.organisation_id)
    applications = session.exec(
        select(Application, Vacancy)
        .join(Vacancy, Vacancy.id == Application.vacancy_id)
        .where(Application.candidate_id == candidate.id)
        .order_by(Application.created_at)
    ).all()
    application_ids = [application.id for application, _ in applications]

    def of_applications(model: Any) -> list:
        return list(
            session.exec(
                select(model)
                .where(model.application_id.in_(application_ids))
                .order_by(model.created_at)
            )
        )

    scorecards = of_applications(Scorecard)
    scorecard_ids = [scorecard.id for scorecard in scorecards]
    ratings = session.exec(
        select(CriterionRating)
        .where(CriterionRating.scorecard_id.in_(scorecard_ids))
        .order_by(CriterionRating.scorecard_id, CriterionRating.criterion_id)
    ).all()
    revisions = session.exec(
        select(ScorecardRevision)
        .where(ScorecardRevision.scorecard_id.in_(scorecard_ids))
        .order_by(ScorecardRevision.scorecard_id, ScorecardRevision.version)
    ).all()
    events = session.exec(
        select(AuditEvent)
        .where(
            AuditEvent.organisation_id == organisation.id,
            AuditEvent.object_id.in_(
                [str(i) for i in (candidate.id, *application_ids, *scorecard_ids)]
            ),
        )
        .order_by(AuditEvent.occurred_at)
    ).all()
    kept = retention_of(session, candidate=candidate)
    return {
        "format": EXPORT_FORMAT,
        "exported_at": utcnow().isoformat(),
        "organisation": _row(organisation, "id", "name"),
        "candidates": _row(
            candidate,
            "id",
            "full_name",
            "email",
            "phone",
            "location",
            "source",
            "external_id",
            "profile",
            "notes",
            "created_at",
            "updated_at",
            "erased_at",
        ),
        "consents": [
            {"purpose": purpose, "text": text, "given_at": _time(given_at)}
            for purpose, text, given_at in (
                ("application", candidate.consent_text, candidate.consent_given_at),
                (
                    "talent_pool",
                    candidate.talent_pool_consent_text,
                    candidate.talent_pool_consent_at,
                ),
            )
            if text or given_at
        ],
        "retention": {
            "basis": kept.basis.value,
            "process_ended_at": _time(kept.process_ended_at),
            "erase_on": _time(kept.erase_on),
        },
        "applications": [
            {
                **_row(application, "id", "vacancy_id", "stage", "stage_changed_at", "created_at"),
                "vacancy_title": vacancy.title,
            }
            for application, vacancy in applications
        ],
        "stage_decisions": [
            _row(
                d,
                "id",
                "application_id",
                "from_stage",
                "to_stage",
                "decision",
                "reason",
                "override",
                "override_reason",
            )
            | {"decided_at": _time(d.decided_at)}
            for d in of_applications(StageDecision)
        ],
        "interviewer_assignments": [
            _row(a, "id", "application_id", "stage", "user_id", "created_at")
            for a in of_applications(InterviewerAssignment)
        ],
        "scorecards": [
            _row(
                s,
                "id",
                "application_id",
                "stage",
                "status",
                "version",
                "interviewer_user_id",
                "recommendation",
                "summary",
                "submitted_at",
            )
            for s in scorecards
        ],
        "criterion_ratings": [
            _row(r, "id", "scorecard_id", "criterion_id", "rating", "evidence", "evidence_source")
            for r in ratings
        ],
        "scorecard_revisions": [
            _row(r, "id", "scorecard_id", "version", "snapshot", "change_reason", "created_at")
            for r in revisions
        ],
        "application_scores": [
            {
                **_row(score, "id", "application_id", "kind", "updated_at"),
                "explanation": _ids(explain(session, score, locale)),
            }
            for score in of_applications(ApplicationScore)
        ],
        "self_identifications": [
            _self_identification(row, organisation, locale)
            for row in of_applications(SelfIdentification)
        ],
        "interview_sheets": [
            _row(sheet, "id", "application_id", "stage", "version", "content", "created_at")
            for sheet in of_applications(InterviewSheet)
        ],
        # What was done with their data, as ids: the log itself holds no personal data.
        "audit_events": [
            _row(event, "id", "occurred_at", "action", "object_type", "object_id")
            for event in events
        ],
    }


# --- erasure -----------------------------------------------------------------------------------


def _scrubbed(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A scorecard revision without its free text: the recommendation and ratings stay."""
    return {
        **snapshot,
        "summary": "",
        "ratings": [{**rating, "evidence": ""} for rating in snapshot.get("ratings", [])],
    }


def erase_candidate(
    session: Session,
    *,
    candidate: Candidate,
    reason: ErasureReason,
    actor_user_id: uuid.UUID | None = None,
    actor_api_key_id: uuid.UUID | None = None,
    on_behalf_of_user_id: uuid.UUID | None = None,
    ip_address: str = "",
) -> AuditEvent:
    """Erases the candidate's personal data in every table, keeps the anonymous numbers, and
    returns the audit event recording who erased them, when and why."""
    organisation_id = candidate.organisation_id
    application_ids = list(
        session.exec(select(Application.id).where(Application.candidate_id == candidate.id))
    )
    scorecard_ids = list(
        session.exec(select(Scorecard.id).where(Scorecard.application_id.in_(application_ids)))
    )
    candidate.full_name = ERASED_NAME
    candidate.email = candidate.phone = candidate.location = candidate.notes = ""
    candidate.external_id = None
    candidate.profile = {}
    candidate.consent_text = candidate.talent_pool_consent_text = ""
    candidate.consent_given_at = candidate.talent_pool_consent_at = None
    candidate.erased_at = utcnow()
    session.add(candidate)
    session.execute(
        update(StageDecision)
        .where(StageDecision.application_id.in_(application_ids))
        .values(reason="", override_reason="")
    )
    session.execute(update(Scorecard).where(Scorecard.id.in_(scorecard_ids)).values(summary=""))
    session.execute(
        update(CriterionRating)
        .where(CriterionRating.scorecard_id.in_(scorecard_ids))
        .values(evidence="")
    )
    for revision in session.exec(
        select(ScorecardRevision).where(ScorecardRevision.scorecard_id.in_(scorecard_ids))
    ):
        revision.snapshot = _scrubbed(revision.snapshot)
        if revision.change_reason != "submitted":  # a correction's reason is free text
            revision.change_reason = ""
        session.add(revision)
    for model in (SelfIdentification, InterviewSheet):
        session.execute(delete(model).where(model.application_id.in_(application_ids)))
    _forget_api_responses(session, organisation_id=organisation_id, candidate_id=candidate.id)
    # What the candidate did themselves (the careers form) carries the address they used.
    session.execute(
        update(AuditEvent)
        .where(
            AuditEvent.organisation_id == organisation_id,
            AuditEvent.object_id.in_([str(i) for i in (candidate.id, *application_ids)]),
            AuditEvent.actor_user_id.is_(None),
            AuditEvent.actor_api_key_id.is_(None),
        )
        .values(ip_address="")
    )
    session.flush()
    return audit.record(
        session,
        organisation_id=organisation_id,
        action="candidate.erased",
        object_type="candidate",
        object_id=candidate.id,
        actor_user_id=actor_user_id,
        actor_api_key_id=actor_api_key_id,
        on_behalf_of_user_id=on_behalf_of_user_id,
        ip_address=ip_address,
        details={"reason": reason.value, "applications": len(application_ids)},
    )


def purge(session: Session, *, organisation: Organisation, due: list[Due]) -> int:
    """Erases the candidates found due (see due_for_erasure) and the stored API answers past
    their day, which hold what was sent (names included); returns how many were erased."""
    session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.organisation_id == organisation.id,
            IdempotencyRecord.started_at < utcnow() - idempotency.KEPT_FOR,
        )
    )
    for item in due:
        erase_candidate(
            session,
            candidate=session.get(Candidate, item.candidate_id),
            reason=ErasureReason.RETENTION_POLICY,
        )
    return len(due)


def _forget_api_responses(
    session: Session, *, organisation_id: uuid.UUID, candidate_id: uuid.UUID
) -> None:
    """Drops the stored API answers (kept a day for Idempotency-Key retries) that show the
    candidate: an answer naming them holds their data as it was."""
    # Matched in the database, byte for byte: no body is read here.
    session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.organisation_id == organisation_id,
            _BytesContain(IdempotencyRecord.response_body, str(candidate_id).encode()),
        )
    )


class _BytesContain(sa.sql.expression.ColumnElement):
    """Whether a binary column holds the bytes: instr() on SQLite, position() on PostgreSQL
    (LIKE compares blobs as text on SQLite and misses)."""

    type = sa.Boolean()
    inherit_cache = True

    def __init__(self, column: Any, needle: bytes) -> None:
        self.column = column
        self.needle = sa.bindparam("needle", needle, type_=sa.LargeBinary, unique=True)


@compiles(_BytesContain)
def _bytes_contain(element: _BytesContain, compiler: Any, **kw: Any) -> str:
    column, needle = compiler.process(element.column, **kw), compiler.process(element.needle, **kw)
    return f"(instr({column}, {needle}) > 0)"


@compiles(_BytesContain, "postgresql")
def _bytes_contain_pg(element: _BytesContain, compiler: Any, **kw: Any) -> str:
    column, needle = compiler.process(element.column, **kw), compiler.process(element.needle, **kw)
    return f"(position({needle} in {column}) > 0)"
