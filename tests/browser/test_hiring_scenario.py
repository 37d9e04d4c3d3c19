"""The whole hiring path in a real browser: vacancy, candidates, assignment, a scorecard by
keyboard on a phone, comparison and a person's decision; axe-core finds no serious problem."""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlmodel import Session, select

from app.demo import DEMO_LOGINS, load_demo
from app.hiring.service import assign_interviewer
from app.models import Application, Stage, User
from tests.browser.conftest import watch_content_security

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])

RECRUITER, INTERVIEWER = DEMO_LOGINS[2], DEMO_LOGINS[3]
PHONE = {"width": 375, "height": 812}


def sign_in(context, base: str, login) -> object:  # noqa: ANN001
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("#email", login.email)
    page.fill("#password", login.password)
    page.click("button.primary")
    page.wait_for_url(f"{base}/")
    return page


def assert_accessible(page, name: str) -> None:  # noqa: ANN001
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], f"{name}: " + "; ".join(f"{v['id']}: {v['help']}" for v in serious)


def test_recruiter_and_interviewer_hire_through_the_browser(
    chromium, live_server: str, db: Session, shots: Path
) -> None:
    load_demo(db)
    db.commit()
    base = live_server

    # A recruiter opens a vacancy from a built-in profile and adds two candidates.
    office = chromium.new_context(viewport={"width": 1280, "height": 900})
    office_problems = watch_content_security(office)
    recruiter = sign_in(office, base, RECRUITER)
    recruiter.goto(f"{base}/vacancies/new")
    option = recruiter.locator("#profile option", has_text="Комьюнити-менеджер (встроенный)")
    recruiter.select_option("#profile", option.get_attribute("value"))
    recruiter.fill("#title", "Комьюнити-менеджер приюта")
    recruiter.click("button.primary")
    recruiter.wait_for_url(re.compile(r"/vacancies/[0-9a-f-]{36}$"))
    vacancy_url = recruiter.url
    for name in ("Полина Первая", "Степан Второй"):
        recruiter.goto(vacancy_url)
        recruiter.click("text=Добавить кандидата")
        recruiter.fill("#full_name", name)
        recruiter.fill("#years_in_smm", "3")
        recruiter.check("input[name=platforms][value=vk]")
        recruiter.click("button.primary")
        recruiter.wait_for_url(re.compile(r"/applications/"))
    recruiter.goto(vacancy_url)
    assert_accessible(recruiter, "vacancy")
    recruiter.locator("li.card", has_text="Полина Первая").locator("input[type=checkbox]").check()
    interviewer_option = recruiter.locator("#interviewer option", has_text=INTERVIEWER.full_name)
    recruiter.select_option("#interviewer", interviewer_option.get_attribute("value"))
    recruiter.click("fieldset.filters button")
    recruiter.screenshot(path=shots / "1-vacancy.png", full_page=True)

    # The interviewer rates by keyboard on a phone, reloads mid-way and finds the draft.
    phone = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone_problems = watch_content_security(phone)
    interviewer = sign_in(phone, base, INTERVIEWER)
    interviewer.click("text=Полина Первая")
    interviewer.click("button:has-text('Мой оценочный лист')")
    interviewer.wait_for_url(re.compile(r"/scorecards/"))
    assert_accessible(interviewer, "scorecard")
    criteria = interviewer.locator("fieldset.criterion")
    count = criteria.count()
    assert count >= 5
    assert interviewer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    first = criteria.nth(0)
    first.locator("input[type=radio]").first.focus()
    interviewer.keyboard.press("3")
    first.locator("textarea").fill("Рассказала, как отвечала на жалобы в сообществе")
    interviewer.keyboard.press("Tab")  # leaving the field saves at once
    # Waited for from Python: a JS predicate would be an eval, which the page's CSP refuses.
    save_state = interviewer.locator("#save-state")
    expect(save_state).to_contain_text("Сохранено в")
    expect(save_state.locator("time")).to_have_count(0)
    interviewer.reload()
    assert criteria.nth(0).locator("input[value='3']").is_checked()
    assert "жалобы" in criteria.nth(0).locator("textarea").input_value()
    for index in (1, 2):
        criteria.nth(index).locator("input[type=radio]").first.focus()
        interviewer.keyboard.press(str(index + 2))
    interviewer.screenshot(path=shots / "2-scorecard-phone.png", full_page=True)
    messages: list[str] = []
    interviewer.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    interviewer.click("#submit-button")
    interviewer.wait_for_url(re.compile(r"/applications/"))
    assert "Не оценены" in messages[0]  # the confirmation names the unrated criteria
    assert interviewer.locator("#panel").is_visible()
    interviewer.screenshot(path=shots / "3-after-submit-phone.png", full_page=True)

    # The recruiter compares the candidates and records a decision with its reason.
    recruiter.goto(f"{vacancy_url}/compare")
    assert_accessible(recruiter, "comparison")
    row = recruiter.locator("tr", has_text="Полина Первая")
    assert re.search(r"\d+", row.locator("td.num").first.inner_text())
    assert recruiter.locator("svg.mini").count() == 2
    recruiter.screenshot(path=shots / "4-compare.png", full_page=True)
    row.locator("a").first.click()
    recruiter.select_option("#decision", "advance")
    recruiter.select_option("#to_stage", "interview")
    recruiter.fill("#reason", "Уверенно работает с критикой, зовём на собеседование")
    recruiter.click("text=Записать решение")
    decisions = recruiter.locator("section[aria-labelledby=decisions] li")
    assert "Уверенно работает с критикой" in decisions.first.inner_text()
    assert RECRUITER.full_name in decisions.first.inner_text()
    assert_accessible(recruiter, "application")
    recruiter.screenshot(path=shots / "5-decision.png", full_page=True)
    office.close()
    phone.close()
    # A script blocked by the Content-Security-Policy would fail silently.
    assert office_problems == phone_problems == []


def test_the_scorecard_works_without_javascript(
    chromium, live_server: str, db: Session, shots: Path
) -> None:
    organisation = load_demo(db)
    interviewer = db.exec(select(User).where(User.email == INTERVIEWER.email)).one()
    application = db.exec(
        select(Application).where(
            Application.organisation_id == organisation.id, Application.stage == Stage.APPLIED
        )
    ).first()
    assign_interviewer(db, application=application, interviewer=interviewer, stage=Stage.INTERVIEW)
    db.commit()
    context = chromium.new_context(java_script_enabled=False)
    page = sign_in(context, live_server, INTERVIEWER)
    page.locator("section[aria-labelledby=waiting] li a").first.click()
    page.locator("button:has-text('Мой оценочный лист')").first.click()
    page.locator("fieldset.criterion").nth(0).locator("input[value='2']").check()
    page.click("text=Сохранить черновик")
    assert page.locator("fieldset.criterion").nth(0).locator("input[value='2']").is_checked()
    page.click("#submit-button")
    assert page.locator("h1").inner_text() == "Отправить оценочный лист?"
    page.click("button.primary")
    page.wait_for_url(re.compile(r"/applications/"))
    page.screenshot(path=shots / "no-js-submitted.png", full_page=True)
    context.close()
