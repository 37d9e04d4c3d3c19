"""Liveness and readiness probes for load balancers and containers."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from app.migrations import schema_state

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """The database answers and its schema matches this code."""
    try:
        problem = schema_state(request.app.state.engine).problem()
    except SQLAlchemyError as exc:
        problem = f"database unreachable: {type(exc).__name__}"
    if problem:
        return JSONResponse({"status": "unavailable", "reason": problem}, status_code=503)
    return JSONResponse({"status": "ready"})
