"""Database engine and sessions: SQLite tuned for concurrent requests, or PostgreSQL."""

import asyncio
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlmodel import Session, SQLModel, select

from app.errors import ConfigError
from app.models.base import column_values

SQLITE_BUSY_TIMEOUT_MS = 10_000
RowT = TypeVar("RowT", bound=SQLModel)
# Execution option that makes an SQLite transaction take the write lock when it begins.
SQLITE_WRITE_OPTION = "smm_hire_sqlite_write"
# Marks a pooled connection whose transaction holds the process's writer turn (FairLock).
_HOLDS_WRITER_TURN = "smm_hire_writer_turn"


def create_db_engine(database_url: str) -> Engine:
    """Returns an engine for the URL; SQLite gets WAL, a busy timeout and foreign keys. Its
    errors never quote the query's values: they are candidates' data, and errors are logged."""
    try:
        url = make_url(database_url)
    except ArgumentError as exc:
        raise ConfigError(
            f"SMM_HIRE_DATABASE_URL {database_url!r} is not a database URL: "
            "use sqlite:///path/to/file.db or postgresql+psycopg://user@host:5432/dbname"
        ) from exc
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(
            f"SMM_HIRE_DATABASE_URL uses {url.get_backend_name()!r}: "
            "only sqlite:/// and postgresql+psycopg:// are supported"
        )
    if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    try:
        if url.get_backend_name() == "sqlite":
            # As many connections as the server's request threads (40), so none waits for one.
            engine = create_engine(
                url,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
                hide_parameters=True,
                pool_size=10,
                max_overflow=30,
            )
            _tune_sqlite(engine)
        else:
            engine = create_engine(
                url, pool_pre_ping=True, pool_size=5, max_overflow=10, hide_parameters=True
            )
    except (ArgumentError, NoSuchModuleError) as exc:
        raise ConfigError(
            f"SMM_HIRE_DATABASE_URL cannot be used ({exc}): "
            "use sqlite:///path/to/file.db or postgresql+psycopg://user@host:5432/dbname"
        ) from exc
    return engine


