"""Request bodies, read whole before the app sees the request: the one place for the size caps
(pages, the API, its bulk paths) and the read timeout. A client that sends its headers and
then stalls (or trickles) is answered 408 and holds nothing meanwhile: no worker thread, no
database session, no lock; a body over its cap is answered 413 before it is read."""

import html
import logging

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.asgi import BodyTimeout, BodyTooLarge, Disconnected, read_body, replaying
from app.api.problems import problem_response
from app.hiring.csv_import import MAX_BYTES as CSV_MAX_BYTES
from app.i18n import gettext_for
from app.web.pages import request_locale

logger = logging.getLogger("smm_hire")

# The import takes a 5 MB file; a multipart body adds its boundaries and the other fields.
MAX_PAGE_BODY_BYTES = CSV_MAX_BYTES + 1024 * 1024


class RequestBodyMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        api_max_bytes: int,
        bulk_paths: dict[str, int],
        idle_seconds: float,
        total_seconds: float,
        page_max_bytes: int = MAX_PAGE_BODY_BYTES,
    ) -> None:
        self.app = app
        self.api_max_bytes = api_max_bytes
        # API paths that take files (bulk imports), with their own larger limit.
        self.bulk_paths = bulk_paths
        self.page_max_bytes = page_max_bytes
        self.idle_seconds = idle_seconds
        self.total_seconds = total_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        is_api = path.startswith("/api/")
        limit = self.bulk_paths.get(path, self.api_max_bytes) if is_api else self.page_max_bytes
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await self._too_large(scope, send, limit)
            return
        if length in (None, b"0") and b"transfer-encoding" not in headers:
            await self.app(scope, receive, send)  # no body (most GETs)
            return
        try:
            body = await read_body(
                receive, limit, idle_seconds=self.idle_seconds, total_seconds=self.total_seconds
            )
        except BodyTooLarge:
            await self._too_large(scope, send, limit)
            return
        except BodyTimeout:
            logger.info("request body timed out on %s %s", scope["method"], path)
            await self._timed_out(scope, send)
            return
        except Disconnected:
            logger.info("client disconnected while sending %s %s", scope["method"], path)
            return
        await self.app(scope, replaying(body, receive), send)

    async def _too_large(self, scope: Scope, send: Send, limit: int) -> None:
        request = Request(scope)
        if request.url.path.startswith("/api/"):
            detail = f"the request body is larger than {limit:,} bytes: send less at a time"
            await self._problem(scope, send, 413, "Request too large", detail)
            return
        _ = gettext_for(request_locale(request, None))
        text = _(
            "The upload is too large: send at most %(size)s MB at a time.",
            size=limit // 1024 // 1024,
        )
        await _page(send, 413, text)

    async def _timed_out(self, scope: Scope, send: Send) -> None:
        request = Request(scope)
        if request.url.path.startswith("/api/"):
            detail = (
                f"the request body did not arrive in time (nothing for {self.idle_seconds:g} s, "
                f"or not whole in {self.total_seconds:g} s): send it again"
            )
            await self._problem(scope, send, 408, "Request timeout", detail)
            return
        _ = gettext_for(request_locale(request, None))
        await _page(
            send,
            408,
            _("The form took too long to arrive: check the connection and send it again."),
        )

    async def _problem(
        self, scope: Scope, send: Send, status: int, title: str, detail: str
    ) -> None:
        # The rest of the body is never read: the connection closes after the answer.
        response = problem_response(
            Request(scope),
            status=status,
            title=title,
            detail=detail,
            headers={"Connection": "close"},
        )
        await response(scope, _no_receive, send)


async def _no_receive() -> dict:
    # An answer sent without reading the rest of the body: nothing more is received.
    return {"type": "http.disconnect"}


async def _page(send: Send, status: int, text: str) -> None:
    body = f"<!doctype html><title>{status}</title><p>{html.escape(text)}</p>".encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
