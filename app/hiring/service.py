"""Vacancies, candidates, applications, interviewer assignments and people's stage decisions."""

import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, func, select

from app import audit
from app.db import insert_unless_present, locked
from app.errors import Conflict, InvalidInput, NotFound
from app.i18n import N_
from app.models import (
    ApiKey,
    Application,
    ApplicationScore,
    Candidate,
    Decision,
    InterviewerAssignment,
    Locale,
    RoleProfile,
    RoleProfileVersion,
    Scorecard,
    ScorecardStatus,
    ScoreKind,
    Stage,
    StageDecision,
    User,
    UserRole,
    Vacancy,
    VacancyStatus,
    utcnow,
)
from app.ownership import owned
from app.profiles.schema import StagePlan
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
    # An external_id taken by a request at the same moment (after ensure_external_id_free
    # looked) fails on the unique constraint: a 409 from the IntegrityError handler.
    session.flush()
    emit(
        session,
        organisation_id=organisation_id,
        event_type="candidate.created",
        data={"candidate_id": candidate.id, "source": candidate.source},
    )
    return candidate


def _log_created(session: Session, row: Application | InterviewerAssignment) -> None:
    # The audit event the session logs at flush for an added object, for a row inserted
    # past the session (ON CONFLICT), by the session's actor.
    name, object_type, id_attribute = audit.WATCHED[type(row)]
    audit.record(
        session,
        organisation_id=row.organisation_id,
        action=f"{name}.created",
        object_type=object_type,
        object_id=getattr(row, id_attribute),
    )


def create_application(session: Session, *, vacancy: Vacancy, candidate: Candidate) -> Application:
    """Returns the candidate's new application to the vacancy (one per pair: Conflict when
    there is one, also when another request creates it at the same moment)."""
    if candidate.organisation_id != vacancy.organisation_id:
        raise NotFound("no such candidate")
    row = Application(
        organisation_id=vacancy.organisation_id, vacancy_id=vacancy.id, candidate_id=candidate.id
    )
    if not insert_unless_present(session, row, "vacancy_id", "candidate_id"):
        raise Conflict("the candidate has applied to this vacancy already", field="candidate_id")
    _log_created(session, row)
    application = session.get(Application, row.id)
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
    row = InterviewerAssignment(
        organisation_id=application.organisation_id,
        application_id=application.id,
        user_id=interviewer.id,
        stage=stage,
        assigned_by_user_id=assigned_by.id if assigned_by else None,
    )
    # The same assignment twice, even at the same moment, is one row: the second gets it.
    if insert_unless_present(session, row, "application_id", "user_id", "stage"):
        _log_created(session, row)
    return session.exec(
        select(InterviewerAssignment).where(
            InterviewerAssignment.application_id == application.id,
            InterviewerAssignment.user_id == interviewer.id,
            InterviewerAssignment.stage == stage,
        )
    ).one()


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
# Stages on every vacancy's path, around the ones its role profile plans.
PATH_START = (Stage.APPLIED,)
PATH_END = (Stage.OFFER, Stage.HIRED)
# A hire needs a submitted scorecard from one of these (or an override with its reason).
ASSESSED_STAGES = (Stage.INTERVIEW, Stage.WORK_SAMPLE, Stage.FINAL)
# What each decision's target must be, said so that a person can fix the form.
WRONG_TARGET = {
    Decision.ADVANCE: N_("Advance moves forward along the vacancy's stages: pick a later stage."),
    Decision.REOPEN: N_("Reopen moves back to an earlier stage of the vacancy's path."),
    Decision.HOLD: N_("Hold keeps the application at its stage."),
    Decision.REJECT: N_("Reject moves the application to rejected."),
    Decision.WITHDRAW: N_("Withdrawn by the candidate moves the application to withdrawn."),
}


@dataclass(frozen=True)
class AllowedMoves:
    """What a person may decide for an application now: each decision with its targets."""

    stage: Stage
    targets: dict[Decision, tuple[Stage, ...]]
    # Whether a submitted scorecard from interview, work sample or final exists (only looked
    # up when hired is a target).
    assessed: bool = False

    @property
    def hire_needs_override(self) -> bool:
        return Stage.HIRED in self.targets.get(Decision.ADVANCE, ()) and not self.assessed


