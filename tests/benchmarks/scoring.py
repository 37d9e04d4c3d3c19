"""`make bench`: the scoring engine's bulk path, and rescoring a vacancy from SQLite.

Prints figures and ratios against a baseline measured in the same run; asserts nothing
(goals: at least 1,000,000 criterion ratings per second on one core; a vacancy of 100,000
applications rescored from the database in under 10 s).
"""

import argparse
import os
import tempfile
import time
import uuid

import numpy as np
import sqlalchemy as sa
from sqlmodel import Session

from app import migrations
from app.db import create_db_engine, write_session
from app.models import (
    Application,
    Candidate,
    Scorecard,
    ScorecardStatus,
    Stage,
    User,
    UserRole,
    Vacancy,
    new_id,
    utcnow,
)
from app.rubrics.library import builtin_library
from app.rubrics.schema import Category, EvidenceKind
from app.rubrics.service import create_profile, load_builtin_library
from app.scoring.engine import (
    CriterionSpec,
    Rating,
    ScorecardInput,
    ScoringModel,
    score_application,
    score_batch,
)
from app.scoring.service import EVIDENCE_CODES, profile_context, score_applications

RATERS, CRITERIA = 3, 40


def synthetic_model() -> ScoringModel:
    categories = list(Category)
    return ScoringModel(
        criteria=tuple(
            CriterionSpec(
                f"c{i}",
                categories[i % 4],
                1 + i % 3,
                1,
                4,
                must_have_min=3 if i % 13 == 0 else None,
            )
            for i in range(CRITERIA)
        ),
        section_weights={category: 25 for category in categories},
    )


