"""The smm-hire command line: set-up, users, API keys, demo data, the server and purges."""

import json
import os
import socket
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from functools import wraps
from pathlib import Path

import click
import uvicorn
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from app import audit, jobs, migrations
from app.accounts.service import API_KEY_SCOPES, create_api_key, create_user, organisation_by_slug
from app.db import check_connection, create_db_engine, describe_url, write_session
from app.demo import DEMO_LOGINS, load_demo
from app.errors import AppError, ConfigError
from app.hiring import bulk
from app.hiring.service import use_latest_profile_version
from app.models import Locale, UserRole, Vacancy, utcnow
from app.postings.service import create_posting, rendered, structured_data, version_of
from app.privacy import service as privacy
from app.profiles.schema import InterviewStage
from app.rubrics.library import load_library
from app.rubrics.service import load_builtin_library
from app.scoring.service import rescore_outdated, score_applications
from app.settings import Settings
from app.sheets.service import sheet_document, vacancy_sheet
from app.web.pdf import sheet_pdf
from app.webhooks.service import Worker, deliver_due, purge_deliveries


def fail(message: str) -> None:
    """Prints one line saying what is wrong and how to fix it, then exits non-zero."""
    click.echo(f"smm-hire: error: {message}", err=True)
    sys.exit(1)


def friendly_errors(command: Callable) -> Callable:
    """Turns the errors people can fix into one line instead of a traceback."""

    @wraps(command)
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        try:
            return command(*args, **kwargs)
        except ConfigError as exc:
            fail(str(exc))
        except ValidationError as exc:
            problem = exc.errors()[0]
            name = "SMM_HIRE_" + str(problem["loc"][0]).upper() if problem["loc"] else "a setting"
            fail(f"{name} is not valid ({problem['msg']}): fix it in the environment or .env")
        except AppError as exc:
            where = f" ({exc.field})" if exc.field else ""
            fail(f"{exc.detail}{where}")
        except SQLAlchemyError as exc:
            fail(f"the database refused the change ({type(exc).__name__}); nothing was saved")

    return wrapper


def connected_engine(settings: Settings) -> Engine:
    engine = create_db_engine(settings.resolved_database_url)
    check_connection(engine)
    return engine


def current_engine(settings: Settings) -> Engine:
    """The engine of a database that matches the code (or fails saying how to fix it)."""
    engine = connected_engine(settings)
    problem = migrations.schema_state(engine).problem()
    if problem:
        raise ConfigError(problem)
    return engine


@contextmanager
def migrated_session(settings: Settings) -> Iterator[Session]:
    """Yields a write session on a database that matches the code (or fails with the fix)."""
    engine = current_engine(settings)
    with write_session(engine) as session:
        yield session
    engine.dispose()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """smm-hire: hiring and skills assessment for social media managers.

    Settings come from SMM_HIRE_* environment variables (see README.md).
    """


@main.command()
@friendly_errors
def migrate() -> None:
    """Upgrade the database to this version of the code (creates it when new)."""
    settings = Settings()
    engine = connected_engine(settings)
    state = migrations.schema_state(engine)
    if state.is_ahead:
        raise ConfigError(state.problem() or "")
    migrations.upgrade(engine)
    rescored = rescore_outdated_scores(engine)
    if rescored:
        click.echo(f"rescored {rescored} stored scores written by an older version")
    click.echo(f"database {describe_url(settings.resolved_database_url)} is up to date")


def rescore_outdated_scores(engine: Engine) -> int:
    """Brings stored scores written by an older version to this version's layout."""
    with write_session(engine) as session:
        return rescore_outdated(session)


