"""Sessions: cookie flags, no session fixation, and the sign-in rate limit (per e-mail and per
address, the same answer for known and unknown e-mails)."""

import re
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from app.accounts.service import (
    LOGIN_WINDOW,
    MAX_FAILURES_PER_ADDRESS,
    MAX_FAILURES_PER_EMAIL,
    authenticate,
)
from app.errors import NotAuthenticated, TooManyRequests
from app.models import LoginFailure, UserSession, utcnow
from app.security import sha256_hex
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.test_web_accounts import csrf_token_of, sign_in


@pytest.fixture
def browser(live_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server, follow_redirects=False, timeout=20) as client:
        yield client


def test_every_cookie_is_httponly_same_site_and_not_secure_on_plain_http(
    db: Session, browser: httpx.Client
) -> None:
    user = make_user(db)
    db.commit()

    first_visit = browser.get("/login")
    signed_in = sign_in(browser, user.email, DEFAULT_PASSWORD)
    language = browser.post(
        "/language", data={"locale": "en", "csrf_token": csrf_token_of(browser.get("/"))}
    )
    cookies = [
        value
        for answer in (first_visit, signed_in, language)
        for value in answer.headers.get_list("set-cookie")
    ]

    assert {cookie.split("=")[0] for cookie in cookies} == {"smm_csrf", "smm_session", "smm_lang"}
    for cookie in cookies:
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie, cookie
        assert "Secure" not in cookie  # http here; tests/test_web_accounts.py checks https


def test_a_session_id_planted_before_sign_in_is_not_valid_after(
    db: Session, live_server: str
) -> None:
    user = make_user(db)
    db.commit()
    planted = "chosen-by-the-attacker-0123456789abcdef"

    with httpx.Client(base_url=live_server, cookies={"smm_session": planted}) as victim:
        issued = sign_in(victim, user.email, DEFAULT_PASSWORD).cookies["smm_session"]
    with httpx.Client(base_url=live_server, cookies={"smm_session": planted}) as attacker:
        attacker_sees = attacker.get("/")
    with httpx.Client(base_url=live_server, cookies={"smm_session": issued}) as victim:
        victim_sees = victim.get("/")

    assert issued != planted
    assert attacker_sees.status_code == 303  # sent to the sign-in page
    assert victim_sees.status_code == 200
    # Only a digest of the id is stored: a copy of the database signs nobody in.
    db.expire_all()
    assert db.exec(select(UserSession.token_hash)).all() == [sha256_hex(issued)]


def test_an_attackers_own_session_planted_in_a_browser_ends_when_the_victim_signs_in(
    db: Session, live_server: str
) -> None:
    attacker_user = make_user(db, full_name="Злоумышленник")
    victim_user = make_user(db, full_name="Жертва")
    db.commit()
    with httpx.Client(base_url=live_server) as attacker:
        planted = sign_in(attacker, attacker_user.email, DEFAULT_PASSWORD).cookies["smm_session"]

    with httpx.Client(base_url=live_server, cookies={"smm_session": planted}) as victim:
        # The planted session counts as signed in, so the form comes from the dashboard.
        token = csrf_token_of(victim.get("/"))
        answer = victim.post(
            "/login",
            data={"email": victim_user.email, "password": DEFAULT_PASSWORD, "csrf_token": token},
        )
        issued = answer.cookies["smm_session"]
    with httpx.Client(base_url=live_server, cookies={"smm_session": planted}) as attacker:
        attacker_sees = attacker.get("/")
    with httpx.Client(base_url=live_server, cookies={"smm_session": issued}) as victim:
        victim_sees = victim.get("/")

    assert issued != planted
    assert attacker_sees.status_code == 303
    assert "Жертва" in victim_sees.text and "Злоумышленник" not in victim_sees.text


def test_sign_in_is_rate_limited_per_address_across_emails(db: Session) -> None:
    address = "203.0.113.7"
    for number in range(MAX_FAILURES_PER_ADDRESS):
        with pytest.raises(NotAuthenticated):
            authenticate(db, email=f"guess-{number}@example.org", password="x", ip_address=address)

    with pytest.raises(TooManyRequests):
        authenticate(db, email="one-more@example.org", password="x", ip_address=address)
    with pytest.raises(NotAuthenticated):  # another address is not held up
        authenticate(db, email="one-more@example.org", password="x", ip_address="203.0.113.8")


def test_unknown_emails_are_limited_and_answered_like_known_ones(
    db: Session, live_server: str
) -> None:
    user = make_user(db)
    db.commit()

    def attempts(email: str) -> list[httpx.Response]:
        with httpx.Client(base_url=live_server) as guesser:
            return [sign_in(guesser, email, "guess") for _ in range(MAX_FAILURES_PER_EMAIL + 1)]

    known, unknown = attempts(user.email), attempts("nobody@example.org")

    assert [a.status_code for a in known] == [400] * MAX_FAILURES_PER_EMAIL + [429]
    assert [a.status_code for a in unknown] == [a.status_code for a in known]
    assert page_without(known[0], user.email) == page_without(unknown[0], "nobody@example.org")


def page_without(answer: httpx.Response, email: str) -> str:
    """The page without what differs anyway: the e-mail typed in and the CSRF token."""
    return re.sub(r'name="csrf_token" value="[^"]+"', "", answer.text.replace(email, ""))


def test_failures_older_than_the_window_no_longer_count(db: Session) -> None:
    user = make_user(db)
    for _ in range(MAX_FAILURES_PER_EMAIL):
        with pytest.raises(NotAuthenticated):
            authenticate(db, email=user.email, password="wrong")
    with pytest.raises(TooManyRequests):
        authenticate(db, email=user.email, password=DEFAULT_PASSWORD)

    db.execute(update(LoginFailure).values(occurred_at=utcnow() - LOGIN_WINDOW - timedelta(1)))

    assert authenticate(db, email=user.email, password=DEFAULT_PASSWORD).id == user.id
