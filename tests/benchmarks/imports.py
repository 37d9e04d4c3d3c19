"""`make bench` (imports): a bulk import of 100,000 candidates from CSV into a vacancy, as the
API job and `smm-hire import` run it: the dry run (every row checked) and the import (batches
of 1,000, each all or nothing, with a screening score per application and a webhook outbox row
per candidate). Goal on 2 cores with SQLite: the import in well under 60 s. The baseline in
the same run is a plain executemany insert of as many candidate rows, in the same batches, so
the ratio shows what the checks, applications, scores and events cost.

SQLite in a temporary folder; SMM_HIRE_BENCH_DATABASE_URL runs it on another database instead
(e.g. PostgreSQL; it is migrated and given the demo organisation, and keeps what is imported).
"""

import argparse
import csv
import io
import os
import shutil
import tempfile
import time
import uuid
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import select

from app import migrations
from app.db import create_db_engine, write_session
from app.demo import load_demo
from app.hiring import bulk
from app.models import (
    Application,
    ApplicationScore,
    AuditEvent,
    Candidate,
    ImportStatus,
    Vacancy,
    WebhookDelivery,
    WebhookSubscription,
    new_id,
    utcnow,
)
from app.webhooks.service import EVENTS

PLATFORMS = ("vk", "telegram", "youtube", "dzen", "rutube")


