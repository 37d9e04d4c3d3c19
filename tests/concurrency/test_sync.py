"""Incremental sync under concurrent writers: a poller that follows the API's cursor while 8
writers run slow, interleaved transactions (on PostgreSQL they commit in another order than
they first wrote) ends up with every committed change; paging by updated_at, as the API did
before, skips some on PostgreSQL."""

import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import Session

from app.db import write_session
from app.hiring import bulk
from app.hiring.csv_import import CandidateRow
from app.models import Candidate, Organisation
from tests.factories import make_api_key, make_organisation

WRITERS = 8
ROUNDS = 5
# On PostgreSQL writer i writes first at about i * STAGGER and commits at about
# (WRITERS - i) * HOLD + i * STAGGER: the first to write commits last.
STAGGER = 0.005
HOLD = 0.04


@dataclass
class Committed:
    """What the writers committed: each row's last state (a writer changes only its own rows,
    one transaction after another, so the last recorded is the row's final state)."""

    final: dict[str, str] = field(default_factory=dict)
    changes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, states: dict[uuid.UUID, str]) -> None:
        with self.lock:
            self.final.update({str(row_id): state for row_id, state in states.items()})
            self.changes += len(states)


@pytest.fixture
def organisation(db: Session) -> Organisation:
    organisation = make_organisation(db)
    db.commit()
    return organisation


@pytest.fixture
def api_headers(db: Session, organisation: Organisation) -> dict[str, str]:
    _, secret = make_api_key(db, organisation=organisation, scopes=["candidates:read"])
    db.commit()
    return {"Authorization": f"Bearer {secret}"}


def write_rounds(
    engine: sa.Engine, organisation_id: uuid.UUID, writer: int, committed: Committed
) -> None:
    """ROUNDS slow transactions, each inserting a candidate (ORM, or Core through the bulk
    import) and changing the one of the round before (ORM, or a Core UPDATE)."""
    postgresql = engine.dialect.name == "postgresql"
    mine: list[uuid.UUID] = []
    for number in range(ROUNDS):
        state = f"writer {writer} round {number}"
        if postgresql:
            time.sleep(writer * STAGGER)
        with write_session(engine) as session:
            written: dict[uuid.UUID, str] = {}
            if writer % 4 == 0:
                bulk.save_rows(
                    session,
                    organisation_id=organisation_id,
                    rows=[CandidateRow(line=1, full_name=state, location=state)],
                    vacancy=None,
                )
                new_id = session.execute(
                    sa.select(Candidate.id).where(Candidate.full_name == state)
                ).scalar_one()
            else:
                candidate = Candidate(organisation_id=organisation_id, full_name=state)
                candidate.location = state
                session.add(candidate)
                session.flush()
                new_id = candidate.id
            written[new_id] = state
            if mine:
                previous = mine[-1]
                if number % 2:
                    session.get(Candidate, previous).location = state
                else:
                    session.execute(
                        sa.update(Candidate).where(Candidate.id == previous).values(location=state)
                    )
                session.flush()
                written[previous] = state
            # Hold the transaction open: on PostgreSQL the others write and commit meanwhile;
            # on SQLite they wait for the lock, each slow in turn.
            time.sleep((WRITERS - writer) * HOLD if postgresql else random.uniform(0, HOLD))
        committed.record(written)
        mine.append(new_id)


def run_writers(engine: sa.Engine, organisation_id: uuid.UUID) -> tuple[Committed, list]:
    committed = Committed()
    threads = [
        threading.Thread(target=write_rounds, args=(engine, organisation_id, writer, committed))
        for writer in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    return committed, threads


def poll_alongside(
    threads: list[threading.Thread], poll: Callable[[], bool], seen: dict[str, str]
) -> None:
    """Polls while the writers run, then until the poller has caught up with the last one."""
    while any(thread.is_alive() for thread in threads):
        if not poll():
            time.sleep(0.005)
    for thread in threads:
        thread.join()
    while poll():
        pass


def test_a_poller_following_the_cursor_gets_every_change_of_8_slow_writers(
    engine: sa.Engine, organisation: Organisation, http: httpx.Client, api_headers: dict
) -> None:
    seen: dict[str, str] = {}
    cursor: list[str] = []
    pages = 0

    def poll() -> bool:
        nonlocal pages
        page = http.get(
            "/api/v1/candidates",
            headers=api_headers,
            params={"limit": 5, **({"cursor": cursor[-1]} if cursor else {})},
        )
        assert page.status_code == 200, page.text
        body = page.json()
        seen.update({item["id"]: item["location"] for item in body["items"]})
        cursor.append(body["next_cursor"])
        pages += 1
        return body["has_more"]

    committed, threads = run_writers(engine, organisation.id)
    poll_alongside(threads, poll, seen)
    from_scratch = [
        http.get("/api/v1/candidates", headers=api_headers, params={"limit": 200}).json()
        for _ in range(2)
    ]

    assert committed.changes == WRITERS * (2 * ROUNDS - 1)
    assert len(committed.final) == WRITERS * ROUNDS
    assert seen == committed.final  # every row, each in its last committed state
    assert pages > ROUNDS * 2  # it really polled while the writers ran
    # A stable order: read again, the same rows come in the same order.
    assert [item["id"] for item in from_scratch[0]["items"]] == [
        item["id"] for item in from_scratch[1]["items"]
    ]
    assert {item["id"] for item in from_scratch[0]["items"]} == set(committed.final)


def test_paging_by_updated_at_as_before_skips_changes_that_commit_late(
    backend: str, engine: sa.Engine, organisation: Organisation
) -> None:
    """The old order, (updated_at, id) by the app's clock at write, run against the same
    writers: a transaction that wrote early and commits late lands behind the cursor."""
    if backend != "postgresql":
        pytest.skip("on SQLite one writer at a time: transactions cannot overlap")
    table = Candidate.__table__
    seen: dict[str, str] = {}
    after: list[tuple] = []

    def poll() -> bool:
        query = (
            sa.select(table.c.id, table.c.location, table.c.updated_at)
            .where(table.c.organisation_id == organisation.id)
            .order_by(table.c.updated_at, table.c.id)
            .limit(6)
        )
        if after:
            query = query.where(sa.tuple_(table.c.updated_at, table.c.id) > sa.tuple_(*after[-1]))
        with engine.connect() as connection:
            rows = connection.execute(query).all()
        seen.update({str(row.id): row.location for row in rows[:5]})
        if rows[:5]:
            after.append((rows[:5][-1].updated_at, rows[:5][-1].id))
        return len(rows) > 5

    committed, threads = run_writers(engine, organisation.id)
    poll_alongside(threads, poll, seen)

    missed = {row_id for row_id, state in committed.final.items() if seen.get(row_id) != state}
    print(f"paging by updated_at missed {len(missed)} of {len(committed.final)} rows")
    assert missed, "paging by updated_at missed nothing: the writers did not overlap"
