"""A vacancy's applications with their scores and explanations, for an ATS or a spreadsheet:
JSON (everything, scorecards in the common ATS form) or CSV (one row per application), in the
order of the ranking policy, each with its rank."""

import csv
import io
from collections.abc import Iterator
from typing import Any

from sqlmodel import Session, select

from app.hiring.comparison import ranked_rows
from app.models import Application, ApplicationScore, Candidate, Scorecard, ScoreKind, Vacancy
from app.scorecards.ats_form import to_ats
from app.scoring.service import explain

CSV_COLUMNS = (
    "rank",
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


def _rows(session: Session, vacancy: Vacancy) -> Iterator[tuple[int, Application, Candidate]]:
    """Yields (rank, application, candidate) in rank order, erased candidates left out; the
    order comes from the database, read CHUNK rows at a time."""
    batch: list = []

    def flush() -> Iterator[tuple[int, Application, Candidate]]:
        ranks = {row.application_id: row.rank for row in batch}
        chunk = session.exec(
            select(Application, Candidate)
            .join(Candidate, Candidate.id == Application.candidate_id)
            .where(Application.id.in_(list(ranks)))
        ).all()
        for application, candidate in sorted(chunk, key=lambda pair: ranks[pair[0].id]):
            yield ranks[application.id], application, candidate

    for row in ranked_rows(session, vacancy, batch=CHUNK):
        if not row.erased:
            batch.append(row)
        if len(batch) == CHUNK:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def _scores(session: Session, application_ids: list) -> dict[tuple, ApplicationScore]:
    scores = session.exec(
        select(ApplicationScore).where(ApplicationScore.application_id.in_(application_ids))
    )
    return {(score.application_id, score.kind): score for score in scores}


def applications(session: Session, vacancy: Vacancy, locale: str) -> Iterator[dict[str, Any]]:
    """Each application, in rank order with its rank, with its candidate, stage, both scores
    explained and its scorecards."""
    batch: list[tuple[int, Application, Candidate]] = []

    def flush() -> Iterator[dict[str, Any]]:
        scores = _scores(session, [application.id for _, application, _ in batch])
        cards: dict = {}
        for card in session.exec(
            select(Scorecard).where(
                Scorecard.application_id.in_([application.id for _, application, _ in batch])
            )
        ):
            cards.setdefault(card.application_id, []).append(card)
        for rank, application, candidate in batch:
            yield {
                "rank": rank,
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
                record["rank"],
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