@main.command()
@click.option("--host", help="Address to listen on (default: SMM_HIRE_HOST or 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default: SMM_HIRE_PORT or 8000).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True)
@friendly_errors
def serve(host: str | None, port: int | None, workers: int) -> None:
    """Migrate the database, then serve the web UI and the API."""
    overrides = {key: value for key, value in (("host", host), ("port", port)) if value}
    settings = Settings(**overrides)
    engine = connected_engine(settings)
    if migrations.schema_state(engine).is_ahead:
        raise ConfigError(migrations.schema_state(engine).problem() or "")
    migrations.upgrade(engine)
    rescore_outdated_scores(engine)
    engine.dispose()
    settings.resolved_secret_key  # noqa: B018  (made once here, before workers race for it)
    ensure_port_free(settings.host, settings.port)
    click.echo(f"smm-hire is serving on {settings.base_url} (Ctrl+C stops it)")
    # The workers read their settings from the environment: pass the overrides on.
    os.environ.update({f"SMM_HIRE_{key.upper()}": str(value) for key, value in overrides.items()})
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        log_level=settings.log_level,
        proxy_headers=True,
        # A new worker imports the whole app first (seconds on a busy machine); uvicorn's
        # default 5 s replaced such workers forever before any served.
        timeout_worker_healthcheck=60,
    )


def ensure_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ConfigError(
                f"cannot listen on {host}:{port} ({exc.strerror}): stop what uses the port "
                "or choose another with SMM_HIRE_PORT=8001 (or --port)"
            ) from exc


@main.command("create-user")
@click.option("--organisation", "organisation_slug", required=True, help="Organisation slug.")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True, help="Full name, shown in the UI.")
@click.option("--role", type=click.Choice([role.value for role in UserRole]), required=True)
@click.password_option(help="At least 8 characters; asked for when not given.")
@friendly_errors
def create_user_command(
    organisation_slug: str, email: str, full_name: str, role: str, password: str
) -> None:
    """Add a user to an organisation."""
    with migrated_session(Settings()) as session:
        organisation = organisation_by_slug(session, slug=organisation_slug)
        user = create_user(
            session,
            organisation=organisation,
            email=email,
            full_name=full_name,
            role=UserRole(role),
            password=password,
        )
        click.echo(f"created {user.role.value} {user.email} in {organisation.slug}")


@main.command("create-api-key")
@click.option("--organisation", "organisation_slug", required=True, help="Organisation slug.")
@click.option("--name", required=True, help="What the key is for, e.g. the ATS's name.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    type=click.Choice(API_KEY_SCOPES),
    help="Repeat for each scope.",
)
@click.option("--expires", type=click.DateTime(["%Y-%m-%d"]), help="Last day the key works.")
@friendly_errors
def create_api_key_command(
    organisation_slug: str, name: str, scopes: tuple[str, ...], expires: datetime | None
) -> None:
    """Create an API key for an ATS integration; the key is printed once, keep it safe."""
    expires_at = datetime.combine(expires.date(), time.max, UTC) if expires else None
    with migrated_session(Settings()) as session:
        organisation = organisation_by_slug(session, slug=organisation_slug)
        api_key, secret = create_api_key(
            session,
            organisation=organisation,
            name=name,
            scopes=list(scopes),
            expires_at=expires_at,
        )
        click.echo(f"API key {api_key.name!r} ({', '.join(api_key.scopes)}); shown only now:")
        click.echo(secret)


@main.command()
@friendly_errors
def demo() -> None:
    """Create the demo organisation (slug "demo") and its users; safe to run again."""
    settings = Settings()
    with migrated_session(settings) as session:
        organisation = load_demo(session, base_url=settings.base_url)
        click.echo(
            f"demo organisation {organisation.name!r} is ready; sign in at "
            f"{settings.base_url}/login with:"
        )
        for login in DEMO_LOGINS:
            click.echo(f"  {login.role.value:<12} {login.email:<36} password: {login.password}")


