"""The demo organisation a newcomer sees at once (`smm-hire demo`): users, the built-in
role profiles as its own copies, and one open vacancy per profile."""

from dataclasses import dataclass

from sqlmodel import Session, select

from app.accounts.service import create_organisation, create_user
from app.models import Locale, Organisation, User, UserRole, Vacancy, VacancyStatus, utcnow
from app.rubrics.library import builtin_library
from app.rubrics.service import clone_profile, sync_builtin_library, visible_profiles

DEMO_SLUG = "demo"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    full_name: str
    role: UserRole


# Known passwords on purpose: this organisation is for trying the product, never for real data.
DEMO_LOGINS = (
    DemoLogin("admin@demo.smm-hire.example", "smm-demo-admin", "Анна Админова", UserRole.ADMIN),
    DemoLogin("hr@demo.smm-hire.example", "smm-demo-hr", "Ольга Кадрова", UserRole.HR),
    DemoLogin(
        "recruiter@demo.smm-hire.example",
        "smm-demo-recruiter",
        "Роман Подборов",
        UserRole.RECRUITER,
    ),
    DemoLogin(
        "interviewer@demo.smm-hire.example",
        "smm-demo-interviewer",
        "Ирина Беседина",
        UserRole.INTERVIEWER,
    ),
)


def load_demo(session: Session) -> Organisation:
    """Returns the demo organisation, creating it and its users when missing (safe to repeat)."""
    organisation = session.exec(select(Organisation).where(Organisation.slug == DEMO_SLUG)).first()
    if organisation is None:
        organisation = create_organisation(
            session, slug=DEMO_SLUG, name="Демо-агентство «Цветы и лапы»", default_locale=Locale.RU
        )
        organisation.about = (
            "Небольшое агентство: ведём соцсети цветочного магазина и приюта для животных."
        )
        organisation.cause = "Помогаем бездомным животным найти дом."
        session.add(organisation)
    for login in DEMO_LOGINS:
        if session.exec(select(User).where(User.email == login.email)).first() is None:
            create_user(
                session,
                organisation=organisation,
                email=login.email,
                full_name=login.full_name,
                role=login.role,
                password=login.password,
            )
    session.flush()
    _load_demo_profiles_and_vacancies(session, organisation)
    return organisation


def _load_demo_profiles_and_vacancies(session: Session, organisation: Organisation) -> None:
    """Gives the demo the built-in profiles (as its own copies) and a vacancy for each."""
    sync_builtin_library(session, builtin_library())
    own_keys = {
        stored.row.key
        for stored in visible_profiles(
            session, organisation_id=organisation.id, include_builtin=False
        )
    }
    for builtin in visible_profiles(session, organisation_id=organisation.id):
        if builtin.is_builtin and builtin.row.key not in own_keys:
            clone_profile(session, organisation_id=organisation.id, profile_id=builtin.row.id)
    owner = session.exec(select(User).where(User.email == DEMO_LOGINS[2].email)).one()
    for stored in visible_profiles(session, organisation_id=organisation.id, include_builtin=False):
        has_vacancy = session.exec(
            select(Vacancy).where(Vacancy.role_profile_id == stored.row.id)
        ).first()
        if not has_vacancy:
            session.add(
                Vacancy(
                    organisation_id=organisation.id,
                    role_profile_id=stored.row.id,
                    role_profile_version_id=stored.version.id,
                    title=stored.document.title.ru,
                    locale=Locale.RU,
                    status=VacancyStatus.OPEN,
                    owner_user_id=owner.id,
                    opened_at=utcnow(),
                )
            )
    session.flush()
