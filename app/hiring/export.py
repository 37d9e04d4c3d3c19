"""A vacancy's applications with their scores and explanations, for an ATS or a spreadsheet:
JSON (everything, scorecards in the common ATS form) or CSV (one row per application)."""

import csv
import io
from collections.abc import Iterator
from typing import Any

from sqlmodel import Session, select

from app.models import Application, ApplicationScore, Candidate, Scorecard, ScoreKind, Vacancy
from app.scorecards.ats_form import to_ats
from app.scoring.service import explain

CSV_COLUMNS = (
    "application_id",
    "candidate_id",
    "external_id",
    "full_name",
    "email",
    "stage",
    "screening_total",
    "screening_coverage",
    "screening_outcome",
    "panel_total",
    "panel_coverage",
    "panel_outcome",
    "panel_band",
    "panel_provisional",
    "sections",
    "explanation",
)
# Rows read per query: a vacancy of 100,000 applications is exported without holding it all.
CHUNK = 1_000


def _rows(session: Session, vacancy: Vacancy) -> Iterator[tuple[Application, Candidate]]:
    offset = 0
    while True:
        chunk = session.exec(
            select(Application, Candidate)
            .join(Candidate, Candidate.id == Application.candidate_id)
            .where(Application.vacancy_id == vacancy.id, Candidate.erased_at.is_(None))
            .order_by(Application.created_at, Application.id)
            .offset(offset)
            .limit(CHUNK)
        ).all()
        yield from chunk
        if len(chunk) < CHUNK:
            return
        offset += CHUNK


def _scores(session: Session, application_ids: list) -> dict[tuple, ApplicationScore]:
    scores = session.exec(
        select(ApplicationScore).where(ApplicationScore.application_id.in_(application_ids))
    )
    return {(score.application_id, score.kind): score for score in scores}


def applications(session: Session, vacancy: Vacancy, locale: str) -> Iterator[dict[str, Any]]:
    """Each application with its candidate, stage, both scores explained and its scorecards."""
    batch: list[tuple[Application, Candidate]] = []

    def flush() -> Iterator[dict[str, Any]]:
        scores = _scores(session, [application.id for application, _ in batch])
        cards: dict = {}
        for card in session.exec(
            select(Scorecard).where(
                Scorecard.application_id.in_([application.id for application, _ in batch])
            )
        ):
            cards.setdefault(card.application_id, []).append(card)
        for application, candidate in batch:
            yield {
                "application_id": str(application.id),
                "stage": application.stage.value,
                "candidate": {
                    "id": str(candidate.id),
                    "external_id": candidate.external_id,
                    "full_name": candidate.full_name,
                    "email": candidate.email,
                },
                **{
                    kind.value: explain(session, scores[(application.id, kind)], locale)
                    if (application.id, kind) in scores
                    else None
                    for kind in ScoreKind
                },
                "scorecards": [
                    to_ats(session, card).model_dump(mode="json")
                    for card in cards.get(application.id, [])
                ],
            }

    for row in _rows(session, vacancy):
        batch.append(row)
        if len(batch) == CHUNK:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def as_csv(records: Iterator[dict[str, Any]]) -> Iterator[str]:
    """CSV text in pieces (UTF-8 with a BOM, so spreadsheets read Cyrillic). `explanation`
    lists the criteria that added most to the panel score: title rating×weight=points."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + out.getvalue()
    for record in records:
        out.seek(0)
        out.truncate()
        screening, panel = record["screening"] or {}, record["panel"] or {}
        top = sorted(
            (c for c in panel.get("criteria", []) if c["contribution"]),
            key=lambda c: -c["contribution"],
        )[:5]
        writer.writerow(
            (
                record["application_id"],
                record["candidate"]["id"],
                record["candidate"]["external_id"] or "",
                record["candidate"]["full_name"],
                record["candidate"]["email"],
                record["stage"],
                screening.get("total", ""),
                screening.get("coverage", ""),
                screening.get("outcome", ""),
                panel.get("total", ""),
                panel.get("coverage", ""),
                panel.get("outcome", ""),
                panel.get("band") or "",
                panel.get("provisional", ""),
                "; ".join(
                    f"{name}={values['score']}"
                    for name, values in panel.get("sections", {}).items()
                    if values["score"] is not None
                ),
                "; ".join(
                    f"{c['title']} {c['rating']}×{c['weight']}={c['contribution']}" for c in top
                ),
            )
        )
        yield out.getvalue()
