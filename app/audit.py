"""Writing the audit log: who did what to which object, when and from where. Ids, versions and
field names only, no personal data. Every change to a candidate, an application, a scorecard or
a score is logged by itself when the session flushes; reads are recorded where they happen."""

import atexit
import logging
import queue
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import Engine, delete, event, func, inspect, or_, tuple_, update
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, SQLModel, select

from app.db import write_session
from app.models import (
    ApiKey,
    Application,
    AuditEvent,
    Candidate,
    CriterionRating,
    InterviewerAssignment,
    Scorecard,
    SelfIdentification,
    StageDecision,
)

logger = logging.getLogger("smm_hire.audit")

if TYPE_CHECKING:
    from app.deps import ApiCaller


@dataclass(frozen=True)
class Actor:
    """Who a request acts as (a signed-in user, or an API key and the person it acts for) and
    from which address; set on the request's session, so every event it records names them."""

    user_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None
    on_behalf_of_user_id: uuid.UUID | None = None
    ip_address: str = ""


NOBODY = Actor()  # background work: imports, the webhook worker, the CLI


def act_as(session: Session, actor: Actor) -> None:
    session.info["actor"] = actor


def actor_of(session: OrmSession) -> Actor:
    return session.info.get("actor", NOBODY)


def record(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    action: str,
    object_type: str,
    object_id: uuid.UUID | str,
    actor_user_id: uuid.UUID | None = None,
    actor_api_key_id: uuid.UUID | None = None,
    on_behalf_of_user_id: uuid.UUID | None = None,
    ip_address: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Returns the event added to the session (committed with the change it records). Who
    and from where default to the session's actor. The same action on the same object twice
    in one transaction (the route's own event and the change logged at flush) is one event."""
    actor = actor_of(session)
    event = _logged(session).get((action, str(object_id)))
    if event is None:
        event = AuditEvent(
            organisation_id=organisation_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
        )
        _logged(session)[(action, str(object_id))] = event
    event.actor_user_id = actor_user_id or actor.user_id
    event.actor_api_key_id = actor_api_key_id or actor.api_key_id
    event.on_behalf_of_user_id = on_behalf_of_user_id or actor.on_behalf_of_user_id
    event.ip_address = (ip_address or actor.ip_address)[:45]
    event.details = {**(event.details or {}), **(details or {})}
    session.add(event)
    return event


def _logged(session: OrmSession) -> dict[tuple[str, str], AuditEvent]:
    """The events this transaction recorded, by action and object."""
    return session.info.setdefault("audit_events", {})


@event.listens_for(OrmSession, "after_commit")
@event.listens_for(OrmSession, "after_rollback")
def _transaction_ended(session: OrmSession) -> None:
    session.info.pop("audit_events", None)


# Tables whose every change is logged: the action's name, and the object the change is filed
# under (the one a person would look up: a rating under its scorecard). Scores are written in
# bulk, past the session: scoring logs them itself, with the versions they were computed with.
WATCHED: dict[type[SQLModel], tuple[str, str, str]] = {
    Candidate: ("candidate", "candidate", "id"),
    Application: ("application", "application", "id"),
    InterviewerAssignment: ("assignment", "application", "application_id"),
    StageDecision: ("decision", "application", "application_id"),
    SelfIdentification: ("self_identification", "application", "application_id"),
    Scorecard: ("scorecard", "scorecard", "id"),
    CriterionRating: ("rating", "scorecard", "scorecard_id"),
}


@event.listens_for(OrmSession, "before_flush")
def _log_changes(session: OrmSession, _context, _instances) -> None:  # noqa: ANN001
    """Adds one event per changed object (created, updated with the names of the fields, or
    deleted) to the flush that writes the change, so the two commit or fail together. An
    event the code recorded itself for the same action and object (it may say more) takes
    the field names instead of a second event."""
    pending = _logged(session)
    actor = actor_of(session)
    for kind, objects in (
        ("created", session.new),
        ("updated", session.dirty),
        ("deleted", session.deleted),
    ):
        for obj in objects:
            watched = WATCHED.get(type(obj))
            if watched is None or (kind == "updated" and not _changed_fields(obj)):
                continue  # not watched, or only its timestamps and row_version moved
            name, object_type, id_attribute = watched
            key = (f"{name}.{kind}", str(getattr(obj, id_attribute)))
            entry = pending.get(key)
            if entry is None:
                entry = pending[key] = AuditEvent(
                    organisation_id=obj.organisation_id,
                    action=key[0],
                    object_type=object_type,
                    object_id=key[1],
                    actor_user_id=actor.user_id,
                    actor_api_key_id=actor.api_key_id,
                    on_behalf_of_user_id=actor.on_behalf_of_user_id,
                    ip_address=actor.ip_address[:45],
                    details={},
                )
                session.add(entry)
            if kind == "updated":
                fields = set(entry.details.get("fields", [])) | _changed_fields(obj)
                entry.details = {**entry.details, "fields": sorted(fields)}


# Columns that change with every write, whatever it changed.
BOOKKEEPING = {"updated_at", "created_at", "row_version"}


def _changed_fields(obj: SQLModel) -> set[str]:
    state = inspect(obj)
    return {
        attribute.key
        for attribute in state.mapper.column_attrs
        if attribute.key not in BOOKKEEPING and state.attrs[attribute.key].history.has_changes()
    }


def record_call(
    session: Session,
    caller: "ApiCaller",
    *,
    action: str,
    object_type: str,
    object_id: uuid.UUID | str,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Records what an API key did, and for whom when the call named a person."""
    return record(
        session,
        organisation_id=caller.organisation.id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        actor_api_key_id=caller.api_key.id,
        on_behalf_of_user_id=caller.on_behalf_of.id if caller.on_behalf_of else None,
        details=details,
    )


@dataclass(frozen=True)
class EventFilter:
    """What an admin looks for in the log; empty fields match everything."""

    action: str = ""  # an action or its start, e.g. "scorecard." or "candidate.read"
    object_type: str = ""
    object_id: str = ""
    actor_id: uuid.UUID | None = None  # a user (acting or acted for) or an API key
    since: datetime | None = None
    until: datetime | None = None


def events_of(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    where: EventFilter,
    before: tuple[datetime, uuid.UUID] | None = None,
    limit: int | None = None,
) -> list[AuditEvent]:
    """The organisation's events matching the filter, newest first; `before` continues a
    page from its last event."""
    query = select(AuditEvent).where(AuditEvent.organisation_id == organisation_id)
    if where.action:
        query = query.where(AuditEvent.action.startswith(where.action, autoescape=True))
    if where.object_type:
        query = query.where(AuditEvent.object_type == where.object_type)
    if where.object_id:
        query = query.where(AuditEvent.object_id == where.object_id)
    if where.actor_id:
        query = query.where(
            or_(
                AuditEvent.actor_user_id == where.actor_id,
                AuditEvent.actor_api_key_id == where.actor_id,
                AuditEvent.on_behalf_of_user_id == where.actor_id,
            )
        )
    if where.since:
        query = query.where(AuditEvent.occurred_at >= where.since)
    if where.until:
        query = query.where(AuditEvent.occurred_at < where.until)
    if before:
        query = query.where(tuple_(AuditEvent.occurred_at, AuditEvent.id) < tuple_(*before))
    query = query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    return list(session.exec(query.limit(limit) if limit else query))


def object_types_of(session: Session, *, organisation_id: uuid.UUID) -> list[str]:
    """The kinds of object the organisation's events name, in order. A recursive query skips
    from one type to the next through the (organisation_id, object_type) index, so it reads
    one index entry per type, not every event."""
    events = AuditEvent.__table__
    mine = events.c.organisation_id == organisation_id
    first = sa.select(sa.func.min(events.c.object_type).label("name")).where(mine)
    found = first.cte("object_types", recursive=True)
    following = sa.select(
        sa.select(sa.func.min(events.c.object_type))
        .where(mine, events.c.object_type > found.c.name)
        .scalar_subquery()
        .label("name")
    ).where(found.c.name.is_not(None))
    found = found.union_all(following)
    query = sa.select(found.c.name).where(found.c.name.is_not(None))
    return list(session.execute(query).scalars())


def forget_events_before(
    session: Session, cutoff: datetime, *, organisation_id: uuid.UUID, dry_run: bool = False
) -> int:
    """Deletes the organisation's events older than the cutoff (the end of the retention
    period); returns how many (that would be deleted, on a dry run)."""
    old = (AuditEvent.organisation_id == organisation_id, AuditEvent.occurred_at < cutoff)
    count = session.exec(select(func.count()).select_from(AuditEvent).where(*old)).one()
    if not dry_run and count:
        session.execute(delete(AuditEvent).where(*old))
    return count


class ReadLog:
    """Writes what reads record, the audit events of reads (who looked at a scorecard, a
    score, a candidate) and API keys' last use, from a thread of its own, many in one
    transaction. A read then never waits for the write lock (SQLite has one writer) nor takes
    a second connection, and under load one commit carries many events. An event reaches the
    table a moment after its response; a crash of the process can lose that moment's events,
    while writes are logged in their own transaction and lose nothing."""

    BATCH = 500

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.items: queue.Queue[AuditEvent | tuple[uuid.UUID, datetime]] = queue.Queue()
        self.thread: threading.Thread | None = None
        self.starting = threading.Lock()

    def add(self, events: list[AuditEvent]) -> None:
        self._start()
        for item in events:
            self.items.put(item)

    def key_used(self, api_key_id: uuid.UUID, when: datetime) -> None:
        self._start()
        self.items.put((api_key_id, when))

    def flush(self) -> None:
        """Returns once everything added so far is in the table (tests, shutdown)."""
        if self.thread is not None:
            self.items.join()

    def _start(self) -> None:
        with self.starting:
            if self.thread is None:
                self.thread = threading.Thread(target=self._write, name="read-log", daemon=True)
                self.thread.start()
                atexit.register(self.flush)

    def _write(self) -> None:
        while True:
            batch = [self.items.get()]
            while len(batch) < self.BATCH and not self.items.empty():
                batch.append(self.items.get_nowait())
            events = [item for item in batch if isinstance(item, AuditEvent)]
            last_used = dict(sorted(item for item in batch if isinstance(item, tuple)))
            try:
                with write_session(self.engine) as session:
                    session.add_all(events)
                    for api_key_id, when in last_used.items():
                        session.execute(
                            update(ApiKey).where(ApiKey.id == api_key_id).values(last_used_at=when)
                        )
            except Exception:
                logger.exception("could not write %d audit events of reads", len(events))
            finally:
                for _ in batch:
                    self.items.task_done()
