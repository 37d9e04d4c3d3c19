"""Scores in the database: the panel and screening scores of an application, recomputed on
submit, and the bulk rescoring of a whole vacancy from packed ratings."""

import hashlib
import json
import math
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import delete, insert
from sqlmodel import Session, select

from app.models import (
    Application,
    ApplicationScore,
    Candidate,
    CriterionRating,
    RoleProfileVersion,
    RubricVersion,
    Scorecard,
    ScorecardStatus,
    ScoreKind,
    Vacancy,
    new_id,
    utcnow,
)
from app.profiles.schema import RoleProfile as ProfileDocument
from app.rubrics.schema import Category, Criterion, EvidenceKind
from app.rubrics.schema import Rubric as RubricDocument
from app.scoring.agreement import criterion_agreement, leniency
from app.scoring.engine import (
    BatchResult,
    MustHaveStatus,
    Rating,
    ScorecardInput,
    ScoringModel,
    band_of,
    outcome_of,
    score_batch,
    scoring_model,
)
from app.scoring.screening import ScreeningData, score_screening

# Evidence sources as bytes in packed ratings; 0 means "not assessed".
EVIDENCE_CODES = {kind: code for code, kind in enumerate(EvidenceKind, start=1)}
EVIDENCE_BY_CODE = {code: kind for kind, code in EVIDENCE_CODES.items()}


@dataclass(frozen=True)
class ProfileContext:
    """A profile version with the rubric versions behind it, ready to score with."""

    profile_version_id: uuid.UUID
    profile: ProfileDocument
    criteria: dict[str, tuple[RubricDocument, Criterion]]
    rubric_version_ids: list[str]
    panel_model: ScoringModel
    screening_model: ScoringModel

    def stage_criteria(self, stage: str) -> list[str]:
        return [cid for plan in self.profile.stages if plan.stage == stage for cid in plan.criteria]


# Versions never change, so what was read for one stays true for the life of the process.
_contexts: dict[uuid.UUID, ProfileContext] = {}


def profile_context(session: Session, profile_version_id: uuid.UUID) -> ProfileContext:
    """Returns the scoring context of a profile version (read once per process)."""
    if profile_version_id not in _contexts:
        version = session.get(RoleProfileVersion, profile_version_id)
        profile = ProfileDocument.model_validate(version.content)
        criteria: dict[str, tuple[RubricDocument, Criterion]] = {}
        for rubric_version_id in version.rubric_version_ids:
            rubric_version = session.get(RubricVersion, uuid.UUID(rubric_version_id))
            rubric = RubricDocument.model_validate(rubric_version.content)
            criteria.update({criterion.id: (rubric, criterion) for criterion in rubric.criteria()})
        _contexts[profile_version_id] = ProfileContext(
            profile_version_id=profile_version_id,
            profile=profile,
            criteria=criteria,
            rubric_version_ids=list(version.rubric_version_ids),
            panel_model=scoring_model(profile, criteria),
            screening_model=scoring_model(profile, criteria, only_categories={Category.EXPERIENCE}),
        )
    return _contexts[profile_version_id]


# --- packed ratings ----------------------------------------------------------------------------


def pack_ratings(model: ScoringModel, ratings: Iterable[CriterionRating]) -> bytes:
    """Returns the ratings as bytes in the model's criterion order: levels, then sources."""
    index = {criterion_id: i for i, criterion_id in enumerate(model.criterion_ids)}
    levels = bytearray(len(index))
    sources = bytearray(len(index))
    for rating in ratings:
        if rating.criterion_id in index and rating.rating is not None:
            levels[index[rating.criterion_id]] = rating.rating
            sources[index[rating.criterion_id]] = EVIDENCE_CODES[rating.evidence_source]
    return bytes(levels + sources)


def unpack_ratings(
    packed: list[bytes], size: int, evidence_weights: dict
) -> tuple[np.ndarray, np.ndarray]:
    """Returns ratings (NaN: not assessed) and evidence weights, one row per packed scorecard."""
    raw = np.frombuffer(b"".join(packed), dtype=np.uint8).reshape(len(packed), 2, size)
    levels = raw[:, 0, :].astype(float)
    levels[levels == 0] = np.nan
    weight_of_code = np.zeros(len(EVIDENCE_CODES) + 1)
    for code, kind in EVIDENCE_BY_CODE.items():
        weight_of_code[code] = evidence_weights[kind]
    return levels, weight_of_code[raw[:, 1, :]]


