"""What every API operation promises beyond its own parameters: unknown or repeated query
parameters are refused (a typo must not silently widen a list), and the OpenAPI document
lists the problem responses any operation can give (bad JSON, no key, missing scope, too
large, too many)."""

from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict

from app.errors import InvalidInput


class RequestBody(BaseModel):
    """Base of every API request body: unknown fields are refused (422 naming them), so ids,
    owners and authorship cannot be set from outside."""

    model_config = ConfigDict(extra="forbid")


async def raw_body(request: Request) -> bytes:
    """The request body (read whole by app/web/body.py), for operations that take a file:
    handed over by an async dependency, so the operation itself is a plain function that runs
    its SQL in a thread, not on the event loop."""
    return await request.body()


RawBody = Annotated[bytes, Depends(raw_body)]

_allowed_query: dict[int, frozenset[str]] = {}

COMMON_PROBLEMS = {
    "400": "The request could not be read (malformed JSON, wrong content type)",
    "401": "No valid API key",
    "403": "The key lacks the scope",
    "404": "No such object in this organisation, or On-Behalf-Of names no user of it",
    "413": "The request body is too large",
    "422": "The request is invalid; `errors` names each field",
    "429": "Too many requests: wait for Retry-After seconds",
}


async def reject_unknown_query_parameters(request: Request) -> None:
    """A router dependency: names every query parameter the operation does not take."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    allowed = _allowed_query.get(id(route))
    if allowed is None:
        allowed = _allowed_query[id(route)] = frozenset(_query_names(route.dependant))
    repeated = sorted(
        {
            name
            for name, _ in request.query_params.multi_items()
            if len(request.query_params.getlist(name)) > 1
        }
    )
    if repeated:
        raise InvalidInput(
            f"give the query parameter {repeated[0]} once", field=f"query.{repeated[0]}"
        )
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise InvalidInput(
            f"unknown query parameter {', '.join(unknown)}; this operation takes "
            f"{', '.join(sorted(allowed)) or 'none'}",
            field=f"query.{unknown[0]}",
        )


async def reject_nul_characters(request: Request) -> None:
    """A router dependency: text with NUL characters is refused (PostgreSQL cannot store it,
    and no name or note needs it)."""
    if "\x00" in request.url.query or "%00" in request.url.query:
        raise InvalidInput("text may not contain NUL characters", field="query")
    if request.method in ("POST", "PUT", "PATCH") and b"\\u0000" in await request.body():
        raise InvalidInput("text may not contain NUL characters (\\u0000)", field="body")


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _query_names(dependency)
    return names


def with_common_problems(app: FastAPI) -> dict[str, Any]:
    """Returns the OpenAPI document with the common problem responses on every operation."""
    if app.openapi_schema is None:
        document = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            routes=app.routes,
        )
        problem = {"$ref": "#/components/schemas/Problem"}
        document.setdefault("components", {}).setdefault("schemas", {})
        for path, item in document["paths"].items():
            if not path.startswith("/api/"):
                continue
            for operation in item.values():
                responses = operation.setdefault("responses", {})
                _problems_as_sent(responses, problem)
                for status, description in COMMON_PROBLEMS.items():
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {"application/problem+json": {"schema": problem}},
                        },
                    )
        _no_nul_in_text(document)
        app.openapi_schema = document
    return app.openapi_schema


def _problems_as_sent(responses: dict[str, Any], problem: dict[str, str]) -> None:
    """Every API error is sent as application/problem+json with the Problem schema, but FastAPI
    documents a `model` response under application/json and adds its own 422 (its
    HTTPValidationError) to operations that declare none: the document says what is sent."""
    for status, response in responses.items():
        if status[0] in "45":
            response["content"] = {"application/problem+json": {"schema": problem}}
            if response.get("description") == "Validation Error":
                response["description"] = COMMON_PROBLEMS["422"]


NO_NUL = "^[^\\x00]*$"


def _no_nul_in_text(node: Any) -> None:
    """Says in the schema what reject_nul_characters enforces: free text has no NUL."""
    if isinstance(node, dict):
        is_free_text = node.get("type") == "string" and not (
            {"pattern", "format", "enum", "const"} & node.keys()
        )
        if is_free_text:
            node["pattern"] = NO_NUL
        for value in node.values():
            _no_nul_in_text(value)
    elif isinstance(node, list):
        for value in node:
            _no_nul_in_text(value)
