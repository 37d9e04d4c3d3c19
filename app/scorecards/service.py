"""Scorecards: an assigned interviewer's draft, autosaved ratings, submission, corrections as
new versions, and who may see whose scorecard."""

import uuid
from dataclasses import dataclass

from sqlmodel import Session, select

from app.db import locked
from app.errors import Conflict, InvalidInput
from app.hiring.service import is_assigned
from app.models import (
    Application,
    CriterionRating,
    EvidenceSource,
    Recommendation,
    Scorecard,
    ScorecardRevision,
    ScorecardStatus,
    Stage,
    User,
    UserRole,
    Vacancy,
    utcnow,
)
from app.ownership import owned
from app.scoring.service import pack_ratings, profile_context, recompute_panel_score
from app.webhooks.service import emit

# Who sees every scorecard of an application, whether or not they rated it themselves.
SEES_ALL = {UserRole.ADMIN, UserRole.HR, UserRole.RECRUITER}


@dataclass(frozen=True)
class RatingChange:
    """One criterion's rating on a scorecard; rating None means "not assessed"."""

    criterion_id: str
    rating: int | None
    evidence: str = ""
    evidence_source: EvidenceSource = EvidenceSource.INTERVIEW


def scorecard_by_id(
    session: Session, *, organisation_id: uuid.UUID, scorecard_id: uuid.UUID
) -> Scorecard:
    return owned(
        session, Scorecard, scorecard_id, organisation_id=organisation_id, name="scorecard"
    )


def start_scorecard(
    session: Session, *, application: Application, interviewer: User, stage: Stage
) -> Scorecard:
    """Returns the interviewer's scorecard for the stage, starting a draft when there is none."""
    if not is_assigned(session, application=application, user=interviewer, stage=stage):
        raise Conflict(
            f"{interviewer.email} is not assigned to this application at the {stage.value} stage: "
            "ask the recruiter to assign them",
        )
    existing = session.exec(
        select(Scorecard).where(
            Scorecard.application_id == application.id,
            Scorecard.interviewer_user_id == interviewer.id,
            Scorecard.stage == stage,
        )
    ).first()
    if existing:
        return existing
    vacancy = session.get(Vacancy, application.vacancy_id)
    context = profile_context(session, vacancy.role_profile_version_id)
    scorecard = Scorecard(
        organisation_id=application.organisation_id,
        application_id=application.id,
        interviewer_user_id=interviewer.id,
        stage=stage,
        rubric_version_ids=context.rubric_version_ids,
        role_profile_version_id=context.profile_version_id,
    )
    session.add(scorecard)
    session.flush()
    return scorecard


def ratings_of(session: Session, scorecard: Scorecard) -> list[CriterionRating]:
    return list(
        session.exec(
            select(CriterionRating)
            .where(CriterionRating.scorecard_id == scorecard.id)
            .order_by(CriterionRating.criterion_id)
        )
    )


def _check(session: Session, scorecard: Scorecard, changes: list[RatingChange]) -> None:
    """Refuses, naming the field, an unknown criterion, one not in the profile, a bad level."""
    context = profile_context(session, scorecard.role_profile_version_id)
    levels_of = {spec.id: (spec.min_level, spec.max_level) for spec in context.panel_model.criteria}
    for index, change in enumerate(changes):
        field = f"ratings.{index}"
        if change.criterion_id not in context.criteria:
            raise InvalidInput(
                f"no criterion {change.criterion_id!r} in the rubrics of this vacancy's profile",
                field=f"{field}.criterion_id",
            )
        if change.criterion_id not in levels_of:
            raise InvalidInput(
                f"{change.criterion_id!r} is not in this vacancy's profile",
                field=f"{field}.criterion_id",
            )
        low, high = levels_of[change.criterion_id]
        if change.rating is not None and not low <= change.rating <= high:
            raise InvalidInput(
                f"{change.rating} is outside the scale {low}-{high} (or send null: not assessed)",
                field=f"{field}.rating",
            )


def _apply(session: Session, scorecard: Scorecard, changes: list[RatingChange]) -> None:
    existing = {rating.criterion_id: rating for rating in ratings_of(session, scorecard)}
    for change in changes:
        rating = existing.get(change.criterion_id) or CriterionRating(
            organisation_id=scorecard.organisation_id,
            scorecard_id=scorecard.id,
            criterion_id=change.criterion_id,
        )
        rating.rating = change.rating
        rating.evidence = change.evidence
        rating.evidence_source = change.evidence_source
        session.add(rating)
    session.flush()


def _owned_by(scorecard: Scorecard, user: User) -> None:
    if scorecard.interviewer_user_id != user.id:
        raise Conflict("only the interviewer who owns a scorecard may change it")


class StaleScorecard(Conflict):
    """The scorecard changed since the caller read it (another tab, device or request)."""


def _lock(session: Session, scorecard: Scorecard, expected_row_version: int | None) -> Scorecard:
    """Locks the scorecard's row until the commit and reloads it, so a save and a submit
    never interleave: whichever comes second sees what the first wrote (a submitted card
    refuses the autosave; a submit snapshots the ratings the autosave committed). SQLite
    ignores FOR UPDATE: its write transaction holds the database's one write lock already.
    The caller's object is refreshed in place (populate_existing)."""
    scorecard = locked(session, scorecard)
    if expected_row_version is not None and expected_row_version != scorecard.row_version:
        raise StaleScorecard(
            f"the scorecard was saved elsewhere since you read it (row_version "
            f"{scorecard.row_version}, you sent {expected_row_version}): read it again",
            field="row_version",
        )
    return scorecard


