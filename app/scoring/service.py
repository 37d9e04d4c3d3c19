"""Scores in the database: the panel and screening scores of an application, recomputed on
submit, and the bulk rescoring of a whole vacancy from packed ratings."""

import dataclasses
import hashlib
import json
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy import delete, insert
from sqlmodel import Session, select

from app import audit
from app.i18n import N_, gettext_for
from app.models import (
    Application,
    ApplicationScore,
    Candidate,
    CriterionRating,
    Locale,
    Organisation,
    RoleProfileVersion,
    RubricVersion,
    Scorecard,
    ScorecardStatus,
    ScoreKind,
    Stage,
    Vacancy,
    new_id,
    utcnow,
)
from app.profiles.schema import RoleProfile as ProfileDocument
from app.rubrics.schema import Category, Criterion, EvidenceKind
from app.rubrics.schema import Rubric as RubricDocument
from app.scoring.engine import (
    DISAGREEMENT_SPREAD,
    MUST_STATUS_BY_CODE,
    BatchResult,
    EvidenceWeighting,
    RatingOutOfScale,
    ScoringModel,
    bands_of,
    evidence_weights_for,
    is_banded,
    outcome_of,
    score_batch,
    scoring_model,
)
from app.scoring.screening import ScreeningData, range_checks, screening_ratings
from app.webhooks.service import emit

# Evidence sources as bytes in packed ratings; 0 is the "not assessed" mask (so a level byte
# of 0 is a rating on a 0-based scale).
EVIDENCE_CODES = {kind: code for code, kind in enumerate(EvidenceKind, start=1)}
EVIDENCE_BY_CODE = {code: kind for kind, code in EVIDENCE_CODES.items()}


@dataclass(frozen=True)
class ProfileContext:
    """A profile version with the rubric versions behind it, ready to score with."""

    profile_version_id: uuid.UUID
    profile: ProfileDocument
    criteria: dict[str, tuple[RubricDocument, Criterion]]
    rubric_version_ids: list[str]
    panel_model: ScoringModel  # with the validity evidence weights
    screening_model: ScoringModel

    def panel_model_for(self, weighting: EvidenceWeighting) -> ScoringModel:
        """Returns the panel model under an organisation's evidence weighting."""
        if weighting == EvidenceWeighting.VALIDITY:
            return self.panel_model
        return dataclasses.replace(
            self.panel_model, evidence_weights=evidence_weights_for(weighting)
        )

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
    """Returns the ratings as bytes in the model's criterion order: levels, then sources (a
    source of 0 marks a criterion not assessed; its level byte is then 0 too)."""
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
    levels[raw[:, 1, :] == 0] = np.nan
    weight_of_code = np.zeros(len(EVIDENCE_CODES) + 1)
    for code, kind in EVIDENCE_BY_CODE.items():
        weight_of_code[code] = evidence_weights[kind]
    return levels, weight_of_code[raw[:, 1, :]]


# --- storing results ---------------------------------------------------------------------------

NO_SPREAD = 255
# The layout of ApplicationScore.criteria_packed that this code writes; rows of an older one
# are rescored by `smm-hire migrate` (rescore_outdated).
RESULTS_FORMAT = 2
ASSESSED = 1  # bit 0 of a criterion's status byte; bits 1-2: its MUST_* code


def pack_results(batch: BatchResult) -> list[bytes]:
    """Returns each application's per-criterion results as bytes: panel x100 and contribution
    x100 as little-endian 16-bit numbers, the spread as a byte (255: none), then a status
    byte (assessed, and the must-have status decided by the engine)."""
    assessed = ~np.isnan(batch.panel)
    panel = np.where(assessed, np.round(batch.panel * 100), 0).astype("<u2")
    contribution = np.round(batch.contribution * 100).astype("<u2")
    spread = np.where(np.isnan(batch.spread), NO_SPREAD, batch.spread).astype(np.uint8)
    status = (assessed * ASSESSED | batch.must_status.astype(np.uint8) << 1).astype(np.uint8)
    rows = np.concatenate(
        [panel.view(np.uint8), contribution.view(np.uint8), spread, status], axis=1
    )
    return [row.tobytes() for row in rows]


