"""Limits on the API: the size of a request body, and requests a minute per API key (429 with
Retry-After). Every API answer to a key carries X-RateLimit-Limit, -Remaining and -Reset.

The count is kept in the process: with several workers each has its own, so the limit a key
sees is the setting times the workers."""

import math
import time

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.asgi import BodyTooLarge, Disconnected, bearer_token, read_body, replaying
from app.api.problems import problem_response
from app.security import sha256_hex

WINDOW_SECONDS = 60


class ApiLimitsMiddleware:
    def __init__(
        self, app: ASGIApp, *, per_minute: int, max_body_bytes: int, bulk_paths: dict[str, int]
    ) -> None:
        self.app = app
        self.per_minute = per_minute
        self.max_body_bytes = max_body_bytes
        # Paths that take files (bulk imports), with their own larger limit.
        self.bulk_paths = bulk_paths
        self._window = 0
        self._counts: dict[str, int] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        limit = self.bulk_paths.get(scope["path"], self.max_body_bytes)
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await self._refuse_size(scope, receive, send, limit)
            return
        if length is None and scope["method"] in ("POST", "PUT", "PATCH"):
            # No declared length (chunked): read the body here, up to the limit.
            try:
                body = await read_body(receive, limit)
            except BodyTooLarge:
                await self._refuse_size(scope, receive, send, limit)
                return
            except Disconnected:
                return
            receive = replaying(body, receive)

        token = bearer_token(scope)
        if not token:
            await self.app(scope, receive, send)
            return
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        if window != self._window:
            self._window, self._counts = window, {}
        caller = sha256_hex(token)
        used = self._counts.get(caller, 0) + 1
        self._counts[caller] = used
        reset = math.ceil((window + 1) * WINDOW_SECONDS - now)
        limit_headers = {
            "X-RateLimit-Limit": str(self.per_minute),
            "X-RateLimit-Remaining": str(max(self.per_minute - used, 0)),
            "X-RateLimit-Reset": str(reset),
        }
        if used > self.per_minute:
            response = problem_response(
                Request(scope),
                status=429,
                title="Too many requests",
                detail=f"this API key may make {self.per_minute} requests a minute: wait {reset} s",
                headers={**limit_headers, "Retry-After": str(reset)},
            )
            await response(scope, receive, send)
            return

        async def with_limit_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                for name, value in limit_headers.items():
                    response_headers[name] = value
            await send(message)

        await self.app(scope, receive, with_limit_headers)

    async def _refuse_size(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = problem_response(
            Request(scope),
            status=413,
            title="Request too large",
            detail=f"the request body is larger than {limit:,} bytes: send less at a time",
        )
        await response(scope, receive, send)