@main.command()
@click.option("--vacancy", "vacancy_id", type=click.UUID, required=True, help="The vacancy's id.")
@click.option(
    "--latest-profile", is_flag=True, help="First move the vacancy to its profile's latest version."
)
@friendly_errors
def rescore(vacancy_id: uuid.UUID, latest_profile: bool) -> None:
    """Recompute the panel scores of a vacancy's applications (after a profile change)."""
    with migrated_session(Settings()) as session:
        vacancy = session.get(Vacancy, vacancy_id)
        if vacancy is None:
            raise ConfigError(f"no vacancy {vacancy_id}: check the id (see the vacancy's page)")
        if latest_profile:
            use_latest_profile_version(session, vacancy=vacancy)
        report = score_applications(
            session,
            vacancy,
            progress=lambda done, total: click.echo(f"scored {done:,} of {total:,} applications"),
        )
        click.echo(
            f"rescored {report.applications:,} applications ({report.ratings:,} ratings) "
            f"in {report.seconds:.1f} s"
        )


@main.group()
def generate() -> None:
    """Write job postings and interview sheets to files."""


@generate.command("posting")
@click.option("--vacancy", "vacancy_id", type=click.UUID, required=True, help="The vacancy's id.")
@click.option("--locale", type=click.Choice(["ru", "en"]), default="ru", show_default=True)
@click.option(
    "--tone", type=click.Choice(["formal", "friendly"]), default="friendly", show_default=True
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["html", "md", "txt", "jsonld"]),
    default="md",
    show_default=True,
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="File to write (default: standard output).",
)
@friendly_errors
def generate_posting(
    vacancy_id: uuid.UUID, locale: str, tone: str, output_format: str, output: Path | None
) -> None:
    """Generate a job posting of a vacancy (saved as a draft version) and write it out."""
    settings = Settings()
    with migrated_session(settings) as session:
        vacancy = session.get(Vacancy, vacancy_id)
        if vacancy is None:
            raise ConfigError(f"no vacancy {vacancy_id}: check the id (see the vacancy's page)")
        posting = create_posting(
            session, vacancy=vacancy, locale=locale, tone=tone, public_base_url=settings.base_url
        )
        if output_format == "jsonld":
            text = json.dumps(structured_data(session, posting), ensure_ascii=False, indent=2)
        else:
            text = rendered(session, version_of(session, posting), output_format)
    if output is None:
        click.echo(text)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise ConfigError(
                f"cannot write {output} ({exc.strerror}): choose another file"
            ) from exc
        click.echo(f"wrote {output}")


@generate.command("sheet")
@click.option("--vacancy", "vacancy_id", type=click.UUID, required=True, help="The vacancy's id.")
@click.option(
    "--stage",
    type=click.Choice([stage.value for stage in InterviewStage]),
    default="interview",
    show_default=True,
)
@click.option("--candidate", default="", help="The candidate's name (blank sheet without).")
@click.option("--locale", type=click.Choice(["ru", "en"]), default="ru", show_default=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["pdf", "html"]),
    default="pdf",
    show_default=True,
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write.",
)
@friendly_errors
def generate_sheet(
    vacancy_id: uuid.UUID, stage: str, candidate: str, locale: str, output_format: str, output: Path
) -> None:
    """Write the interview sheet of a vacancy's stage as PDF (A4, Cyrillic fonts) or HTML."""
    with migrated_session(Settings()) as session:
        vacancy = session.get(Vacancy, vacancy_id)
        if vacancy is None:
            raise ConfigError(f"no vacancy {vacancy_id}: check the id (see the vacancy's page)")
        context = vacancy_sheet(
            session, vacancy=vacancy, stage=InterviewStage(stage), candidate=candidate
        )
        html = sheet_document(
            session,
            organisation_id=vacancy.organisation_id,
            context=context,
            locale=Locale(locale),
        )
    data = sheet_pdf(html) if output_format == "pdf" else html.encode()
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise ConfigError(f"cannot write {output} ({exc.strerror}): choose another file") from exc
    click.echo(f"wrote {output}")


@main.group()
def rubrics() -> None:
    """Check and load the rubric library."""