@dataclass(frozen=True)
class StoredResults:
    """Per-criterion results of stored scores, arrays indexed [score, criterion]."""

    panel: np.ndarray  # NaN: not assessed
    contribution: np.ndarray
    spread: np.ndarray  # NaN: none
    must_status: np.ndarray  # MUST_* codes, as the engine decided them


def unpack_results_rows(packed: list[bytes], size: int) -> StoredResults:
    """Returns the per-criterion results of many stored scores at once."""
    raw = np.frombuffer(b"".join(packed), dtype=np.uint8).reshape(len(packed), 6 * size)
    status = raw[:, 5 * size :]
    panel = raw[:, : 2 * size].copy().view("<u2") / 100
    spread = raw[:, 4 * size : 5 * size].astype(float)
    return StoredResults(
        panel=np.where(status & ASSESSED, panel, np.nan),
        contribution=raw[:, 2 * size : 4 * size].copy().view("<u2") / 100,
        spread=np.where(spread == NO_SPREAD, np.nan, spread),
        must_status=(status >> 1).astype(np.int8),
    )


def unpack_results(packed: bytes, size: int) -> tuple[list, list, list, list]:
    """Returns one stored score's panel ratings (None: not assessed), contributions, spreads
    (None: none) and must-have statuses (None: not a must-have)."""
    results = unpack_results_rows([packed], size)
    return (
        [None if np.isnan(value) else float(value) for value in results.panel[0]],
        [float(value) for value in results.contribution[0]],
        [None if np.isnan(value) else int(value) for value in results.spread[0]],
        [MUST_STATUS_BY_CODE[int(code)] for code in results.must_status[0]],
    )


def _nullable(values: np.ndarray, digits: int) -> list:
    rounded = np.round(values, digits).astype(object)
    rounded[np.isnan(values)] = None
    return rounded.tolist()


def score_rows(
    context: ProfileContext,
    model: ScoringModel,
    kind: ScoreKind,
    batch: BatchResult,
    application_ids: list,
    digests: list[str],
    organisation_id: uuid.UUID,
    weighting: EvidenceWeighting = EvidenceWeighting.VALIDITY,
) -> list[dict[str, Any]]:
    """Returns the application_scores rows of a batch, built column-wise."""
    now = utcnow()
    totals = _nullable(batch.total, 2)
    coverages = np.round(batch.coverage, 6).tolist()
    provisional = (batch.coverage < model.coverage_threshold).tolist()
    outcomes = [
        outcome_of(failed, missing).value
        for failed, missing in zip(
            batch.must_failed.tolist(), batch.must_missing.tolist(), strict=True
        )
    ]
    bands = bands_of(
        batch.total,
        np.array([is_banded(*pair) for pair in zip(outcomes, provisional, strict=True)], bool),
    )
    sections = [category.value for category in Category]
    live = [
        i
        for i, category in enumerate(Category)
        if any(spec.category == category for spec in model.criteria)
    ]
    section_scores = _nullable(batch.section_scores[:, live], 2)
    section_coverage = np.round(batch.section_coverage[:, live], 6).tolist()
    packed = pack_results(batch)
    disagreements = (np.nan_to_num(batch.spread) >= DISAGREEMENT_SPREAD).sum(axis=1).tolist()
    return [
        {
            "id": new_id(),
            "created_at": now,
            "updated_at": now,
            "organisation_id": organisation_id,
            "application_id": application_id,
            "kind": kind,
            "role_profile_version_id": context.profile_version_id,
            "inputs_sha256": digests[row],
            "total": totals[row],
            "coverage": coverages[row],
            "provisional": provisional[row],
            "outcome": outcomes[row],
            "band": bands[row],
            "disagreements": disagreements[row],
            "criteria_packed": packed[row],
            "packed_format": RESULTS_FORMAT,
            "result": {
                "sections": {
                    sections[i]: [section_scores[row][j], section_coverage[row][j]]
                    for j, i in enumerate(live)
                },
                "evidence_weighting": weighting.value,
            },
        }
        for row, application_id in enumerate(application_ids)
    ]