def stage_path(session: Session, *, vacancy: Vacancy) -> list[Stage]:
    """Returns the vacancy's path: applied, the stages its profile version plans (in the usual
    order), offer and hired."""
    version = session.get(RoleProfileVersion, vacancy.role_profile_version_id)
    planned = {
        Stage(StagePlan.model_validate(plan).stage.value)
        for plan in version.content.get("stages", [])
    }
    on_path = {*PATH_START, *planned, *PATH_END}
    return [stage for stage in Stage if stage in on_path]


def allowed_moves(session: Session, *, application: Application) -> AllowedMoves:
    """Returns the decisions possible from the application's stage and where each may move it.

    Advance goes forward along the path (skipping stages is fine), reopen back to an earlier
    stage, hold stays; reject and withdraw end the process, and a rejected or withdrawn
    application can only be reopened. Hired is final. The page offers exactly these, and
    record_decision refuses anything else.
    """
    current = application.stage
    if current == Stage.HIRED:
        return AllowedMoves(stage=current, targets={})
    path = stage_path(session, vacancy=session.get(Vacancy, application.vacancy_id))
    if current in (Stage.REJECTED, Stage.WITHDRAWN):
        # Back to any stage before the hire: the hire itself needs its own decision.
        return AllowedMoves(stage=current, targets={Decision.REOPEN: tuple(path[:-1])})
    if current not in path:
        # Imported at a stage this profile version does not plan: it still counts as a step.
        path = [stage for stage in Stage if stage in {*path, current}]
    here = path.index(current)
    targets = {
        Decision.ADVANCE: tuple(path[here + 1 :]),
        Decision.HOLD: (current,),
        Decision.REOPEN: tuple(path[:here]),
        Decision.REJECT: (Stage.REJECTED,),
        Decision.WITHDRAW: (Stage.WITHDRAWN,),
    }
    targets = {decision: stages for decision, stages in targets.items() if stages}
    assessed = Stage.HIRED in targets[Decision.ADVANCE] and has_submitted_assessment(
        session, application=application
    )
    return AllowedMoves(stage=current, targets=targets, assessed=assessed)


def has_submitted_assessment(session: Session, *, application: Application) -> bool:
    """Returns whether a scorecard from interview, work sample or final has been submitted."""
    return (
        session.exec(
            select(Scorecard.id)
            .where(
                Scorecard.application_id == application.id,
                Scorecard.status == ScorecardStatus.SUBMITTED,
                Scorecard.stage.in_(ASSESSED_STAGES),
            )
            .limit(1)
        ).first()
        is not None
    )


def record_decision(
    session: Session,
    *,
    application: Application,
    decision: Decision,
    to_stage: Stage,
    reason: str,
    decided_by: User,
    api_key: ApiKey | None = None,
    override: bool = False,
    override_reason: str = "",
    expected_row_version: int | None = None,
) -> StageDecision:
    """Moves the application as a person decided, and records who, when and why.

    Scores inform this; nothing in the system moves a candidate by itself. Only the moves
    of allowed_moves are taken; a hire without a submitted scorecard after screening needs
    an override with its own reason.
    """
    if decided_by.role not in DECIDERS:
        raise Conflict("only recruiters, HR and admins record decisions")
    # The row stays locked until the commit: two decisions at once cannot both start from
    # the stage they read (SQLite has one writer at a time anyway).
    application = locked(session, application)
    if expected_row_version is not None and expected_row_version != application.row_version:
        raise Conflict(
            f"the application changed since you read it (row_version {application.row_version}, "
            f"you sent {expected_row_version}): read it again before deciding",
            field="row_version",
        )
    if not reason.strip():
        raise InvalidInput(N_("Say why: a decision needs a reason."), field="reason")
    moves = allowed_moves(session, application=application)
    if not moves.targets:
        raise Conflict(N_("The candidate is hired: no decision moves them now."), field="stage")
    if decision not in moves.targets:
        raise InvalidInput(
            N_("This decision is not possible at the application's stage."), field="decision"
        )
    if to_stage not in moves.targets[decision]:
        raise InvalidInput(WRONG_TARGET[decision], field="to_stage")
    needs_override = to_stage == Stage.HIRED and moves.hire_needs_override
    if needs_override and not override:
        raise InvalidInput(
            N_(
                "Hiring needs a submitted scorecard from the interview, work sample or final "
                "stage, or an override with its reason."
            ),
            field="override",
        )
    if override and not needs_override:
        raise InvalidInput(
            N_("An override is only for a hire without a submitted scorecard."), field="override"
        )
    if override and not override_reason.strip():
        raise InvalidInput(
            N_("Say why the hire goes ahead without a scorecard."), field="override_reason"
        )
    if override_reason.strip() and not override:
        raise InvalidInput(N_("Tick the override to give its reason."), field="override_reason")
    record = StageDecision(
        organisation_id=application.organisation_id,
        application_id=application.id,
        from_stage=application.stage,
        to_stage=to_stage,
        decision=decision,
        reason=reason.strip(),
        override=override,
        override_reason=override_reason.strip(),
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
                "override": override,
                "decided_by_user_id": decided_by.id,
            },
        )
    session.flush()
    return record


