"""No database work on the event loop: over the app's own route table, no `async def` endpoint
depends (directly or through its dependencies) on the database session, and no `async def`
dependency takes one. Such a function runs its SQL on the loop, and every other request of the
process waits for it."""

import inspect
from collections.abc import Iterator

from fastapi import Depends, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app.deps import CurrentUser, DbSession, get_db


def _is_async(call: object) -> bool:
    return inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(
        getattr(call, "__call__", None)  # noqa: B004 (a class instance used as a dependency)
    )


def _tree(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _tree(sub)


def sql_on_the_loop(app: FastAPI) -> list[str]:
    """Names each async endpoint whose dependencies reach get_db, and each async dependency
    that takes get_db itself."""
    found = []
    for route in app.routes:
        if not isinstance(route, APIRoute):
            continue
        where = f"{','.join(sorted(route.methods))} {route.path}"
        if _is_async(route.endpoint) and any(d.call is get_db for d in _tree(route.dependant)):
            found.append(f"{where}: endpoint {route.endpoint.__name__}")
        for dependant in _tree(route.dependant):
            if (
                dependant.call is not route.endpoint
                and _is_async(dependant.call)
                and any(sub.call is get_db for sub in dependant.dependencies)
            ):
                found.append(f"{where}: dependency {dependant.call.__name__}")
    return sorted(set(found))


def test_no_async_route_or_dependency_of_the_app_takes_a_database_session(app: FastAPI) -> None:
    assert sql_on_the_loop(app) == []


def test_the_check_finds_async_routes_that_reach_the_session() -> None:
    probe = FastAPI()

    async def loads_directly(db: DbSession) -> None: ...

    async def loads_through_sign_in(user: CurrentUser) -> None: ...

    def plain(db: DbSession) -> None: ...

    async def async_dependency(db: DbSession) -> None: ...

    def uses_async_dependency(thing: None = Depends(async_dependency)) -> None: ...

    probe.post("/direct")(loads_directly)
    probe.post("/signed-in")(loads_through_sign_in)
    probe.post("/plain")(plain)
    probe.post("/dependency")(uses_async_dependency)

    assert sql_on_the_loop(probe) == [
        "POST /dependency: dependency async_dependency",
        "POST /direct: endpoint loads_directly",
        "POST /signed-in: endpoint loads_through_sign_in",
    ]
