"""Personal data stays out of URLs and logs: a candidate's name, e-mail and phone never appear in
a path, a query string, a link or a redirect, nor in any log record (the app's, or the access
log's lines), over a scenario that adds candidates by every way there is."""

import logging
import re
import uuid
from contextlib import closing
from urllib.parse import quote, quote_plus

import httpx
import pytest
from sqlmodel import Session, select

from app.models import Application, Candidate, Organisation, Vacancy
from tests.factories import make_api_key
from tests.hiring.test_pages import RECRUITER, browser_for
from tests.test_web_accounts import csrf_token_of

NAME, EMAIL, PHONE = "Евдокия Приватная", "evdokia.private@example.org", "+7 900 123-45-67"
IMPORTED = ("Феврония Импортная", "fevronia.import@example.org")
APPLIED = ("Олимпиада Откликнувшаяся", "olimpiada.apply@example.org")
API_MADE = ("Ефросинья Апишная", "efrosinya.api@example.org")
PERSONAL = [NAME, EMAIL, PHONE, *IMPORTED, *APPLIED, *API_MADE]
# Fields that would carry personal data if a GET form had them.
PERSONAL_FIELDS = {"q", "candidate", "full_name", "email", "phone"}
_URL_ATTRIBUTES = re.compile(r'(?:href|src|action|formaction|data-[a-z-]*url)="([^"]*)"')


def spellings(value: str) -> set[str]:
    """The ways a value can sit in a URL or a log line."""
    return {value, value.lower(), quote(value), quote(value, safe=""), quote_plus(value)}


def leaks(text: str) -> list[str]:
    return [value for value in PERSONAL if any(form in text for form in spellings(value))]


class Recorder:
    """Every URL the scenario requested (redirects included) and every URL its pages hold."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.get_forms: list[str] = []

    def request(self, request: httpx.Request) -> None:
        self.urls.append(str(request.url))

    def response(self, response: httpx.Response) -> None:
        response.read()
        if "location" in response.headers:
            self.urls.append(response.headers["location"])
        if "text/html" in response.headers.get("content-type", ""):
            self.urls.extend(_URL_ATTRIBUTES.findall(response.text))
            self.get_forms.extend(
                re.findall(r'<form[^>]*method="get"[^>]*>.*?</form>', response.text, re.DOTALL)
            )


def run_scenario(live_server: str, db: Session, demo: Organisation, recorder: Recorder) -> None:
    vacancy_id = db.exec(select(Vacancy.id).where(Vacancy.organisation_id == demo.id)).first()
    _, api_secret = make_api_key(db, organisation=demo, scopes=["admin"])
    db.commit()
    hooks = {"request": [recorder.request], "response": [recorder.response]}

    with closing(browser_for(live_server, RECRUITER)) as recruiter:
        recruiter.event_hooks = hooks
        # A recruiter adds a candidate to a vacancy, then looks around.
        form = recruiter.get(f"/candidates/new?vacancy={vacancy_id}")
        application = recruiter.post(
            "/candidates/new",
            data={
                "full_name": NAME,
                "email": EMAIL,
                "phone": PHONE,
                "vacancy": str(vacancy_id),
                "csrf_token": csrf_token_of(form),
            },
        )
        assert application.status_code == 200 and NAME in application.text
        candidate_id = db.exec(select(Candidate.id).where(Candidate.email == EMAIL)).one()
        application_id = db.exec(
            select(Application.id).where(Application.candidate_id == candidate_id)
        ).one()
        db.rollback()  # on SQLite an open transaction would keep the server from writing
        listing = recruiter.get("/candidates")
        for needle in (EMAIL, NAME, "900 123"):
            found = recruiter.post(
                "/candidates", data={"q": needle, "csrf_token": csrf_token_of(listing)}
            )
            assert EMAIL in found.text, needle
        for path in (
            f"/candidates/{candidate_id}",
            f"/candidates/{candidate_id}/edit",
            f"/applications/{application_id}",
            f"/vacancies/{vacancy_id}",
            f"/vacancies/{vacancy_id}/compare",
            f"/vacancies/{vacancy_id}/sheet?application={application_id}",
            "/",
        ):
            assert recruiter.get(path).status_code == 200, path
        # A CSV import, previewed then saved.
        page = recruiter.get("/candidates/import")
        preview = recruiter.post(
            "/candidates/import",
            data={"csrf_token": csrf_token_of(page)},
            files={"file": ("people.csv", f"full_name,email\n{','.join(IMPORTED)}\n".encode())},
        )
        payload = re.search(r'name="payload" value="([^"]+)"', preview.text).group(1)
        recruiter.post(
            "/candidates/import/confirm",
            data={"payload": payload, "csrf_token": csrf_token_of(preview)},
        )

    with httpx.Client(base_url=live_server, follow_redirects=True, event_hooks=hooks) as public:
        # Someone applies through the careers page.
        careers = public.get("/careers/demo")
        posting = re.search(r'href="(/careers/demo/[^"]+)"', careers.text).group(1)
        page = public.get(posting)
        thanks = public.post(
            posting,
            data={
                "full_name": APPLIED[0],
                "email": APPLIED[1],
                "consent": "yes",
                "csrf_token": csrf_token_of(page),
            },
        )
        assert thanks.status_code == 200
        # An ATS adds one through the API, reads it back, and sends a bad one.
        bearer = {"Authorization": f"Bearer {api_secret}"}
        made = public.post(
            "/api/v1/candidates",
            headers=bearer,
            json={"full_name": API_MADE[0], "email": API_MADE[1]},
        )
        assert made.status_code == 201
        public.get(f"/api/v1/candidates/{made.json()['id']}", headers=bearer)
        public.get("/api/v1/candidates", headers=bearer)
        public.post(
            "/api/v1/candidates", headers=bearer, json={"full_name": NAME, "email": ["not", EMAIL]}
        )
        public.get(f"/api/v1/candidates/{uuid.uuid4()}", headers=bearer)

    saved = set(db.exec(select(Candidate.email)))
    db.rollback()
    assert {EMAIL, IMPORTED[1], APPLIED[1], API_MADE[1]} <= saved


@pytest.fixture
def scenario(
    live_server: str, db: Session, demo: Organisation, caplog: pytest.LogCaptureFixture
) -> tuple[Recorder, list[logging.LogRecord]]:
    # The levels `smm-hire serve` runs with at its most talkative: the app at debug, uvicorn's
    # access log on (each request's path and query string).
    caplog.set_level(logging.DEBUG, logger="smm_hire")
    caplog.set_level(logging.INFO, logger="uvicorn.access")
    access = logging.getLogger("uvicorn.access")
    access.addHandler(caplog.handler)
    recorder = Recorder()
    try:
        run_scenario(live_server, db, demo, recorder)
    finally:
        access.removeHandler(caplog.handler)
    return recorder, caplog.records


def test_no_personal_data_in_any_url(scenario: tuple[Recorder, list]) -> None:
    recorder, _ = scenario

    assert len(recorder.urls) > 100  # the scenario did go round the pages
    assert [url for url in recorder.urls if leaks(url)] == []
    assert [
        form
        for form in recorder.get_forms
        if PERSONAL_FIELDS & set(re.findall(r'name="([^"]+)"', form))
    ] == []


def test_no_personal_data_in_any_log_record(scenario: tuple[Recorder, list]) -> None:
    _, records = scenario
    lines = [f"{record.name}: {record.getMessage()} {record.exc_text or ''}" for record in records]

    assert any(line.startswith("uvicorn.access") for line in lines)  # the access log was read
    assert [line for line in lines if leaks(line)] == []
