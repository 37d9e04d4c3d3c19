"""Organisations' own posting and sheet templates: a live preview on their data, the line of a
broken template, Jinja's sandbox against reaching Python, and the documents that follow."""

import html
import re

import httpx
import pytest
from sqlmodel import Session, func, select

from app.demo import DEMO_LOGINS
from app.models import (
    Application,
    Candidate,
    DocumentTemplate,
    InterviewerAssignment,
    Organisation,
    User,
    Vacancy,
)
from app.templating.sandbox import builtin_source
from tests.factories import make_api_key, make_organisation
from tests.hiring.test_pages import browser_for
from tests.test_web_accounts import csrf_token_of

HR, RECRUITER, INTERVIEWER = DEMO_LOGINS[1], DEMO_LOGINS[2], DEMO_LOGINS[3]
CUSTOM_POSTING = builtin_source("posting.html").replace(
    "<h1>{{ posting.title }}</h1>", "<h1>{{ posting.title }}</h1>\n<p>Работаем из Тулы</p>"
)
REACHING_PYTHON = [
    "{{ posting.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__.__base__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ posting.requirements.__len__() }}",
    "{{ posting.__dict__ }}",
]


def stored_templates(db: Session) -> int:
    db.rollback()
    return db.exec(select(func.count()).select_from(DocumentTemplate)).one()


@pytest.fixture
def hr(live_server: str, demo: Organisation) -> httpx.Client:
    return browser_for(live_server, HR)


def test_a_broken_template_shows_its_line_and_is_not_saved(hr: httpx.Client, db: Session) -> None:
    editor = hr.get("/settings/templates/posting.html")
    broken = "<h1>{{ posting.title }}</h1>\n<ul>\n{% for item in posting.requirements %}\n"

    saved = hr.post(
        "/settings/templates/posting.html",
        data={"csrf_token": csrf_token_of(editor), "source": broken, "action": "save"},
    )

    assert editor.status_code == 200 and "{{ posting.title }}" in editor.text
    assert saved.status_code == 422
    assert "line 3" in saved.text and "for" in saved.text
    assert html.escape(broken.splitlines()[0]) in saved.text  # what they typed is still there
    assert stored_templates(db) == 0


@pytest.mark.parametrize("source", REACHING_PYTHON)
def test_a_template_cannot_reach_python_internals(
    hr: httpx.Client, db: Session, source: str
) -> None:
    editor = hr.get("/settings/templates/posting.md")

    saved = hr.post(
        "/settings/templates/posting.md",
        data={"csrf_token": csrf_token_of(editor), "source": f"# Ad\n{source}", "action": "save"},
    )

    assert saved.status_code == 422
    assert "line 2" in saved.text and "unsafe" in saved.text
    assert stored_templates(db) == 0


def test_the_organisations_posting_template_shapes_its_ads_until_reset(
    hr: httpx.Client, db: Session, demo: Organisation
) -> None:
    editor = hr.get("/settings/templates/posting.html")
    token = csrf_token_of(editor)
    preview = hr.post(
        "/settings/templates/posting.html/preview",
        data={"csrf_token": token, "source": CUSTOM_POSTING + "<p>Молодой коллектив</p>"},
    )
    saved = hr.post(
        "/settings/templates/posting.html",
        data={"csrf_token": token, "source": CUSTOM_POSTING, "action": "save"},
    )
    careers = hr.get("/careers/demo")
    posting_url = re.search(r'href="(/careers/demo/[0-9a-f]+)"', careers.text).group(1)
    public = hr.get(posting_url)
    listing = hr.get("/settings/templates")
    reset = hr.post(
        "/settings/templates/posting.html",
        data={"csrf_token": token, "source": "", "action": "reset"},
    )

    assert preview.status_code == 200
    assert "Работаем из Тулы" in preview.json()["output"]
    assert [w["phrase"].lower() for w in preview.json()["warnings"]] == ["молодой"]
    assert saved.status_code == 200 and "Работаем из Тулы" in saved.text
    assert public.text.count("Работаем из Тулы") == 2  # the page and its JSON-LD description
    assert "<td>свой</td>" in listing.text
    assert "Работаем из Тулы" not in hr.get(posting_url).text
    assert reset.status_code == 200 and stored_templates(db) == 0


def test_a_recruiter_cannot_edit_templates(live_server: str, demo: Organisation) -> None:
    recruiter = browser_for(live_server, RECRUITER)

    assert recruiter.get("/settings/templates").status_code == 403


