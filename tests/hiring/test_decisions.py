"""Decisions taken at the same moment: the application is locked while one is recorded, so
only one of them moves it from the stage they all saw."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa
from sqlmodel import Session, select

from app.db import read_session, write_session
from app.errors import InvalidInput
from app.hiring.service import create_application, create_candidate, record_decision
from app.models import Application, Decision, Stage, StageDecision, User
from app.rubrics.library import builtin_library
from app.rubrics.service import sync_builtin_library
from tests.factories import make_organisation, make_user, make_vacancy


def an_application(db: Session) -> tuple[uuid.UUID, uuid.UUID]:
    sync_builtin_library(db, builtin_library())
    organisation = make_organisation(db)
    recruiter = make_user(db, organisation=organisation)
    vacancy = make_vacancy(db, organisation=organisation)
    candidate = create_candidate(db, organisation_id=organisation.id, full_name="Вера Кандидатова")
    application = create_application(db, vacancy=vacancy, candidate=candidate)
    db.commit()
    return application.id, recruiter.id


def test_twelve_simultaneous_decisions_move_the_application_once(
    engine: sa.Engine, db: Session
) -> None:
    application_id, recruiter_id = an_application(db)
    db.close()

    def advance(_: int) -> str:
        with write_session(engine) as session:
            # Each reads the application (at "applied") before deciding, as a page would.
            application = session.get(Application, application_id)
            try:
                record_decision(
                    session,
                    application=application,
                    decision=Decision.ADVANCE,
                    to_stage=Stage.SCREENING,
                    reason="Опыт и площадки соответствуют профилю",
                    decided_by=session.get(User, recruiter_id),
                )
            except InvalidInput as refused:
                session.rollback()
                return refused.field
        return "recorded"

    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = sorted(pool.map(advance, range(12)))

    assert outcomes == ["recorded"] + ["to_stage"] * 11
    with read_session(engine) as session:
        decisions = session.exec(select(StageDecision)).all()
        assert [(d.from_stage, d.to_stage) for d in decisions] == [(Stage.APPLIED, Stage.SCREENING)]
        assert session.get(Application, application_id).stage == Stage.SCREENING
