"""The template editor in a real browser: the preview follows typing, a broken template shows
its error and line, and the page passes axe-core."""

from pathlib import Path

import pytest
from sqlmodel import Session

from app.demo import DEMO_LOGINS, load_demo
from tests.browser.test_hiring_scenario import assert_accessible, sign_in

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


def test_the_preview_follows_the_template_as_hr_types(
    chromium, live_server: str, db: Session, shots: Path
) -> None:
    load_demo(db)
    db.commit()
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    hr = sign_in(context, live_server, DEMO_LOGINS[1])
    hr.goto(f"{live_server}/settings/templates/posting.html")
    assert_accessible(hr, "template editor")
    preview = hr.frame_locator("#preview")
    error = hr.locator("#template-error")

    hr.fill("#source", "<h1>{{ posting.title }}</h1>\n<p>{{ posting.nonexistent }}</p>")
    error.wait_for(state="visible")
    broken_message = error.text_content()
    hr.fill("#source", "<h1>{{ posting.title }}</h1>\n<p>Работаем из Тулы</p>")
    error.wait_for(state="hidden")
    preview.locator("text=Работаем из Тулы").wait_for()
    hr.screenshot(path=shots / "template-editor.png", full_page=True)

    assert "line 2" in broken_message and "nonexistent" in broken_message
    assert preview.locator("h1").text_content().strip() != ""
