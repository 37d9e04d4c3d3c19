"""The comparison of a vacancy's candidates: one row per application, from the stored scores."""

import csv
import io
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlmodel import Session

from app.hiring.service import application_count
from app.models import Application, ApplicationScore, Candidate, ScoreKind, Stage, Vacancy
from app.rubrics.schema import Category
from app.scoring.ranking import RankGroup, rank_group, sql_rank_order
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
    erased: bool = False  # the candidate's data was erased (the exports leave the row out)

    @property
    def group(self) -> RankGroup:
        return rank_group(self.outcome, self.provisional)


# Rows read per query when every row is wanted (the CSV): the export never holds them all.
BATCH = 1_000


def _score_join(vacancy: Vacancy) -> Any:
    # Only a score of the vacancy's current profile version counts (others wait for a rescore):
    # an application without one reads as not scored yet.
    return (
        (ApplicationScore.application_id == Application.id)
        & (ApplicationScore.kind == ScoreKind.PANEL)
        & (ApplicationScore.role_profile_version_id == vacancy.role_profile_version_id)
    )


def _policy_order(reverse: bool = False) -> list:
    return sql_rank_order(
        reverse=reverse,
        outcome=ApplicationScore.outcome,
        provisional=ApplicationScore.provisional,
        total=ApplicationScore.total,
        coverage=ApplicationScore.coverage,
        tie=Application.id,
    )


COLUMNS = (
    Application.id,
    Application.stage,
    Candidate.full_name,
    ApplicationScore.total,
    ApplicationScore.coverage,
    ApplicationScore.provisional,
    ApplicationScore.outcome,
    ApplicationScore.criteria_packed,
    ApplicationScore.band,
    Candidate.id,
    Candidate.external_id,
    ApplicationScore.disagreements,
    ApplicationScore.result,
)


def _ranks_of(session: Session, vacancy: Vacancy, ids: list) -> dict:
    """The policy's rank of these applications, computed in the database over the vacancy's
    narrow rows."""
    ranked = (
        sa.select(Application.id, sa.func.row_number().over(order_by=_policy_order()).label("rank"))
        .join(ApplicationScore, _score_join(vacancy), isouter=True)
        .where(Application.vacancy_id == vacancy.id)
        .subquery()
    )
    query = sa.select(ranked.c.id, ranked.c.rank).where(ranked.c.id.in_(ids))
    return dict(session.execute(query).all())


def _column_order(column: str, descending: bool) -> list:
    """ORDER BY terms for a column other than the rank: rows with a value first (ascending or
    descending), then those without one by name; ties in the policy's order."""
    name = sa.func.lower(Candidate.full_name)
    value = {
        "name": name,
        "stage": sa.case(
            {stage.value: i for i, stage in enumerate(Stage)}, value=Application.stage
        ),
        "total": ApplicationScore.total,
        "coverage": ApplicationScore.coverage,
        "outcome": ApplicationScore.outcome,
        "disagreements": sa.func.coalesce(ApplicationScore.disagreements, 0),
    }.get(column)
    if value is None:  # a section: its stored score
        value = ApplicationScore.result[("sections", column, 0)].as_float()
    return [
        sa.case((value.is_(None), 1), else_=0),
        value.desc() if descending else value,
        sa.case((value.is_(None), name), else_=None),
        *_policy_order(),
    ]


def comparison_page(
    session: Session,
    vacancy: Vacancy,
    *,
    sort: str = "rank",
    descending: bool = False,
    offset: int = 0,
    limit: int = 100,
) -> list[ComparisonRow]:
    """One page of the comparison, ordered and cut in the database: by the ranking policy
    (the default), or by a column; each row keeps its rank under the policy."""
    sort = sort if sort in SORTABLE else "rank"
    # First the page's ids from narrow rows; then its wide columns, for those ids only.
    query = (
        sa.select(Application.id)
        .join(ApplicationScore, _score_join(vacancy), isouter=True)
        .where(Application.vacancy_id == vacancy.id)
    )
    if sort == "rank":
        query = query.order_by(*_policy_order(reverse=descending))
    else:
        query = query.join(Candidate, Candidate.id == Application.candidate_id).order_by(
            *_column_order(sort, descending)
        )
    ids = session.execute(query.offset(offset).limit(limit)).scalars().all()
    if not ids:
        return []
    if sort == "rank" and not descending:
        ranks = {application_id: offset + i for i, application_id in enumerate(ids, start=1)}
    elif sort == "rank":  # the position from the end
        last = application_count(session, vacancy_id=vacancy.id) - offset
        ranks = {application_id: last - i for i, application_id in enumerate(ids)}
    else:
        ranks = _ranks_of(session, vacancy, ids)
    rows = session.execute(
        sa.select(*COLUMNS)
        .join(Candidate, Candidate.id == Application.candidate_id)
        .join(ApplicationScore, _score_join(vacancy), isouter=True)
        .where(Application.id.in_(list(ranks)))
    ).all()
    position = {application_id: i for i, application_id in enumerate(ids)}
    rows.sort(key=lambda row: position[row.id])
    return _rows(session, vacancy, rows, ranks=ranks)


