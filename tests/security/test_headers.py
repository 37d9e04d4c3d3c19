"""Secure headers: a Content-Security-Policy without inline scripts on every page, answers that
cannot be framed or sniffed, and templates that keep to what the policy allows."""

import re
from contextlib import closing

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app import PROJECT_ROOT
from app.demo import DEMO_LOGINS
from app.main import create_app
from app.models import Organisation
from app.settings import Settings
from app.web.guard import inline_script_hashes
from tests.hiring.test_pages import RECRUITER, browser_for

TEMPLATES = PROJECT_ROOT / "templates"


def directives(policy: str) -> dict[str, list[str]]:
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def assert_no_framing_or_sniffing(answer: httpx.Response) -> None:
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "same-origin"
    assert directives(answer.headers["content-security-policy"])["frame-ancestors"] == ["'none'"]


def test_every_kind_of_page_has_a_policy_without_inline_scripts(
    live_server: str, demo: Organisation
) -> None:
    with closing(browser_for(live_server, RECRUITER)) as recruiter:
        pages = {
            path: recruiter.get(path)
            for path in ("/login", "/", "/candidates", "/vacancies", "/careers/demo", "/no/such")
        }

    for path, answer in pages.items():
        policy = directives(answer.headers["content-security-policy"])
        assert policy["script-src"] == ["'self'"], path
        assert policy["style-src"] == ["'self'"], path
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"], path
        assert_no_framing_or_sniffing(answer)
        assert answer.headers["cache-control"] == "no-store", path


def test_api_answers_run_nothing_and_are_not_cached(http: httpx.Client) -> None:
    for answer in (http.get("/api/v1/openapi.json"), http.get("/api/v1/candidates")):
        policy = directives(answer.headers["content-security-policy"])

        assert policy["default-src"] == ["'none'"] and "script-src" not in policy
        assert_no_framing_or_sniffing(answer)
        assert answer.headers["cache-control"] == "no-store"


def test_the_api_docs_allow_exactly_their_own_inline_script(http: httpx.Client) -> None:
    docs = http.get("/api/v1/docs")
    script_src = directives(docs.headers["content-security-policy"])["script-src"]

    assert "'unsafe-inline'" not in script_src
    assert inline_script_hashes(docs.content) in " ".join(script_src)
    assert re.search(r"'sha256-[A-Za-z0-9+/]+=*'", " ".join(script_src))


def test_only_the_template_editor_allows_inline_styles_for_its_preview(
    live_server: str, demo: Organisation
) -> None:
    with closing(browser_for(live_server, DEMO_LOGINS[1])) as hr:
        editor = hr.get("/settings/templates/sheet.html")

    policy = directives(editor.headers["content-security-policy"])
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["script-src"] == ["'self'"]
    assert_no_framing_or_sniffing(editor)


def test_static_files_are_not_sniffed_and_may_be_cached(http: httpx.Client) -> None:
    script = http.get("/static/scorecard.js")

    assert script.headers["x-content-type-options"] == "nosniff"
    assert "javascript" in script.headers["content-type"]
    assert "no-store" not in script.headers.get("cache-control", "")


def test_https_sites_ask_browsers_to_stay_on_https(settings: Settings, db: Session) -> None:
    app = create_app(settings.model_copy(update={"public_base_url": "https://hire.example.org"}))

    with TestClient(app, base_url="https://testserver") as client:
        secure = client.get("/login")
    with TestClient(app, base_url="http://testserver") as client:
        plain = client.get("/login")

    assert secure.headers["strict-transport-security"].startswith("max-age=")
    assert "strict-transport-security" not in plain.headers
    app.state.engine.dispose()


# What script-src 'self' and style-src 'self' would block: inline scripts (a JSON-LD data block
# is not run, so it is allowed), inline event handlers, javascript: links and style attributes.
FORBIDDEN_IN_PAGES = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>"),
    "event handler attribute": re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE),
}
# Documents for print and PDF (never served under the page policy) may style themselves.
DOCUMENT_TEMPLATES = {"sheets/interview.html"}


@pytest.mark.parametrize(
    "template",
    sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if str(path.relative_to(TEMPLATES)) not in DOCUMENT_TEMPLATES
    ),
)
def test_page_templates_keep_to_the_content_security_policy(template: str) -> None:
    source = (TEMPLATES / template).read_text()

    found = [what for what, pattern in FORBIDDEN_IN_PAGES.items() if pattern.search(source)]

    assert found == [], f"{template}: move it into app/static/*.js or app.css"