def _replace_scores(session: Session, kind: ScoreKind, rows: list[dict[str, Any]]) -> None:
    """Replaces the stored scores of these applications by the new rows."""
    if not rows:
        return
    table = ApplicationScore.__table__
    session.execute(
        delete(table).where(
            table.c.application_id.in_([row["application_id"] for row in rows]),
            table.c.kind == kind,
        )
    )
    session.execute(insert(table), rows)


@lru_cache(maxsize=64)
def _hash_prefix(
    profile_version_id: uuid.UUID,
    rubric_version_ids: tuple,
    kind: ScoreKind,
    weighting: EvidenceWeighting,
) -> Any:
    prefix = hashlib.sha256()
    prefix.update(str(profile_version_id).encode())
    prefix.update(",".join(sorted(rubric_version_ids)).encode())
    prefix.update(kind.value.encode())
    prefix.update(weighting.value.encode())
    return prefix


def inputs_sha256(
    context: ProfileContext,
    kind: ScoreKind,
    parts: Iterable[bytes],
    weighting: EvidenceWeighting = EvidenceWeighting.VALIDITY,
) -> str:
    """Returns the hash of everything a score is computed from: the profile and rubric
    versions, the evidence weighting, and the inputs in a fixed order."""
    digest = _hash_prefix(
        context.profile_version_id, tuple(context.rubric_version_ids), kind, weighting
    ).copy()
    for part in parts:
        digest.update(len(part).to_bytes(4, "little"))
        digest.update(part)
    return digest.hexdigest()


# --- one application ---------------------------------------------------------------------------


def recompute_panel_score(session: Session, application: Application) -> ApplicationScore:
    """Scores the application from its submitted scorecards and stores the result (the same
    computation as rescoring the whole vacancy, for one application)."""
    # Two scorecards of one application submitted at once: the second recompute waits for
    # the first (both replace the same stored score row) and counts both scorecards.
    session.execute(
        sa.select(Application.__table__.c.id)
        .where(Application.__table__.c.id == application.id)
        .with_for_update()
    )
    vacancy = session.get(Vacancy, application.vacancy_id)
    score_applications(session, vacancy, application_ids=[application.id])
    stored = _stored(session, application, ScoreKind.PANEL)
    _log(session, stored, profile_context(session, vacancy.role_profile_version_id))
    emit(
        session,
        organisation_id=application.organisation_id,
        event_type="score.updated",
        data={
            "application_id": application.id,
            "kind": stored.kind.value,
            "total": stored.total,
            "coverage": stored.coverage,
            "provisional": stored.provisional,
            "outcome": stored.outcome,
        },
    )
    return stored


def recompute_screening_score(session: Session, application: Application) -> ApplicationScore:
    """Scores the candidate's structured data against the experience criteria (screening)."""
    vacancy = session.get(Vacancy, application.vacancy_id)
    candidate = session.get(Candidate, application.candidate_id)
    store_screening_scores(session, vacancy, [(application.id, candidate.profile)])
    stored = _stored(session, application, ScoreKind.SCREENING)
    _log(session, stored, profile_context(session, vacancy.role_profile_version_id))
    return stored


def _log(session: Session, score: ApplicationScore, context: ProfileContext) -> None:
    """Logs a score written for one application, with the versions it was computed with
    (a whole vacancy's rescoring, or an import's batch, logs one event for all of them)."""
    audit.record(
        session,
        organisation_id=score.organisation_id,
        action=f"score.{score.kind.value}.updated",
        object_type="application",
        object_id=score.application_id,
        details={
            "role_profile_version_id": str(context.profile_version_id),
            "rubric_version_ids": list(context.rubric_version_ids),
        },
    )


