"""Requests in ASGI middleware: the API key a request carries, and its body, read whole and
then handed on to the app."""

import asyncio
import time

from starlette.types import Message, Receive, Scope


def bearer_token(scope: Scope) -> str:
    """The key in `Authorization: Bearer <key>`, or "" when there is none."""
    authorization = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
    return authorization[7:].strip() if authorization.lower().startswith("bearer ") else ""


class BodyTooLarge(Exception):
    pass


class Disconnected(Exception):
    pass


class BodyTimeout(Exception):
    pass


async def read_body(
    receive: Receive,
    limit: int | None = None,
    *,
    idle_seconds: float | None = None,
    total_seconds: float | None = None,
) -> bytes:
    """Returns the whole request body; BodyTooLarge past the limit, Disconnected if the client
    went away, BodyTimeout when no byte came for idle_seconds or the whole took longer than
    total_seconds (a stalled or trickling client)."""
    body = bytearray()
    more = True
    deadline = time.monotonic() + total_seconds if total_seconds is not None else None
    while more:
        wait = idle_seconds
        if deadline is not None:
            left = deadline - time.monotonic()
            wait = left if wait is None else min(wait, left)
        try:
            async with asyncio.timeout(max(wait, 0) if wait is not None else None):
                message = await receive()
        except TimeoutError:
            raise BodyTimeout from None
        if message["type"] == "http.disconnect":
            raise Disconnected
        body.extend(message.get("body", b""))
        more = message.get("more_body", False)
        if limit is not None and len(body) > limit:
            raise BodyTooLarge
    return bytes(body)


def replaying(body: bytes, receive: Receive) -> Receive:
    """Returns a receive that gives the app the body already read, then waits as before."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
