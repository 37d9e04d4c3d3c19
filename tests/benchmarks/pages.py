"""`make bench` (pages): server render time of the vacancy, application and comparison pages
with 10,000 scored candidates in a vacancy, spread over its stages; goal p95 under 50 ms each.
/healthz in the same run is the baseline (the framework's own cost per request)."""

import os
import statistics
import tempfile
import time

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import select

from app import migrations
from app.accounts.service import create_user
from app.db import create_db_engine, write_session
from app.main import create_app
from app.models import Application, Organisation, Stage, UserRole, Vacancy
from app.rubrics.library import builtin_library
from app.rubrics.service import load_builtin_library
from app.scoring.service import score_applications
from app.settings import Settings
from tests.benchmarks.scoring import _fill, _vacancy_with_40_criteria

CANDIDATES = 10_000
# How the candidates spread over the stages (the rest stay at interview, where _fill puts them).
STAGE_SHARES = (
    (Stage.APPLIED, 0.3),
    (Stage.SCREENING, 0.2),
    (Stage.REJECTED, 0.2),
    (Stage.OFFER, 0.01),
)
REQUESTS = 60


def measure(client: TestClient, path: str) -> tuple[float, float]:
    """Returns p50 and p95 of the request time in milliseconds (after two warm-up requests)."""
    for _ in range(2):
        assert client.get(path).status_code == 200, path
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    folder = tempfile.mkdtemp(prefix="smm-hire-bench-pages-")
    url = f"sqlite:///{os.path.join(folder, 'pages.db')}"
    engine = create_db_engine(url)
    migrations.upgrade(engine)
    load_builtin_library(engine, builtin_library())
    with write_session(engine) as session:
        vacancy, version_id = _vacancy_with_40_criteria(session)
        organisation = session.get(Organisation, vacancy.organisation_id)
        create_user(
            session,
            organisation=organisation,
            email="recruiter@bench.example",
            full_name="Recruiter",
            role=UserRole.RECRUITER,
            password="bench-password",
        )
    with engine.begin() as connection:
        _fill(connection, vacancy, version_id, CANDIDATES)
        ids = connection.execute(
            select(Application.id).where(Application.vacancy_id == vacancy.id)
        ).scalars()
        ids, start = list(ids), 0
        for stage, share in STAGE_SHARES:
            end = start + int(len(ids) * share)
            connection.execute(
                sa.update(Application).where(Application.id.in_(ids[start:end])).values(stage=stage)
            )
            start = end
    with write_session(engine) as session:
        score_applications(session, session.get(Vacancy, vacancy.id))
        application_id = session.exec(
            select(Application.id).where(Application.vacancy_id == vacancy.id)
        ).first()
    engine.dispose()

    app = create_app(
        Settings(
            _env_file=None,
            data_dir=folder,
            database_url=url,
            secret_key="bench-secret-key-that-is-long-enough-0123",
        )
    )
    with TestClient(app) as client:
        form = client.get("/login").text
        token = form.split('name="csrf_token" value="')[1].split('"')[0]
        client.post(
            "/login",
            data={
                "email": "recruiter@bench.example",
                "password": "bench-password",
                "csrf_token": token,
            },
        )
        base_p50, base_p95 = measure(client, "/healthz")
        print(f"pages, baseline /healthz: p50 {base_p50:.1f} ms, p95 {base_p95:.1f} ms")
        for name, path in (
            ("vacancy (pipeline board)", f"/vacancies/{vacancy.id}"),
            ("comparison", f"/vacancies/{vacancy.id}/compare"),
            ("comparison, page 50", f"/vacancies/{vacancy.id}/compare?page=50"),
            ("comparison by name", f"/vacancies/{vacancy.id}/compare?sort=name"),
            ("application", f"/applications/{application_id}"),
        ):
            p50, p95 = measure(client, path)
            verdict = "meets" if p95 < 50 else "misses"
            print(
                f"pages, {name} with {CANDIDATES:,} candidates: p50 {p50:.1f} ms, "
                f"p95 {p95:.1f} ms ({p95 / base_p95:.0f}x the baseline; {verdict} the 50 ms goal)"
            )
    app.state.engine.dispose()


if __name__ == "__main__":
    main()
