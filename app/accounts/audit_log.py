"""The audit log page (admins): who did what to which object, when and from where, filtered,
page by page, and exported as CSV or JSON for an auditor."""

import csv
import io
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from sqlmodel import select

from app.audit import EventFilter, events_of, object_types_of
from app.db import read_session
from app.deps import DbSession, require_role
from app.errors import InvalidInput
from app.models import ApiKey, AuditEvent, User, UserRole
from app.web.pages import render

router = APIRouter(include_in_schema=False)
Admin = Annotated[User, require_role(UserRole.ADMIN)]
PAGE_SIZE = 100
EXPORT_BATCH = 1_000
COLUMNS = (
    "occurred_at",
    "action",
    "object_type",
    "object_id",
    "actor_user_id",
    "actor_api_key_id",
    "on_behalf_of_user_id",
    "ip_address",
    "details",
)


def event_filter(
    action: Annotated[str, Query(max_length=100)] = "",
    object_type: Annotated[str, Query(max_length=50)] = "",
    object_id: Annotated[str, Query(max_length=64)] = "",
    actor: Annotated[uuid.UUID | None, Query()] = None,
    since: Annotated[date | None, Query()] = None,
    until: Annotated[date | None, Query()] = None,
) -> EventFilter:
    """The filter from the query; dates are whole days in UTC, `until` included."""
    return EventFilter(
        action=action.strip(),
        object_type=object_type.strip(),
        object_id=object_id.strip(),
        actor_id=actor,
        since=datetime.combine(since, time(), UTC) if since else None,
        until=datetime.combine(until, time(), UTC) + timedelta(days=1) if until else None,
    )


Filter = Annotated[EventFilter, Depends(event_filter)]


@router.get("/settings/audit", name="audit_log")
def audit_log(
    request: Request,
    db: DbSession,
    user: Admin,
    where: Filter,
    before: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    """The newest events matching the filter, PAGE_SIZE at a time."""
    events = events_of(
        db,
        organisation_id=user.organisation_id,
        where=where,
        before=_position(before),
        limit=PAGE_SIZE + 1,
    )

    def mine(model: type[User] | type[ApiKey] | type[AuditEvent]):  # noqa: ANN202
        return model.organisation_id == user.organisation_id

    more = len(events) > PAGE_SIZE
    events = events[:PAGE_SIZE]
    query = {k: v for k, v in request.query_params.items() if k != "before"}
    return render(
        request,
        "settings/audit.html",
        user=user,
        events=events,
        users=dict(db.exec(select(User.id, User.full_name).where(mine(User))).all()),
        keys=dict(db.exec(select(ApiKey.id, ApiKey.name).where(mine(ApiKey))).all()),
        filters=query,
        object_types=object_types_of(db, organisation_id=user.organisation_id),
        older=urlencode(
            {**query, "before": f"{events[-1].occurred_at.isoformat()}_{events[-1].id}"}
        )
        if more
        else "",
        export_query=urlencode(query),
    )


@router.get("/settings/audit.{file_format}", name="audit_export")
def audit_export(
    file_format: Literal["csv", "json"], request: Request, user: Admin, where: Filter
) -> Response:
    """Every event matching the filter, streamed (ids only: the log holds no personal data)."""
    engine = request.app.state.engine
    organisation_id = user.organisation_id

    def batches() -> Iterator[list[AuditEvent]]:
        # A session of its own: the request's session closes before the stream ends.
        position = None
        while True:
            with read_session(engine) as session:
                batch = events_of(
                    session,
                    organisation_id=organisation_id,
                    where=where,
                    before=position,
                    limit=EXPORT_BATCH,
                )
            if not batch:
                return
            yield batch
            position = (batch[-1].occurred_at, batch[-1].id)

    body = _csv(batches()) if file_format == "csv" else _json(batches())
    media_type = "text/csv; charset=utf-8" if file_format == "csv" else "application/json"
    return StreamingResponse(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="audit-log.{file_format}"'},
    )


def _row(event: AuditEvent) -> dict:
    return {
        "occurred_at": event.occurred_at.isoformat(),
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "actor_user_id": str(event.actor_user_id or ""),
        "actor_api_key_id": str(event.actor_api_key_id or ""),
        "on_behalf_of_user_id": str(event.on_behalf_of_user_id or ""),
        "ip_address": event.ip_address,
        "details": event.details,
    }


def _csv(batches: Iterator[list[AuditEvent]]) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for batch in batches:
        for event in batch:
            writer.writerow({**_row(event), "details": json.dumps(event.details, sort_keys=True)})
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


def _json(batches: Iterator[list[AuditEvent]]) -> Iterator[str]:
    yield "["
    first = True
    for batch in batches:
        for event in batch:
            yield ("" if first else ",") + json.dumps(_row(event), ensure_ascii=False)
            first = False
    yield "]"


def _position(before: str) -> tuple[datetime, uuid.UUID] | None:
    """The page's start: "<occurred_at>_<id>" of the previous page's last event."""
    when, _, event_id = before.partition("_")
    try:
        return (datetime.fromisoformat(when), uuid.UUID(event_id)) if before else None
    except ValueError:
        raise InvalidInput(
            "this page link is broken: open the audit log again", field="before"
        ) from None


def _after(event: AuditEvent) -> str:
    return f"{event.occurred_at.isoformat()}_{event.id}"
