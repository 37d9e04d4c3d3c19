"""Requests in ASGI middleware: the API key a request carries, and its body, read whole and
then handed on to the app."""

from starlette.types import Message, Receive, Scope


def bearer_token(scope: Scope) -> str:
    """The key in `Authorization: Bearer <key>`, or "" when there is none."""
    authorization = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
    return authorization[7:].strip() if authorization.lower().startswith("bearer ") else ""


class BodyTooLarge(Exception):
    pass


class Disconnected(Exception):
    pass


async def read_body(receive: Receive, limit: int | None = None) -> bytes:
    """Returns the whole request body; BodyTooLarge past the limit, Disconnected if the client
    went away."""
    body = bytearray()
    more = True
    while more:
        message = await receive()
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
