"""Typed factories: each makes one valid row, with keyword overrides for what a test cares about."""

from sqlmodel import Session

from app.accounts.service import create_api_key, create_organisation, create_user
from app.models import ApiKey, Organisation, User, UserRole, Vacancy, VacancyStatus, new_id
from app.rubrics.service import clone_profile, visible_profiles

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


def make_vacancy(
    session: Session,
    *,
    organisation: Organisation,
    profile_key: str = "community_manager",
    title: str = "Комьюнити-менеджер",
) -> Vacancy:
    """An open vacancy on the organisation's own copy of a built-in profile."""
    builtin = next(
        p
        for p in visible_profiles(session, organisation_id=organisation.id)
        if p.row.key == profile_key
    )
    profile = clone_profile(session, organisation_id=organisation.id, profile_id=builtin.row.id)
    vacancy = Vacancy(
        organisation_id=organisation.id,
        role_profile_id=profile.row.id,
        role_profile_version_id=profile.version.id,
        title=title,
        status=VacancyStatus.OPEN,
    )
    session.add(vacancy)
    return vacancy
