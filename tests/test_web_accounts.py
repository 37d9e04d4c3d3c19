"""Signing in and out in the browser: sessions, cookies, CSRF, language and error pages."""

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.demo import DEMO_LOGINS, load_demo
from app.main import create_app
from app.models import Locale, User, UserSession
from app.settings import Settings
from tests.factories import DEFAULT_PASSWORD, make_user


def csrf_token_of(page: httpx.Response) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def sign_in(browser: httpx.Client, email: str, password: str, **extra: str) -> httpx.Response:
    form = browser.get("/login")
    return browser.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_token_of(form), **extra},
    )


@pytest.fixture
def browser(live_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server, follow_redirects=False, timeout=20) as client:
        yield client


def test_pages_ask_for_sign_in_first(browser: httpx.Client) -> None:
    answer = browser.get("/")

    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2F"


def test_login_page_speaks_russian_by_default_and_english_when_asked(browser: httpx.Client) -> None:
    russian = browser.get("/login")
    english = browser.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})

    assert '<html lang="ru">' in russian.text and "Войти" in russian.text
    assert '<html lang="en">' in english.text and "Sign in" in english.text


def test_every_demo_login_reaches_its_dashboard(db: Session, live_server: str) -> None:
    load_demo(db)
    db.commit()

    for login in DEMO_LOGINS:
        with httpx.Client(base_url=live_server, follow_redirects=True) as own_browser:
            dashboard = sign_in(own_browser, login.email, login.password)

            assert dashboard.url.path == "/"
            assert f"Здравствуйте, {login.full_name}!" in dashboard.text
            assert "Демо-агентство «Цветы и лапы»" in dashboard.text


def test_a_wrong_password_shows_the_form_again_with_the_email_kept(
    db: Session, browser: httpx.Client
) -> None:
    user = make_user(db)
    db.commit()

    answer = sign_in(browser, user.email, "not the password")

    assert answer.status_code == 400
    assert "Неверная почта или пароль" in answer.text
    assert f'value="{user.email}"' in answer.text
    assert "smm_session" not in answer.cookies
    assert db.exec(select(UserSession)).all() == []


def test_the_session_cookie_is_httponly_lax_and_rotated_at_sign_in(
    db: Session, engine, browser: httpx.Client
) -> None:
    user = make_user(db)
    db.commit()

    first = sign_in(browser, user.email, DEFAULT_PASSWORD)
    first_token = first.cookies["smm_session"]
    cookie_header = next(
        value for value in first.headers.get_list("set-cookie") if value.startswith("smm_session=")
    )
    # Signing in again from a signed-in browser (the token comes from the dashboard's forms).
    second = browser.post(
        "/login",
        data={
            "email": user.email,
            "password": DEFAULT_PASSWORD,
            "csrf_token": csrf_token_of(browser.get("/")),
        },
    )

    assert "HttpOnly" in cookie_header and "SameSite=lax" in cookie_header
    assert "Secure" not in cookie_header  # plain http here; see the https test below
    assert second.cookies["smm_session"] != first_token
    with httpx.Client(base_url=str(browser.base_url), cookies={"smm_session": first_token}) as old:
        assert old.get("/").status_code == 303  # the old session id no longer signs in


def test_sign_out_ends_the_session(db: Session, browser: httpx.Client) -> None:
    user = make_user(db)
    db.commit()
    sign_in(browser, user.email, DEFAULT_PASSWORD)
    dashboard = browser.get("/")

    answer = browser.post("/logout", data={"csrf_token": csrf_token_of(dashboard)})

    assert answer.status_code == 303
    assert browser.get("/").status_code == 303
    db.expire_all()
    assert db.exec(select(UserSession)).all() == []


def test_forms_without_the_csrf_token_are_refused_and_change_nothing(
    db: Session, browser: httpx.Client
) -> None:
    user = make_user(db)
    db.commit()

    forged_login = browser.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    sign_in(browser, user.email, DEFAULT_PASSWORD)
    forged_logout = browser.post("/logout", data={"csrf_token": "forged"})

    assert forged_login.status_code == 403
    assert "Форма устарела" in forged_login.text
    assert forged_logout.status_code == 403
    assert browser.get("/").status_code == 200  # still signed in


def test_sign_in_never_redirects_off_site(db: Session, browser: httpx.Client) -> None:
    user = make_user(db)
    db.commit()

    answer = sign_in(browser, user.email, DEFAULT_PASSWORD, next="//evil.example/")

    assert answer.headers["location"] == "/"


def test_the_language_choice_is_remembered_for_the_user(db: Session, live_server: str) -> None:
    user = make_user(db, full_name="Maria")
    db.commit()
    with httpx.Client(base_url=live_server, follow_redirects=True) as laptop:
        dashboard = sign_in(laptop, user.email, DEFAULT_PASSWORD)
        laptop.post("/language", data={"locale": "en", "csrf_token": csrf_token_of(dashboard)})

    with httpx.Client(base_url=live_server, follow_redirects=True) as phone:
        dashboard = sign_in(phone, user.email, DEFAULT_PASSWORD)

    assert "Hello, Maria!" in dashboard.text
    db.expire_all()
    assert db.get(User, user.id).locale == Locale.EN


def test_unknown_pages_get_a_human_404_page(browser: httpx.Client) -> None:
    answer = browser.get("/no/such/page")

    assert answer.status_code == 404
    assert "text/html" in answer.headers["content-type"]
    assert "Страница не найдена" in answer.text


def test_a_server_error_shows_a_page_and_loses_nothing(settings: Settings, db: Session) -> None:
    app: FastAPI = create_app(settings)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.get("/boom")

    assert answer.status_code == 500
    assert "Ошибка на сервере" in answer.text
    app.state.engine.dispose()


def test_cookies_are_secure_when_the_site_is_https(settings: Settings, db: Session) -> None:
    user = make_user(db)
    db.commit()
    app = create_app(settings.model_copy(update={"public_base_url": "https://hire.example.org"}))

    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        form = client.get("/login")
        answer = client.post(
            "/login",
            data={
                "email": user.email,
                "password": DEFAULT_PASSWORD,
                "csrf_token": csrf_token_of(form),
            },
        )

    assert answer.status_code == 303
    assert all("Secure" in value for value in answer.headers.get_list("set-cookie"))
    app.state.engine.dispose()


def test_sign_in_is_rate_limited_per_email(db: Session, browser: httpx.Client) -> None:
    user = make_user(db)
    db.commit()

    for _ in range(5):
        assert sign_in(browser, user.email, "guess").status_code == 400
    blocked = sign_in(browser, user.email, DEFAULT_PASSWORD)  # even the right password waits

    assert blocked.status_code == 429
    assert "Слишком много попыток входа" in blocked.text
