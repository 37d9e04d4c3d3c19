"""The database layer: SQLite set up for concurrent use, UTC timestamps, no lost writes."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from app.db import create_db_engine, read_session, write_session
from app.errors import ConfigError
from app.models import AuditEvent, Organisation
from tests.factories import DEFAULT_PASSWORD, make_organisation, make_user


@pytest.mark.parametrize("backend", ["sqlite"])
def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(engine: sa.Engine) -> None:
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.mark.parametrize("backend", ["sqlite"])
def test_sqlite_refuses_rows_that_point_nowhere(engine: sa.Engine) -> None:
    with pytest.raises(sa.exc.IntegrityError), write_session(engine) as session:
        session.add(
            AuditEvent(
                organisation_id=Organisation().id, action="x", object_type="x", object_id="1"
            )
        )


def test_timestamps_come_back_in_utc(db: Session, engine: sa.Engine) -> None:
    organisation = make_organisation(db)
    moscow_evening = datetime(2026, 3, 1, 22, 0, tzinfo=timezone(timedelta(hours=3)))
    db.add(
        AuditEvent(
            organisation_id=organisation.id,
            occurred_at=moscow_evening,
            action="candidate.read",
            object_type="candidate",
            object_id="1",
        )
    )
    db.commit()

    with read_session(engine) as session:
        event = session.exec(select(AuditEvent)).one()
        stored_organisation = session.get(Organisation, organisation.id)

    assert event.occurred_at == datetime(2026, 3, 1, 19, 0, tzinfo=UTC)
    assert event.occurred_at.tzinfo == UTC
    assert stored_organisation.created_at.tzinfo == UTC


def test_concurrent_read_then_write_transactions_lose_nothing(
    db: Session, engine: sa.Engine
) -> None:
    # Each transaction reads a value and writes it back changed: on SQLite a DEFERRED
    # transaction doing this fails with "database is locked" when another writer got in first.
    organisation = make_organisation(db, name="0")
    db.commit()

    def increment(_: int) -> None:
        with write_session(engine) as session:
            row = session.exec(
                select(Organisation).where(Organisation.id == organisation.id).with_for_update()
            ).one()
            row.name = str(int(row.name) + 1)
            session.add(row)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(increment, range(80)))

    with read_session(engine) as session:
        assert session.get(Organisation, organisation.id).name == "80"


def test_concurrent_sign_ins_through_the_server_all_succeed(
    db: Session, http: httpx.Client
) -> None:
    users = [make_user(db, email=f"user{number}@example.org") for number in range(12)]
    db.commit()
    login_page = http.get("/login")
    token = login_page.text.split('name="csrf_token" value="')[1].split('"')[0]
    cookies = dict(login_page.cookies)

    def sign_in(email: str) -> int:
        with httpx.Client(base_url=str(http.base_url), cookies=cookies, timeout=30) as browser:
            answer = browser.post(
                "/login",
                data={"email": email, "password": DEFAULT_PASSWORD, "csrf_token": token},
            )
            return answer.status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(sign_in, [user.email for user in users]))

    assert statuses == [303] * 12


def test_a_malformed_database_url_is_explained() -> None:
    with pytest.raises(ConfigError, match="is not a database URL: use sqlite:///"):
        create_db_engine("postgres//oops")