def candidates_csv(rows: int, run: str) -> bytes:
    """Valid rows as an ATS export would give them: name, e-mail, years, platforms, ATS id."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["full_name", "email", "location", "years_in_smm", "platforms", "external_id"])
    for n in range(rows):
        writer.writerow(
            [
                f"Кандидат Нагрузочный {n}",
                f"bench{n}.{run}@example.org",
                "Москва",
                str(n % 9),
                ";".join(PLATFORMS[: 1 + n % len(PLATFORMS)]),
                f"bench-{run}-{n}",
            ]
        )
    return out.getvalue().encode()


def prepare(url: str) -> tuple[sa.Engine, uuid.UUID, uuid.UUID, uuid.UUID]:
    """Migrates, loads the demo organisation (as `smm-hire migrate` and `smm-hire demo` do) and
    subscribes a webhook to every event, so that the import writes outbox rows too."""
    engine = create_db_engine(url)
    migrations.upgrade(engine)
    with write_session(engine) as session:
        organisation = load_demo(session)
        vacancy_id = session.exec(
            select(Vacancy.id).where(Vacancy.organisation_id == organisation.id)
        ).first()
        # Disabled after the run (below): nothing is ever sent to it.
        subscription = WebhookSubscription(
            organisation_id=organisation.id,
            url="https://receiver.example/hooks",
            events=list(EVENTS),
            description="bench",
            secret="bench-secret",
        )
        session.add(subscription)
        organisation_id = organisation.id
    return engine, organisation_id, vacancy_id, subscription.id


def baseline(engine: sa.Engine, organisation_id: uuid.UUID, reading: bulk.Reading) -> float:
    """Seconds to insert the rows as plain candidate rows (executemany, batches of 1,000, one
    commit each), with nothing checked and nothing else written; the rows are deleted after."""
    table = Candidate.__table__
    started = time.perf_counter()
    for first in range(0, len(reading.rows), bulk.BATCH_SIZE):
        now = utcnow()
        with engine.begin() as connection:
            connection.execute(
                sa.insert(table),
                [
                    {
                        "id": new_id(),
                        "created_at": now,
                        "updated_at": now,
                        "organisation_id": organisation_id,
                        "full_name": row.full_name,
                        "email": row.email,
                        "phone": row.phone,
                        "location": row.location,
                        "source": "baseline",
                        "external_id": None,
                        "profile": row.profile,
                        "notes": "",
                        "consent_text": "",
                    }
                    for row in reading.rows[first : first + bulk.BATCH_SIZE]
                ],
            )
    seconds = time.perf_counter() - started
    with engine.begin() as connection:
        connection.execute(sa.delete(table).where(table.c.source == "baseline"))
    return seconds


def audit_events(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(AuditEvent)).scalar_one()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=bulk.MAX_ROWS)
    rows = parser.parse_args().rows
    folder = tempfile.mkdtemp(prefix="smm-hire-bench-imports-")
    url = os.environ.get("SMM_HIRE_BENCH_DATABASE_URL") or f"sqlite:///{folder}/i.db"
    engine, organisation_id, vacancy_id, subscription_id = prepare(url)
    run = uuid.uuid4().hex[:8]  # ids of this run, so a kept database can be used again
    data = candidates_csv(rows, run)
    print(f"imports: {rows:,} rows, {len(data) / 1e6:.1f} MB of CSV, on {engine.dialect.name}")

    # The dry run: what the API (dry_run=true) and the command do before anything is saved.
    started, cpu = time.perf_counter(), time.process_time()
    reading = bulk.read(data, "text/csv")
    with write_session(engine) as session:
        problems = reading.problems + bulk.taken_external_ids(
            session, organisation_id=organisation_id, rows=reading.rows
        )
    dry, dry_cpu = time.perf_counter() - started, time.process_time() - cpu
    if problems:
        print(f"imports: stopped: the generated rows have problems: {problems[:5]}")
        shutil.rmtree(folder)
        return

    cpu = time.process_time()
    base = baseline(engine, organisation_id, reading)
    base_cpu = time.process_time() - cpu

    # The import: the job the API starts (and the command runs), batch by batch.
    logged_before = audit_events(engine)
    started, cpu = time.perf_counter(), time.process_time()
    with write_session(engine) as session:
        vacancy = session.get(Vacancy, vacancy_id)
        job = bulk.start(
            session,
            organisation_id=organisation_id,
            vacancy=vacancy,
            rows=reading.rows,
            worker="benchmark",
        )
    job = bulk.run(engine, job.id, worker="benchmark", lease=timedelta(seconds=60))
    real, real_cpu = time.perf_counter() - started, time.process_time() - cpu
    logged = audit_events(engine) - logged_before

    with write_session(engine) as session:
        imported = session.exec(
            select(sa.func.count()).where(Candidate.external_id.like(f"bench-{run}-%"))
        ).one()
        applied = session.exec(
            select(sa.func.count())
            .select_from(Application)
            .join(Candidate, Candidate.id == Application.candidate_id)
            .where(Candidate.external_id.like(f"bench-{run}-%"))
        ).one()
        scored = session.exec(
            select(sa.func.count())
            .select_from(ApplicationScore)
            .join(Application, Application.id == ApplicationScore.application_id)
            .join(Candidate, Candidate.id == Application.candidate_id)
            .where(Candidate.external_id.like(f"bench-{run}-%"))
        ).one()
        events = session.exec(
            select(sa.func.count()).where(WebhookDelivery.subscription_id == subscription_id)
        ).one()
        session.execute(
            sa.update(WebhookSubscription)
            .where(WebhookSubscription.id == subscription_id)
            .values(is_active=False)
        )
    status = "" if job.status == ImportStatus.SUCCEEDED else f" -- {job.status}: {job.error}"
    # CPU seconds of this process too: on a shared machine the wall clock waits for others.
    print(
        f"imports, baseline (plain insert of {rows:,} candidate rows): {base:.1f} s "
        f"({base_cpu:.1f} s CPU), {rows / base:,.0f} rows/s"
    )
    print(
        f"imports, dry run (read and check every row): {dry:.1f} s ({dry_cpu:.1f} s CPU), "
        f"{rows / dry:,.0f} rows/s"
    )
    verdict = "" if rows != bulk.MAX_ROWS else "; meets" if real < 60 else "; misses"
    print(
        f"imports, import ({imported:,} candidates, {applied:,} applications, {scored:,} "
        f"screening scores, {events:,} webhook events, {logged:,} audit events): {real:.1f} s "
        f"({real_cpu:.1f} s CPU), "
        f"{rows / real:,.0f} rows/s, {real / base:.1f}x the baseline's time"
        f"{verdict + ' the 60 s goal' if verdict else ''}{status}"
    )
    engine.dispose()
    shutil.rmtree(folder)  # the SQLite file of 100,000 rows is some 300 MB


if __name__ == "__main__":
    main()