# --- storing results ---------------------------------------------------------------------------


def _clean(value: float) -> float | None:
    return None if math.isnan(value) else round(float(value), 4)


def result_payload(batch: BatchResult, row: int) -> dict[str, Any]:
    """Returns one application's result in the stored (compact, column-wise) form."""
    return {
        "panel": [_clean(v) for v in batch.panel[row]],
        "spread": [_clean(v) for v in batch.spread[row]],
        "contribution": [round(float(v), 2) for v in batch.contribution[row]],
        "sections": {
            category.value: [
                _clean(batch.section_scores[row, i]),
                _clean(batch.section_coverage[row, i]),
            ]
            for i, category in enumerate(Category)
            if batch.section_coverage[row, i] > 0 or not math.isnan(batch.section_scores[row, i])
        },
    }


def _score_values(model: ScoringModel, batch: BatchResult, row: int) -> dict[str, Any]:
    total = None if math.isnan(batch.total[row]) else float(batch.total[row])
    coverage = float(batch.coverage[row])
    return {
        "total": total,
        "coverage": round(coverage, 6),
        "provisional": coverage < model.coverage_threshold,
        "outcome": outcome_of(bool(batch.must_failed[row]), bool(batch.must_missing[row])).value,
        "band": band_of(total),
    }


def inputs_sha256(context: ProfileContext, kind: ScoreKind, inputs: list[Any]) -> str:
    """Returns the hash of everything a score is computed from."""
    canonical = json.dumps(
        {
            "profile_version": str(context.profile_version_id),
            "rubric_versions": sorted(context.rubric_version_ids),
            "kind": kind.value,
            "inputs": inputs,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _store(
    session: Session,
    application: Application,
    kind: ScoreKind,
    context: ProfileContext,
    model: ScoringModel,
    batch: BatchResult,
    digest: str,
) -> ApplicationScore:
    score = session.exec(
        select(ApplicationScore).where(
            ApplicationScore.application_id == application.id, ApplicationScore.kind == kind
        )
    ).first() or ApplicationScore(
        organisation_id=application.organisation_id,
        application_id=application.id,
        kind=kind,
        role_profile_version_id=context.profile_version_id,
        inputs_sha256="",
        outcome="",
        result={},
        computed_at=utcnow(),
    )
    for name, value in _score_values(model, batch, 0).items():
        setattr(score, name, value)
    score.role_profile_version_id = context.profile_version_id
    score.rubric_version_ids = context.rubric_version_ids
    score.inputs_sha256 = digest
    score.result = result_payload(batch, 0)
    score.computed_at = utcnow()
    session.add(score)
    session.flush()
    return score


# --- one application ---------------------------------------------------------------------------


def _vacancy_context(session: Session, application: Application) -> ProfileContext:
    vacancy = session.get(Vacancy, application.vacancy_id)
    return profile_context(session, vacancy.role_profile_version_id)


def _one(model: ScoringModel, inputs: list[ScorecardInput]) -> BatchResult:
    index = {criterion_id: i for i, criterion_id in enumerate(model.criterion_ids)}
    ratings = np.full((1, max(len(inputs), 1), len(index)), np.nan)
    evidence = np.zeros_like(ratings)
    for rater, card in enumerate(inputs):
        for rating in card.ratings:
            if rating.value is not None:
                ratings[0, rater, index[rating.criterion_id]] = rating.value
                evidence[0, rater, index[rating.criterion_id]] = model.evidence_weights[
                    rating.source
                ]
    return score_batch(model, ratings, evidence)


def recompute_panel_score(session: Session, application: Application) -> ApplicationScore:
    """Scores the application from its submitted scorecards and stores the result (the same
    computation as rescoring the whole vacancy, for one application)."""
    vacancy = session.get(Vacancy, application.vacancy_id)
    score_applications(session, vacancy, application_ids=[application.id])
    return session.exec(
        select(ApplicationScore).where(
            ApplicationScore.application_id == application.id,
            ApplicationScore.kind == ScoreKind.PANEL,
        )
    ).one()


def recompute_screening_score(session: Session, application: Application) -> ApplicationScore:
    """Scores the candidate's structured data against the experience criteria (screening)."""
    context = _vacancy_context(session, application)
    candidate = session.get(Candidate, application.candidate_id)
    data = ScreeningData.model_validate(candidate.profile or {})
    screening = score_screening(context.screening_model, context.profile, data)
    model = context.screening_model
    inputs = [
        ScorecardInput(
            "screening",
            tuple(
                Rating(
                    c.criterion_id,
                    round(c.panel_rating) if c.panel_rating else None,
                    EvidenceKind.SCREENING,
                )
                for c in screening.score.criteria
            ),
        )
    ]
    digest = inputs_sha256(context, ScoreKind.SCREENING, [data.model_dump(mode="json")])
    score = _store(
        session, application, ScoreKind.SCREENING, context, model, _one(model, inputs), digest
    )
    score.result = {
        **score.result,
        "years_in_range": screening.years_in_range,
        "missing_platforms": [platform.value for platform in screening.missing_platforms],
    }
    session.add(score)
    session.flush()
    return score


def explain(session: Session, score: ApplicationScore, locale: str = "ru") -> dict[str, Any]:
    """Returns the stored score with its explanation: every criterion's rating, weight and
    contribution (the contributions add up to the total)."""
    context = profile_context(session, score.role_profile_version_id)
    model = context.screening_model if score.kind == ScoreKind.SCREENING else context.panel_model
    weights = model.global_weights()
    result = score.result
    criteria = []
    for i, spec in enumerate(model.criteria):
        panel = result["panel"][i]
        must = None
        if spec.must_have_min is not None:
            must = (
                MustHaveStatus.NOT_ASSESSED
                if panel is None
                else MustHaveStatus.MET
                if panel >= spec.must_have_min
                else MustHaveStatus.NOT_MET
            ).value
        spread = result["spread"][i]
        criteria.append(
            {
                "criterion_id": spec.id,
                "title": context.criteria[spec.id][1].title.in_(locale),
                "section": spec.category.value,
                "weight": round(float(weights[i]), 6),
                "rating": panel,
                "spread": spread,
                "disagreement": spread is not None and spread >= 2,
                "contribution": result["contribution"][i],
                "must_have": must,
            }
        )
    return {
        "kind": score.kind.value,
        "total": score.total,
        "coverage": score.coverage,
        "provisional": score.provisional,
        "outcome": score.outcome,
        "band": score.band,
        "sections": {
            name: {"score": values[0], "coverage": values[1]}
            for name, values in result["sections"].items()
        },
        "criteria": criteria,
        "role_profile_version_id": str(score.role_profile_version_id),
        "rubric_version_ids": score.rubric_version_ids,
        "inputs_sha256": score.inputs_sha256,
        "computed_at": score.computed_at.isoformat(),
        **{key: result[key] for key in ("years_in_range", "missing_platforms") if key in result},
    }


# --- a whole vacancy at once -------------------------------------------------------------------


@dataclass(frozen=True)
class RescoreReport:
    applications: int
    scorecards: int
    ratings: int
    seconds: float


def score_applications(
    session: Session,
    vacancy: Vacancy,
    *,
    application_ids: list[uuid.UUID] | None = None,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = 20_000,
) -> RescoreReport:
    """Recomputes the panel scores of the vacancy's applications (all, or those given) from
    their submitted scorecards' packed ratings, on arrays, and replaces the stored scores;
    progress(done, total) after each chunk."""
    started = time.perf_counter()
    context = profile_context(session, vacancy.role_profile_version_id)
    model = context.panel_model
    size = len(model.criterion_ids)
    chosen = select(Application.id).where(Application.vacancy_id == vacancy.id)
    if application_ids is not None:
        chosen = chosen.where(Application.id.in_(application_ids))
    application_ids = list(session.exec(chosen.order_by(Application.id)).all())
    cards = session.exec(
        select(
            Scorecard.application_id,
            Scorecard.interviewer_user_id,
            Scorecard.role_profile_version_id,
            Scorecard.ratings_packed,
        )
        .where(
            Scorecard.application_id.in_(chosen),
            Scorecard.status == ScorecardStatus.SUBMITTED,
            Scorecard.ratings_packed.is_not(None),
        )
        .order_by(Scorecard.application_id, Scorecard.interviewer_user_id)
    ).all()
    position = {application_id: i for i, application_id in enumerate(application_ids)}
    packed = [_repack(session, model, version_id, blob) for _, _, version_id, blob in cards]
    ratings_rows, evidence_rows = (
        unpack_ratings(packed, size, model.evidence_weights)
        if packed
        else (np.zeros((0, size)), np.zeros((0, size)))
    )
    app_index = np.array([position[application_id] for application_id, _, _, _ in cards], dtype=int)
    # Each scorecard's place among its application's raters (rows are sorted by application).
    slot = np.zeros(len(cards), dtype=int)
    if len(cards):
        starts = np.r_[0, np.flatnonzero(np.diff(app_index)) + 1]
        slot = np.arange(len(cards)) - np.repeat(starts, np.diff(np.r_[starts, len(cards)]))
    raters = int(slot.max()) + 1 if len(cards) else 1
    ratings = np.full((len(application_ids), raters, size), np.nan)
    evidence = np.zeros_like(ratings)
    ratings[app_index, slot] = ratings_rows
    evidence[app_index, slot] = evidence_rows

    digests = _bulk_digests(context, application_ids, cards)
    now = utcnow()
    for start in range(0, len(application_ids), chunk):
        end = min(start + chunk, len(application_ids))
        batch = score_batch(model, ratings[start:end], evidence[start:end])
        ids = application_ids[start:end]
        session.exec(
            delete(ApplicationScore).where(
                ApplicationScore.application_id.in_(ids), ApplicationScore.kind == ScoreKind.PANEL
            )
        )
        session.execute(
            insert(ApplicationScore),
            [
                {
                    "id": new_id(),
                    "created_at": now,
                    "updated_at": now,
                    "organisation_id": vacancy.organisation_id,
                    "application_id": application_id,
                    "kind": ScoreKind.PANEL,
                    "role_profile_version_id": context.profile_version_id,
                    "rubric_version_ids": context.rubric_version_ids,
                    "inputs_sha256": digests[application_id],
                    "computed_at": now,
                    "result": result_payload(batch, row),
                    **_score_values(model, batch, row),
                }
                for row, application_id in enumerate(ids)
            ],
        )
        if progress:
            progress(end, len(application_ids))
    session.flush()
    return RescoreReport(
        applications=len(application_ids),
        scorecards=len(cards),
        ratings=int((~np.isnan(ratings)).sum()),
        seconds=time.perf_counter() - started,
    )


def _repack(session: Session, model: ScoringModel, version_id: uuid.UUID, blob: bytes) -> bytes:
    """Returns the packed ratings in the model's criterion order (a scorecard packed for an
    older profile version has its criteria in that version's order)."""
    own = profile_context(session, version_id).panel_model
    if own.criterion_ids == model.criterion_ids:
        return blob
    size = len(own.criterion_ids)
    where = {criterion_id: i for i, criterion_id in enumerate(own.criterion_ids)}
    levels = bytes(blob[where[c]] if c in where else 0 for c in model.criterion_ids)
    sources = bytes(blob[size + where[c]] if c in where else 0 for c in model.criterion_ids)
    return levels + sources


def _bulk_digests(context: ProfileContext, application_ids: list[uuid.UUID], cards: list) -> dict:
    by_application: dict[uuid.UUID, list[list[str]]] = {aid: [] for aid in application_ids}
    for application_id, rater_id, _, blob in cards:
        by_application[application_id].append([str(rater_id), blob.hex()])
    return {
        aid: inputs_sha256(context, ScoreKind.PANEL, ["packed", inputs])
        for aid, inputs in by_application.items()
    }


def vacancy_agreement(session: Session, vacancy: Vacancy) -> tuple[list, list]:
    """Returns interviewer agreement per criterion and each interviewer's leniency."""
    context = profile_context(session, vacancy.role_profile_version_id)
    model = context.panel_model
    cards = session.exec(
        select(
            Scorecard.application_id,
            Scorecard.interviewer_user_id,
            Scorecard.role_profile_version_id,
            Scorecard.ratings_packed,
        )
        .join(Application, Application.id == Scorecard.application_id)
        .where(
            Application.vacancy_id == vacancy.id,
            Scorecard.status == ScorecardStatus.SUBMITTED,
            Scorecard.ratings_packed.is_not(None),
        )
    ).all()
    panel: dict[str, dict[str, dict[str, int]]] = {}
    for application_id, rater_id, version_id, blob in cards:
        levels = _repack(session, model, version_id, blob)[: len(model.criterion_ids)]
        for criterion_id, level in zip(model.criterion_ids, levels, strict=True):
            if level:
                panel.setdefault(str(application_id), {}).setdefault(criterion_id, {})[
                    str(rater_id)
                ] = level
    return (
        [criterion_agreement(criterion_id, panel) for criterion_id in model.criterion_ids],
        leniency(panel),
    )
