"""The agreement page in a real browser on a phone: it fits 375 px (its tables scroll), the
stage filter is a plain GET form, and axe-core finds no serious problem."""

import re

import pytest
from sqlmodel import Session

from app.models import Stage, UserRole, Vacancy
from app.scoring.agreement_service import vacancy_agreement
from tests.browser.conftest import watch_content_security
from tests.browser.test_hiring_scenario import PHONE, assert_accessible, sign_in
from tests.scoring.agreement_case import make_world

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


def test_the_agreement_page_fits_a_phone_and_filters_without_javascript(
    chromium,  # noqa: ANN001
    live_server: str,
    db: Session,
    shots,  # noqa: ANN001
) -> None:
    world = make_world(db)
    phone = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    problems = watch_content_security(phone)
    page = sign_in(phone, live_server, world.logins[UserRole.HR])
    page.goto(f"{live_server}/vacancies/{world.vacancy_id}/agreement")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    assert_accessible(page, "agreement")
    # The filter is a GET form: choosing and sending it needs no script of ours.
    page.select_option("#stage", "work_sample")
    page.click("form.filters button")
    page.wait_for_url(re.compile(r"stage=work_sample"))
    assert page.locator("#stage").input_value() == "work_sample"
    work_sample = vacancy_agreement(
        db, db.get(Vacancy, world.vacancy_id), stage=Stage.WORK_SAMPLE
    ).criteria
    assert page.locator("section[aria-labelledby=criteria] tbody tr").count() == len(work_sample)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    page.screenshot(path=shots / "agreement-phone.png", full_page=True)
    phone.close()
    assert problems == []