def store_screening_scores(
    session: Session, vacancy: Vacancy, applications: list[tuple[uuid.UUID, dict | None]]
) -> None:
    """Scores each application's candidate data (application id, candidate profile) against
    the vacancy's experience criteria and replaces their stored screening scores: one
    application or a batch of thousands, the same computation on arrays."""
    context = profile_context(session, vacancy.role_profile_version_id)
    model = context.screening_model
    index = {criterion_id: i for i, criterion_id in enumerate(model.criterion_ids)}
    # One rater (the candidate's data), so the ratings go into the arrays as they are.
    ratings = np.full((len(applications), 1, len(index)), np.nan)
    evidence = np.zeros_like(ratings)
    weight = model.evidence_weights[EvidenceKind.SCREENING]
    # Imported candidates often state the same things: each distinct profile is read once.
    known: dict[str, tuple[np.ndarray, np.ndarray, str, dict[str, Any]]] = {}
    digests, checks = [], []
    for row, (_, profile) in enumerate(applications):
        key = repr(sorted((profile or {}).items()))
        if key not in known:
            data = ScreeningData.model_validate(profile or {})
            levels = np.full(len(index), np.nan)
            for criterion_id, value in screening_ratings(data, context.profile).items():
                if value is None or criterion_id not in index:
                    continue
                spec = model.criteria[index[criterion_id]]
                if not spec.min_level <= value <= spec.max_level:
                    raise RatingOutOfScale(f"{criterion_id}: {value}")
                levels[index[criterion_id]] = value
            digest = inputs_sha256(
                context,
                ScoreKind.SCREENING,
                [json.dumps(data.model_dump(mode="json"), sort_keys=True).encode()],
            )
            years_in_range, missing = range_checks(data, context.profile)
            known[key] = (
                levels,
                np.where(np.isnan(levels), 0.0, weight),
                digest,
                {"years_in_range": years_in_range, "missing_platforms": [p.value for p in missing]},
            )
        ratings[row, 0], evidence[row, 0], digest, range_check = known[key]
        digests.append(digest)
        checks.append(range_check)
    rows = score_rows(
        context,
        model,
        ScoreKind.SCREENING,
        score_batch(model, ratings, evidence),
        [application_id for application_id, _ in applications],
        digests,
        vacancy.organisation_id,
    )
    for row, range_check in zip(rows, checks, strict=True):
        row["result"].update(range_check)
    _replace_scores(session, ScoreKind.SCREENING, rows)


def _stored(session: Session, application: Application, kind: ScoreKind) -> ApplicationScore:
    return session.exec(
        select(ApplicationScore)
        .where(ApplicationScore.application_id == application.id, ApplicationScore.kind == kind)
        .execution_options(populate_existing=True)
    ).one()


# How each line of an explanation is computed, for a reader to redo by hand.
CONTRIBUTION_FORMULA = N_("contribution = weight × normalised rating ÷ coverage × 100")


def explain(session: Session, score: ApplicationScore, locale: str = "ru") -> dict[str, Any]:
    """Returns the stored score with its explanation: every criterion's rating on its scale,
    the rating normalised to 0..1, its weight and its contribution = weight x normalised
    rating / coverage x 100 (the contributions, in hundredths, add up to the total), and the
    must-have status the engine decided."""
    context = profile_context(session, score.role_profile_version_id)
    model = context.screening_model if score.kind == ScoreKind.SCREENING else context.panel_model
    weights = model.global_weights()
    result = score.result
    panels, contributions, spreads, musts = unpack_results(
        score.criteria_packed, len(model.criteria)
    )
    criteria = []
    for i, spec in enumerate(model.criteria):
        panel, spread = panels[i], spreads[i]
        criteria.append(
            {
                "criterion_id": spec.id,
                "title": context.criteria[spec.id][1].title.in_(locale),
                "section": spec.category.value,
                "weight": round(float(weights[i]), 6),
                "scale_min": spec.min_level,
                "scale_max": spec.max_level,
                "rating": panel,
                "normalised_rating": None
                if panel is None
                else round((panel - spec.min_level) / (spec.max_level - spec.min_level), 4),
                "spread": spread,
                "disagreement": spread is not None and spread >= DISAGREEMENT_SPREAD,
                "contribution": contributions[i],
                "must_have": None if musts[i] is None else musts[i].value,
                "must_have_threshold": spec.must_have_min,
            }
        )
    weighting = EvidenceWeighting(result.get("evidence_weighting", EvidenceWeighting.VALIDITY))
    return {
        "kind": score.kind.value,
        "total": score.total,
        "coverage": score.coverage,
        "provisional": score.provisional,
        "outcome": score.outcome,
        "band": score.band,
        "formula": gettext_for(Locale(locale))(CONTRIBUTION_FORMULA),
        "evidence_weighting": weighting.value,
        "evidence_weights": {
            kind.value: weight for kind, weight in evidence_weights_for(weighting).items()
        },
        "sections": {
            name: {"score": values[0], "coverage": values[1]}
            for name, values in result["sections"].items()
        },
        "criteria": criteria,
        "role_profile_version_id": str(score.role_profile_version_id),
        "rubric_version_ids": context.rubric_version_ids,
        "inputs_sha256": score.inputs_sha256,
        "computed_at": score.updated_at.isoformat(),
        **{key: result[key] for key in ("years_in_range", "missing_platforms") if key in result},
    }


