"""The agreement page: in Russian and English with the stage chosen kept, who may see it,
where it is linked; on SQLite and PostgreSQL."""

from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session

from app.models import UserRole
from tests.hiring.test_pages import browser_for
from tests.scoring.agreement_case import World, make_world
from tests.test_web_accounts import csrf_token_of


@pytest.fixture
def world(db: Session, app: FastAPI) -> World:
    """The app loads the built-in profiles the world is made of."""
    return make_world(db)


Browsers = Callable[[UserRole | str], httpx.Client]


@pytest.fixture
def browsers(live_server: str, world: World) -> Iterator[Browsers]:
    """A signed-in browser per role (and "outsider": HR of another organisation)."""
    clients: dict[UserRole | str, httpx.Client] = {}

    def browser(who: UserRole | str) -> httpx.Client:
        if who not in clients:
            login = world.outsider if who == "outsider" else world.logins[who]
            clients[who] = browser_for(live_server, login)
        return clients[who]

    yield browser
    for client in clients.values():
        client.close()


def test_the_page_in_russian_keeps_the_stage_chosen(browsers: Browsers, world: World) -> None:
    page = browsers(UserRole.HR).get(
        f"/vacancies/{world.vacancy_id}/agreement", params={"stage": "work_sample"}
    )

    assert page.status_code == 200
    text = page.text
    assert "Согласованность интервьюеров" in text
    assert '<option value="work_sample" selected>' in text
    assert '<option value="" >' in text or '<option value="">' in text
    assert "Реакция на критику" in text and "1,00" in text and "отличная согласованность" in text
    assert "Борис Интервьюеров" in text and "+0,25" in text and "-0,25" in text
    assert "Что значат эти цифры" in text


def test_the_page_speaks_english_too(browsers: Browsers, world: World) -> None:
    recruiter = browsers(UserRole.RECRUITER)
    home = recruiter.get("/")
    recruiter.post(
        "/language", data={"csrf_token": csrf_token_of(home), "locale": "en", "next": "/"}
    )

    page = recruiter.get(f"/vacancies/{world.vacancy_id}/agreement", params={"stage": "interview"})
    every_stage = recruiter.get(f"/vacancies/{world.vacancy_id}/agreement", params={"stage": ""})

    assert page.status_code == 200
    assert "Interviewer agreement" in page.text and "Responding to criticism" in page.text
    assert '<option value="interview" selected>' in page.text
    assert "1.00" in page.text and "excellent agreement" in page.text
    assert every_stage.status_code == 200
    assert '<option value="" selected>' in every_stage.text


def test_who_may_see_the_page_and_where_it_is_linked(browsers: Browsers, world: World) -> None:
    path = f"/vacancies/{world.vacancy_id}/agreement"

    assert browsers(UserRole.RECRUITER).get(path).status_code == 200
    assert browsers(UserRole.INTERVIEWER).get(path).status_code == 403
    assert browsers("outsider").get(path).status_code == 404
    assert browsers(UserRole.HR).get(path, params={"stage": "lunch"}).status_code == 422
    assert path in browsers(UserRole.HR).get(f"/vacancies/{world.vacancy_id}").text
    assert path in browsers(UserRole.RECRUITER).get(f"{path[: -len('agreement')]}compare").text