@rubrics.command("reload")
@friendly_errors
def rubrics_reload() -> None:
    """Load the built-in rubric and profile files into the database (new versions for changed
    files; organisations' own copies are never touched). Running servers see them at once."""
    settings = Settings()
    library = load_library([settings.rubrics_dir])
    for problem in library.problems:
        click.echo(f"{problem} (file refused)", err=True)
    engine = current_engine(settings)
    load_builtin_library(engine, library)
    engine.dispose()
    click.echo(f"loaded {len(library.rubrics)} rubric(s) and {len(library.profiles)} profile(s)")
    if library.problems:
        sys.exit(1)


@rubrics.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def rubrics_check(paths: tuple[Path, ...]) -> None:
    """Validate rubric and profile files (default: the built-in rubrics/ folder).

    A folder holds rubrics, and role profiles in its profiles/ subfolder. Every problem is
    printed as file:line: path: what is wrong and the fix; warnings (a stage with more criteria
    than a panel can rate well) are printed too but do not fail the check.
    """
    library = load_library(list(paths) or None)
    for problem in library.problems:
        click.echo(str(problem), err=True)
    for warning in library.warnings:
        click.echo(f"warning: {warning}", err=True)
    criteria = sum(len(rubric.criteria()) for rubric in library.rubrics.values())
    if library.problems:
        click.echo(
            f"{len(library.problems)} problem(s); fix them and run the check again", err=True
        )
        sys.exit(1)
    warned = f", {len(library.warnings)} warning(s)" if library.warnings else ""
    click.echo(
        f"ok: {len(library.rubrics)} rubric(s), {criteria} criteria, "
        f"{len(library.profiles)} profile(s){warned}"
    )


@main.command("webhooks")
@click.option("--once", is_flag=True, help="One pass over what is due, then exit.")
@friendly_errors
def webhooks_command(once: bool) -> None:
    """Deliver webhooks (the server does this itself unless SMM_HIRE_WEBHOOKS_WORKER=false)."""
    settings = Settings()
    engine = current_engine(settings)
    if once:
        click.echo(f"attempted {deliver_due(engine, settings):,} deliveries")
        return
    worker = Worker(engine, settings)
    click.echo("delivering webhooks; Ctrl+C stops")
    worker.start()
    try:
        while worker.is_alive():
            worker.join(timeout=1)
    except KeyboardInterrupt:
        worker.stop()


@main.command("jobs")
@click.option("--once", is_flag=True, help="Run what is waiting, then exit.")
@friendly_errors
def jobs_command(once: bool) -> None:
    """Run background jobs, imports (the server does this itself unless
    SMM_HIRE_JOBS_WORKER=false)."""
    settings = Settings()
    engine = current_engine(settings)
    if once:
        click.echo(f"ran {jobs.run_due(engine, settings):,} jobs")
        return
    runner = jobs.Runner(engine, settings)
    click.echo("running jobs; Ctrl+C stops")
    runner.start()
    try:
        while any(thread.is_alive() for thread in runner.threads):
            runner.threads[0].join(timeout=1)
    except KeyboardInterrupt:
        runner.stop()


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--organisation", "organisation_slug", required=True, help="Organisation slug.")
@click.option("--vacancy", "vacancy_id", type=click.UUID, help="Apply everyone to this vacancy.")
@click.option("--dry-run", is_flag=True, help="Check every row and report; save nothing.")
@friendly_errors
def import_command(
    file: Path, organisation_slug: str, vacancy_id: uuid.UUID | None, dry_run: bool
) -> None:
    """Import candidates from a CSV or JSON file (up to 100,000), in batches of 1,000 that are
    each saved whole or not at all."""
    settings = Settings()
    media = "application/json" if file.suffix.lower() == ".json" else "text/csv"
    reading = bulk.read(file.read_bytes(), media)
    with migrated_session(settings) as session:
        organisation = organisation_by_slug(session, slug=organisation_slug)
        vacancy = None
        if vacancy_id is not None:
            vacancy = session.get(Vacancy, vacancy_id)
            if vacancy is None or vacancy.organisation_id != organisation.id:
                raise ConfigError(f"no vacancy {vacancy_id} in {organisation_slug}: check the id")
        problems = reading.problems + bulk.taken_external_ids(
            session, organisation_id=organisation.id, rows=reading.rows
        )
        if problems:
            for problem in problems[:50]:
                click.echo(f"{file}:{problem.row}: {problem.field}: {problem.detail}")
            raise ConfigError(
                f"{len(problems):,} problems (the first {min(len(problems), 50)} above): "
                "nothing was imported; fix the file and run again"
            )
        if dry_run:
            click.echo(f"{len(reading.rows):,} rows are fine; nothing was saved (dry run)")
            return
        # Claimed for this command at once; if it is stopped, a server takes the job over
        # once the lease has run out and finishes it.
        worker = jobs.worker_name("cli")
        job = bulk.start(
            session,
            organisation_id=organisation.id,
            vacancy=vacancy,
            rows=reading.rows,
            worker=worker,
            lease=jobs.lease_of(settings),
        )
        job_id = job.id
    engine = connected_engine(settings)
    with click.progressbar(length=len(reading.rows), label="importing") as bar:
        done = 0

        def advance(processed: int, _total: int) -> None:
            nonlocal done
            bar.update(processed - done)
            done = processed

        job = bulk.run(
            engine, job_id, worker=worker, lease=jobs.lease_of(settings), progress=advance
        )
    if job.error:
        raise ConfigError(f"imported {job.processed:,} of {job.total:,} rows; {job.error}")
    click.echo(f"imported {job.processed:,} candidates")


