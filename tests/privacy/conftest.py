"""A candidate with every kind of data smm-hire holds about a person, in the demo organisation,
and a second one beside them whose data must never show up in the first one's export."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from app import audit
from app.demo import DEMO_LOGINS
from app.fairness.service import record_self_identification
from app.hiring.service import (
    assign_interviewer,
    create_application,
    create_candidate,
    record_decision,
)
from app.models import (
    ApiKey,
    Candidate,
    Decision,
    IdempotencyRecord,
    InterviewSheet,
    Organisation,
    Recommendation,
    Stage,
    User,
    Vacancy,
)
from app.scorecards.service import RatingChange, correct, save_draft, start_scorecard, submit
from app.scoring.service import profile_context
from tests.factories import make_api_key

HR, RECRUITER, INTERVIEWER = DEMO_LOGINS[1], DEMO_LOGINS[2], DEMO_LOGINS[3]


@dataclass(frozen=True)
class Person:
    """A candidate and the strings that would identify them (each unique in the database)."""

    candidate_id: uuid.UUID
    application_id: uuid.UUID
    scorecard_id: uuid.UUID
    name: str
    email: str
    phone: str
    texts: tuple[str, ...]  # notes, evidence, summary, reasons... written about them
    ip_address: str  # where they applied from

    @property
    def identifying(self) -> tuple[str, ...]:
        return (self.name, self.email, self.phone, *self.texts, self.ip_address)


def user(db: Session, login) -> User:  # noqa: ANN001
    return db.exec(select(User).where(User.email == login.email)).one()


def make_person(db: Session, organisation: Organisation, tag: str) -> Person:
    """Gives a new candidate of the demo's "SMM-менеджер" vacancy every kind of data."""
    vacancy = db.exec(
        select(Vacancy).where(
            Vacancy.organisation_id == organisation.id, Vacancy.title == "SMM-менеджер"
        )
    ).one()
    recruiter, interviewer = user(db, RECRUITER), user(db, INTERVIEWER)
    name, email, phone = f"Эраст {tag} Стиралкин", f"erast.{tag}@example.org", f"+7 999 {tag}"
    texts = (
        f"заметка рекрутера {tag}",
        f"блог t.me/erast_{tag}",
        f"доказательство {tag}: провёл кампанию",
        f"итог {tag}: сильный кандидат",
        f"причина решения {tag}",
        f"исправление {tag}: уточнил оценку",
        f"лист собеседования {tag}",
    )
    candidate = create_candidate(
        db,
        organisation_id=organisation.id,
        full_name=name,
        email=email,
        phone=phone,
        location=f"Город {tag}",
        source="careers",
        external_id=f"ats-{tag}",
        notes=texts[0],
        profile={"years_in_smm": 3, "platforms": ["vk"], "own_blog_url": texts[1]},
        consent_text="Я согласен(на) на обработку моих персональных данных.",
        consent_given_at=datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
        talent_pool_consent_text="Я согласен(на) на кадровый резерв до 24 мес.",
        talent_pool_consent_at=datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
    )
    application = create_application(db, vacancy=vacancy, candidate=candidate)
    record_self_identification(
        db, application=application, answers={"sex": "female", "ethnicity": "prefer_not_to_say"}
    )
    assign_interviewer(db, application=application, interviewer=interviewer, stage=Stage.INTERVIEW)
    scorecard = start_scorecard(
        db, application=application, interviewer=interviewer, stage=Stage.INTERVIEW
    )
    criteria = profile_context(db, vacancy.role_profile_version_id).stage_criteria("interview")
    save_draft(
        db,
        scorecard=scorecard,
        user=interviewer,
        changes=[RatingChange(criteria[0], 3, texts[2]), RatingChange(criteria[1], 4)],
        recommendation=Recommendation.YES,
        summary=texts[3],
    )
    submit(db, scorecard=scorecard, user=interviewer)
    correct(
        db,
        scorecard=scorecard,
        user=interviewer,
        changes=[RatingChange(criteria[1], 2, texts[2])],
        reason=texts[5],
    )
    record_decision(
        db,
        application=application,
        decision=Decision.REJECT,
        to_stage=Stage.REJECTED,
        reason=texts[4],
        decided_by=recruiter,
    )
    db.add(
        InterviewSheet(
            organisation_id=organisation.id,
            role_profile_version_id=vacancy.role_profile_version_id,
            application_id=application.id,
            stage=Stage.INTERVIEW,
            content={"candidate": name, "notes": texts[6]},
        )
    )
    # What the careers form leaves in the log: the address the candidate applied from.
    audit.record(
        db,
        organisation_id=organisation.id,
        action="careers.applied",
        object_type="application",
        object_id=application.id,
        ip_address=f"203.0.113.{ord(tag[0])}",
    )
    # An ATS's POST remembered for Idempotency-Key retries holds the candidate as sent.
    api_key = db.exec(select(ApiKey).where(ApiKey.organisation_id == organisation.id)).first()
    if api_key is None:
        api_key, _ = make_api_key(db, organisation=organisation)
    db.add(
        IdempotencyRecord(
            organisation_id=organisation.id,
            api_key_id=api_key.id,
            key=f"key-{tag}",
            request_hash="0" * 64,
            response_status=201,
            response_body=f'{{"id": "{candidate.id}", "full_name": "{name}"}}'.encode(),
        )
    )
    db.flush()
    ip_address = f"203.0.113.{ord(tag[0])}"
    return Person(candidate.id, application.id, scorecard.id, name, email, phone, texts, ip_address)


@pytest.fixture
def subject(db: Session, demo: Organisation) -> Person:
    person = make_person(db, demo, "A1")
    db.commit()
    return person


@pytest.fixture
def neighbour(db: Session, demo: Organisation, subject: Person) -> Person:
    person = make_person(db, demo, "B2")
    db.commit()
    return person


def candidate_row(db: Session, person: Person) -> Candidate:
    db.rollback()  # a fresh read, and no transaction left open (SQLite: the server may write)
    candidate = db.get(Candidate, person.candidate_id)
    db.refresh(candidate)
    return candidate