# --- a whole vacancy at once -------------------------------------------------------------------


def evidence_weighting_of(session: Session, organisation_id: uuid.UUID) -> EvidenceWeighting:
    """Returns the evidence weighting the organisation chose for its panel scores."""
    weighting = session.execute(
        sa.select(Organisation.__table__.c.evidence_weighting).where(
            Organisation.__table__.c.id == organisation_id
        )
    ).scalar_one()
    return EvidenceWeighting(weighting)


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
    weighting = evidence_weighting_of(session, vacancy.organisation_id)
    model = context.panel_model_for(weighting)
    size = len(model.criterion_ids)
    table, cards_table = Application.__table__, Scorecard.__table__
    # Ids as the database gives them (no UUID objects made per row: this path reads a lot).
    raw_id = sa.type_coerce(table.c.id, sa.String)
    chosen = sa.select(raw_id).where(table.c.vacancy_id == vacancy.id)
    if application_ids is not None:
        chosen = chosen.where(table.c.id.in_(application_ids))
    ids = [row[0] for row in session.execute(chosen.order_by(table.c.id))]
    cards = session.execute(
        sa.select(
            sa.type_coerce(cards_table.c.application_id, sa.String),
            sa.type_coerce(cards_table.c.interviewer_user_id, sa.String),
            sa.type_coerce(cards_table.c.role_profile_version_id, sa.String),
            cards_table.c.ratings_packed,
            cards_table.c.stage,
        )
        .where(
            cards_table.c.application_id.in_(chosen.scalar_subquery()),
            cards_table.c.status == ScorecardStatus.SUBMITTED,
            cards_table.c.ratings_packed.is_not(None),
        )
        .order_by(
            cards_table.c.application_id,
            cards_table.c.stage,
            cards_table.c.interviewer_user_id,
        )
    ).all()
    position = {application_id: i for i, application_id in enumerate(ids)}
    packed = _in_model_order(session, model, cards)
    ratings_rows, evidence_rows = (
        unpack_ratings(packed, size, model.evidence_weights)
        if packed
        else (np.zeros((0, size)), np.zeros((0, size)))
    )
    app_index = np.array([position[card[0]] for card in cards], dtype=int)
    # Each scorecard's place among its application's raters (rows are sorted by application).
    slot = np.zeros(len(cards), dtype=int)
    if len(cards):
        starts = np.r_[0, np.flatnonzero(np.diff(app_index)) + 1]
        slot = np.arange(len(cards)) - np.repeat(starts, np.diff(np.r_[starts, len(cards)]))
    raters = int(slot.max()) + 1 if len(cards) else 1
    ratings = np.full((len(ids), raters, size), np.nan)
    evidence = np.zeros_like(ratings)
    stages = np.full((len(ids), raters), -1)
    ratings[app_index, slot] = ratings_rows
    evidence[app_index, slot] = evidence_rows
    stage_index = {stage.value: i for i, stage in enumerate(Stage)}
    stages[app_index, slot] = [stage_index[str(Stage(card[4]))] for card in cards]

    inputs: list[list[bytes]] = [[] for _ in ids]
    for (application_id, rater_id, _, _, stage), blob in zip(cards, packed, strict=True):
        inputs[position[application_id]].append(f"{Stage(stage)}:{rater_id}".encode() + blob)
    digests = [inputs_sha256(context, ScoreKind.PANEL, parts, weighting) for parts in inputs]
    application_uuids = [uuid.UUID(str(application_id)) for application_id in ids]
    for start in range(0, len(ids), chunk):
        end = min(start + chunk, len(ids))
        batch = score_batch(model, ratings[start:end], evidence[start:end], stages[start:end])
        rows = score_rows(
            context,
            model,
            ScoreKind.PANEL,
            batch,
            application_uuids[start:end],
            digests[start:end],
            vacancy.organisation_id,
            weighting,
        )
        _replace_scores(session, ScoreKind.PANEL, rows)
        if progress:
            progress(end, len(ids))
    return RescoreReport(
        applications=len(ids),
        scorecards=len(cards),
        ratings=int((~np.isnan(ratings)).sum()),
        seconds=time.perf_counter() - started,
    )


