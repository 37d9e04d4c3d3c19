"""The comparison, the ranking API and the exports order and cut in SQL; this checks on random
data, ties included, that the database's order is the pure policy's (app/scoring/ranking.py),
page after page, on both databases."""

import random
import uuid

import pytest
from sqlmodel import Session

from app.hiring.comparison import comparison_page, ranked_rows
from app.models import (
    Application,
    ApplicationScore,
    Candidate,
    Organisation,
    ScoreKind,
    Stage,
    Vacancy,
    new_id,
)
from app.rubrics.library import builtin_library
from app.rubrics.service import sync_builtin_library
from app.scoring.engine import Outcome
from app.scoring.ranking import rank_key, ranked
from app.scoring.service import profile_context
from tests.factories import make_organisation, make_vacancy

OUTCOMES = [outcome.value for outcome in Outcome]


def fill(
    db: Session,
    vacancy: Vacancy,
    count: int,
    *,
    seed: int = 1,
    stages: list[Stage] | None = None,
    stale_version: uuid.UUID | None = None,
) -> list[dict]:
    """Adds `count` candidates and applications with random stored panel scores: few distinct
    totals and coverages (so ties are common), some not scored, some scored on another profile
    version (they count as not scored). Returns what each row should rank on."""
    rng = random.Random(seed)
    size = len(profile_context(db, vacancy.role_profile_version_id).panel_model.criteria)
    expected = []
    for number in range(count):
        candidate = Candidate(
            organisation_id=vacancy.organisation_id, full_name=f"Кандидат {number:04d}"
        )
        application = Application(
            id=new_id(),
            organisation_id=vacancy.organisation_id,
            vacancy_id=vacancy.id,
            candidate_id=candidate.id,
            stage=stages[number % len(stages)] if stages else Stage.INTERVIEW,
        )
        db.add(candidate)
        db.flush()
        db.add(application)
        db.flush()
        row = {"id": application.id, "name": candidate.full_name, "outcome": None}
        row |= {"provisional": True, "total": None, "coverage": None}
        kind = rng.random()
        if kind > 0.1:
            total = rng.choice([None, 0.0, 40.0, 62.5, 62.5, 81.25, 100.0])
            score = ApplicationScore(
                organisation_id=vacancy.organisation_id,
                application_id=application.id,
                kind=ScoreKind.PANEL,
                role_profile_version_id=vacancy.role_profile_version_id,
                inputs_sha256="0" * 64,
                total=total,
                coverage=0.0 if total is None else rng.choice([0.4, 0.75, 0.75, 1.0]),
                provisional=rng.random() < 0.3,
                outcome=rng.choice(OUTCOMES),
                criteria_packed=bytes(6 * size),
                packed_format=2,
                disagreements=rng.randint(0, 3),
                result={"sections": {"duties": [total, 1.0]}},
            )
            if kind < 0.2 and stale_version is not None:
                score.role_profile_version_id = stale_version
            else:
                row |= {
                    "outcome": score.outcome,
                    "provisional": score.provisional,
                    "total": score.total,
                    "coverage": score.coverage,
                }
            db.add(score)
        expected.append(row)
    db.flush()
    return expected


def policy_order(rows: list[dict]) -> list[uuid.UUID]:
    def key(row: dict) -> tuple:
        return rank_key(
            outcome=row["outcome"],
            provisional=row["provisional"],
            total=row["total"],
            coverage=row["coverage"],
            tie=str(row["id"]),
        )

    return [row["id"] for _, row in ranked(rows, key=key)]


@pytest.fixture
def organisation(db: Session) -> Organisation:
    sync_builtin_library(db, builtin_library())
    return make_organisation(db)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sql_order_is_the_policy_order_page_after_page(
    db: Session, organisation: Organisation, seed: int
) -> None:
    vacancy = make_vacancy(db, organisation=organisation)
    other = make_vacancy(db, organisation=organisation, profile_key="content_manager")
    db.flush()
    rows = fill(db, vacancy, 157, seed=seed, stale_version=other.role_profile_version_id)
    fill(db, other, 20, seed=seed + 10)  # another vacancy's rows never show up
    expected = policy_order(rows)

    pages = [comparison_page(db, vacancy, offset=start, limit=25) for start in range(0, 175, 25)]
    seen = [row for page in pages for row in page]
    assert [row.application_id for row in seen] == expected
    assert [row.rank for row in seen] == list(range(1, len(expected) + 1))
    assert comparison_page(db, vacancy, offset=175, limit=25) == []  # past the end: nothing
    # The exports' stream (in batches smaller than the vacancy) has the same order and ranks.
    streamed = list(ranked_rows(db, vacancy, batch=40))
    assert [(row.rank, row.application_id) for row in streamed] == list(
        enumerate(expected, start=1)
    )
    # Reversed, the same rows from the end, each keeping its rank.
    backwards = comparison_page(db, vacancy, descending=True, offset=10, limit=30)
    assert [row.application_id for row in backwards] == expected[::-1][10:40]
    assert [row.rank for row in backwards] == list(range(157 - 10, 157 - 40, -1))


def test_a_column_sort_keeps_each_rows_rank(db: Session, organisation: Organisation) -> None:
    vacancy = make_vacancy(db, organisation=organisation)
    db.flush()
    rows = fill(db, vacancy, 120, seed=7)
    rank_of = {application_id: rank for rank, application_id in enumerate(policy_order(rows), 1)}
    by_total = [
        row
        for start in (0, 50, 100)
        for row in comparison_page(
            db, vacancy, sort="total", descending=True, offset=start, limit=50
        )
    ]
    assert len(by_total) == 120
    totals = [row.total for row in by_total if row.total is not None]
    assert totals == sorted(totals, reverse=True)
    # Rows without a total come last, by name; equal totals in the policy's order.
    unscored = by_total[len(totals) :]
    assert all(row.total is None for row in unscored)
    assert [row.candidate_name for row in unscored] == sorted(r.candidate_name for r in unscored)
    for before, after in zip(by_total[: len(totals)], by_total[1 : len(totals)], strict=False):
        if before.total == after.total:
            assert before.rank < after.rank
    assert all(row.rank == rank_of[row.application_id] for row in by_total)
    by_section = comparison_page(db, vacancy, sort="duties", limit=200)
    sections = [row.sections["duties"] for row in by_section if row.sections["duties"] is not None]
    assert sections == sorted(sections) and len(by_section) == 120