def decision_details(record: StageDecision) -> dict[str, Any]:
    """Returns what the audit trail keeps of a decision: the move and whether it was an
    override. The reasons stay on the decision, where erasure can clear them."""
    return {
        "decision_id": str(record.id),
        "decision": record.decision.value,
        "from_stage": record.from_stage.value,
        "to_stage": record.to_stage.value,
        "override": record.override,
    }


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


def application_count(session: Session, *, vacancy_id: uuid.UUID) -> int:
    return session.exec(
        select(func.count()).select_from(Application).where(Application.vacancy_id == vacancy_id)
    ).one()


@dataclass
class Board:
    """The vacancy's pipeline: per stage how many stand there and one page of their cards."""

    totals: dict[Stage, int]
    cards: dict[Stage, list[Any]]
    pages: dict[Stage, int]  # the page each column shows, from 1


def board(
    session: Session,
    *,
    vacancy: Vacancy,
    per_stage: int,
    stage: Stage | None = None,
    page: int = 1,
) -> Board:
    """Counts per stage and, per stage, `per_stage` cards by name, cut in the database; the
    chosen stage shows its `page`, the others their first."""
    totals = dict.fromkeys(Stage, 0)
    totals.update(
        session.exec(
            select(Application.stage, func.count())
            .where(Application.vacancy_id == vacancy.id)
            .group_by(Application.stage)
        ).all()
    )
    pages = dict.fromkeys(Stage, 1)
    if stage is not None:
        pages[stage] = max(1, min(page, -(-totals[stage] // per_stage)))
    # One short query per stage (the (vacancy_id, stage) index, the stage's rows by name,
    # cut by LIMIT), then the cards' columns for those ids only.
    ids: list[uuid.UUID] = []
    for value in Stage:
        if totals[value]:
            ids += session.exec(
                select(Application.id)
                .join(Candidate, Candidate.id == Application.candidate_id)
                .where(Application.vacancy_id == vacancy.id, Application.stage == value)
                .order_by(Candidate.full_name, Application.id)
                .offset((pages[value] - 1) * per_stage)
                .limit(per_stage)
            ).all()
    position = {application_id: i for i, application_id in enumerate(ids)}
    rows = session.exec(
        select(
            Application.id,
            Application.stage,
            Candidate.full_name,
            ApplicationScore.total,
            ApplicationScore.provisional,
            ApplicationScore.outcome,
        )
        .join(Candidate, Candidate.id == Application.candidate_id)
        .join(
            ApplicationScore,
            (ApplicationScore.application_id == Application.id)
            & (ApplicationScore.kind == ScoreKind.PANEL),
            isouter=True,
        )
        .where(Application.id.in_(ids))
    ).all()
    cards: dict[Stage, list[Any]] = {value: [] for value in Stage}
    for row in sorted(rows, key=lambda row: position[row.id]):
        cards[row.stage].append(row)
    return Board(totals=totals, cards=cards, pages=pages)


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
