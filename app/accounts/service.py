"""Organisations, users, web sessions and API keys."""

import re
import secrets
import uuid
from datetime import datetime, timedelta

from sqlmodel import Session, delete, func, select

from app.accounts.passwords import password_problem
from app.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, TooManyRequests
from app.models import (
    ApiKey,
    Locale,
    LoginFailure,
    Organisation,
    User,
    UserRole,
    UserSession,
    utcnow,
)
from app.security import hash_password, new_token, sha256_hex, verify_password

API_KEY_SCOPES = (
    "admin",
    "users:read",
    "profiles:read",
    "profiles:write",
    "vacancies:read",
    "vacancies:write",
    "candidates:read",
    "candidates:write",
    "scorecards:read",
    "scorecards:write",
    "postings:read",
    "postings:write",
    "reports:read",
    "webhooks:read",
    "webhooks:write",
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_organisation(
    session: Session, *, slug: str, name: str, default_locale: Locale = Locale.RU
) -> Organisation:
    """Returns the new organisation; the slug must be free."""
    if session.exec(select(Organisation).where(Organisation.slug == slug)).first():
        raise Conflict(f"an organisation with the slug {slug!r} exists already", field="slug")
    organisation = Organisation.model_validate(
        {"slug": slug, "name": name, "default_locale": default_locale}
    )
    session.add(organisation)
    session.flush()
    return organisation


def organisation_by_slug(session: Session, *, slug: str) -> Organisation:
    organisation = session.exec(select(Organisation).where(Organisation.slug == slug)).first()
    if organisation is None:
        raise NotFound(f"no organisation with the slug {slug!r}", field="slug")
    return organisation


def create_user(
    session: Session,
    *,
    organisation: Organisation,
    email: str,
    full_name: str,
    role: UserRole,
    password: str,
    locale: Locale | None = None,
) -> User:
    """Returns the new user; the e-mail must be free and the password pass the policy."""
    email = normalise_email(email)
    if not _EMAIL.match(email):
        raise InvalidInput(f"{email!r} is not an e-mail address", field="email")
    problem = password_problem(password, email=email)
    if problem:
        raise InvalidInput(problem, field="password")
    if session.exec(select(User).where(User.email == email)).first():
        raise Conflict(f"a user with the e-mail {email} exists already", field="email")
    user = User(
        organisation_id=organisation.id,
        email=email,
        full_name=full_name,
        role=role,
        password_hash=hash_password(password),
        locale=locale or organisation.default_locale,
    )
    session.add(user)
    session.flush()
    return user


# Sign-in attempts allowed in the window before the form refuses to check passwords.
LOGIN_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_ADDRESS = 30


def authenticate(session: Session, *, email: str, password: str, ip_address: str = "") -> User:
    """Returns the active user with this e-mail and password; too many recent failures for the
    e-mail or the address refuse without checking (TooManyRequests)."""
    email = normalise_email(email)
    since = utcnow() - LOGIN_WINDOW
    recent = select(func.count()).select_from(LoginFailure).where(LoginFailure.occurred_at > since)
    if session.exec(recent.where(LoginFailure.email == email)).one() >= MAX_FAILURES_PER_EMAIL or (
        ip_address
        and session.exec(recent.where(LoginFailure.ip_address == ip_address)).one()
        >= MAX_FAILURES_PER_ADDRESS
    ):
        raise TooManyRequests("too many sign-in attempts: wait a few minutes")
    user = session.exec(select(User).where(User.email == email)).first()
    if not verify_password(user.password_hash if user else None, password) or not (
        user and user.is_active
    ):
        session.exec(
            delete(LoginFailure).where(LoginFailure.occurred_at < utcnow() - timedelta(days=1))
        )
        session.add(LoginFailure(email=email[:320], ip_address=ip_address[:45]))
        session.flush()
        raise NotAuthenticated("wrong e-mail or password", field="password")
    session.exec(delete(LoginFailure).where(LoginFailure.email == email))
    return user


def start_session(
    session: Session,
    *,
    user: User,
    lifetime: timedelta,
    replaces_token: str | None = None,
    ip_address: str = "",
    user_agent: str = "",
) -> str:
    """Returns a fresh session token for the browser; the one it had before stops working."""
    if replaces_token:
        end_session(session, token=replaces_token)
    token = new_token()
    now = utcnow()
    session.add(
        UserSession(
            token_hash=sha256_hex(token),
            user_id=user.id,
            organisation_id=user.organisation_id,
            expires_at=now + lifetime,
            ip_address=ip_address[:45],
            user_agent=user_agent[:300],
        )
    )
    user.last_login_at = now
    session.add(user)
    session.flush()
    return token


def user_for_session(session: Session, *, token: str) -> User | None:
    """Returns the signed-in user for a session token, or None when it is unknown or expired."""
    user_session = session.get(UserSession, sha256_hex(token))
    if user_session is None or user_session.expires_at <= utcnow():
        return None
    user = session.get(User, user_session.user_id)
    return user if user and user.is_active else None


def end_session(session: Session, *, token: str) -> None:
    user_session = session.get(UserSession, sha256_hex(token))
    if user_session is not None:
        session.delete(user_session)
        session.flush()


def create_api_key(
    session: Session,
    *,
    organisation: Organisation,
    name: str,
    scopes: list[str],
    created_by: User | None = None,
    expires_at: datetime | None = None,
) -> tuple[ApiKey, str]:
    """Returns the stored key and the secret to show once (only its hash is kept)."""
    unknown = sorted(set(scopes) - set(API_KEY_SCOPES))
    if unknown:
        raise InvalidInput(
            f"unknown scope {', '.join(unknown)}; known scopes: {', '.join(API_KEY_SCOPES)}",
            field="scopes",
        )
    if not scopes:
        raise InvalidInput("an API key needs at least one scope", field="scopes")
    prefix = secrets.token_hex(4)
    secret = f"smmh_{prefix}_{new_token(32)}"
    api_key = ApiKey(
        organisation_id=organisation.id,
        name=name,
        prefix=prefix,
        key_hash=sha256_hex(secret),
        scopes=sorted(set(scopes)),
        created_by_user_id=created_by.id if created_by else None,
        expires_at=expires_at,
    )
    session.add(api_key)
    session.flush()
    return api_key, secret


def api_keys_of(session: Session, *, organisation_id: uuid.UUID) -> list[ApiKey]:
    """Returns the organisation's API keys, newest first (revoked ones too, for the record)."""
    return list(
        session.exec(
            select(ApiKey)
            .where(ApiKey.organisation_id == organisation_id)
            .order_by(ApiKey.created_at.desc())
        )
    )


def revoke_api_key(session: Session, *, api_key: ApiKey) -> ApiKey:
    """Stops the key working at once; it stays listed as revoked."""
    api_key.revoked_at = api_key.revoked_at or utcnow()
    session.add(api_key)
    session.flush()
    return api_key


def users_of(
    session: Session, *, organisation_id: uuid.UUID, role: UserRole | None = None, limit: int = 100
) -> list[User]:
    """Returns the organisation's users (of one role when given), by name."""
    query = select(User).where(User.organisation_id == organisation_id)
    if role is not None:
        query = query.where(User.role == role)
    return list(session.exec(query.order_by(User.full_name, User.id).limit(limit)))
