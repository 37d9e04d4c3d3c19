"""The demo organisation a newcomer sees at once: `smm-hire demo`."""

from dataclasses import dataclass

from sqlmodel import Session, select

from app.accounts.service import create_organisation, create_user
from app.models import Locale, Organisation, User, UserRole

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
    return organisation
