"""The case the agreement tests share: a vacancy whose four applications Anna and Boris rate
at the interview and at the work sample, submitted in a mixed order, and people to sign in."""

import uuid
from dataclasses import dataclass
from functools import cache

from sqlmodel import Session

from app.demo import DemoLogin
from app.hiring.service import assign_interviewer, create_application, create_candidate
from app.models import Organisation, Stage, User, UserRole, new_id
from app.scorecards.service import RatingChange, save_draft, start_scorecard, submit
from app.security import hash_password
from tests.factories import DEFAULT_PASSWORD, make_api_key, make_organisation, make_vacancy

CRITICISM = "communicability.criticism"  # the same levels at both stages
LISTENING = "communicability.listening"  # other levels at the work sample: the candidate grew
MOBILE = "flexibility.mobile_accounts"  # the panel agrees at the interview, not after
# Per application, (anna, boris) at each stage. Within a stage the panel agrees exactly on
# CRITICISM and LISTENING; on MOBILE Boris is a point more lenient at the work sample.
LEVELS = {
    Stage.INTERVIEW: {
        CRITICISM: [(1, 1), (2, 2), (3, 3), (4, 4)],
        LISTENING: [(1, 1), (2, 2), (3, 3), (4, 4)],
        MOBILE: [(1, 1), (2, 2), (3, 3), (4, 4)],
    },
    Stage.WORK_SAMPLE: {
        CRITICISM: [(1, 1), (2, 2), (3, 3), (4, 4)],
        LISTENING: [(3, 3), (4, 4), (4, 4), (2, 2)],
        MOBILE: [(1, 2), (2, 3), (2, 3), (4, 4)],
    },
}
ROLES = (UserRole.HR, UserRole.RECRUITER, UserRole.INTERVIEWER)


@dataclass
class World:
    vacancy_id: uuid.UUID
    anna: User
    boris: User
    logins: dict[UserRole, DemoLogin]
    outsider: DemoLogin
    api_key: str


@cache
def _password_hash() -> str:
    return hash_password(DEFAULT_PASSWORD)  # slow on purpose: made once for all the users here


def _person(db: Session, organisation: Organisation, role: UserRole, name: str) -> User:
    user = User(
        organisation_id=organisation.id,
        email=f"{role.value}-{new_id().hex[-8:]}@example.org",
        full_name=name,
        role=role,
        password_hash=_password_hash(),
    )
    db.add(user)
    db.flush()
    return user


def _login(user: User) -> DemoLogin:
    return DemoLogin(user.email, DEFAULT_PASSWORD, user.full_name, user.role)


def make_world(db: Session) -> World:
    """Four applications, each rated by Anna and Boris at the interview and the work sample,
    submitted in a mixed order (so a read in insertion order mixes the stages up too)."""
    organisation = make_organisation(db)
    anna = _person(db, organisation, UserRole.INTERVIEWER, "Анна Интервьюерова")
    boris = _person(db, organisation, UserRole.INTERVIEWER, "Борис Интервьюеров")
    people = {role: _person(db, organisation, role, f"Сотрудник ({role.value})") for role in ROLES}
    outsider = _person(db, make_organisation(db), UserRole.HR, "Чужой")
    vacancy = make_vacancy(db, organisation=organisation)
    db.flush()
    for n in range(4):
        candidate = create_candidate(db, organisation_id=organisation.id, full_name=f"Кандидат {n}")
        application = create_application(db, vacancy=vacancy, candidate=candidate)
        order = [(anna, Stage.INTERVIEW), (boris, Stage.WORK_SAMPLE)]
        order += [(anna, Stage.WORK_SAMPLE), (boris, Stage.INTERVIEW)]
        for interviewer, stage in order if n % 2 else reversed(order):
            assign_interviewer(db, application=application, interviewer=interviewer, stage=stage)
            scorecard = start_scorecard(
                db, application=application, interviewer=interviewer, stage=stage
            )
            which = 0 if interviewer is anna else 1
            changes = [
                RatingChange(criterion_id, levels[n][which])
                for criterion_id, levels in LEVELS[stage].items()
            ]
            save_draft(db, scorecard=scorecard, user=interviewer, changes=changes)
            submit(db, scorecard=scorecard, user=interviewer)
    _, secret = make_api_key(db, organisation=organisation, scopes=["reports:read"])
    db.commit()
    logins = {role: _login(user) for role, user in people.items()}
    return World(vacancy.id, anna, boris, logins, _login(outsider), secret)
