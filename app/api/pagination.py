"""Cursor pagination for API lists, in the order an ATS syncs by: the position of each
row's last change, then id. A cursor names its list and filters, so one from another list,
or the same list filtered differently, is refused instead of silently skipping rows.

What the cursor guarantees (the API documents the same, see CURSOR_GUARANTEE): follow
`next_cursor` from page to page and keep polling with the last one, and you get every
committed change at least once, in a stable order, whatever order the transactions that made
them commit in. Each page shows a row as it is when the page is read; a row changed again
comes again, later. Nothing is left out, some rows may come twice.

Why it holds. A row's position is set by the statement that writes it (change_position in
app/models/base.py), so ORM and Core writes alike get one. A page reads only rows below a
horizon: every write that can still commit will get a position at or above it, and the
cursor never passes it.
- PostgreSQL: the position is the writing transaction's id (pg_current_xact_id(), xid8,
  64 bits, so no wraparound), the horizon the oldest transaction still in flight in this
  database (from pg_current_snapshot(); see _POSTGRESQL_HORIZON for other databases on the
  server). Every id below it belongs to a transaction that has ended, so its rows are final
  and visible to the page's query; a transaction in flight has an id at or above it, and
  one starting later gets a higher id still (ids are assigned at a transaction's first
  write; one that only reads has none and holds back nobody). So a transaction that wrote
  first and commits last lands after the cursor: it is in no page until it commits, and its
  position is above any cursor given out while it ran. A row written again gets the later
  writer's id: it moves on and comes again. The price: a long transaction holds back the
  rows of every transaction that began after it until it ends (a poll then shows nothing
  newer, and misses nothing).
- SQLite: writers go one at a time, each holding the lock from BEGIN IMMEDIATE to commit,
  so commit order is write order; the position is one more than the table's highest,
  taken inside the writing statement, and the horizon is one more than the highest a page
  sees. Every later commit gets a higher position.
Rows of these tables are deleted only with their organisation, so no position is reused.

A cursor is (position, id) of the last row given out, or, on the last page for now, the
horizon itself: everything below it has been shown (filters applied), so the next poll
starts there and reads no row twice that has not changed.

`updated_since` is a time by the server's clock when a row was written, taken before its
transaction commits: a change made at 10:00 may commit at 10:01, after a poll at 10:00:30
that asked for "since 10:00" had passed. So it only says where the first page starts; a page
given a cursor ignores it, and the cursor is what carries the guarantee. Cursors of the old
format (by updated_at, before sync positions) are still taken: they start again from
LEGACY_CURSOR_MARGIN before their time, so a poller upgraded mid-sync misses nothing it
would have got before and gets some rows twice."""

import base64
import binascii
import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any, Generic, TypeVar

import sqlalchemy as sa
from fastapi import Query
from pydantic import AwareDatetime, BaseModel, BeforeValidator
from pydantic import Field as PydanticField
from sqlmodel import Session

from app.errors import InvalidInput

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
Item = TypeVar("Item")
# An old-format cursor restarts this long before its time: a request's transaction that
# wrote before the old cursor's time and committed after it was shorter than this.
LEGACY_CURSOR_MARGIN = timedelta(minutes=10)
LAST_ID = uuid.UUID(int=(1 << 128) - 1)

Limit = Annotated[
    int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Rows per page, at most {MAX_PAGE_SIZE}.")
]
CURSOR_GUARANTEE = (
    "Lists come in sync order: by the position of each row's last committed change, then id. "
    "Follow `next_cursor` from page to page, and when `has_more` is false keep the last "
    "`next_cursor` and poll with it later: you get every committed change at least once, in "
    "a stable order, even when the transactions that made them commit out of order. A page "
    "shows each row as it is now; a row changed again comes again, in its new place; a change "
    "still being committed comes in a later poll, never before the cursor. Some rows may come "
    "twice, none is skipped. A cursor works only with the list and filters it came from."
)
Cursor = Annotated[
    str | None,
    Query(
        max_length=500,
        description="`next_cursor` of the previous page of the same list, with the same "
        "filters. " + CURSOR_GUARANTEE,
    ),
]


def _iso_8601(value: object) -> object:
    # Pydantic would read a bare number as Unix time; the API promises ISO 8601 only.
    if isinstance(value, str | int | float) and str(value).replace(".", "", 1).isdigit():
        raise ValueError("give the time as ISO 8601 with a time zone, e.g. 2026-11-26T10:00:00Z")
    return value


UpdatedSince = Annotated[
    Annotated[AwareDatetime, BeforeValidator(_iso_8601)] | None,
    Query(
        description="Where the first page starts: rows changed at or after this time (ISO 8601 "
        "with a time zone, by the server's clock when the change was written). Only a starting "
        "point: a change is timed before its transaction commits, so one timed before a poll can "
        "commit after it; polls with `updated_since` alone can miss it, the cursor never does. "
        "Ignored with a cursor: go on with `next_cursor`."
    ),
]


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    next_cursor: str | None = PydanticField(
        description="Where the next page starts; on the last page, where to poll from later "
        "for what commits after this. Always given. " + CURSOR_GUARANTEE
    )
    has_more: bool = PydanticField(
        description="More rows follow now: ask again with `next_cursor` at once."
    )