def ranked_rows(session: Session, vacancy: Vacancy, batch: int = BATCH) -> Iterator[ComparisonRow]:
    """Every row in the policy's order, read from one query in batches (for the exports)."""
    query = (
        sa.select(*COLUMNS, Candidate.erased_at)
        .join(Candidate, Candidate.id == Application.candidate_id)
        .join(ApplicationScore, _score_join(vacancy), isouter=True)
        .where(Application.vacancy_id == vacancy.id)
        .order_by(*_policy_order())
        .execution_options(yield_per=batch)
    )
    first = 1
    for chunk in session.execute(query).partitions():
        yield from _rows(session, vacancy, chunk, first_rank=first)
        first += len(chunk)


def ranking(session: Session, vacancy: Vacancy) -> list[ComparisonRow]:
    """Every row in the policy's order (small vacancies and tests; pages use comparison_page)."""
    return list(ranked_rows(session, vacancy))


def _rows(
    session: Session,
    vacancy: Vacancy,
    rows: Sequence[Any],
    *,
    first_rank: int = 1,
    ranks: dict | None = None,
) -> list[ComparisonRow]:
    """Builds the rows of one page or batch; the traits (for the radar) come from the packed
    per-criterion results, unpacked for the rows at once."""
    model = profile_context(session, vacancy.role_profile_version_id).panel_model
    size = len(model.criteria)
    scored = [row.criteria_packed for row in rows if row.criteria_packed is not None]
    traits = {trait: np.full(len(scored), np.nan) for trait in TRAITS}
    if scored:
        panel = unpack_results_rows(scored, size).panel
        low = np.array([spec.min_level for spec in model.criteria], dtype=float)
        high = np.array([spec.max_level for spec in model.criteria], dtype=float)
        normalised = (panel - low) / (high - low)
        weights = model.global_weights()
        for trait in TRAITS:
            members = np.array([cid.split(".")[0] == trait for cid in model.criterion_ids])
            if members.any():
                traits[trait] = _weighted_mean(normalised[:, members], weights[members])
    live = [
        category.value
        for category in Category
        if any(spec.category == category for spec in model.criteria)
    ]
    result, position = [], 0
    for number, row in enumerate(rows):
        ok = row.criteria_packed is not None
        stored = (row.result or {}).get("sections", {}) if ok else {}
        values = dict.fromkeys(TRAITS)
        if ok:
            values = {trait: _number(traits[trait][position]) for trait in TRAITS}
            position += 1
        item = ComparisonRow(
            application_id=row.id,
            candidate_id=row[9],
            external_id=row.external_id,
            candidate_name=row.full_name,
            stage=Stage(row.stage),
            total=row.total,
            coverage=row.coverage,
            provisional=row.provisional if ok else True,
            outcome=row.outcome,
            band=row.band,
            disagreements=row.disagreements or 0,
            sections={name: (stored.get(name) or [None])[0] for name in live},
            traits=values,
            rank=ranks[row.id] if ranks is not None else first_rank + number,
            erased=getattr(row, "erased_at", None) is not None,
        )
        result.append(item)
    return result


def _weighted_mean(normalised: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per row: the weighted mean of the assessed values (0..1), NaN where none is assessed,
    as the engine scores a section."""
    assessed = ~np.isnan(normalised)
    weight = np.where(assessed, weights, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(assessed, normalised * weight, 0.0).sum(axis=1) / weight.sum(axis=1)


def _number(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def comparison_csv(rows: Iterable[ComparisonRow]) -> Iterator[str]:
    """The comparison as CSV in pieces (UTF-8 with a BOM, so spreadsheets read Cyrillic)."""
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
    yield "\ufeff" + out.getvalue()
    for row in rows:
        out.seek(0)
        out.truncate()
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
        yield out.getvalue()


def _blank(value: float | None) -> str:
    return "" if value is None else f"{value:g}"
