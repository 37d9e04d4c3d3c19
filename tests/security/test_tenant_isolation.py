"""Tenant isolation as a property, generated from the app's own route table: another
organisation's admin gets 404 (never 403, so ids do not leak) on every page and form of an
organisation's objects, and its lists, searches, filters, exports and downloads show none of
that organisation's rows; the API's filters and references behave the same for its key.

One setup per backend serves the whole module (the demo takes long to load): organisation A
is the demo, organisation B a small one with one object of each kind. Tests run in file order
and only the controls change A's data, after B's requests are checked."""

import base64
import hashlib
import html
import json
import re
import threading
import time
import typing
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum

import httpx
import pytest
import sqlalchemy as sa
import uvicorn
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from sqlmodel import Session, SQLModel, select

from app.db import write_session
from app.demo import DEMO_LOGINS, load_demo
from app.hiring import bulk
from app.hiring.service import (
    assign_interviewer,
    create_application,
    create_candidate,
    open_vacancy,
)
from app.main import create_app
from app.models import (
    Application,
    Candidate,
    JobPosting,
    Organisation,
    RoleProfile,
    Scorecard,
    Stage,
    User,
    UserRole,
    WebhookDelivery,
)
from app.postings.service import create_posting
from app.rubrics import service as library
from app.scorecards.service import start_scorecard
from app.settings import Settings
from app.sheets import api as sheet_api
from app.sheets import views as sheet_pages
from app.webhooks.service import EVENTS, subscribe
from tests.api.test_openapi_document import media_examples, resolve
from tests.api.test_route_table import filled
from tests.conftest import TEST_SECRET_KEY, free_port
from tests.factories import DEFAULT_PASSWORD, make_api_key, make_organisation, make_user
from tests.test_web_accounts import csrf_token_of, sign_in

# Routes with path parameters that name no organisation's object by id, so there is nothing
# of another organisation to ask for. Kept short on purpose: a new route with a parameter the
# test cannot fill fails the first test until it is filled below or listed here with a reason.
EXCEPTIONS = {
    # The public careers pages: addressed by the organisation's own slug and the posting's
    # slug, open to everyone without signing in, and they show only published postings.
    "/careers/{organisation_slug}": "public by design",
    "/careers/{organisation_slug}/{slug}": "public by design",
}
# Path parameters that are words chosen from a fixed set the route does not type as one
# (typed Literal or Enum parameters are filled with their first choice automatically).
WORDS = {("webhook_action", "action"): "enable"}
# Form and query fields named differently from the kind of object they name.
FIELD_KINDS = {"interviewer": "user_id", "applications": "application_id", "actor": "user_id"}
# Fields naming objects that the route reads from the raw form or types as text, so the route
# table cannot tell they name objects: (route name, field, kind, other fields, path words).
UNTYPED_REFERENCES = [
    ("create_candidate", "vacancy", "vacancy_id", {"full_name": "Новый Кандидат"}, {}),
    ("create_vacancy", "profile", "profile_id", {"title": "Чужая вакансия"}, {}),
    (
        "confirm_import",
        "vacancy",
        "vacancy_id",
        {"payload": base64.b64encode("full_name\nИмпорт Чужой\n".encode()).decode()},
        {},
    ),
    ("webhook_action", "delivery_id", "delivery_id", {}, {"action": "resend"}),
]
# JSON properties of API request bodies named differently from the kind of object they name.
API_PROPERTY_KINDS = {"role_profile_id": "profile_id", "user_id": "user_id"}
A_EXTERNAL_ID = "ats-a-17"
A_CRITERION = "strategy.acme_private_criterion"
UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class Side:
    """One organisation as its admin sees it: a signed-in browser and one object of each kind."""

    organisation: Organisation
    ids: dict[str, str]
    browser: httpx.Client
    csrf_token: str
    api_headers: dict[str, str]