def _touch(scorecard: Scorecard) -> None:
    # An UPDATE of the scorecard row even when only its ratings changed: that bumps (and
    # checks) row_version, which is what tells a stale tab it is stale.
    scorecard.updated_at = utcnow()


def save_draft(
    session: Session,
    *,
    scorecard: Scorecard,
    user: User,
    changes: list[RatingChange],
    recommendation: Recommendation | None = None,
    summary: str | None = None,
    expected_row_version: int | None = None,
) -> Scorecard:
    """Saves ratings and evidence on a draft (what autosave sends); checks before writing.
    With expected_row_version, a scorecard saved elsewhere since is refused (StaleScorecard)."""
    _owned_by(scorecard, user)
    scorecard = _lock(session, scorecard, expected_row_version)
    if scorecard.status == ScorecardStatus.SUBMITTED:
        raise Conflict("the scorecard is submitted: send a correction with a reason instead")
    _check(session, scorecard, changes)
    _apply(session, scorecard, changes)
    if recommendation is not None:
        scorecard.recommendation = recommendation
    if summary is not None:
        scorecard.summary = summary
    _touch(scorecard)
    session.add(scorecard)
    session.flush()
    return scorecard


def _snapshot(session: Session, scorecard: Scorecard, user: User, reason: str) -> None:
    ratings = ratings_of(session, scorecard)
    context = profile_context(session, scorecard.role_profile_version_id)
    scorecard.ratings_packed = pack_ratings(context.panel_model, ratings)
    session.add(
        ScorecardRevision(
            organisation_id=scorecard.organisation_id,
            scorecard_id=scorecard.id,
            version=scorecard.version,
            snapshot={
                "recommendation": scorecard.recommendation.value
                if scorecard.recommendation
                else None,
                "summary": scorecard.summary,
                "ratings": [
                    {
                        "criterion_id": r.criterion_id,
                        "rating": r.rating,
                        "evidence": r.evidence,
                        "evidence_source": r.evidence_source.value,
                    }
                    for r in ratings
                ],
            },
            changed_by_user_id=user.id,
            change_reason=reason,
        )
    )
    session.add(scorecard)
    session.flush()


def submit(
    session: Session, *, scorecard: Scorecard, user: User, expected_row_version: int | None = None
) -> Scorecard:
    """Submits the draft: it becomes immutable and the application's score is recomputed."""
    _owned_by(scorecard, user)
    scorecard = _lock(session, scorecard, expected_row_version)
    if scorecard.status == ScorecardStatus.SUBMITTED:
        raise Conflict("the scorecard is submitted already")
    scorecard.status = ScorecardStatus.SUBMITTED
    scorecard.submitted_at = utcnow()
    _snapshot(session, scorecard, user, reason="submitted")
    emit(
        session,
        organisation_id=scorecard.organisation_id,
        event_type="scorecard.submitted",
        data={
            "scorecard_id": scorecard.id,
            "application_id": scorecard.application_id,
            "stage": scorecard.stage.value,
            "interviewer_user_id": scorecard.interviewer_user_id,
            "recommendation": scorecard.recommendation.value if scorecard.recommendation else None,
        },
    )
    recompute_panel_score(session, session.get(Application, scorecard.application_id))
    return scorecard


def correct(
    session: Session,
    *,
    scorecard: Scorecard,
    user: User,
    changes: list[RatingChange],
    reason: str,
    expected_row_version: int | None = None,
) -> Scorecard:
    """Corrects a submitted scorecard as a new version that keeps the reason; rescored."""
    _owned_by(scorecard, user)
    scorecard = _lock(session, scorecard, expected_row_version)
    if scorecard.status != ScorecardStatus.SUBMITTED:
        raise Conflict("the scorecard is a draft: save it instead of correcting it")
    if not reason.strip():
        raise InvalidInput("say why the submitted scorecard is corrected", field="reason")
    _check(session, scorecard, changes)
    _apply(session, scorecard, changes)
    scorecard.version += 1
    _snapshot(session, scorecard, user, reason=reason.strip())
    recompute_panel_score(session, session.get(Application, scorecard.application_id))
    return scorecard


def may_see(session: Session, *, scorecard: Scorecard, viewer: User | None) -> bool:
    """An interviewer sees colleagues' scorecards of an application only after submitting
    their own; recruiters, HR and admins (and the ATS acting for nobody) see them all."""
    if viewer is None or viewer.role in SEES_ALL or scorecard.interviewer_user_id == viewer.id:
        return True
    if scorecard.status != ScorecardStatus.SUBMITTED:
        return False
    own_submitted = session.exec(
        select(Scorecard).where(
            Scorecard.application_id == scorecard.application_id,
            Scorecard.interviewer_user_id == viewer.id,
            Scorecard.status == ScorecardStatus.SUBMITTED,
        )
    ).first()
    return own_submitted is not None


def visible_scorecards(
    session: Session, *, application: Application, viewer: User | None
) -> list[Scorecard]:
    cards = session.exec(
        select(Scorecard)
        .where(Scorecard.application_id == application.id)
        .order_by(Scorecard.created_at)
    ).all()
    return [card for card in cards if may_see(session, scorecard=card, viewer=viewer)]
