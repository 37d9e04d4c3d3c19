"""The comparison of a vacancy's candidates: one row per application, from the stored scores."""

import csv
import io
import math
import uuid
from dataclasses import dataclass

from sqlmodel import Session, select

from app.models import Application, ApplicationScore, Candidate, ScoreKind, Stage, Vacancy
from app.rubrics.schema import Category
from app.scoring.service import profile_context, unpack_results

TRAITS = ("passion", "communicability", "flexibility")
SORTABLE = (
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
    candidate_name: str
    stage: Stage
    total: float | None
    coverage: float | None
    provisional: bool
    outcome: str | None
    disagreements: int
    sections: dict[str, float | None]
    traits: dict[str, float | None]  # 0..1 per core trait, for the radar

    def sort_key(self, column: str) -> tuple:
        value = {
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
    """Returns a row per application of the vacancy with its panel score, if any."""
    model = profile_context(session, vacancy.role_profile_version_id).panel_model
    trait_of = [criterion_id.split(".")[0] for criterion_id in model.criterion_ids]
    weights = model.global_weights()
    rows = session.exec(
        select(Application, Candidate, ApplicationScore)
        .join(Candidate, Candidate.id == Application.candidate_id)
        .join(
            ApplicationScore,
            (ApplicationScore.application_id == Application.id)
            & (ApplicationScore.kind == ScoreKind.PANEL),
            isouter=True,
        )
        .where(Application.vacancy_id == vacancy.id)
    ).all()
    result = []
    for application, candidate, score in rows:
        sections: dict[str, float | None] = {}
        traits: dict[str, float | None] = dict.fromkeys(TRAITS)
        disagreements = 0
        if score is not None and score.role_profile_version_id == vacancy.role_profile_version_id:
            sections = {name: values[0] for name, values in score.result["sections"].items()}
            panel, _, spreads = unpack_results(score.criteria_packed, len(model.criteria))
            disagreements = sum(1 for spread in spreads if spread is not None and spread >= 2)
            for trait in TRAITS:
                pairs = [
                    (weights[i], (panel[i] - spec.min_level) / (spec.max_level - spec.min_level))
                    for i, spec in enumerate(model.criteria)
                    if trait_of[i] == trait and panel[i] is not None
                ]
                total_weight = math.fsum(w for w, _ in pairs)
                traits[trait] = (
                    math.fsum(w * v for w, v in pairs) / total_weight if total_weight else None
                )
        result.append(
            ComparisonRow(
                application_id=application.id,
                candidate_name=candidate.full_name,
                stage=application.stage,
                total=score.total if score else None,
                coverage=score.coverage if score else None,
                provisional=score.provisional if score else True,
                outcome=score.outcome if score else None,
                disagreements=disagreements,
                sections=sections,
                traits=traits,
            )
        )
    return result


def sorted_rows(rows: list[ComparisonRow], column: str, descending: bool) -> list[ComparisonRow]:
    column = column if column in SORTABLE else "total"
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
            "candidate",
            "stage",
            "total",
            "coverage",
            "provisional",
            "outcome",
            "disagreements",
            *sections,
            *TRAITS,
        ]
    )
    for row in rows:
        writer.writerow(
            [
                row.candidate_name,
                row.stage.value,
                _blank(row.total),
                _blank(row.coverage),
                row.provisional,
                row.outcome or "",
                row.disagreements,
                *(_blank(row.sections.get(name)) for name in sections),
                *(_blank(row.traits.get(trait)) for trait in TRAITS),
            ]
        )
    return "\ufeff" + out.getvalue()


def _blank(value: float | None) -> str:
    return "" if value is None else f"{value:g}"
