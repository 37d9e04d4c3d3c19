"""Test fixtures: every database test runs on SQLite and on PostgreSQL, on a migrated schema."""

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, SQLModel

from app import migrations
from app.db import create_db_engine, write_session
from app.demo import load_demo
from app.main import create_app
from app.models import Organisation
from app.settings import Settings

# The server that hosts the throwaway PostgreSQL databases of a test run.
POSTGRES_ADMIN_URL = os.environ.get(
    "SMM_HIRE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
TEST_SECRET_KEY = "test-secret-key-that-is-long-enough-0123456789"


def _postgres_unavailable_reason() -> str | None:
    engine = sa.create_engine(POSTGRES_ADMIN_URL)
    try:
        with engine.connect():
            return None
    except sa.exc.OperationalError as exc:
        return f"no PostgreSQL at {POSTGRES_ADMIN_URL} ({str(exc.orig).splitlines()[0]})"
    finally:
        engine.dispose()


class PostgresServer:
    """Creates and drops databases for tests on the configured server."""

    def __init__(self) -> None:
        self.admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")

    def create_database(self) -> str:
        name = f"smm_hire_test_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        return sa.make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(False)

    def drop_database(self, url: str) -> None:
        name = sa.make_url(url).database
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    reason = _postgres_unavailable_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs PostgreSQL: {reason}")
        pytest.skip(f"PostgreSQL half skipped: {reason}")
    server = PostgresServer()
    yield server
    server.admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def empty_database_url(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    """A new, empty database on the backend (no tables), dropped after the test."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database()
    yield url
    server.drop_database(url)


def _migrated_engine(backend: str, tmp_path_factory: pytest.TempPathFactory, request) -> Iterator:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        server = None
    else:
        server = request.getfixturevalue("postgres_server")
        url = server.create_database()
    engine = create_db_engine(url)
    migrations.upgrade(engine)
    yield engine
    engine.dispose()
    if server:
        server.drop_database(url)


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory, request) -> Iterator[sa.Engine]:
    yield from _migrated_engine("sqlite", tmp_path_factory, request)


@pytest.fixture(scope="session")
def postgresql_engine(tmp_path_factory, request) -> Iterator[sa.Engine]:
    yield from _migrated_engine("postgresql", tmp_path_factory, request)


@pytest.fixture
def engine(backend: str, request: pytest.FixtureRequest) -> Iterator[sa.Engine]:
    """The backend's migrated database, emptied after each test so tests never see each other."""
    engine: sa.Engine = request.getfixturevalue(f"{backend}_engine")
    yield engine
    with write_session(engine) as session:
        for table in reversed(SQLModel.metadata.sorted_tables):
            session.execute(table.delete())


@pytest.fixture
def db(engine: sa.Engine) -> Iterator[Session]:
    """A session for setting up and checking data; committed when the test ends. On SQLite an
    open transaction of it holds the write lock: commit or roll back before the server writes."""
    with write_session(engine) as session:
        yield session


@pytest.fixture
def settings(engine: sa.Engine, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        database_url=engine.url.render_as_string(hide_password=False),
        secret_key=TEST_SECRET_KEY,
        # Tests deliver webhooks and run jobs themselves (deliver_due, jobs.run_due), when
        # they choose.
        webhooks_worker=False,
        jobs_worker=False,
    )


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def live_server(app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn on a loopback port, as an ATS or a browser would reach it."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def http(live_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server, follow_redirects=False, timeout=20) as http_client:
        yield http_client


@pytest.fixture
def cli_env(empty_database_url: str, tmp_path: Path) -> dict[str, str]:
    """The environment of an smm-hire command run on an empty database of the backend."""
    keep = {key: value for key, value in os.environ.items() if not key.startswith("SMM_HIRE_")}
    return {
        **keep,
        "SMM_HIRE_DATA_DIR": str(tmp_path / "data"),
        "SMM_HIRE_DATABASE_URL": empty_database_url,
    }


@pytest.fixture
def demo(db: Session) -> Organisation:
    """The demo organisation, committed: its users, profiles, vacancies and candidates."""
    organisation = load_demo(db)
    db.commit()
    return organisation