@dataclass
class World:
    app: FastAPI
    engine: sa.Engine
    base_url: str
    a: Side
    b: Side
    # Everything of A that must never reach B: names and e-mails, and the ids of A's rows.
    a_names: list[str] = field(default_factory=list)
    a_ids: set[str] = field(default_factory=set)


# --- the route table ---------------------------------------------------------------------------


def page_routes(app: FastAPI) -> list:
    return [
        route
        for route in iter_route_contexts(app.routes)
        if route.path and not route.path.startswith("/api/")
    ]


def _fields(dependant, kind: str) -> list:  # noqa: ANN001
    found = list(getattr(dependant, kind))
    for sub in dependant.dependencies:
        found += _fields(sub, kind)
    return found


def params_of(route, kind: str) -> dict[str, typing.Any]:  # noqa: ANN001
    """The route's parameters of a kind (path_params, query_params, body_params) with their
    annotations; a route that is not FastAPI's has only untyped path parameters."""
    original = route.original_route
    if not isinstance(original, APIRoute):
        names = re.findall(r"\{([a-z_]+)", route.path) if kind == "path_params" else []
        return dict.fromkeys(names)
    return {field.alias: field.field_info.annotation for field in _fields(original.dependant, kind)}


def required_form_fields(route) -> dict[str, typing.Any]:  # noqa: ANN001
    original = route.original_route
    if not isinstance(original, APIRoute):
        return {}
    return {
        field.alias: field.field_info.annotation
        for field in _fields(original.dependant, "body_params")
        if field.field_info.is_required()
    }


def _options(annotation: typing.Any) -> tuple:
    return (annotation, *typing.get_args(annotation))


def names_objects(annotation: typing.Any) -> bool:
    return any(option is uuid.UUID or names_objects_in(option) for option in _options(annotation))


def names_objects_in(annotation: typing.Any) -> bool:
    return typing.get_origin(annotation) is list and uuid.UUID in typing.get_args(annotation)


def first_choice(annotation: typing.Any) -> str | None:
    for option in _options(annotation):
        if typing.get_origin(option) is typing.Literal:
            return str(typing.get_args(option)[0])
        if isinstance(option, type) and issubclass(option, Enum):
            return str(next(iter(option)).value)
    return None


def kind_of(name: str, ids: dict[str, str]) -> str | None:
    for kind in (FIELD_KINDS.get(name), name, f"{name}_id"):
        if kind in ids:
            return kind
    return None


def path_values(route, ids: dict[str, str]) -> tuple[dict[str, str], list[str]]:  # noqa: ANN001
    """The route's path filled with the objects of ids, and the parameters it cannot fill."""
    values, unfilled = {}, []
    for name, annotation in params_of(route, "path_params").items():
        kind = kind_of(name, ids)
        if kind and (annotation is None or names_objects(annotation) or annotation is str):
            values[name] = ids[kind]
        elif (word := WORDS.get((route.name, name)) or first_choice(annotation)) is not None:
            values[name] = word
        else:
            unfilled.append(name)
    return values, unfilled


def is_object_route(route, ids: dict[str, str]) -> bool:  # noqa: ANN001
    return any(kind_of(name, ids) for name in params_of(route, "path_params"))


def url_of(route, values: dict[str, str]) -> str:  # noqa: ANN001
    return re.sub(r"\{([a-z_]+)(:[a-z]+)?\}", lambda match: values[match.group(1)], route.path)


def methods_of(route) -> list[str]:  # noqa: ANN001
    return sorted((route.methods or set()) - {"HEAD"})


def form_for(route, side: Side) -> dict[str, typing.Any]:  # noqa: ANN001
    """The route's required form fields filled with the side's own objects and valid words, so
    the answer is about the object in the path, not about a missing field."""
    form: dict[str, typing.Any] = {"csrf_token": side.csrf_token}
    for name, annotation in required_form_fields(route).items():
        kind = kind_of(name, side.ids)
        if kind and names_objects(annotation):
            form[name] = [side.ids[kind]] if names_objects_in(annotation) else side.ids[kind]
        else:
            form[name] = first_choice(annotation) or "x"
    return form


