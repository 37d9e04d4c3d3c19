"""The demo organisation a newcomer sees at once (`smm-hire demo`): users, the built-in
role profiles as its own copies, and one open vacancy per profile."""

import random
from dataclasses import dataclass

from sqlmodel import Session, select

from app.accounts.service import create_organisation, create_user
from app.fairness.service import record_self_identification
from app.hiring.service import (
    assign_interviewer,
    create_application,
    create_candidate,
    record_decision,
)
from app.models import (
    Application,
    Candidate,
    Decision,
    JobPosting,
    Locale,
    Organisation,
    Recommendation,
    Stage,
    User,
    UserRole,
    Vacancy,
    VacancyStatus,
    utcnow,
)
from app.postings.service import create_posting, publish
from app.rubrics.library import builtin_library
from app.rubrics.service import clone_profile, sync_builtin_library, visible_profiles
from app.scorecards.service import RatingChange, save_draft, start_scorecard, submit
from app.scoring.service import profile_context

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
    DemoLogin(
        "boris@demo.smm-hire.example", "smm-demo-interviewer", "Борис Оценкин", UserRole.INTERVIEWER
    ),
    DemoLogin(
        "vera@demo.smm-hire.example", "smm-demo-interviewer", "Вера Слушаева", UserRole.INTERVIEWER
    ),
)

# One candidate at each stage of a vacancy's path (the demo profiles plan screening,
# interview and work sample; offer and hired follow); the stages decisions moved them to.
# An earlier stage than the one before is a reopen: Жанна was turned down by mistake.
DEMO_PATHS = (
    ("Алина Первова", []),
    ("Глеб Отборов", [Stage.SCREENING]),
    ("Дарья Собеседова", [Stage.SCREENING, Stage.INTERVIEW]),
    ("Егор Заданин", [Stage.SCREENING, Stage.INTERVIEW, Stage.WORK_SAMPLE]),
    ("Жанна Возвратова", [Stage.SCREENING, Stage.INTERVIEW, Stage.REJECTED, Stage.INTERVIEW]),
    ("Захар Офферов", [Stage.SCREENING, Stage.INTERVIEW, Stage.WORK_SAMPLE, Stage.OFFER]),
    ("Инна Нанятова", [Stage.SCREENING, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED]),
    ("Кирилл Отказов", [Stage.SCREENING, Stage.INTERVIEW, Stage.REJECTED]),
    ("Лада Ушедшая", [Stage.SCREENING, Stage.WITHDRAWN]),
)
# Self-identification the demo candidates gave (None: they answered nothing), so the
# fairness report has something to show.
DEMO_SELF_IDENTIFICATION = {
    "Алина Первова": {"sex": "female", "ethnicity": "majority"},
    "Глеб Отборов": {"sex": "male", "ethnicity": "majority"},
    "Дарья Собеседова": {"sex": "female", "ethnicity": "minority"},
    "Егор Заданин": {"sex": "male", "ethnicity": "majority"},
    "Жанна Возвратова": {"sex": "female", "ethnicity": "majority"},
    "Захар Офферов": {"sex": "male", "ethnicity": "prefer_not_to_say"},
    "Инна Нанятова": {"sex": "female", "ethnicity": "majority"},
    "Кирилл Отказов": None,
    "Лада Ушедшая": {"sex": "female", "ethnicity": "minority"},
}
# More applicants to the SMM manager vacancy, each screened in (True) or out at "applied":
# men move forward less often than women, so the report flags an impact ratio below 0.80
# there; the minority group stays smaller than the minimum and is hidden.
DEMO_APPLICANTS = (
    ("Анна Белова", "female", "majority", True),
    ("Вера Громова", "female", "majority", True),
    ("Галина Дроздова", "female", "majority", True),
    ("Евгения Жукова", "female", "majority", False),
    ("Зоя Исаева", "female", "minority", True),
    ("Ксения Лебедева", "female", "majority", True),
    ("Марина Носова", "female", "prefer_not_to_say", True),
    ("Нина Орлова", "female", "majority", False),
    ("Полина Рябова", "female", "majority", True),
    ("Светлана Титова", "female", "majority", True),
    ("Ульяна Фомина", "female", None, True),
    ("Юлия Щукина", "female", "majority", False),
    ("Артём Волков", "male", "majority", True),
    ("Борис Гусев", "male", "majority", False),
    ("Виктор Дьячков", "male", "minority", False),
    ("Денис Ершов", "male", "majority", True),
    ("Иван Козлов", "male", "majority", False),
    ("Максим Лосев", "male", "majority", True),
    ("Никита Морозов", "male", "majority", False),
    ("Олег Панов", "male", None, False),
    ("Пётр Соколов", "male", "majority", True),
    ("Сергей Тарасов", "male", "majority", False),
)
REASONS = {
    Stage.SCREENING: "Опыт и площадки соответствуют профилю",
    Stage.INTERVIEW: "Хорошие примеры работы с сообществом на скрининге",
    Stage.WORK_SAMPLE: "Сильное собеседование, проверим практическим заданием",
    Stage.FINAL: "Задание выполнено хорошо, зовём на финальную встречу",
    Stage.OFFER: "Панель единодушна, обязательные требования выполнены",
    Stage.HIRED: "Кандидат принял предложение",
    Stage.REJECTED: "Ответ на негатив в задании не соответствует обязательному уровню",
    Stage.WITHDRAWN: "Кандидат принял другое предложение",
}
SCREENED_OUT = "Опыт пока меньше, чем нужно для этой роли"
REOPENED = "Отказ по ошибке: перепутали с другим кандидатом, возвращаем на собеседование"