def _fingerprint(list_name: str, filters: dict[str, Any]) -> str:
    text = json.dumps({"list": list_name, **filters}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def encode_cursor(list_name: str, filters: dict[str, Any], position: int, row_id: uuid.UUID) -> str:
    payload = {"f": _fingerprint(list_name, filters), "p": position, "i": str(row_id)}
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@dataclass(frozen=True)
class After:
    """Where a cursor says to go on: after (position, row_id), or, for a cursor of the old
    format, from changes at or after `since`."""

    position: int | None = None
    row_id: uuid.UUID | None = None
    since: datetime | None = None


def decode_cursor(cursor: str, list_name: str, filters: dict[str, Any]) -> After:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
        fingerprint, row_id = payload["f"], uuid.UUID(payload["i"])
        if "p" in payload:
            if type(payload["p"]) is not int or not -(2**63) <= payload["p"] < 2**63:
                raise ValueError
            after = After(position=payload["p"], row_id=row_id)
        else:
            since = datetime.fromisoformat(payload["u"])
            if since.tzinfo is None:
                raise ValueError
            after = After(since=since - LEGACY_CURSOR_MARGIN)
    except (binascii.Error, ValueError, KeyError, TypeError, OverflowError):
        raise InvalidInput(
            "this cursor is not one this API gave out: start without one", field="query.cursor"
        ) from None
    if fingerprint != _fingerprint(list_name, filters):
        raise InvalidInput(
            "this cursor belongs to another list or other filters: use it with the same list "
            "and filters, or start without one",
            field="query.cursor",
        )
    return after


# The oldest transaction still in flight, leaving out those of other databases on the same
# server (xids are server-wide; a transaction in another database writes none of our rows).
# A backend belongs to one database for its whole life, so a transaction known to be of
# another one is surely not ours; one we cannot place (no permission to see it, a prepared
# transaction) counts as ours: it can only hold the sync back, never make it skip.
_POSTGRESQL_HORIZON = sa.text(
    """
    SELECT coalesce(
        (SELECT min(xid) FROM pg_snapshot_xip(snapshot) AS xid
         WHERE xid::xid NOT IN (
            SELECT activity.backend_xid FROM pg_stat_activity AS activity
            WHERE activity.backend_xid IS NOT NULL
              AND activity.datid <> (SELECT oid FROM pg_database
                                     WHERE datname = current_database()))),
        pg_snapshot_xmax(snapshot))::text::bigint
    FROM pg_current_snapshot() AS snapshot
    """
)


def horizon(session: Session, model) -> int:  # noqa: ANN001  (a synced table model)
    """Returns the position every write that can still commit will be at or above; rows
    below it are final in what this session reads (see the module's docstring)."""
    if session.get_bind().dialect.name == "postgresql":
        # Its own statement, before the page's: a transaction below the horizon had ended
        # when this one began (or ended before it looked: then it was not "in flight"), so
        # the page's later snapshot sees all of its rows.
        return session.execute(_POSTGRESQL_HORIZON).scalar_one()
    # The session's read transaction keeps one snapshot, the page's too.
    return session.execute(
        sa.select(sa.func.coalesce(sa.func.max(model.change_position), 0) + 1)
    ).scalar_one()


def paginate(
    session: Session,
    query,  # noqa: ANN001  (a select of one model)
    model,  # noqa: ANN001
    *,
    list_name: str,
    filters: dict[str, Any],
    cursor: str | None,
    limit: int,
    updated_since: datetime | None = None,
) -> tuple[list, str, bool]:
    """Returns one page of rows in sync order, the cursor after it and whether more rows
    follow now. `updated_since` applies only without a cursor."""
    after = decode_cursor(cursor, list_name, filters) if cursor else After(since=updated_since)
    below = horizon(session, model)
    query = query.where(model.change_position < below)
    if after.since is not None:
        query = query.where(model.updated_at >= after.since)
    if after.position is not None:
        query = query.where(
            # The first condition alone is what the index seeks to; the second sorts out ties.
            model.change_position >= after.position,
            sa.or_(model.change_position > after.position, model.id > after.row_id),
        )
    rows = list(session.exec(query.order_by(model.change_position, model.id).limit(limit + 1)))
    has_more = len(rows) > limit
    rows = rows[:limit]
    # On the last page for now, every row below the horizon the filters let through is out.
    last = (rows[-1].change_position, rows[-1].id) if has_more else (below - 1, LAST_ID)
    return rows, encode_cursor(list_name, filters, *last), has_more
