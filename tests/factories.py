"""Typed factories: each makes one valid row, with keyword overrides for what a test cares about."""

from sqlmodel import Session

from app.accounts.service import create_api_key, create_organisation, create_user
from app.models import ApiKey, Organisation, User, UserRole, new_id

DEFAULT_PASSWORD = "correct horse battery"


def make_organisation(
    session: Session, *, slug: str | None = None, name: str = "Acme"
) -> Organisation:
    return create_organisation(session, slug=slug or f"org-{new_id().hex[-8:]}", name=name)


def make_user(
    session: Session,
    *,
    organisation: Organisation | None = None,
    email: str | None = None,
    role: UserRole = UserRole.RECRUITER,
    password: str = DEFAULT_PASSWORD,
    full_name: str = "Мария Иванова",
) -> User:
    return create_user(
        session,
        organisation=organisation or make_organisation(session),
        email=email or f"user-{new_id().hex[-8:]}@example.org",
        full_name=full_name,
        role=role,
        password=password,
    )


def make_api_key(
    session: Session, *, organisation: Organisation, scopes: list[str] | None = None
) -> tuple[ApiKey, str]:
    return create_api_key(
        session, organisation=organisation, name="Test ATS", scopes=scopes or ["admin"]
    )
