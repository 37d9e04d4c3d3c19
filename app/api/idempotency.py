"""Idempotency-Key on API POSTs: a retry gets the first response again instead of doing the
work twice; the same key with a different request is 422; while the first request still runs,
409. Keys belong to the API key that sent them and are kept for a day.

The response is stored once the request has finished, in its own transaction: a process that
dies in between leaves the key "running", and after STALE_AFTER a retry may run again."""

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.asgi import Disconnected, bearer_token, read_body, replaying
from app.api.problems import InvalidParam, problem_response
from app.db import write_session
from app.models import ApiKey, IdempotencyRecord, utcnow
from app.security import sha256_hex

HEADER = b"idempotency-key"
KEPT_FOR = timedelta(hours=24)
STALE_AFTER = timedelta(minutes=5)
MAX_KEY_LENGTH = 255
# Not remembered: the request did no work (no valid key, rate-limited) or failed on our side,
# so trying again should really try again.
NOT_REMEMBERED = {401, 429}


@dataclass
class Claim:
    record_id: object = None
    replay: IdempotencyRecord | None = None
    problem: tuple[int, str, str] | None = None  # status, title, detail


def _claim(engine: sa.Engine, token: str, key: str, request_hash: str) -> Claim:
    """Takes the key for this request, or says why not (replay, still running, other request)."""
    with write_session(engine) as session:
        api_key = session.exec(select(ApiKey).where(ApiKey.key_hash == sha256_hex(token))).first()
        if api_key is None:
            return Claim()  # the request fails authentication anyway; nothing to remember
        now = utcnow()
        # Locked until the commit: of two retries that both find the first attempt dead,
        # one takes over and the other then sees it running (SQLite: one writer anyway).
        record = session.exec(
            select(IdempotencyRecord)
            .where(IdempotencyRecord.api_key_id == api_key.id, IdempotencyRecord.key == key)
            .with_for_update()
        ).first()
        if record is not None and record.started_at < now - KEPT_FOR:
            session.delete(record)
            session.flush()
            record = None
        if record is not None:
            if record.request_hash != request_hash:
                return Claim(
                    problem=(
                        422,
                        "Idempotency key reused",
                        "this Idempotency-Key was sent with a different request: use a new key "
                        "for a new request",
                    )
                )
            if record.response_status is not None:
                return Claim(replay=record)
            if record.started_at > now - STALE_AFTER:
                return Claim(
                    problem=(
                        409,
                        "Idempotency key in use",
                        "the first request with this Idempotency-Key is still running: retry in "
                        "a moment to get its response",
                    )
                )
            record.started_at = now  # the first attempt died: this one takes over
        else:
            record = IdempotencyRecord(
                organisation_id=api_key.organisation_id,
                api_key_id=api_key.id,
                key=key,
                request_hash=request_hash,
            )
        session.add(record)
        try:
            session.commit()
        except IntegrityError:  # another request took the key a moment ago
            session.rollback()
            return Claim(
                problem=(
                    409,
                    "Idempotency key in use",
                    "a request with this Idempotency-Key is running: retry in a moment",
                )
            )
        return Claim(record_id=record.id)


def _finish(
    engine: sa.Engine, record_id, status: int, headers: dict[bytes, bytes], body: bytes
) -> None:  # noqa: ANN001
    with write_session(engine) as session:
        record = session.get(IdempotencyRecord, record_id)
        if record is None:
            return
        if status in NOT_REMEMBERED or status >= 500:
            session.delete(record)
        else:
            record.response_status = status
            record.response_type = headers.get(b"content-type", b"").decode("latin-1")[:200]
            record.response_location = headers.get(b"location", b"").decode("latin-1")[:500]
            record.response_body = body
            session.add(record)


class IdempotencyMiddleware:
    """Pure ASGI, so that it sees the whole request body and the whole response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or not scope["path"].startswith("/api/")
        ):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        key = headers.get(HEADER, b"").decode("latin-1").strip()
        token = bearer_token(scope)
        if not key or not token:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if len(key) > MAX_KEY_LENGTH:
            response = problem_response(
                request,
                status=422,
                title="Invalid request",
                detail=f"the Idempotency-Key is longer than {MAX_KEY_LENGTH} characters",
                errors=[InvalidParam(field="header.idempotency-key", detail="too long")],
            )
            await response(scope, receive, send)
            return

        try:
            body = await read_body(receive)
        except Disconnected:
            return
        request_hash = hashlib.sha256(
            json.dumps([scope["path"], scope.get("query_string", b"").decode("latin-1")]).encode()
            + b"\0"
            + body
        ).hexdigest()
        engine = scope["app"].state.engine
        claim = await run_in_threadpool(_claim, engine, token, key, request_hash)
        if claim.problem is not None:
            status, title, detail = claim.problem
            response = problem_response(request, status=status, title=title, detail=detail)
            await response(scope, receive, send)
            return
        if claim.replay is not None:
            await _replay(claim.replay, send)
            return

        if claim.record_id is None:
            await self.app(scope, replaying(body, receive), send)
            return
        # The response is held back until it is stored, so a client that has it can retry
        # and get it again (never "still running" for a request it saw finish).
        messages: list[Message] = []
        status = 500
        response_headers: dict[bytes, bytes] = {}
        response_body = bytearray()

        async def hold(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                response_headers.update({k.lower(): v for k, v in message.get("headers", [])})
            elif message["type"] == "http.response.body":
                response_body.extend(message.get("body", b""))
            messages.append(message)

        try:
            await self.app(scope, replaying(body, receive), hold)
        finally:
            await run_in_threadpool(
                _finish, engine, claim.record_id, status, response_headers, bytes(response_body)
            )
        for message in messages:
            await send(message)


async def _replay(record: IdempotencyRecord, send: Send) -> None:
    headers = [(b"content-type", record.response_type.encode("latin-1"))]
    if record.response_location:
        headers.append((b"location", record.response_location.encode("latin-1")))
    headers += [
        (b"content-length", str(len(record.response_body)).encode()),
        (b"idempotent-replayed", b"true"),
    ]
    await send(
        {"type": "http.response.start", "status": record.response_status, "headers": headers}
    )
    await send({"type": "http.response.body", "body": record.response_body})