def send(side: Side, method: str, url: str, form: dict | None = None) -> httpx.Response:
    if method == "GET":
        return side.browser.get(url)
    # Both ways of carrying the token: forms post it, the scorecard's autosave sends a header.
    return side.browser.request(
        method,
        url,
        data=form or {"csrf_token": side.csrf_token},
        headers={"X-CSRF-Token": side.csrf_token},
    )


# --- what B may not see or change --------------------------------------------------------------


def foreign_data(world: World, answer: httpx.Response, sent: set[str] = frozenset()) -> list[str]:
    """A's names and ids in an answer to B, but for what B sent itself (a form echoes it)."""
    text = answer.text
    names = [
        name
        for name in world.a_names
        if name not in sent and (name in text or html.escape(name) in text)
    ]
    ids = set(UUID_PATTERN.findall(text)) & world.a_ids - sent
    return names + sorted(ids)


def org_tables() -> list[sa.Table]:
    return [table for table in SQLModel.metadata.sorted_tables if "organisation_id" in table.c]


def ids_of_rows(engine: sa.Engine, organisation_id: uuid.UUID) -> set[str]:
    with Session(engine) as session:
        found = {str(organisation_id)}
        for table in org_tables():
            if "id" not in table.c:
                continue
            found |= {
                str(row_id)
                for row_id in session.execute(
                    sa.select(table.c.id).where(table.c.organisation_id == organisation_id)
                ).scalars()
            }
        return found


def fingerprint(engine: sa.Engine, organisation_id: uuid.UUID) -> dict[str, str]:
    """A digest of every row of the organisation, table by table."""
    with Session(engine) as session:
        digest = {}
        for table in org_tables():
            rows = session.execute(
                sa.select(table)
                .where(table.c.organisation_id == organisation_id)
                .order_by(*table.primary_key.columns)
            ).all()
            digest[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return digest


def references_to(engine: sa.Engine, organisation_id: uuid.UUID, targets: set[str]) -> list[str]:
    """Rows of the organisation that name one of the targets (another organisation's ids) in
    any column, JSON included."""
    found = []
    with Session(engine) as session:
        for table in org_tables():
            for row in session.execute(
                sa.select(table).where(table.c.organisation_id == organisation_id)
            ).mappings():
                for column, value in row.items():
                    text = (
                        json.dumps(value, default=str)
                        if isinstance(value, dict | list)
                        else str(value)
                    )
                    if set(UUID_PATTERN.findall(text)) & targets:
                        found.append(f"{table.name}.{column}: {text}")
    return found


# --- setup -------------------------------------------------------------------------------------


def furnish(db: Session, organisation: Organisation, *, external_id: str, criterion: str) -> dict:
    """What neither organisation has by default: its own rubric with a criterion of its own, a
    webhook subscription with a delivery, an import job and an API key; returns their ids."""
    builtin = next(
        stored
        for stored in library.visible_rubrics(db, organisation_id=organisation.id)
        if stored.is_builtin
    )
    rubric = library.clone_rubric(db, organisation_id=organisation.id, rubric_id=builtin.row.id)
    document = library.dump(rubric.document)
    own_criterion = {**document["sections"][0]["criteria"][0], "id": criterion, "related": []}
    document["sections"][0]["criteria"].append(own_criterion)
    library.update_rubric(
        db, organisation_id=organisation.id, rubric_id=rubric.row.id, data=document
    )
    subscription = subscribe(
        db,
        organisation_id=organisation.id,
        url="https://ats.example.com/hook",
        events=list(EVENTS),  # so an event of A's sent to B's subscription would show
        description="",
        settings=Settings(_env_file=None, webhooks_allow_internal=True),
    )
    create_candidate(
        db,
        organisation_id=organisation.id,
        full_name=f"Для журнала {organisation.slug}",
        external_id=external_id,
    )
    db.flush()
    delivery = db.exec(
        select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription.id)
    ).first()
    job = bulk.start(db, organisation_id=organisation.id, vacancy=None, rows=[])
    api_key, _ = make_api_key(db, organisation=organisation, scopes=["candidates:read"])
    return {
        "rubric_id": rubric.row.id,
        "criterion_id": criterion,
        "subscription_id": subscription.id,
        "delivery_id": delivery.id,
        "job_id": job.id,
        "api_key_id": api_key.id,
    }