def test_templates_through_the_api(db: Session, http: httpx.Client, demo: Organisation) -> None:
    _, reader = make_api_key(db, organisation=demo, scopes=["postings:read"])
    _, admin = make_api_key(db, organisation=demo, scopes=["admin"])
    _, stranger = make_api_key(db, organisation=make_organisation(db), scopes=["admin"])
    db.commit()
    as_admin = {"Authorization": f"Bearer {admin}"}
    sheet = builtin_source("sheet.html").replace("</body>", "<p>Подпись: ________</p></body>")

    forbidden = http.put(
        "/api/v1/templates/sheet.html",
        headers={"Authorization": f"Bearer {reader}"},
        json={"source": sheet},
    )
    broken = http.put(
        "/api/v1/templates/sheet.html", headers=as_admin, json={"source": "a\n{{ nothing }}"}
    )
    unknown = http.put("/api/v1/templates/cv.html", headers=as_admin, json={"source": "x"})
    extra = http.put(
        "/api/v1/templates/sheet.html", headers=as_admin, json={"source": sheet, "id": "x"}
    )
    saved = http.put("/api/v1/templates/sheet.html", headers=as_admin, json={"source": sheet})
    listed = http.get("/api/v1/templates", headers={"Authorization": f"Bearer {reader}"})
    theirs = http.get(
        "/api/v1/templates/sheet.html", headers={"Authorization": f"Bearer {stranger}"}
    )
    vacancy_id = db.exec(select(Vacancy.id).where(Vacancy.organisation_id == demo.id)).first()
    db.rollback()
    document = http.get(
        f"/api/v1/vacancies/{vacancy_id}/sheet",
        headers=as_admin,
        params={"format": "html", "stage": "interview"},
    )
    deleted = http.delete("/api/v1/templates/sheet.html", headers=as_admin)

    assert forbidden.status_code == 403
    assert broken.status_code == 422
    assert broken.json()["errors"] == [
        {"field": "source", "detail": "line 2: 'nothing' is undefined"}
    ]
    assert unknown.status_code == 422 and extra.status_code == 422
    assert saved.status_code == 200 and saved.json()["own"] is True
    assert {item["name"]: item["own"] for item in listed.json()}["sheet.html"] is True
    assert theirs.json()["own"] is False  # another organisation still has the built-in one
    assert "Подпись: ________" in document.text
    assert deleted.status_code == 204
    assert stored_templates(db) == 0


def test_a_vacancys_sheet_through_the_api_is_for_one_candidate_of_that_vacancy(
    db: Session, http: httpx.Client, demo: Organisation
) -> None:
    application, name = db.exec(
        select(Application, Candidate.full_name)
        .join(Candidate, Candidate.id == Application.candidate_id)
        .where(Application.organisation_id == demo.id)
    ).first()
    other_vacancy = db.exec(
        select(Vacancy.id).where(
            Vacancy.organisation_id == demo.id, Vacancy.id != application.vacancy_id
        )
    ).first()
    _, key = make_api_key(db, organisation=demo, scopes=["scorecards:read"])
    _, stranger = make_api_key(db, organisation=make_organisation(db), scopes=["admin"])
    db.commit()
    url = f"/api/v1/vacancies/{application.vacancy_id}/sheet"
    params = {"format": "html", "stage": "screening", "application_id": str(application.id)}

    sheet = http.get(url, headers={"Authorization": f"Bearer {key}"}, params=params)
    wrong_vacancy = http.get(
        f"/api/v1/vacancies/{other_vacancy}/sheet",
        headers={"Authorization": f"Bearer {key}"},
        params=params,
    )
    theirs = http.get(url, headers={"Authorization": f"Bearer {stranger}"}, params=params)

    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/html")
    assert name in sheet.text and "☐ —" in sheet.text
    assert wrong_vacancy.status_code == 404 and theirs.status_code == 404


def test_the_sheet_for_a_candidate_opens_their_scorecard(
    live_server: str, db: Session, demo: Organisation
) -> None:
    assignment = db.exec(
        select(InterviewerAssignment)
        .join(User, User.id == InterviewerAssignment.user_id)
        .where(User.email == INTERVIEWER.email)
    ).first()
    application_id, stage = assignment.application_id, assignment.stage.value
    db.rollback()
    interviewer = browser_for(live_server, INTERVIEWER)
    recruiter = browser_for(live_server, RECRUITER)
    application_page = interviewer.get(f"/applications/{application_id}")
    sheet_path = re.search(
        r'href="[^"]*(/vacancies/[0-9a-f-]+/sheet)\?stage=', application_page.text
    ).group(1)
    params = {"stage": stage, "application": str(application_id)}

    sheet = interviewer.get(sheet_path, params=params)
    scorecard = interviewer.post(
        f"/applications/{application_id}/scorecards",
        data={"csrf_token": csrf_token_of(sheet), "stage": stage},
    )
    recruiters_sheet = recruiter.get(sheet_path, params=params)

    assert sheet.status_code == 200
    assert f'/applications/{application_id}/scorecards"' in sheet.text
    assert re.search(r"/scorecards/[0-9a-f-]{36}$", str(scorecard.url))
    assert f'/applications/{application_id}/scorecards"' not in recruiters_sheet.text
