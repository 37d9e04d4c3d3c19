"""Errors as RFC 9457 problem details (application/problem+json) for the API, pages for the UI."""

import logging
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from app.db import read_session
from app.deps import LoginRequired, optional_user
from app.errors import AppError
from app.i18n import N_
from app.web.pages import CsrfFailed, render

logger = logging.getLogger("smm_hire")

# A URN rather than a web address: the type names the problem; README.md lists them.
PROBLEM_TYPE_BASE = "urn:smm-hire:problem:"
API_PREFIX = "/api/"


class InvalidParam(BaseModel):
    field: str
    detail: str


class Problem(BaseModel):
    """An RFC 9457 problem: type, title, status, detail; `errors` names each bad field."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[InvalidParam] = []


# Documented on every API operation that can fail this way.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {"application/problem+json": {}}, "description": text}
    for status, text in (
        (401, "No valid API key"),
        (403, "The key lacks the scope"),
        (404, "No such object in this organisation"),
        (
            409,
            "The request conflicts with the object's state, or the same Idempotency-Key is in use",
        ),
        (422, "The request is invalid; `errors` names each field"),
        (429, "Too many requests: wait for Retry-After seconds"),
        (503, "A service the operation needs is unavailable"),
    )
}


def problem_response(
    request: Request,
    *,
    status: int,
    title: str,
    detail: str,
    errors: list[InvalidParam] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    slug = title.lower().replace(" ", "-")
    problem = Problem(
        type=PROBLEM_TYPE_BASE + slug,
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=errors or [],
    )
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=status,
        media_type="application/problem+json",
        headers=headers,
    )


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def _error_page(request: Request, status: int, detail: str | None = None) -> Response:
    # The page shows who is signed in when it can; a failure here must not hide the error.
    user = None
    try:
        with read_session(request.app.state.engine) as db:
            user = optional_user(request, db)
    except Exception:  # noqa: BLE001
        logger.exception("could not look up the user for an error page")
    template = f"errors/{status}.html" if status in (403, 404, 500) else "errors/error.html"
    return render(request, template, user=user, status_code=status, status=status, detail=detail)


async def app_error_handler(request: Request, exc: AppError) -> Response:
    if _is_api(request):
        errors = [InvalidParam(field=name, detail=text) for name, text in exc.field_errors()]
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
        return problem_response(
            request,
            status=exc.status_code,
            title=exc.title,
            detail=exc.detail,
            errors=errors,
            headers=headers,
        )
    return _error_page(request, exc.status_code)


async def validation_error_handler(request: Request, exc: RequestValidationError) -> Response:
    errors = [
        InvalidParam(
            field=".".join(str(part) for part in error["loc"]),
            detail=error["msg"],
        )
        for error in exc.errors()
    ]
    if not _is_api(request):
        return _error_page(request, 400)
    fields = ", ".join(error.field for error in errors)
    return problem_response(
        request,
        status=422,
        title="Invalid request",
        detail=f"check these fields: {fields}",
        errors=errors,
    )


async def http_error_handler(request: Request, exc: StarletteHTTPException) -> Response:
    if _is_api(request):
        return problem_response(
            request,
            status=exc.status_code,
            title="Not found" if exc.status_code == 404 else "Request failed",
            detail=str(exc.detail),
            headers=getattr(exc, "headers", None),
        )
    return _error_page(request, exc.status_code)


async def login_required_handler(request: Request, exc: LoginRequired) -> Response:
    login_url = request.url_for("login").include_query_params(next=request.url.path)
    return RedirectResponse(str(login_url.path) + "?" + login_url.query, status_code=303)


async def csrf_failed_handler(request: Request, exc: CsrfFailed) -> Response:
    return _error_page(
        request, 403, detail=N_("The form has expired. Go back, reload the page and send it again.")
    )


# What a lost race says: another request wrote the same thing (a duplicate, caught by a unique
# constraint) or changed the row since it was read (caught by its row_version).
RACE_DETAIL = (
    "another request changed the same data at the same moment, so nothing was saved: "
    "read it again and retry if it still applies"
)
RACE_PAGE_DETAIL = N_(
    "Someone changed the same data at the same moment (perhaps in another tab), so nothing "
    "was saved. Go back, reload the page and try again."
)


async def race_lost_handler(request: Request, exc: IntegrityError | StaleDataError) -> Response:
    """A write that lost a race to a concurrent one: 409, never a 500. Each service guards its
    own races (locks, ON CONFLICT); this is where the rest end up, in one place."""
    logger.info("%s %s lost a race: %s", request.method, request.url.path, type(exc).__name__)
    if _is_api(request):
        return problem_response(request, status=409, title="Conflict", detail=RACE_DETAIL)
    return _error_page(request, 409, detail=RACE_PAGE_DETAIL)


async def unexpected_error_handler(request: Request, exc: Exception) -> Response:
    if isinstance(exc, ClientDisconnect):
        # The client went away (bodies are read before the app, so this is rare): no answer
        # reaches it, and nothing failed on our side.
        logger.info("client disconnected during %s %s", request.method, request.url.path)
        return Response(status_code=400)
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    if _is_api(request):
        return problem_response(
            request,
            status=500,
            title="Internal server error",
            detail="the server failed; nothing was saved; try again or report it",
        )
    return _error_page(request, 500)