def start_hiring(db: Session, organisation: Organisation, admin: User, interviewer: User) -> None:
    """B's hiring objects: a profile of its own, a vacancy with a posting, a candidate who
    applied and an interviewer's draft scorecard."""
    builtin = next(
        p for p in library.visible_profiles(db, organisation_id=organisation.id) if p.is_builtin
    )
    profile = library.clone_profile(db, organisation_id=organisation.id, profile_id=builtin.row.id)
    vacancy = open_vacancy(
        db, stored=profile, organisation_id=organisation.id, title="Вакансия Б", owner=admin
    )
    candidate = create_candidate(
        db, organisation_id=organisation.id, full_name="Борислав Свой", email="b-own@example.net"
    )
    application = create_application(db, vacancy=vacancy, candidate=candidate)
    assign_interviewer(db, application=application, interviewer=interviewer, stage=Stage.INTERVIEW)
    start_scorecard(db, application=application, interviewer=interviewer, stage=Stage.INTERVIEW)
    create_posting(
        db, vacancy=vacancy, locale="ru", tone="friendly", public_base_url="http://b.example"
    )


def object_ids(db: Session, organisation: Organisation, furnished: dict) -> dict[str, str]:
    """One object of each kind, related to each other: a scorecard, its application, that
    application's vacancy and candidate, the scorecard's interviewer."""
    owned = organisation.id
    scorecard = db.exec(
        select(Scorecard).where(Scorecard.organisation_id == owned).order_by(Scorecard.created_at)
    ).first()
    application = db.get(Application, scorecard.application_id)
    first = {
        "posting_id": JobPosting,
        "profile_id": RoleProfile,
    }
    ids = {
        "scorecard_id": scorecard.id,
        "application_id": application.id,
        "vacancy_id": application.vacancy_id,
        "candidate_id": application.candidate_id,
        "user_id": scorecard.interviewer_user_id,
        **{
            name: db.exec(select(model.id).where(model.organisation_id == owned)).first()
            for name, model in first.items()
        },
        **furnished,
    }
    return {kind: str(value) for kind, value in ids.items()}


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """The app on a loopback port for the whole module (like the live_server fixture)."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def signed_in(base_url: str, email: str, password: str) -> tuple[httpx.Client, str]:
    browser = httpx.Client(base_url=base_url, follow_redirects=False, timeout=60)
    assert sign_in(browser, email, password).status_code == 303
    return browser, csrf_token_of(browser.get("/"))


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    engine: sa.Engine = request.getfixturevalue(f"{request.param}_engine")
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path_factory.mktemp("data"),
        database_url=engine.url.render_as_string(hide_password=False),
        secret_key=TEST_SECRET_KEY,
        webhooks_worker=False,
    )
    app = None
    try:
        with write_session(engine) as db:
            a = load_demo(db)
            furnished = furnish(db, a, external_id=A_EXTERNAL_ID, criterion=A_CRITERION)
            a_ids_ = object_ids(db, a, furnished)
            b = make_organisation(db, name="Чужое агентство")
            b_admin = make_user(
                db,
                organisation=b,
                role=UserRole.ADMIN,
                full_name="Борис Чужов",
                email="admin@b.example.net",
            )
            b_interviewer = make_user(
                db, organisation=b, role=UserRole.INTERVIEWER, full_name="Вера Чужова"
            )
            start_hiring(db, b, b_admin, b_interviewer)
            furnished = furnish(db, b, external_id="ats-b-1", criterion="strategy.b_own_criterion")
            b_ids = object_ids(db, b, furnished)
            _, a_key = make_api_key(db, organisation=a, scopes=["admin"])
            _, b_key = make_api_key(db, organisation=b, scopes=["admin"])
            a_names = [
                *db.exec(select(Candidate.full_name).where(Candidate.organisation_id == a.id)),
                *db.exec(
                    select(Candidate.email).where(
                        Candidate.organisation_id == a.id, Candidate.email != ""
                    )
                ),
                *db.exec(select(User.full_name).where(User.organisation_id == a.id)),
                *db.exec(select(User.email).where(User.organisation_id == a.id)),
                a.name,
            ]
        app = create_app(settings)
        with pytest.MonkeyPatch.context() as patch, serving(app) as base_url:
            # Rendering a PDF takes seconds and says nothing about whose sheet it is: the
            # lookups before it do (tests/rubrics/test_pages.py renders real ones).
            for module in (sheet_pages, sheet_api):
                patch.setattr(module, "sheet_pdf", lambda html: b"%PDF-1.7 stub")
            a_browser, a_token = signed_in(base_url, DEMO_LOGINS[0].email, DEMO_LOGINS[0].password)
            b_browser, b_token = signed_in(base_url, "admin@b.example.net", DEFAULT_PASSWORD)
            yield World(
                app=app,
                engine=engine,
                base_url=base_url,
                a=Side(a, a_ids_, a_browser, a_token, {"Authorization": f"Bearer {a_key}"}),
                b=Side(b, b_ids, b_browser, b_token, {"Authorization": f"Bearer {b_key}"}),
                a_names=a_names,
                a_ids=ids_of_rows(engine, a.id),
            )
            a_browser.close()
            b_browser.close()
    finally:
        if app is not None:
            app.state.engine.dispose()
        # Empty, as the engine fixture leaves it for the next test.
        with write_session(engine) as db:
            for table in reversed(SQLModel.metadata.sorted_tables):
                db.execute(table.delete())


# --- pages -------------------------------------------------------------------------------------


def object_requests(world: World) -> list[tuple[str, typing.Any]]:
    """(method, route) for every page route whose path names an organisation's object."""
    return [
        (method, route)
        for route in page_routes(world.app)
        if route.path not in EXCEPTIONS and is_object_route(route, world.a.ids)
        for method in methods_of(route)
    ]


