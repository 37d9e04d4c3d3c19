"""Limits on the API: requests a minute per API key (429 with Retry-After). Every API answer to
a key carries X-RateLimit-Limit, -Remaining and -Reset. (Request bodies are capped, and read
with a timeout, in app/web/body.py.)

The count is kept in the process: with several workers each has its own, so the limit a key
sees is the setting times the workers."""

import math
import time

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.asgi import bearer_token
from app.api.problems import problem_response
from app.security import sha256_hex

WINDOW_SECONDS = 60


class ApiLimitsMiddleware:
    def __init__(self, app: ASGIApp, *, per_minute: int) -> None:
        self.app = app
        self.per_minute = per_minute
        self._window = 0
        self._counts: dict[str, int] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
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
