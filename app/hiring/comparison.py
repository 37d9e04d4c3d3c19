"""The comparison of a vacancy's candidates: one row per application, from the stored scores."""

import csv
import io
import uuid
from dataclasses import dataclass

import numpy as np
from sqlmodel import Session, select

from app.models import Application, ApplicationScore, Candidate, ScoreKind, Stage, Vacancy
from app.rubrics.schema import Category
from app.scoring.engine import DISAGREEMENT_SPREAD
from app.scoring.ranking import RankGroup, rank_group, rank_key, ranked
from app.scoring.service import profile_context, unpack_results_rows

TRAITS = ("passion", "communicability", "flexibility")
SORTABLE = (
    "rank",
    "name",
    "stage",
    "total",
    "coverage",
    "outcome",
    "disagreements",
    *(category.value for category in Category),
)


@dataclass
class ComparisonRow:
    application_id: uuid.UUID
    candidate_id: uuid.UUID
    external_id: str | None
    candidate_name: str
    stage: Stage
    total: float | None
    coverage: float | None
    provisional: bool
    outcome: str | None
    band: str | None
    disagreements: int
    sections: dict[str, float | None]
    traits: dict[str, float | None]  # 0..1 per core trait, for the radar
    rank: int = 0  # under the ranking policy (app/scoring/ranking.py), from 1

    @property
    def group(self) -> RankGroup:
        return rank_group(self.outcome, self.provisional)

    def sort_key(self, column: str) -> tuple:
        value = {
            "rank": self.rank,
            "name": self.candidate_name.casefold(),
            "stage": list(Stage).index(self.stage),
            "total": self.total,
            "coverage": self.coverage,
            "outcome": self.outcome,
            "disagreements": self.disagreements,
        }.get(column, self.sections.get(column))
        # Rows without a value sort last whichever the direction.
        return (value is None, value if value is not None else 0)


def comparison_rows(session: Session, vacancy: Vacancy) -> list[ComparisonRow]:
    """Returns a row per application of the vacancy with its panel score, if any (columns
    read without building objects, packed results unpacked for all rows at once)."""
    model = profile_context(session, vacancy.role_profile_version_id).panel_model
    size = len(model.criteria)
    rows = session.exec(
        select(
            Application.id,
            Application.stage,
            Candidate.full_name,
            ApplicationScore.total,
            ApplicationScore.coverage,
            ApplicationScore.provisional,
            ApplicationScore.outcome,
            ApplicationScore.criteria_packed,
            ApplicationScore.role_profile_version_id,
            ApplicationScore.band,
            Candidate.id,
            Candidate.external_id,
        )
        .join(Candidate, Candidate.id == Application.candidate_id)
        .join(
            ApplicationScore,
            (ApplicationScore.application_id == Application.id)
            & (ApplicationScore.kind == ScoreKind.PANEL),
            isouter=True,
        )
        .where(Application.vacancy_id == vacancy.id)
    ).all()
    # Scores of the vacancy's current profile version (others wait for a rescore).
    current = [row[8] == vacancy.role_profile_version_id for row in rows]
    scored = [row[7] for row, ok in zip(rows, current, strict=True) if ok]
    sections = [category.value for category in Category]
    groups = {
        **{name: [spec.category == name for spec in model.criteria] for name in sections},
        **{trait: [cid.split(".")[0] == trait for cid in model.criterion_ids] for trait in TRAITS},
    }
    scores = {name: np.full(len(scored), np.nan) for name in groups}
    disagreements = np.zeros(len(scored), dtype=int)
    if scored:
        stored = unpack_results_rows(scored, size)
        panel = stored.panel
        disagreements = (np.nan_to_num(stored.spread) >= DISAGREEMENT_SPREAD).sum(axis=1)
        low = np.array([spec.min_level for spec in model.criteria], dtype=float)
        high = np.array([spec.max_level for spec in model.criteria], dtype=float)
        normalised = (panel - low) / (high - low)
        weights = model.global_weights()
        for name, membership in groups.items():
            members = np.array(membership)
            if members.any():
                scores[name] = _weighted_mean(normalised[:, members], weights[members])
    result, position = [], 0
    for row, ok in zip(rows, current, strict=True):
        application_id, stage, name, total, coverage, provisional, outcome = row[:7]
        band, candidate_id, external_id = row[9:12]
        values = {group: None for group in groups}
        count = 0
        if ok:
            values = {group: _number(scores[group][position]) for group in groups}
            count = int(disagreements[position])
            position += 1
        result.append(
            ComparisonRow(
                application_id=application_id,
                candidate_id=candidate_id,
                external_id=external_id,
                candidate_name=name,
                stage=stage,
                total=total if ok else None,
                coverage=coverage if ok else None,
                provisional=provisional if ok else True,
                outcome=outcome if ok else None,
                band=band if ok else None,
                disagreements=count,
                sections={
                    section: None if values[section] is None else values[section] * 100
                    for section in sections
                    if any(groups[section])
                },
                traits={trait: values[trait] for trait in TRAITS},
            )
        )
    for rank, row in ranked(result, key=_policy_key):
        row.rank = rank
    return result


def _policy_key(row: ComparisonRow) -> tuple:
    return rank_key(
        outcome=row.outcome,
        provisional=row.provisional,
        total=row.total,
        coverage=row.coverage,
        tie=str(row.application_id),
    )


def ranking(session: Session, vacancy: Vacancy) -> list[ComparisonRow]:
    """Returns the vacancy's applications in the order of the ranking policy."""
    return sorted(comparison_rows(session, vacancy), key=lambda row: row.rank)


def _weighted_mean(normalised: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per row: the weighted mean of the assessed values (0..1), NaN where none is assessed,
    as the engine scores a section."""
    assessed = ~np.isnan(normalised)
    weight = np.where(assessed, weights, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(assessed, normalised * weight, 0.0).sum(axis=1) / weight.sum(axis=1)


def _number(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def sorted_rows(rows: list[ComparisonRow], column: str, descending: bool) -> list[ComparisonRow]:
    """Returns the rows sorted by a column; "rank" (the policy, the default) ascends."""
    column = column if column in SORTABLE else "rank"
    present = [row for row in rows if row.sort_key(column)[0] is False]
    absent = [row for row in rows if row.sort_key(column)[0] is True]
    present.sort(key=lambda row: row.sort_key(column), reverse=descending)
    absent.sort(key=lambda row: row.candidate_name.casefold())
    return present + absent


def comparison_csv(rows: list[ComparisonRow]) -> str:
    """Returns the comparison as CSV (UTF-8 with a BOM, so spreadsheets read Cyrillic)."""
    out = io.StringIO()
    writer = csv.writer(out)
    sections = [category.value for category in Category]
    writer.writerow(
        [
            "rank",
            "candidate",
            "stage",
            "total",
            "coverage",
            "provisional",
            "outcome",
            "band",
            "disagreements",
            *sections,
            *TRAITS,
        ]
    )
    for row in rows:
        writer.writerow(
            [
                row.rank,
                row.candidate_name,
                row.stage.value,
                _blank(row.total),
                _blank(row.coverage),
                row.provisional,
                row.outcome or "",
                row.band or "",
                row.disagreements,
                *(_blank(row.sections.get(name)) for name in sections),
                *(_blank(row.traits.get(trait)) for trait in TRAITS),
            ]
        )
    return "\ufeff" + out.getvalue()


def _blank(value: float | None) -> str:
    return "" if value is None else f"{value:g}"