def test_the_route_table_leaves_no_parameter_unfilled(world: World) -> None:
    routes = page_routes(world.app)
    unfilled = {
        route.path: missing
        for route in routes
        if route.path not in EXCEPTIONS
        for missing in [path_values(route, world.a.ids)[1]]
        if missing
    }
    kinds = {
        kind_of(name, world.a.ids)
        for _, route in object_requests(world)
        for name in params_of(route, "path_params")
    }

    assert unfilled == {}  # fill the new parameter above, or list the route in EXCEPTIONS
    assert references(world)[1] == []  # a new kind of id in a filter or form: name its kind
    assert set(EXCEPTIONS) <= {route.path for route in routes}  # no stale exceptions
    # Every kind of object the setup makes is in some page's path, but for those only the API
    # or a form field names.
    assert set(world.a.ids) - kinds <= {"rubric_id", "job_id", "delivery_id", "user_id"}


def test_another_organisations_admin_gets_404_for_every_object_page_and_form(
    world: World,
) -> None:
    requests = object_requests(world)
    before = fingerprint(world.engine, world.a.organisation.id)
    refused, shown = {}, {}

    for method, route in requests:
        values, _ = path_values(route, world.a.ids)
        answer = send(world.b, method, url_of(route, values), form_for(route, world.b))
        refused[f"{method} {route.path}"] = answer.status_code
        if found := foreign_data(world, answer, set(values.values())):
            shown[f"{method} {route.path}"] = found

    assert len(requests) >= 40
    assert {request: status for request, status in refused.items() if status != 404} == {}
    assert shown == {}
    assert fingerprint(world.engine, world.a.organisation.id) == before
    assert references_to(world.engine, world.b.organisation.id, world.a_ids) == []