def _in_model_order(session: Session, model: ScoringModel, cards: list) -> list[bytes]:
    """Returns each card's packed ratings in the model's criterion order (a scorecard packed
    for another profile version has its criteria in that version's order)."""
    converters: dict[Any, Callable[[bytes], bytes] | None] = {}
    packed = []
    for _, _, version, blob, *_ in cards:
        if version not in converters:
            converters[version] = _converter(session, model, version)
        convert = converters[version]
        packed.append(convert(blob) if convert else blob)
    return packed


def _converter(
    session: Session, model: ScoringModel, version: Any
) -> Callable[[bytes], bytes] | None:
    version_id = version if isinstance(version, uuid.UUID) else uuid.UUID(str(version))
    own = profile_context(session, version_id).panel_model
    if own.criterion_ids == model.criterion_ids:
        return None
    size = len(own.criterion_ids)
    where = {criterion_id: i for i, criterion_id in enumerate(own.criterion_ids)}
    picks = [where.get(criterion_id) for criterion_id in model.criterion_ids]

    def convert(blob: bytes) -> bytes:
        levels = bytes(blob[i] if i is not None else 0 for i in picks)
        sources = bytes(blob[size + i] if i is not None else 0 for i in picks)
        return levels + sources

    return convert


def rescore_outdated(session: Session) -> int:
    """Rescores every stored score written in an older layout of its packed results (after an
    upgrade), vacancy by vacancy; returns how many scores were rewritten."""
    outdated = session.exec(
        select(ApplicationScore.application_id, ApplicationScore.kind, Application.vacancy_id)
        .join(Application, Application.id == ApplicationScore.application_id)
        .where(ApplicationScore.packed_format < RESULTS_FORMAT)
    ).all()
    by_vacancy: dict[uuid.UUID, dict[ScoreKind, list[uuid.UUID]]] = {}
    for application_id, kind, vacancy_id in outdated:
        by_vacancy.setdefault(vacancy_id, {}).setdefault(ScoreKind(kind), []).append(application_id)
    for vacancy_id, kinds in by_vacancy.items():
        vacancy = session.get(Vacancy, vacancy_id)
        if ScoreKind.PANEL in kinds:
            score_applications(session, vacancy, application_ids=kinds[ScoreKind.PANEL])
        if ScoreKind.SCREENING in kinds:
            candidates = session.exec(
                select(Application.id, Candidate.profile)
                .join(Candidate, Candidate.id == Application.candidate_id)
                .where(Application.id.in_(kinds[ScoreKind.SCREENING]))
            ).all()
            store_screening_scores(session, vacancy, [tuple(row) for row in candidates])
    return len(outdated)


def set_evidence_weighting(
    session: Session, *, organisation: Organisation, weighting: EvidenceWeighting
) -> int:
    """Sets how the organisation's panel scores weigh evidence and rescores every vacancy of
    the organisation with it; returns how many applications were rescored."""
    # Locked, so two admins saving at once rescore with the weighting that is stored.
    session.execute(
        sa.select(Organisation.__table__.c.id)
        .where(Organisation.__table__.c.id == organisation.id)
        .with_for_update()
    )
    organisation.evidence_weighting = weighting.value
    session.add(organisation)
    session.flush()
    audit.record(
        session,
        organisation_id=organisation.id,
        action="scoring_settings.updated",
        object_type="organisation",
        object_id=organisation.id,
        details={"evidence_weighting": weighting.value},
    )
    vacancies = session.exec(select(Vacancy).where(Vacancy.organisation_id == organisation.id))
    return sum(score_applications(session, vacancy).applications for vacancy in vacancies.all())
