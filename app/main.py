"""The application factory: create_app(settings) wires settings, database, routes and errors."""

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import PROJECT_ROOT, jobs
from app.accounts.audit_log import router as audit_log_pages
from app.accounts.keys import router as api_key_pages
from app.accounts.views import router as accounts_pages
from app.api import problems
from app.api.contract import with_common_problems
from app.api.idempotency import IdempotencyMiddleware
from app.api.limits import ApiLimitsMiddleware
from app.api.router import API_V1_PREFIX, api_router
from app.audit import ReadLog
from app.dashboard.views import router as dashboard_pages
from app.db import ReadLimit, create_db_engine
from app.deps import ApiKeyCache, LoginRequired
from app.errors import AppError, ConfigError
from app.fairness.views import router as fairness_pages
from app.health import router as health_router
from app.hiring import bulk
from app.hiring.views import router as hiring_pages
from app.migrations import schema_state
from app.postings.views import router as posting_pages
from app.privacy.views import router as privacy_pages
from app.rubrics.library import builtin_library
from app.rubrics.service import load_builtin_library
from app.rubrics.views import router as rubric_pages
from app.scorecards.views import router as scorecard_pages
from app.scoring.views import router as scoring_pages
from app.settings import Settings
from app.sheets.views import router as sheet_pages
from app.templating.views import router as template_pages
from app.web.body import RequestBodyMiddleware
from app.web.guard import GuardMiddleware
from app.web.pages import CsrfCookieMiddleware, CsrfFailed
from app.webhooks.service import Worker
from app.webhooks.views import router as webhook_pages

logger = logging.getLogger("smm_hire")


@asynccontextmanager
async def _background_work(app: FastAPI) -> AsyncIterator[None]:
    """While the server runs, its threads deliver webhooks and run jobs (imports), each
    unless turned off (tests then run them themselves: deliver_due, jobs.run_due)."""
    settings = app.state.settings
    workers: list[Worker | jobs.Runner] = []
    if settings.webhooks_worker:
        workers.append(Worker(app.state.engine, settings))
    if settings.jobs_worker:
        app.state.job_runner = jobs.Runner(app.state.engine, settings)
        workers.append(app.state.job_runner)
    for worker in workers:
        worker.start()
    try:
        yield
    finally:
        for worker in workers:
            worker.stop()
        app.state.job_runner = None


def create_app(settings: Settings | None = None) -> FastAPI:
    """Returns the web application for these settings (read from the environment when None)."""
    settings = settings or Settings()
    engine = create_db_engine(settings.resolved_database_url)
    if settings.check_migrations_on_start:
        problem = schema_state(engine).problem()
        if problem:
            raise ConfigError(problem)
    library = builtin_library(settings.rubrics_dir)
    for library_problem in library.problems:
        logger.error("rubric library: %s (file refused; the rest is served)", library_problem)
    for library_warning in library.warnings:
        logger.warning("rubric library: %s (file loaded)", library_warning)
    if schema_state(engine).is_current:
        load_builtin_library(engine, library)

    app = FastAPI(
        title="smm-hire API",
        version="1",
        summary="Role profiles, rubrics, candidates, scorecards and job postings for SMM hiring.",
        openapi_url=f"{API_V1_PREFIX}/openapi.json",
        docs_url=f"{API_V1_PREFIX}/docs",
        redoc_url=None,
        lifespan=_background_work,
    )
    app.state.settings = settings
    app.state.job_runner = None  # set while the lifespan runs the jobs
    app.openapi = lambda: with_common_problems(app)  # type: ignore[method-assign]
    app.state.engine = engine
    app.state.read_log = ReadLog(engine)
    app.state.api_keys = ApiKeyCache()
    app.state.secret_key = settings.resolved_secret_key
    app.state.library_problems = [str(library_problem) for library_problem in library.problems]
    logging.getLogger("smm_hire").setLevel(settings.log_level.upper())

    # Middleware added later wraps what came before: a request meets the body reader and the
    # CSRF cookie (below), then the API limits, then the Idempotency-Key check.
    app.add_middleware(IdempotencyMiddleware)
    app.add_middleware(ApiLimitsMiddleware, per_minute=settings.api_rate_limit_per_minute)

    if engine.dialect.name == "sqlite" and settings.sqlite_max_concurrent_reads:
        app.add_middleware(ReadLimit, limit=settings.sqlite_max_concurrent_reads)

    # Every browser gets a CSRF secret before it sees its first form.
    app.add_middleware(CsrfCookieMiddleware, settings=settings, skip_prefix=f"{API_V1_PREFIX}/")

    # The whole body, within its cap and its time, before anything touches the database.
    app.add_middleware(
        RequestBodyMiddleware,
        api_max_bytes=settings.api_max_body_bytes,
        bulk_paths={f"{API_V1_PREFIX}/imports": bulk.MAX_BYTES},
        idle_seconds=settings.request_body_idle_seconds,
        total_seconds=settings.request_body_total_seconds,
    )

    # Outermost: secure headers reach every answer.
    app.add_middleware(GuardMiddleware)

    app.add_exception_handler(AppError, problems.app_error_handler)
    app.add_exception_handler(RequestValidationError, problems.validation_error_handler)
    app.add_exception_handler(StarletteHTTPException, problems.http_error_handler)
    app.add_exception_handler(LoginRequired, problems.login_required_handler)
    app.add_exception_handler(CsrfFailed, problems.csrf_failed_handler)
    app.add_exception_handler(IntegrityError, problems.race_lost_handler)
    app.add_exception_handler(StaleDataError, problems.race_lost_handler)
    app.add_exception_handler(Exception, problems.unexpected_error_handler)

    app.mount("/static", StaticFiles(directory=PROJECT_ROOT / "app" / "static"), name="static")
    # The API first: its requests then skip matching against every page route (its route
    # names start with "api.", so url_for() in the pages still finds the pages).
    app.include_router(api_router)
    app.include_router(health_router)
    app.include_router(accounts_pages)
    app.include_router(api_key_pages)
    app.include_router(audit_log_pages)
    app.include_router(dashboard_pages)
    app.include_router(rubric_pages)
    app.include_router(sheet_pages)
    app.include_router(hiring_pages)
    app.include_router(fairness_pages)
    app.include_router(privacy_pages)
    app.include_router(scorecard_pages)
    app.include_router(scoring_pages)
    app.include_router(posting_pages)
    app.include_router(template_pages)
    app.include_router(webhook_pages)
    # What start-up loaded lives as long as the process: keep it out of the collector's
    # full passes, which otherwise pause a big page now and then for 100 ms or more.
    gc.collect()
    gc.freeze()
    return app
