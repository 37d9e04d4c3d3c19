"""Vacancies, candidates, applications, interviewer assignments and people's stage decisions."""

import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, func, select

from app.errors import Conflict, InvalidInput, NotFound
from app.models import (
    ApiKey,
    Application,
    Candidate,
    Decision,
    InterviewerAssignment,
    Locale,
    RoleProfile,
    RoleProfileVersion,
    Stage,
    StageDecision,
    User,
    UserRole,
    Vacancy,
    VacancyStatus,
    utcnow,
)
from app.ownership import owned
from app.rubrics.service import StoredProfile
from app.scoring.service import recompute_screening_score
from app.webhooks.service import emit

# The stages after which the process has ended for the candidate.
FINAL_STAGES = {Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN}


def vacancy_by_id(
    session: Session, *, organisation_id: uuid.UUID, vacancy_id: uuid.UUID
) -> Vacancy:
    return owned(session, Vacancy, vacancy_id, organisation_id=organisation_id, name="vacancy")


def application_by_id(
    session: Session, *, organisation_id: uuid.UUID, application_id: uuid.UUID
) -> Application:
    return owned(
        session, Application, application_id, organisation_id=organisation_id, name="application"
    )


def use_latest_profile_version(session: Session, *, vacancy: Vacancy) -> Vacancy:
    """Moves the vacancy to its profile's latest version (its scores need rescoring then)."""
    profile = session.get(RoleProfile, vacancy.role_profile_id)
    latest = session.exec(
        select(RoleProfileVersion).where(
            RoleProfileVersion.role_profile_id == profile.id,
            RoleProfileVersion.version == profile.latest_version,
        )
    ).one()
    vacancy.role_profile_version_id = latest.id
    session.add(vacancy)
    session.flush()
    return vacancy


def open_vacancy(
    session: Session,
    *,
    stored: StoredProfile,
    organisation_id: uuid.UUID,
    title: str,
    owner: User | None,
    locale: Locale = Locale.RU,
    status: VacancyStatus = VacancyStatus.OPEN,
) -> Vacancy:
    """Returns a new vacancy with the profile's latest version, which it keeps."""
    vacancy = Vacancy(
        organisation_id=organisation_id,
        role_profile_id=stored.row.id,
        role_profile_version_id=stored.version.id,
        title=title.strip() or stored.document.title.ru,
        locale=locale,
        status=status,
        owner_user_id=owner.id if owner else None,
    )
    _stamp_status(vacancy)
    session.add(vacancy)
    session.flush()
    return vacancy


def update_vacancy(
    session: Session, *, vacancy: Vacancy, title: str | None, status: VacancyStatus | None
) -> Vacancy:
    if title is not None:
        vacancy.title = title
    if status is not None and status != vacancy.status:
        vacancy.status = status
        _stamp_status(vacancy)
    session.add(vacancy)
    session.flush()
    return vacancy


def _stamp_status(vacancy: Vacancy) -> None:
    # When the vacancy first opened, and when it closed (cleared if it opens again).
    if vacancy.status == VacancyStatus.OPEN:
        vacancy.opened_at = vacancy.opened_at or utcnow()
    vacancy.closed_at = utcnow() if vacancy.status == VacancyStatus.CLOSED else None


def ensure_external_id_free(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    external_id: str | None,
    candidate_id: uuid.UUID | None = None,
) -> None:
    """Raises Conflict when another candidate of the organisation has this ATS id."""
    if not external_id:
        return
    other = session.exec(
        select(Candidate.id).where(
            Candidate.organisation_id == organisation_id,
            Candidate.external_id == external_id,
            Candidate.id != candidate_id if candidate_id else sa.true(),
        )
    ).first()
    if other is not None:
        raise Conflict(
            f"candidate {other} has the external_id {external_id!r} already", field="external_id"
        )


def create_candidate(
    session: Session, *, organisation_id: uuid.UUID, full_name: str, **fields: Any
) -> Candidate:
    candidate = Candidate(organisation_id=organisation_id, full_name=full_name, **fields)
    session.add(candidate)
    session.flush()
    emit(
        session,
        organisation_id=organisation_id,
        event_type="candidate.created",
        data={"candidate_id": candidate.id, "source": candidate.source},
    )
    return candidate


def create_application(session: Session, *, vacancy: Vacancy, candidate: Candidate) -> Application:
    """Returns the candidate's new application to the vacancy (one per pair)."""
    if candidate.organisation_id != vacancy.organisation_id:
        raise NotFound("no such candidate")
    existing = session.exec(
        select(Application).where(
            Application.vacancy_id == vacancy.id, Application.candidate_id == candidate.id
        )
    ).first()
    if existing:
        raise Conflict("the candidate has applied to this vacancy already", field="candidate_id")
    application = Application(
        organisation_id=vacancy.organisation_id, vacancy_id=vacancy.id, candidate_id=candidate.id
    )
    session.add(application)
    session.flush()
    recompute_screening_score(session, application)
    return application


