"""Stale writes are refused, not silently applied: two tabs saving one scorecard (the second
gets its form back with what it typed and a clear message, in English and Russian), an API
client sending the row_version it read as If-Match, and lost races answered 409, not 500."""

import re
import uuid
from types import SimpleNamespace

import httpx
import pytest
from sqlmodel import Session, select

from app.hiring.service import assign_interviewer, create_application, create_candidate
from app.models import CriterionRating, Stage, UserRole
from app.scorecards.service import start_scorecard
from tests.factories import (
    DEFAULT_PASSWORD,
    make_api_key,
    make_organisation,
    make_user,
    make_vacancy,
)
from tests.hiring.test_pages import browser_for
from tests.test_web_accounts import csrf_token_of

CRITERION = "communicability.criticism"


@pytest.fixture
def card(live_server: str, db: Session) -> SimpleNamespace:
    """An interviewer's draft scorecard, with an API key of the organisation."""
    organisation = make_organisation(db)
    interviewer = make_user(db, organisation=organisation, role=UserRole.INTERVIEWER)
    vacancy = make_vacancy(db, organisation=organisation)
    candidate = create_candidate(db, organisation_id=organisation.id, full_name="Две вкладки")
    application = create_application(db, vacancy=vacancy, candidate=candidate)
    assign_interviewer(db, application=application, interviewer=interviewer, stage=Stage.INTERVIEW)
    scorecard = start_scorecard(
        db, application=application, interviewer=interviewer, stage=Stage.INTERVIEW
    )
    _, secret = make_api_key(db, organisation=organisation, scopes=["admin"])
    db.commit()
    return SimpleNamespace(
        id=scorecard.id,
        login=SimpleNamespace(email=interviewer.email, password=DEFAULT_PASSWORD),
        api={"Authorization": f"Bearer {secret}", "On-Behalf-Of": str(interviewer.id)},
    )


def stored_rating(db: Session, scorecard_id: uuid.UUID) -> int | None:
    db.rollback()
    rating = db.exec(
        select(CriterionRating.rating).where(
            CriterionRating.scorecard_id == scorecard_id, CriterionRating.criterion_id == CRITERION
        )
    ).first()
    db.rollback()
    return rating


def row_version_of(page: httpx.Response) -> str:
    return re.search(r'name="row_version" value="(\d+)"', page.text).group(1)


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "saved in another tab or on another device"), ("ru", "сохранили в другой вкладке")],
)
def test_two_tabs_saving_one_scorecard_the_second_gets_its_form_back(
    db: Session, live_server: str, card: SimpleNamespace, language: str, message: str
) -> None:
    browser = browser_for(live_server, card.login)
    url = f"/scorecards/{card.id}"
    browser.post(
        "/language", data={"locale": language, "csrf_token": csrf_token_of(browser.get(url))}
    )
    first_tab, second_tab = browser.get(url), browser.get(url)

    def save(tab: httpx.Response, rating: int) -> httpx.Response:
        return browser.post(
            url,
            data={
                "csrf_token": csrf_token_of(tab),
                "row_version": row_version_of(tab),
                f"rating__{CRITERION}": str(rating),
                f"evidence__{CRITERION}": f"Из вкладки, оценка {rating}",
            },
            follow_redirects=False,
        )

    assert save(first_tab, 2).status_code == 303
    refused = save(second_tab, 4)

    assert refused.status_code == 409
    assert message in refused.text
    # What the second tab typed is on the form again, and the form now carries the version
    # that it was refused against, so saving again (deliberately) goes through.
    assert re.search(rf'name="rating__{re.escape(CRITERION)}" value="4"\s+checked', refused.text)
    assert "Из вкладки, оценка 4" in refused.text
    assert stored_rating(db, card.id) == 2
    assert save(refused, 4).status_code == 303
    assert stored_rating(db, card.id) == 4
    browser.close()


def test_an_api_write_with_a_stale_if_match_is_refused(
    db: Session, live_server: str, card: SimpleNamespace
) -> None:
    with httpx.Client(base_url=live_server, headers=card.api) as api:
        read = api.get(f"/api/v1/scorecards/{card.id}").json()
        patch = {"ratings": [{"criterion_id": CRITERION, "rating": 3}]}

        saved = api.patch(
            f"/api/v1/scorecards/{card.id}",
            json=patch,
            headers={"If-Match": f'"{read["row_version"]}"'},
        )
        stale = api.patch(
            f"/api/v1/scorecards/{card.id}",
            json={"ratings": [{"criterion_id": CRITERION, "rating": 1}]},
            headers={"If-Match": f'"{read["row_version"]}"'},
        )
        stale_submit = api.post(
            f"/api/v1/scorecards/{card.id}/submit",
            headers={"If-Match": f'"{read["row_version"]}"'},
        )
        malformed = api.patch(
            f"/api/v1/scorecards/{card.id}", json=patch, headers={"If-Match": "yesterday"}
        )

    assert saved.status_code == 200 and saved.json()["row_version"] > read["row_version"]
    assert stale.status_code == stale_submit.status_code == 409
    assert stale.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in stale.json()["errors"]] == ["row_version"]
    assert malformed.status_code == 422
    assert malformed.json()["errors"][0]["field"] == "header.if-match"
    assert stored_rating(db, card.id) == 3
