"""Cursor pagination for API lists, in the order an ATS syncs by: last change first seen
(updated_at, then id). A cursor names its list and filters, so one from another list, or the
same list filtered differently, is refused instead of silently skipping rows.

Keep the last page's `next_cursor`: asking with it later returns what changed since, each
change once per change; a row changed again comes again, in its new place."""

import base64
import binascii
import hashlib
import json
import uuid
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import AwareDatetime, BaseModel, BeforeValidator
from sqlmodel import Session, and_, or_

from app.errors import InvalidInput

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
Item = TypeVar("Item")

Limit = Annotated[
    int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Rows per page, at most {MAX_PAGE_SIZE}.")
]
Cursor = Annotated[
    str | None,
    Query(max_length=500, description="`next_cursor` of the previous page of the same list."),
]


def _iso_8601(value: object) -> object:
    # Pydantic would read a bare number as Unix time; the API promises ISO 8601 only.
    if isinstance(value, str | int | float) and str(value).replace(".", "", 1).isdigit():
        raise ValueError("give the time as ISO 8601 with a time zone, e.g. 2026-11-26T10:00:00Z")
    return value


UpdatedSince = Annotated[
    Annotated[AwareDatetime, BeforeValidator(_iso_8601)] | None,
    Query(description="Only rows changed at or after this time (ISO 8601 with a time zone)."),
]


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    # Where the next page starts; also where to poll from later for what changes after this.
    next_cursor: str | None
    has_more: bool


def _fingerprint(list_name: str, filters: dict[str, Any]) -> str:
    text = json.dumps({"list": list_name, **filters}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def encode_cursor(
    list_name: str, filters: dict[str, Any], updated_at: datetime, row_id: uuid.UUID
) -> str:
    payload = {"f": _fingerprint(list_name, filters), "u": updated_at.isoformat(), "i": str(row_id)}
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def decode_cursor(
    cursor: str, list_name: str, filters: dict[str, Any]
) -> tuple[datetime, uuid.UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
        fingerprint, updated_at, row_id = payload["f"], payload["u"], payload["i"]
        position = datetime.fromisoformat(updated_at), uuid.UUID(row_id)
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise InvalidInput(
            "this cursor is not one this API gave out: start without one", field="query.cursor"
        ) from None
    if fingerprint != _fingerprint(list_name, filters):
        raise InvalidInput(
            "this cursor belongs to another list or other filters: use it with the same list "
            "and filters, or start without one",
            field="query.cursor",
        )
    return position


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
) -> tuple[list, str | None, bool]:
    """Returns one page of rows, the cursor after it and whether more rows follow now."""
    if updated_since is not None:
        query = query.where(model.updated_at >= updated_since)
    if cursor:
        after, after_id = decode_cursor(cursor, list_name, filters)
        query = query.where(
            or_(model.updated_at > after, and_(model.updated_at == after, model.id > after_id))
        )
    rows = list(session.exec(query.order_by(model.updated_at, model.id).limit(limit + 1)))
    has_more = len(rows) > limit
    rows = rows[:limit]
    if rows:
        cursor = encode_cursor(list_name, filters, rows[-1].updated_at, rows[-1].id)
    return rows, cursor, has_more