def synthetic_ratings(applications: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    ratings = rng.integers(1, 5, size=(applications, RATERS, CRITERIA)).astype(float)
    ratings[rng.random(ratings.shape) < 0.1] = np.nan  # some "not assessed"
    evidence = rng.choice([0.42, 0.33, 0.07], size=ratings.shape)
    return ratings, evidence


def bench_engine(applications: int) -> None:
    model = synthetic_model()
    ratings, evidence = synthetic_ratings(applications)
    cells = applications * RATERS * CRITERIA

    started = time.perf_counter()
    for start in range(0, applications, 20_000):
        score_batch(model, ratings[start : start + 20_000], evidence[start : start + 20_000])
    bulk_seconds = time.perf_counter() - started

    # Baseline: the same scoring one application at a time, on a sample.
    sample = min(2_000, applications)
    cards = [
        [
            ScorecardInput(
                f"r{r}",
                tuple(
                    Rating(
                        f"c{c}",
                        None if np.isnan(ratings[a, r, c]) else int(ratings[a, r, c]),
                        EvidenceKind.INTERVIEW,
                    )
                    for c in range(CRITERIA)
                ),
            )
            for r in range(RATERS)
        ]
        for a in range(sample)
    ]
    started = time.perf_counter()
    for panel in cards:
        score_application(model, panel)
    one_seconds = (time.perf_counter() - started) / (sample * RATERS * CRITERIA)

    bulk_rate = cells / bulk_seconds
    print(
        f"engine, bulk path: {applications:,} applications x {RATERS} scorecards x "
        f"{CRITERIA} criteria = {cells:,} ratings in {bulk_seconds:.2f} s "
        f"= {bulk_rate:,.0f} ratings/s (goal >= 1,000,000)"
    )
    print(
        f"engine, one application at a time (baseline, {sample:,} applications): "
        f"{1 / one_seconds:,.0f} ratings/s; bulk is {bulk_rate * one_seconds:,.0f}x faster"
    )


def bench_database(applications: int) -> None:
    folder = tempfile.mkdtemp(prefix="smm-hire-bench-")
    engine = create_db_engine(f"sqlite:///{os.path.join(folder, 'bench.db')}")
    migrations.upgrade(engine)
    library = builtin_library()
    load_builtin_library(engine, library)
    started = time.perf_counter()
    with write_session(engine) as session:
        vacancy, version_id = _vacancy_with_40_criteria(session)
    with engine.begin() as connection:
        _fill(connection, vacancy, version_id, applications)
    filled = time.perf_counter() - started

    progress_marks: list[str] = []
    with write_session(engine) as session:
        vacancy = session.get(Vacancy, vacancy.id)
        profile_context(session, version_id)  # as a running server has it cached
        started = time.perf_counter()
        report = score_applications(
            session, vacancy, progress=lambda done, total: progress_marks.append(f"{done}/{total}")
        )
        session.commit()
        seconds = time.perf_counter() - started
    print(
        f"database (SQLite), set-up of {applications:,} applications and "
        f"{applications * RATERS:,} submitted scorecards: {filled:.1f} s"
    )
    print(
        f"database (SQLite), rescore a vacancy of {report.applications:,} applications "
        f"({report.scorecards:,} scorecards, {report.ratings:,} ratings) end to end: "
        f"{seconds:.2f} s (goal < 10 s); progress: {', '.join(progress_marks)}"
    )
    engine.dispose()


def _vacancy_with_40_criteria(session: Session) -> tuple[Vacancy, uuid.UUID]:
    from app.accounts.service import create_organisation

    organisation = create_organisation(session, slug="bench", name="Bench")
    library = builtin_library()
    full = library.profiles["smm_manager"].model_dump(mode="json")
    category = {cid: rubric.category for cid, (rubric, _) in library.criteria().items()}
    # 40 criteria from the four sections (the organisation rubric has seven).
    quotas = {
        Category.EXPERIENCE: 10,
        Category.ORGANISATION: 7,
        Category.CORE_TRAITS: 13,
        Category.DUTIES: 10,
    }
    picked = [
        cid
        for section, quota in quotas.items()
        for cid in [p["id"] for p in full["criteria"] if category[p["id"]] == section][:quota]
    ]
    assert len(picked) == CRITERIA
    document = {
        **full,
        "id": "bench_profile",
        "criteria": [{"id": c} for c in picked],
        "must_haves": [m for m in full["must_haves"] if m["criterion"] in picked],
        "stages": [{"stage": "interview", "criteria": picked}],
    }
    profile = create_profile(session, organisation_id=organisation.id, data=document)
    vacancy = Vacancy(
        organisation_id=organisation.id,
        role_profile_id=profile.row.id,
        role_profile_version_id=profile.version.id,
        title="Bench",
    )
    session.add(vacancy)
    for number in range(RATERS):
        session.add(
            User(
                organisation_id=organisation.id,
                email=f"rater{number}@bench.example",
                full_name=f"Rater {number}",
                role=UserRole.INTERVIEWER,
                password_hash="x",
            )
        )
    session.flush()
    return vacancy, profile.version.id


def _fill(connection: sa.Connection, vacancy: Vacancy, version_id: uuid.UUID, count: int) -> None:
    """Inserts candidates, applications and submitted scorecards with packed ratings."""
    raters = (
        connection.execute(
            sa.select(User.id).where(User.organisation_id == vacancy.organisation_id)
        )
        .scalars()
        .all()
    )
    rng = np.random.default_rng(2)
    now = utcnow()
    stamp = {"created_at": now, "updated_at": now, "organisation_id": vacancy.organisation_id}
    codes = np.array(
        [EVIDENCE_CODES[EvidenceKind.INTERVIEW], EVIDENCE_CODES[EvidenceKind.WORK_SAMPLE]],
        dtype=np.uint8,
    )
    for start in range(0, count, 10_000):
        size = min(10_000, count - start)
        candidates = [
            {
                "id": new_id(),
                **stamp,
                "full_name": f"Candidate {start + i}",
                "email": "",
                "phone": "",
                "location": "",
                "source": "bench",
                "profile": {},
                "notes": "",
                "consent_text": "",
            }
            for i in range(size)
        ]
        connection.execute(sa.insert(Candidate), candidates)
        applications = [
            {
                "id": new_id(),
                **stamp,
                "vacancy_id": vacancy.id,
                "candidate_id": candidate["id"],
                "stage": Stage.INTERVIEW,
                "stage_changed_at": now,
            }
            for candidate in candidates
        ]
        connection.execute(sa.insert(Application), applications)
        levels = rng.integers(0, 5, size=(size, RATERS, CRITERIA), dtype=np.uint8)
        sources = rng.choice(codes, size=(size, RATERS, CRITERIA))
        sources[levels == 0] = 0
        connection.execute(
            sa.insert(Scorecard),
            [
                {
                    "id": new_id(),
                    **stamp,
                    "application_id": application["id"],
                    "interviewer_user_id": raters[r],
                    "stage": Stage.INTERVIEW,
                    "status": ScorecardStatus.SUBMITTED,
                    "version": 1,
                    "rubric_version_ids": [],
                    "role_profile_version_id": version_id,
                    "summary": "",
                    "submitted_at": now,
                    "ratings_packed": levels[i, r].tobytes() + sources[i, r].tobytes(),
                }
                for i, application in enumerate(applications)
                for r in range(RATERS)
            ],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--applications", type=int, default=100_000)
    arguments = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    bench_engine(arguments.applications)
    bench_database(arguments.applications)


if __name__ == "__main__":
    main()
