"""CSRF: every page route that changes something (every method but GET and HEAD outside /api/),
taken from the app's own route table, refuses a request without this browser's token."""

import re
import uuid
from contextlib import closing

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from sqlmodel import Session, SQLModel

from app.demo import DEMO_LOGINS
from app.models import Organisation
from app.web.pages import verify_csrf
from tests.hiring.test_pages import browser_for
from tests.test_web_accounts import csrf_token_of

ADMIN = DEMO_LOGINS[0]
# Routes that take the token in the X-CSRF-Token header instead of the form: the scorecard's
# autosave, sent by fetch() from app/static/scorecard.js. Same token, same check.
HEADER_TOKEN_ROUTES = {"autosave"}


def changing_page_routes(app: FastAPI) -> list[tuple[str, str, object]]:
    return [
        (method, route.path, route)
        for route in iter_route_contexts(app.routes)
        if route.path and not route.path.startswith("/api/") and route.methods
        for method in sorted(route.methods - {"GET", "HEAD"})
    ]


def row_counts(db: Session) -> dict[str, int]:
    counts = {
        table.name: db.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        for table in SQLModel.metadata.sorted_tables
    }
    db.rollback()  # on SQLite an open transaction would keep the server from writing
    return counts


def test_the_route_table_has_every_form_and_each_checks_the_token(app: FastAPI) -> None:
    routes = changing_page_routes(app)
    paths = {path for _, path, _ in routes}

    assert {"/login", "/logout", "/candidates/import", "/careers/{organisation_slug}/{slug}"} <= (
        paths
    )
    for _, path, route in routes:
        checks = [dependency.call for dependency in route.original_route.dependant.dependencies]
        assert verify_csrf in checks or route.name in HEADER_TOKEN_ROUTES, path


def test_every_changing_page_route_refuses_a_missing_forged_or_foreign_token(
    app: FastAPI, live_server: str, db: Session, demo: Organisation
) -> None:
    with closing(browser_for(live_server, ADMIN)) as foreign:
        foreign_token = csrf_token_of(foreign.get("/login"))
    answers = {}
    with closing(browser_for(live_server, ADMIN)) as admin:
        assert admin.get("/").status_code == 200  # signed in: roles and sign-in pass
        before = row_counts(db)
        for method, path, _ in changing_page_routes(app):
            url = re.sub(r"\{[^}]+\}", lambda _: str(uuid.uuid4()), path)
            for label, token in (("no", None), ("forged", "0" * 64), ("foreign", foreign_token)):
                form = {"full_name": "Подделка", **({"csrf_token": token} if token else {})}
                headers = {"X-CSRF-Token": token} if token else {}
                answer = admin.request(method, url, data=form, headers=headers)
                answers[f"{method} {path} with {label} token"] = answer.status_code

    refused = {request: status for request, status in answers.items() if status != 403}
    assert refused == {}
    assert row_counts(db) == before
