"""The password policy: at least 8 characters, not one that attackers try first, not the
e-mail; explained in the user's language on the users page."""

from contextlib import closing

import pytest
from sqlmodel import Session, select

from app.accounts.passwords import (
    IS_EMAIL,
    TOO_COMMON,
    TOO_LONG,
    TOO_SHORT,
    password_problem,
)
from app.accounts.service import create_user
from app.demo import DEMO_LOGINS
from app.errors import InvalidInput
from app.models import Organisation, User, UserRole
from tests.factories import DEFAULT_PASSWORD
from tests.hiring.test_pages import browser_for
from tests.test_web_accounts import csrf_token_of


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", TOO_SHORT),
        ("x" * 257, TOO_LONG),
        ("password", TOO_COMMON),
        ("Qwerty123!", TOO_COMMON),  # digits and symbols around a common word do not help
        ("пароль2024", TOO_COMMON),
        ("gfhjkm123", TOO_COMMON),  # "пароль" typed in the Latin layout
        ("12345678", TOO_COMMON),
        ("87654321", TOO_COMMON),
        ("aaaaaaaaaa", TOO_COMMON),
        ("abababab", TOO_COMMON),
        ("Smm-Hire2025", TOO_COMMON),
        ("Maria1984@Example.org", IS_EMAIL),
        ("maria1984", IS_EMAIL),  # the e-mail's name part
    ],
)
def test_weak_passwords_are_named(password: str, problem: str) -> None:
    assert password_problem(password, email="maria1984@example.org") == problem


@pytest.mark.parametrize(
    "password",
    [DEFAULT_PASSWORD, "смм-найм в Туле", "x7#Lq9!vRt", *(login.password for login in DEMO_LOGINS)],
)
def test_long_or_uncommon_passwords_pass(password: str) -> None:
    assert password_problem(password, email="maria@example.org") is None


def test_the_policy_holds_wherever_users_are_made(db: Session, demo: Organisation) -> None:
    with pytest.raises(InvalidInput) as refused:
        create_user(
            db,
            organisation=demo,
            email="new@example.org",
            full_name="Новый",
            role=UserRole.HR,
            password="qwerty2024",
        )

    assert refused.value.field == "password" and refused.value.detail == TOO_COMMON


@pytest.mark.parametrize(
    ("language", "message"),
    [("ru", "Этот пароль из тех, что подбирают первыми"), ("en", "among the first that attackers")],
)
def test_the_users_page_explains_a_refused_password_in_the_users_language(
    live_server: str, db: Session, demo: Organisation, language: str, message: str
) -> None:
    with closing(browser_for(live_server, DEMO_LOGINS[0])) as admin:
        if language == "en":
            admin.post(
                "/language", data={"locale": "en", "csrf_token": csrf_token_of(admin.get("/"))}
            )
        page = admin.get("/users")
        answer = admin.post(
            "/users",
            data={
                "full_name": "Новый",
                "email": "new@example.org",
                "role": "hr",
                "password": "password1",
                "csrf_token": csrf_token_of(page),
            },
        )

    assert answer.status_code == 400
    assert message in answer.text
    assert 'value="new@example.org"' in answer.text  # the form keeps what was typed
    assert db.exec(select(User).where(User.email == "new@example.org")).first() is None