def test_the_owner_reaches_every_object_page_and_form(world: World) -> None:
    """The control: the same addresses answer the organisation's own admin, so the 404s above
    are about the organisation, not about a wrong address. Reads first: some forms change the
    object (publish a posting, revoke a key)."""
    misses = {}
    for method, route in sorted(object_requests(world), key=lambda request: request[0] != "GET"):
        values, _ = path_values(route, world.a.ids)
        answer = send(world.a, method, url_of(route, values), form_for(route, world.a))
        if (
            answer.status_code == 404
            or answer.status_code >= 500
            or (method == "GET" and answer.status_code != 200)
        ):
            misses[f"{method} {route.path}"] = answer.status_code

    assert misses == {}


def test_lists_and_pages_without_an_object_show_none_of_another_organisations_rows(
    world: World,
) -> None:
    pages = [
        route
        for route in page_routes(world.app)
        if "GET" in methods_of(route)
        and route.path not in EXCEPTIONS
        and not is_object_route(route, world.a.ids)
    ]
    answers = {
        route.path: world.b.browser.get(url_of(route, path_values(route, {})[0])) for route in pages
    }

    # The control: the organisation's own list shows its rows, so the check below can see them.
    assert foreign_data(world, world.a.browser.get("/candidates"))
    assert len(pages) >= 15
    assert {
        path: answer.status_code for path, answer in answers.items() if answer.status_code >= 400
    } == {}
    assert {
        path: found for path, answer in answers.items() if (found := foreign_data(world, answer))
    } == {}


def references(world: World) -> tuple[list[tuple], list[str]]:
    """(route, method, field, kind, other fields, path words) for every query or form field of a
    page route that names an object: typed as ids in the route table, or listed above; and the
    fields typed as ids whose kind the test does not know."""
    by_name = {route.name: route for route in page_routes(world.app)}
    found, unknown = [], []
    for route in page_routes(world.app):
        if route.path in EXCEPTIONS:
            continue
        for method in methods_of(route):
            kind_ = "query_params" if method == "GET" else "body_params"
            for name, annotation in params_of(route, kind_).items():
                if not names_objects(annotation):
                    continue
                if kind := kind_of(name, world.a.ids):
                    found.append((route, method, name, kind, {}, {}))
                else:
                    unknown.append(f"{method} {route.path} {name}")
    for name, field_name, kind, other, words in UNTYPED_REFERENCES:
        found.append((by_name[name], "POST", field_name, kind, other, words))
    return found, unknown


def test_filters_and_form_fields_naming_another_organisations_objects_find_nothing(
    world: World,
) -> None:
    """B's own objects in the path, one of A's in a filter or a form field: 404, or B's own
    page with none of A's rows; and nothing of B ends up naming A's objects."""
    before = fingerprint(world.engine, world.a.organisation.id)
    fields, _ = references(world)
    answers, shown = {}, {}

    for route, method, name, kind, other, words in fields:
        values, _ = path_values(route, {**world.b.ids})
        values |= words
        url = url_of(route, values)
        foreign = world.a.ids[kind]
        if method == "GET":
            answer = world.b.browser.get(url, params={name: foreign})
        else:
            form = form_for(route, world.b) | other
            form[name] = (
                [foreign]
                if names_objects_in(params_of(route, "body_params").get(name))
                else foreign
            )
            answer = send(world.b, method, url, form)
        label = f"{method} {route.path} {name}=A's {kind}"
        answers[label] = answer.status_code
        if found := foreign_data(world, answer, {foreign}):
            shown[label] = found

    assert len(fields) >= 10
    assert {
        label: status for label, status in answers.items() if status >= 500 or status == 403
    } == {}
    assert shown == {}
    assert fingerprint(world.engine, world.a.organisation.id) == before
    assert references_to(world.engine, world.b.organisation.id, world.a_ids) == []


