"""Browser-facing defences in one pure ASGI middleware: secure headers on every answer (a
Content-Security-Policy without inline scripts, nosniff, no framing, referrer kept on this site).
Request bodies are capped and read, with a timeout, in app/web/body.py, just inside this one."""

import base64
import hashlib
import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Pages: scripts and styles only from our own files, so an injected <script> or onclick=
# never runs; no plugins, no <base> tricks, forms post only here, no framing (clickjacking).
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# The template editor shows the organisation's sheet template, whose <style> sets the print
# layout, in a sandboxed iframe that inherits this page's policy: inline styles only, still no
# inline scripts (the sandbox blocks them as well).
TEMPLATE_EDITOR_CSP = PAGE_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
# API answers are data or printable documents (sheets, postings): nothing in them may run.
API_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# FastAPI's interactive API docs load Swagger UI from its CDN and start it with one inline
# script, allowed by its hash (computed from the page itself), never with 'unsafe-inline'.
DOCS_CSP = (
    "default-src 'none'; script-src https://cdn.jsdelivr.net {hashes}; "
    "style-src https://cdn.jsdelivr.net 'unsafe-inline'; "
    "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.jsdelivr.net; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_ALWAYS = {
    # Files are what their Content-Type says (no sniffing an upload into a script).
    "x-content-type-options": "nosniff",
    # frame-ancestors for browsers that predate it.
    "x-frame-options": "DENY",
    # Full URLs stay on this site; other sites see at most our origin, never a path.
    "referrer-policy": "same-origin",
}
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def inline_script_hashes(page: bytes) -> str:
    """Returns the CSP sources ('sha256-...') that allow exactly the page's inline scripts."""
    return " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(page)
    )


class GuardMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        is_api = path.startswith("/api/")

        app = scope.get("app")
        docs_paths = {
            getattr(app, "docs_url", None),
            getattr(app, "swagger_ui_oauth2_redirect_url", None),
        }
        if is_api and path in docs_paths:
            await self.app(scope, receive, self._docs_sender(scope, send))
            return
        secure = scope.get("scheme") == "https"
        is_static = path.startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                _add_headers(headers, API_CSP if is_api else PAGE_CSP, secure, cache=not is_static)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _docs_sender(self, scope: Scope, send: Send) -> Send:
        """Holds the docs page back until its body is known, to allow its scripts by hash."""
        start: Message | None = None
        chunks: list[bytes] = []

        async def send_docs(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            page = b"".join(chunks)
            policy = DOCS_CSP.format(hashes=inline_script_hashes(page) or "'none'")
            _add_headers(MutableHeaders(scope=start), policy, scope.get("scheme") == "https")
            await send(start)
            await send({"type": "http.response.body", "body": page, "more_body": False})

        return send_docs


def _add_headers(headers: MutableHeaders, policy: str, secure: bool, *, cache: bool = True) -> None:
    # A route may set a policy of its own (the template editor); the rest get the default.
    headers.setdefault("content-security-policy", policy)
    for name, value in _ALWAYS.items():
        headers.setdefault(name, value)
    if cache:
        # Pages and API answers carry personal data: no copy in shared or browser caches.
        headers.setdefault("cache-control", "no-store")
    if secure:
        headers.setdefault("strict-transport-security", "max-age=31536000")
