"""The Content-Security-Policy in a real browser: every page reachable by links, for each role
and for the public, loads with no violation and no script error, and the template editor's
preview still shows a sheet template's own styles."""

import re
from collections import deque

import pytest
from sqlmodel import Session

from app.demo import DEMO_LOGINS, load_demo
from tests.browser.conftest import watch_content_security
from tests.browser.test_hiring_scenario import sign_in

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])

ADMIN, HR, INTERVIEWER = DEMO_LOGINS[0], DEMO_LOGINS[1], DEMO_LOGINS[3]
# Downloads and the API are not pages; signing out would end the tour.
NOT_PAGES = re.compile(r"\.(csv|pdf|json|yaml|md|txt)(\?|$)|/export|^/api/|^/static/|/logout")
_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def tour(page, base: str, start: list[str], limit: int = 60) -> list[str]:  # noqa: ANN001
    """Opens the start pages and every page they link to, one page per kind (ids aside)."""
    kinds: set[str] = set()
    visited: list[str] = []
    queue = deque(start)
    while queue and len(visited) < limit:
        path = queue.popleft()
        kind = _ID.sub("{id}", path)
        if kind in kinds or NOT_PAGES.search(path):
            continue
        kinds.add(kind)
        if "text/html" not in page.request.get(base + path).headers.get("content-type", ""):
            continue  # a file to download, not a page
        page.goto(base + path)
        visited.append(path)
        links = page.eval_on_selector_all(
            "a[href]", "found => found.map(a => a.getAttribute('href'))"
        )
        queue.extend(
            link.split("#")[0]
            for link in links
            if link.startswith("/") and not link.startswith("//")
        )
    return visited


def test_every_page_loads_without_a_policy_violation(
    chromium, live_server: str, db: Session
) -> None:
    load_demo(db)
    db.commit()
    visited: dict[str, list[str]] = {}
    problems: dict[str, list[str]] = {}
    for login in (ADMIN, HR, INTERVIEWER):
        context = chromium.new_context()
        problems[login.role.value] = watch_content_security(context)
        page = sign_in(context, live_server, login)
        visited[login.role.value] = tour(page, live_server, ["/"])
        context.close()
    public = chromium.new_context()
    problems["public"] = watch_content_security(public)
    page = public.new_page()
    visited["public"] = tour(page, live_server, ["/login", "/careers/demo"])
    public.close()

    assert len(visited["admin"]) >= 15, visited["admin"]
    assert any(path.startswith("/careers/demo/") for path in visited["public"])
    assert problems == {role: [] for role in problems}


def test_the_template_editor_previews_a_sheet_with_its_own_styles(
    chromium, live_server: str, db: Session
) -> None:
    load_demo(db)
    db.commit()
    context = chromium.new_context()
    problems = watch_content_security(context)
    hr = sign_in(context, live_server, HR)
    hr.goto(f"{live_server}/settings/templates/sheet.html")
    preview = hr.frame_locator("#preview")

    source = hr.input_value("#source")
    hr.fill("#source", source.replace("<body>", "<body><p id='typed'>Напечатано</p>", 1))
    preview.locator("#typed").wait_for()
    font = preview.locator("body").evaluate("body => getComputedStyle(body).fontFamily")
    context.close()

    assert "DejaVu Sans" in font  # the template's <style> applies in the preview
    assert problems == []