def load_demo(session: Session, *, base_url: str = "http://127.0.0.1:8000") -> Organisation:
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
        organisation.benefits = (
            "Обучение и конференции за счёт компании\nДМС после испытательного срока"
        )
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
    _load_demo_candidates(session, organisation)
    _load_demo_postings(session, organisation, base_url)
    return organisation


def _load_demo_postings(session: Session, organisation: Organisation, base_url: str) -> None:
    """Published postings on the demo's careers page (/careers/demo), in Russian and English."""
    if session.exec(
        select(JobPosting).where(JobPosting.organisation_id == organisation.id)
    ).first():
        return
    vacancies = {
        v.title: v
        for v in session.exec(select(Vacancy).where(Vacancy.organisation_id == organisation.id))
    }
    for title, locale, tone in (
        ("SMM-менеджер", "ru", "friendly"),
        ("Комьюнити-менеджер", "ru", "formal"),
        ("Комьюнити-менеджер", "en", "friendly"),
    ):
        if title in vacancies:
            posting = create_posting(
                session,
                vacancy=vacancies[title],
                locale=locale,
                tone=tone,
                public_base_url=base_url,
            )
            publish(session, posting=posting)


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


def _load_demo_candidates(session: Session, organisation: Organisation) -> None:
    """Candidates at every stage of two vacancies, scorecards by several interviewers (with
    some disagreement) and the decisions that moved them; only when the demo has none yet."""
    if session.exec(select(Candidate).where(Candidate.organisation_id == organisation.id)).first():
        return
    people = {
        login.email: session.exec(select(User).where(User.email == login.email)).one()
        for login in DEMO_LOGINS
    }
    recruiter = people[DEMO_LOGINS[2].email]
    panel = [people[login.email] for login in DEMO_LOGINS if login.role == UserRole.INTERVIEWER]
    rng = random.Random(2026)
    vacancies = session.exec(
        select(Vacancy).where(Vacancy.organisation_id == organisation.id).order_by(Vacancy.title)
    ).all()
    for vacancy in [v for v in vacancies if v.title in ("SMM-менеджер", "Комьюнити-менеджер")]:
        context = profile_context(session, vacancy.role_profile_version_id)
        interview_criteria = context.stage_criteria("interview")
        for number, (name, path) in enumerate(DEMO_PATHS):
            candidate = create_candidate(
                session,
                organisation_id=organisation.id,
                full_name=name,
                email=f"candidate{number}.{vacancy.id.hex[-4:]}@example.org",
                source="demo",
                location=rng.choice(["Москва", "Санкт-Петербург", "Казань", "удалённо"]),
                profile={
                    "years_in_smm": rng.choice([1, 2.5, 3, 4, 7]),
                    "platforms": rng.sample(["vk", "telegram", "dzen", "youtube"], 2),
                    "ad_tools": rng.sample(["VK Реклама", "Яндекс Директ", "Telegram Ads"], 2),
                    "audience_built": rng.choice([800, 4_000, 15_000]),
                },
            )
            application = create_application(session, vacancy=vacancy, candidate=candidate)
            if answers := DEMO_SELF_IDENTIFICATION.get(name):
                record_self_identification(session, application=application, answers=answers)
            if Stage.INTERVIEW in path or Stage.REJECTED in path:
                _demo_scorecards(session, application, panel, interview_criteria, rng)
            for stage in path:
                if application.stage in (Stage.REJECTED, Stage.WITHDRAWN):
                    decision, reason = Decision.REOPEN, REOPENED
                else:
                    decision = {
                        Stage.REJECTED: Decision.REJECT,
                        Stage.WITHDRAWN: Decision.WITHDRAW,
                    }.get(stage, Decision.ADVANCE)
                    reason = REASONS[stage]
                record_decision(
                    session,
                    application=application,
                    decision=decision,
                    to_stage=stage,
                    reason=reason,
                    decided_by=recruiter,
                )
        if vacancy.title == "SMM-менеджер":
            _demo_applicants(session, organisation, vacancy, recruiter, rng)
    session.flush()