def test_searching_for_another_organisations_candidates_finds_none(world: World) -> None:
    with Session(world.engine) as db:
        people = db.exec(
            select(Candidate).where(Candidate.organisation_id == world.a.organisation.id).limit(5)
        ).all()
    queries = [query for person in people for query in (person.full_name, person.email) if query]

    answers = {
        query: send(world.b, "POST", "/candidates", {"csrf_token": world.b.csrf_token, "q": query})
        for query in [*queries, "", "@", "а"]
    }

    assert {
        query: answer.status_code for query, answer in answers.items() if answer.status_code != 200
    } == {}
    assert {
        # The search box shows the query again; a row found would show its candidate's id.
        query: found
        for query, answer in answers.items()
        if (found := foreign_data(world, answer, {query}))
    } == {}


# --- the API: what test_route_table does not cover ---------------------------------------------
# tests/api/test_route_table.py walks every API path with another organisation's ids; here
# the ids sit in query filters, in request bodies, and beside the caller's own ids in a path.


def names_uuid(schema: dict) -> bool:
    return any(option.get("format") == "uuid" for option in (schema, *schema.get("anyOf", [])))


def api_kind(name: str, ids: dict[str, str]) -> str | None:
    kind = API_PROPERTY_KINDS.get(name, name)
    return kind if kind in ids else None


MARK = "00000000-0000-0000-0000-0000000000ff"  # where the case puts the id it tries


@dataclass
class ApiCase:
    """A request with one id left open (MARK): sent with A's id, and with B's as the control."""

    label: str
    method: str
    url: str
    params: dict
    body: typing.Any
    foreign: str  # A's id of the kind
    own: str  # B's
    is_filter: bool = False  # a query filter may answer B's own (empty) list instead of 404

    def send(self, api: httpx.Client, value: str) -> httpx.Response:
        def fill(text: str) -> str:
            return text.replace(MARK, value)

        body = json.loads(fill(json.dumps(self.body))) if self.body is not None else None
        params = {name: fill(param) for name, param in self.params.items()}
        return api.request(self.method, fill(self.url), params=params, json=body)


def api_cases(world: World, document: dict) -> tuple[list[ApiCase], list[str]]:
    """One request per place an operation takes an object's id besides its path (a query
    parameter, a property of the JSON body) and per id of a path that names two, with A's id
    there and B's own everywhere else; and the places the test cannot fill."""
    cases, unknown = [], []
    a, b = world.a.ids, world.b.ids
    for path, item in document["paths"].items():
        path_ids = [name for name in re.findall(r"\{([a-z_]+)\}", path) if name in b]
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            label = f"{method.upper()} {path}"
            own = filled(path, b)
            media = operation.get("requestBody", {}).get("content", {}).get("application/json")
            body = media_examples(document, media)[0] if media else None
            properties = resolve(document, media["schema"]).get("properties", {}) if media else {}
            references = [name for name, schema in properties.items() if names_uuid(schema)]
            unknown += [f"{label} body {name}" for name in references if not api_kind(name, a)]
            references = [name for name in references if api_kind(name, a)]
            # The documented example, with B's own objects instead of the example's ids.
            body = (
                {**body, **{name: b[api_kind(name, b)] for name in references}}
                if references
                else body
            )
            for parameter in operation.get("parameters", []):
                name = parameter["name"]
                if parameter["in"] != "query" or not names_uuid(parameter["schema"]):
                    continue
                if not (kind := api_kind(name, a)):
                    unknown.append(f"{label} ?{name}")
                    continue
                cases.append(
                    ApiCase(
                        f"{label} ?{name}", method, own, {name: MARK}, body, a[kind], b[kind], True
                    )
                )
            for name in references:
                kind = api_kind(name, a)
                cases.append(
                    ApiCase(
                        f"{label} body {name}",
                        method,
                        own,
                        {},
                        {**body, name: MARK},
                        a[kind],
                        b[kind],
                    )
                )
            for name in path_ids if len(path_ids) > 1 else []:
                url = filled(path, {**b, name: MARK})
                cases.append(
                    ApiCase(f"{label} path {name}", method, url, {}, body, a[name], b[name])
                )
    return cases, unknown