def assign_interviewer(
    session: Session,
    *,
    application: Application,
    interviewer: User,
    stage: Stage,
    assigned_by: User | None = None,
) -> InterviewerAssignment:
    """Returns the assignment of an interviewer to an application at a stage (idempotent)."""
    if interviewer.organisation_id != application.organisation_id:
        raise NotFound("no such user")
    existing = session.exec(
        select(InterviewerAssignment).where(
            InterviewerAssignment.application_id == application.id,
            InterviewerAssignment.user_id == interviewer.id,
            InterviewerAssignment.stage == stage,
        )
    ).first()
    if existing:
        return existing
    assignment = InterviewerAssignment(
        organisation_id=application.organisation_id,
        application_id=application.id,
        user_id=interviewer.id,
        stage=stage,
        assigned_by_user_id=assigned_by.id if assigned_by else None,
    )
    session.add(assignment)
    session.flush()
    return assignment


def is_assigned(
    session: Session, *, application: Application, user: User, stage: Stage | None = None
) -> bool:
    query = select(InterviewerAssignment).where(
        InterviewerAssignment.application_id == application.id,
        InterviewerAssignment.user_id == user.id,
    )
    if stage is not None:
        query = query.where(InterviewerAssignment.stage == stage)
    return session.exec(query).first() is not None


DECIDERS = {UserRole.ADMIN, UserRole.HR, UserRole.RECRUITER}


def record_decision(
    session: Session,
    *,
    application: Application,
    decision: Decision,
    to_stage: Stage,
    reason: str,
    decided_by: User,
    api_key: ApiKey | None = None,
) -> StageDecision:
    """Moves the application as a person decided, and records who, when and why.

    Scores inform this; nothing in the system moves a candidate by itself.
    """
    if decided_by.role not in DECIDERS:
        raise Conflict("only recruiters, HR and admins record decisions")
    if not reason.strip():
        raise InvalidInput("say why: a decision needs a reason", field="reason")
    if application.stage in FINAL_STAGES:
        raise Conflict(f"the application is {application.stage.value} already", field="stage")
    expected = {Decision.REJECT: Stage.REJECTED, Decision.WITHDRAW: Stage.WITHDRAWN}
    if decision in expected and to_stage != expected[decision]:
        raise InvalidInput(
            f"{decision.value} moves to {expected[decision].value}", field="to_stage"
        )
    if decision == Decision.HOLD and to_stage != application.stage:
        raise InvalidInput("hold keeps the application where it is", field="to_stage")
    record = StageDecision(
        organisation_id=application.organisation_id,
        application_id=application.id,
        from_stage=application.stage,
        to_stage=to_stage,
        decision=decision,
        reason=reason.strip(),
        decided_by_user_id=decided_by.id,
        decided_by_api_key_id=api_key.id if api_key else None,
    )
    session.add(record)
    if to_stage != application.stage:
        application.stage = to_stage
        application.stage_changed_at = utcnow()
        session.add(application)
        emit(
            session,
            organisation_id=application.organisation_id,
            event_type="application.stage_changed",
            data={
                "application_id": application.id,
                "vacancy_id": application.vacancy_id,
                "candidate_id": application.candidate_id,
                "from_stage": record.from_stage.value,
                "to_stage": to_stage.value,
                "decision": decision.value,
                "decided_by_user_id": decided_by.id,
            },
        )
    session.flush()
    return record


# --- what people see ---------------------------------------------------------------------------


def applications_visible_to(user: User):  # noqa: ANN201  (a select statement)
    """Returns the query of the applications the user may see: an interviewer only those they
    are assigned to, everyone else all of their organisation's."""
    query = select(Application).where(Application.organisation_id == user.organisation_id)
    if user.role == UserRole.INTERVIEWER:
        assigned = select(InterviewerAssignment.application_id).where(
            InterviewerAssignment.user_id == user.id
        )
        query = query.where(Application.id.in_(assigned))
    return query


def visible_application(session: Session, *, user: User, application_id: uuid.UUID) -> Application:
    application = session.exec(
        applications_visible_to(user).where(Application.id == application_id)
    ).first()
    if application is None:
        raise NotFound("no such application")
    return application


def stage_counts(
    session: Session, *, organisation_id: uuid.UUID
) -> dict[uuid.UUID, dict[Stage, int]]:
    """Returns, per vacancy, how many applications stand at each stage."""
    rows = session.exec(
        select(Application.vacancy_id, Application.stage, func.count())
        .where(Application.organisation_id == organisation_id)
        .group_by(Application.vacancy_id, Application.stage)
    ).all()
    counts: dict[uuid.UUID, dict[Stage, int]] = {}
    for vacancy_id, stage, count in rows:
        counts.setdefault(vacancy_id, {})[stage] = count
    return counts


def update_candidate(session: Session, *, candidate: Candidate, **fields: Any) -> Candidate:
    if candidate.erased_at is not None:
        # An erased candidate stays an anonymous tombstone: no personal data comes back.
        raise Conflict("the candidate's data was erased")
    for name, value in fields.items():
        setattr(candidate, name, value)
    session.add(candidate)
    session.flush()
    for application in session.exec(
        select(Application).where(Application.candidate_id == candidate.id)
    ):
        recompute_screening_score(session, application)
    return candidate


def candidate_by_id(
    session: Session, *, organisation_id: uuid.UUID, candidate_id: uuid.UUID
) -> Candidate:
    return owned(
        session, Candidate, candidate_id, organisation_id=organisation_id, name="candidate"
    )