def _demo_applicants(
    session: Session,
    organisation: Organisation,
    vacancy: Vacancy,
    recruiter: User,
    rng: random.Random,
) -> None:
    """Applicants screened in or out at the first stage, with their self-identification."""
    for number, (name, sex, ethnicity, screened_in) in enumerate(DEMO_APPLICANTS):
        candidate = create_candidate(
            session,
            organisation_id=organisation.id,
            full_name=name,
            email=f"applicant{number}.{vacancy.id.hex[-4:]}@example.org",
            source="demo",
            profile={
                "years_in_smm": rng.choice([0.5, 1, 2, 3, 5]),
                "platforms": rng.sample(["vk", "telegram", "dzen", "youtube"], 2),
            },
        )
        application = create_application(session, vacancy=vacancy, candidate=candidate)
        answers = {"sex": sex, "ethnicity": ethnicity} if ethnicity else {"sex": sex}
        record_self_identification(session, application=application, answers=answers)
        record_decision(
            session,
            application=application,
            decision=Decision.ADVANCE if screened_in else Decision.REJECT,
            to_stage=Stage.SCREENING if screened_in else Stage.REJECTED,
            reason=REASONS[Stage.SCREENING] if screened_in else SCREENED_OUT,
            decided_by=recruiter,
        )


def _demo_scorecards(
    session: Session,
    application: Application,
    panel: list[User],
    criteria: list[str],
    rng: random.Random,
) -> None:
    level = rng.choice([2, 3, 3, 4])
    for index, interviewer in enumerate(panel[: rng.choice([2, 3])]):
        assign_interviewer(
            session, application=application, interviewer=interviewer, stage=Stage.INTERVIEW
        )
        scorecard = start_scorecard(
            session, application=application, interviewer=interviewer, stage=Stage.INTERVIEW
        )
        changes = []
        for position, criterion_id in enumerate(criteria):
            rating = min(4, max(1, level + rng.choice([0, 0, 0, 1])))
            if index == 1 and position == 0:
                rating = 4 if rating <= 2 else 1  # the debrief has something to discuss
            if rng.random() < 0.1:
                rating = None
            changes.append(RatingChange(criterion_id, rating, "Пример из собеседования"))
        save_draft(
            session,
            scorecard=scorecard,
            user=interviewer,
            changes=changes,
            recommendation=Recommendation.YES if level >= 3 else Recommendation.NO,
            summary="Итог собеседования",
        )
        submit(session, scorecard=scorecard, user=interviewer)