@main.command("purge")
@click.option("--organisation", "organisation_slug", required=True, help="Organisation slug.")
@click.option("--dry-run", is_flag=True, help="List who would be erased and why; erase nobody.")
@friendly_errors
def purge_command(organisation_slug: str, dry_run: bool) -> None:
    """Erase the candidates past the organisation's retention policy, forget old audit events
    and remove old finished import jobs and webhook deliveries (try --dry-run first)."""
    settings = Settings()
    with migrated_session(settings) as session:
        organisation = organisation_by_slug(session, slug=organisation_slug)
        days = settings.audit_retention_days
        forgotten = audit.forget_events_before(
            session,
            utcnow() - timedelta(days=days),
            organisation_id=organisation.id,
            dry_run=dry_run,
        )
        click.echo(
            f"{organisation.slug}: {forgotten:,} audit events older than {days} days "
            + ("would be forgotten" if dry_run else "forgotten")
        )
        days = settings.jobs_retention_days
        cutoff = utcnow() - timedelta(days=days)
        old_jobs = jobs.purge_finished(
            session, cutoff, organisation_id=organisation.id, dry_run=dry_run
        )
        old_deliveries = purge_deliveries(
            session, cutoff, organisation_id=organisation.id, dry_run=dry_run
        )
        click.echo(
            f"{organisation.slug}: {old_jobs:,} finished import jobs and {old_deliveries:,} "
            f"finished webhook deliveries older than {days} days "
            + ("would be removed" if dry_run else "removed")
        )
        due = privacy.due_for_erasure(session, organisation=organisation, now=utcnow())
        click.echo(
            f"{organisation.slug}: {len(due):,} candidates past the retention policy "
            f"(rejected: {organisation.retention_rejected_months} months, talent pool: "
            f"{organisation.retention_talent_pool_months} months after the process ends)"
        )
        for item in due:
            kept = item.retention
            click.echo(
                f"  {item.candidate_id}  {kept.basis.value:<11}  process ended "
                f"{kept.process_ended_at:%Y-%m-%d}, due {kept.erase_on:%Y-%m-%d}"
            )
        if dry_run:
            click.echo("nothing was erased (dry run)")
            return
        erased = privacy.purge(session, organisation=organisation, due=due)
        click.echo(f"erased {erased:,} candidates; the audit log records each erasure")