class FairLock:
    """A lock that threads get in the order they asked for it. SQLite's own wait for its write
    lock (the busy handler) polls with growing sleeps: under load a writer that just started
    often gets in before one that has waited seconds. In the process, writers queue here."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiting: deque[threading.Event] = deque()
        self._held = False

    def acquire(self, timeout: float) -> bool:
        with self._mutex:
            if not self._held:
                self._held = True
                return True
            turn = threading.Event()
            self._waiting.append(turn)
        if turn.wait(timeout):
            return True
        with self._mutex:
            if turn.is_set():  # handed over just as the wait ended
                return True
            self._waiting.remove(turn)
            return False

    def release(self) -> None:
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().set()  # handed straight to the next: stays held
            else:
                self._held = False


def _tune_sqlite(engine: Engine) -> None:
    writers = FairLock()

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001
        # Let us issue BEGIN ourselves: pysqlite's implicit BEGIN is always DEFERRED.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:  # noqa: ANN001
        # A deferred transaction that later writes fails at once with "database is locked"
        # when another writer got in first; IMMEDIATE waits for the lock (busy_timeout) instead.
        if not connection.get_execution_options().get(SQLITE_WRITE_OPTION):
            connection.exec_driver_sql("BEGIN")
            return
        # The writers of this process take turns in order; one that waits past the busy
        # timeout goes on to SQLite's own wait (and its "database is locked").
        if writers.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):
            connection.info[_HOLDS_WRITER_TURN] = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _end_turn(connection.info)
            raise

    def _end_turn(info: dict) -> None:
        if info.pop(_HOLDS_WRITER_TURN, False):
            writers.release()

    # The turn ends with the transaction (the COMMIT itself is a WAL append: the next writer's
    # BEGIN IMMEDIATE waits for it a millisecond at most); a connection that goes back to the
    # pool or is dropped with a turn (an error mid-transaction) gives it back as well.
    for name in ("commit", "rollback"):
        event.listen(engine, name, lambda connection: _end_turn(connection.info))
    for name in ("checkin", "invalidate"):
        event.listen(engine, name, lambda _dbapi, record, *_: _end_turn(record.info))


def write_engine(engine: Engine) -> Engine:
    """Returns the engine whose transactions may write (same pool)."""
    return engine.execution_options(**{SQLITE_WRITE_OPTION: True})


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """Yields a session for one unit of work; commits at the end, rolls back on error."""
    with Session(write_engine(engine), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def reads_first(session: Session) -> Iterator[None]:
    """For what a writing request reads first (who is calling): the block's queries run in a
    read transaction of their own, ended with the block, so that the write transaction, and
    on SQLite the write lock, begin only at the next statement. Inside a transaction already
    begun, the block simply joins it."""
    if session.in_transaction():
        yield
        return
    session.connection(execution_options={SQLITE_WRITE_OPTION: False})
    try:
        yield
    except BaseException:
        session.rollback()
        raise
    session.commit()  # nothing to write; objects loaded stay loaded (expire_on_commit=False)


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """Yields a session that only reads; on SQLite it does not take the write lock."""
    # Closing ends the transaction and leaves loaded objects readable (detached, not expired).
    with Session(engine, expire_on_commit=False) as session:
        yield session


def locked(session: Session, row: RowT) -> RowT:
    """Re-reads the row with SELECT ... FOR UPDATE, so that it stays locked until the commit
    and what is decided from it holds: a concurrent writer of the row waits, then sees this
    one's change. The object is refreshed in place. SQLite ignores FOR UPDATE: a write
    transaction there holds the database's single write lock already (BEGIN IMMEDIATE)."""
    if not inspect(row).persistent:
        return row  # not stored yet: no other transaction can see it
    model = type(row)
    return session.exec(
        select(model)
        .where(model.id == row.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def insert_unless_present(session: Session, row: SQLModel, *unique: str) -> bool:
    """INSERTs the row unless one with the same values in the `unique` columns exists (ON
    CONFLICT DO NOTHING, on PostgreSQL and SQLite alike); returns whether it was inserted.
    Two requests creating the same thing at once: one inserts, the other learns it lost,
    without an IntegrityError that would end its transaction. Load the row afterwards."""
    session.flush()  # the rows it refers to, when they are new
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values = column_values(row)
    table = row.__table__
    statement = (
        insert(table)
        .values(values)
        .on_conflict_do_nothing(index_elements=unique)
        .returning(*table.primary_key.columns)  # a row back only when it was inserted
    )
    return session.execute(statement).first() is not None


def describe_url(database_url: str) -> str:
    """Returns the URL without its password, for messages and logs."""
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(malformed URL)"


def check_connection(engine: Engine) -> None:
    """Raises ConfigError, saying how to fix it, when the database cannot be reached."""
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        hint = (
            "is PostgreSQL running and is SMM_HIRE_DATABASE_URL right?"
            if engine.dialect.name == "postgresql"
            else "check that the file's folder exists and can be written"
        )
        raise ConfigError(
            f"cannot connect to the database {describe_url(str(engine.url))} ({reason}): {hint}"
        ) from exc


class ReadLimit:
    """ASGI middleware for SQLite: at most `limit` reading requests (GET, HEAD) are worked on at
    once, the others wait in the event loop (holding no thread). One process serves SQLite, and
    its threads share one interpreter: two dozen page renders at once slow the one writer that
    holds the write lock, and every writer queued behind it. A slot is held until the answer
    starts (the route's queries and its rendering), not while it is sent."""

    def __init__(self, app, limit: int) -> None:  # noqa: ANN001
        self.app = app
        self.slots = asyncio.Semaphore(limit)

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or scope["path"].startswith("/static/")
        ):
            await self.app(scope, receive, send)
            return
        await self.slots.acquire()
        held = True

        async def send_and_release(message) -> None:  # noqa: ANN001
            nonlocal held
            if held and message["type"] == "http.response.start":
                held = False
                self.slots.release()
            await send(message)

        try:
            await self.app(scope, receive, send_and_release)
        finally:
            if held:
                self.slots.release()
