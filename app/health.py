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
    """The database answers, its schema matches this code; refused rubric files are listed."""
    try:
        problem = schema_state(request.app.state.engine).problem()
    except SQLAlchemyError as exc:
        problem = f"database unreachable: {type(exc).__name__}"
    if problem:
        return JSONResponse({"status": "unavailable", "reason": problem}, status_code=503)
    # Refused rubric files do not stop the service (the rest is served) but must be seen.
    library_problems = request.app.state.library_problems
    if library_problems:
        return JSONResponse({"status": "degraded", "rubric_problems": library_problems})
    return JSONResponse({"status": "ready"})