def test_api_filters_bodies_and_mixed_paths_with_another_organisations_ids(world: World) -> None:
    before = fingerprint(world.engine, world.a.organisation.id)
    with httpx.Client(base_url=world.base_url, headers=world.b.api_headers, timeout=60) as api:
        cases, unknown = api_cases(world, api.get("/api/v1/openapi.json").json())
        answers = {case.label: case.send(api, case.foreign) for case in cases}
        leaks = {
            case.label: answers[case.label].status_code
            for case in cases
            if answers[case.label].status_code != 404
            and not (case.is_filter and answers[case.label].is_success)
        }
        shown = {
            case.label: found
            for case in cases
            if (found := foreign_data(world, answers[case.label], {case.foreign}))
        }
        changed = fingerprint(world.engine, world.a.organisation.id) != before
        named = references_to(world.engine, world.b.organisation.id, world.a_ids)
        # The control: with B's own id in the same place the request is no 404.
        misses = {
            case.label: status
            for case in cases
            if (status := case.send(api, case.own).status_code) == 404 or status >= 500
        }

    assert unknown == []
    assert len(cases) >= 8
    assert leaks == {}
    assert shown == {}
    assert not changed
    assert named == []
    assert misses == {}


def test_api_names_an_organisation_chooses_are_its_own(world: World) -> None:
    """External ids, idempotency keys and list cursors of A, used by B, neither refuse B (which
    would tell that A uses them) nor hand B anything of A's; nor does a criterion of A's rubric."""
    b, a = world.b.api_headers, world.a.api_headers
    key = {"Idempotency-Key": "tenant-isolation-1"}
    with httpx.Client(base_url=world.base_url, timeout=60) as api:
        by_external_id = api.get(
            "/api/v1/candidates", params={"external_id": A_EXTERNAL_ID}, headers=b
        )
        same_external_id = api.post(
            "/api/v1/candidates",
            json={"full_name": "Тёзка по ATS", "external_id": A_EXTERNAL_ID},
            headers=b,
        )
        body = {"full_name": "Одна Заявка"}
        a_first = api.post("/api/v1/candidates", json=body, headers=a | key)
        b_same_key = api.post("/api/v1/candidates", json=body, headers=b | key)
        a_cursor = api.get("/api/v1/candidates", params={"limit": 1}, headers=a).json()
        b_page = api.get(
            "/api/v1/candidates", params={"cursor": a_cursor["next_cursor"]}, headers=b
        )
        criterion = api.get(f"/api/v1/criteria/{A_CRITERION}", headers=b)
        own_criterion = api.get(f"/api/v1/criteria/{A_CRITERION}", headers=a)
        criteria = api.get("/api/v1/criteria", params={"q": "acme_private"}, headers=b)
    library_page = world.b.browser.get("/library", params={"q": "acme_private"})

    assert by_external_id.status_code == 200 and A_EXTERNAL_ID not in by_external_id.text
    assert same_external_id.status_code == 201
    assert a_first.status_code == b_same_key.status_code == 201
    assert b_same_key.json()["id"] != a_first.json()["id"]  # B's own candidate, not A's replay
    assert b_page.status_code == 200 and not foreign_data(world, b_page)
    assert (criterion.status_code, own_criterion.status_code) == (404, 200)
    assert criteria.status_code == 200 and A_CRITERION not in criteria.text
    assert library_page.status_code == 200 and A_CRITERION not in library_page.text
    # A's changes of this module (its controls, its candidate above) went to none of B's rows:
    # B's webhook deliveries and audit trail included.
    a_now = ids_of_rows(world.engine, world.a.organisation.id)
    assert references_to(world.engine, world.b.organisation.id, a_now) == []
