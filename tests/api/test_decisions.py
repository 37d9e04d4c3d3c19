"""Decisions through the API: only moves along the vacancy's stage path, reopen, and a hire
that needs a submitted scorecard or an override with its own reason."""

import uuid
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.hiring.service import assign_interviewer, create_application, create_candidate
from app.models import (
    Application,
    AuditEvent,
    Stage,
    StageDecision,
    User,
    UserRole,
    WebhookDelivery,
    WebhookSubscription,
)
from app.scorecards.service import start_scorecard, submit
from tests.factories import make_api_key, make_organisation, make_user, make_vacancy

REASON = "Сильные примеры работы с сообществом"


@dataclass
class Case:
    api: TestClient
    application_id: uuid.UUID
    interviewer_id: uuid.UUID

    @property
    def url(self) -> str:
        return f"/api/v1/applications/{self.application_id}/decisions"

    def decide(self, decision: str, to_stage: str, reason: str = REASON, **more: object):  # noqa: ANN201
        return self.api.post(
            self.url, json={"decision": decision, "to_stage": to_stage, "reason": reason, **more}
        )


@pytest.fixture
def case(db: Session, client: TestClient) -> Case:
    """One application to the community manager vacancy (its profile plans screening,
    interview and work sample), an interviewer assigned at screening and interview, and a
    key acting for a recruiter."""
    organisation = make_organisation(db)
    recruiter = make_user(db, organisation=organisation, email="rita@example.org")
    interviewer = make_user(
        db, organisation=organisation, role=UserRole.INTERVIEWER, email="anna@example.org"
    )
    vacancy = make_vacancy(db, organisation=organisation)
    candidate = create_candidate(db, organisation_id=organisation.id, full_name="Вера Кандидатова")
    application = create_application(db, vacancy=vacancy, candidate=candidate)
    for stage in (Stage.SCREENING, Stage.INTERVIEW):
        assign_interviewer(db, application=application, interviewer=interviewer, stage=stage)
    _, secret = make_api_key(db, organisation=organisation, scopes=["admin"])
    db.commit()
    client.headers.update({"Authorization": f"Bearer {secret}", "On-Behalf-Of": str(recruiter.id)})
    return Case(client, application.id, interviewer.id)


def put_at(db: Session, case: Case, stage: Stage) -> None:
    application = db.get(Application, case.application_id)
    application.stage = stage
    db.add(application)
    db.commit()


def scorecard(db: Session, case: Case, stage: Stage, *, submitted: bool = True) -> None:
    application = db.get(Application, case.application_id)
    interviewer = db.get(User, case.interviewer_id)
    card = start_scorecard(db, application=application, interviewer=interviewer, stage=stage)
    if submitted:
        submit(db, scorecard=card, user=interviewer)
    db.commit()


def state(db: Session, case: Case) -> tuple[Stage, int]:
    """The application's stage and how many decisions it has; ends the read transaction."""
    db.expire_all()
    stage = db.get(Application, case.application_id).stage
    count = len(
        db.exec(
            select(StageDecision).where(StageDecision.application_id == case.application_id)
        ).all()
    )
    db.rollback()
    return stage, count


@pytest.mark.parametrize(
    ("at", "body", "field"),
    [
        (Stage.APPLIED, {"decision": "advance", "to_stage": "rejected"}, "to_stage"),
        (Stage.INTERVIEW, {"decision": "advance", "to_stage": "applied"}, "to_stage"),
        (Stage.INTERVIEW, {"decision": "advance", "to_stage": "interview"}, "to_stage"),
        # The profile plans no final interview, so it is not on the path.
        (Stage.SCREENING, {"decision": "advance", "to_stage": "final"}, "to_stage"),
        (Stage.SCREENING, {"decision": "reject", "to_stage": "interview"}, "to_stage"),
        (Stage.SCREENING, {"decision": "withdraw", "to_stage": "rejected"}, "to_stage"),
        (Stage.INTERVIEW, {"decision": "hold", "to_stage": "work_sample"}, "to_stage"),
        (Stage.INTERVIEW, {"decision": "reopen", "to_stage": "work_sample"}, "to_stage"),
        (Stage.APPLIED, {"decision": "reopen", "to_stage": "applied"}, "decision"),
        (Stage.REJECTED, {"decision": "advance", "to_stage": "interview"}, "decision"),
        (Stage.WITHDRAWN, {"decision": "hold", "to_stage": "withdrawn"}, "decision"),
        (Stage.REJECTED, {"decision": "reopen", "to_stage": "hired"}, "to_stage"),
        (Stage.APPLIED, {"decision": "advance", "to_stage": "hired"}, "override"),
        (
            Stage.OFFER,
            {"decision": "advance", "to_stage": "hired", "override": True},
            "override_reason",
        ),
        (
            Stage.OFFER,
            {"decision": "advance", "to_stage": "hired", "override": True, "override_reason": " "},
            "override_reason",
        ),
        (
            Stage.SCREENING,
            {"decision": "advance", "to_stage": "interview", "override": True},
            "override",
        ),
        (
            Stage.SCREENING,
            {"decision": "advance", "to_stage": "interview", "override_reason": "Директор знает"},
            "override_reason",
        ),
        (Stage.APPLIED, {"decision": "promote", "to_stage": "screening"}, "body.decision"),
        (Stage.APPLIED, {"decision": "advance", "to_stage": "nowhere"}, "body.to_stage"),
        (
            Stage.APPLIED,
            {"decision": "advance", "to_stage": "screening", "reason": "  "},
            "body.reason",
        ),
    ],
    ids=[
        "advance-to-rejected",
        "advance-backwards",
        "advance-sideways",
        "advance-off-the-path",
        "reject-elsewhere",
        "withdraw-to-rejected",
        "hold-moving",
        "reopen-forwards",
        "reopen-at-applied",
        "advance-a-rejected-one",
        "hold-a-withdrawn-one",
        "reopen-into-hired",
        "hire-without-scorecard",
        "override-without-reason",
        "override-with-blank-reason",
        "override-not-for-a-hire",
        "override-reason-without-override",
        "unknown-decision",
        "unknown-stage",
        "blank-reason",
    ],
)
def test_a_refused_decision_names_the_field_and_writes_nothing(
    case: Case, db: Session, at: Stage, body: dict, field: str
) -> None:
    put_at(db, case, at)

    answer = case.api.post(case.url, json={"reason": REASON, **body})

    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in answer.json()["errors"]] == [field]
    assert state(db, case) == (at, 0)


def test_a_hired_candidate_stays_hired(case: Case, db: Session) -> None:
    put_at(db, case, Stage.HIRED)

    answers = [
        case.decide("reject", "rejected"),
        case.decide("reopen", "offer"),
        case.decide("hold", "hired"),
    ]

    assert [a.status_code for a in answers] == [409, 409, 409]
    assert answers[0].json()["errors"][0]["field"] == "stage"
    assert state(db, case) == (Stage.HIRED, 0)


def test_forward_skips_hold_and_reopen_are_recorded(case: Case, db: Session) -> None:
    steps = [
        ("advance", "work_sample"),  # screening and interview skipped
        ("hold", "work_sample"),
        ("reopen", "interview"),
        ("reject", "rejected"),
        ("reopen", "screening"),  # turned down by mistake: back in
        ("advance", "offer"),
        ("withdraw", "withdrawn"),
        ("reopen", "offer"),
    ]

    answers = [case.decide(decision, to_stage) for decision, to_stage in steps]

    assert [a.status_code for a in answers] == [201] * len(steps), [a.text for a in answers]
    assert [(a.json()["from_stage"], a.json()["to_stage"]) for a in answers] == [
        ("applied", "work_sample"),
        ("work_sample", "work_sample"),
        ("work_sample", "interview"),
        ("interview", "rejected"),
        ("rejected", "screening"),
        ("screening", "offer"),
        ("offer", "withdrawn"),
        ("withdrawn", "offer"),
    ]
    assert answers[2].json()["decision"] == "reopen"
    assert state(db, case) == (Stage.OFFER, len(steps))


def test_a_hire_needs_a_submitted_scorecard_after_screening(case: Case, db: Session) -> None:
    scorecard(db, case, Stage.SCREENING)
    scorecard(db, case, Stage.INTERVIEW, submitted=False)
    put_at(db, case, Stage.OFFER)

    with_screening_and_draft = case.decide("advance", "hired")
    scorecard(db, case, Stage.INTERVIEW)  # the draft, submitted now
    needless_override = case.decide(
        "advance", "hired", override=True, override_reason="На всякий случай"
    )
    hired = case.decide("advance", "hired")

    assert with_screening_and_draft.status_code == 422
    assert with_screening_and_draft.json()["errors"][0]["field"] == "override"
    assert needless_override.status_code == 422
    assert needless_override.json()["errors"][0]["field"] == "override"
    assert hired.status_code == 201, hired.text
    assert (hired.json()["to_stage"], hired.json()["override"]) == ("hired", False)
    assert state(db, case) == (Stage.HIRED, 1)


def test_an_override_hire_is_recorded_audited_and_announced(case: Case, db: Session) -> None:
    application = db.get(Application, case.application_id)
    db.add(
        WebhookSubscription(
            organisation_id=application.organisation_id,
            url="https://ats.example.org/hooks",
            events=["application.stage_changed"],
            secret="whsec_dGVzdA==",
        )
    )
    db.commit()
    put_at(db, case, Stage.OFFER)

    hired = case.decide(
        "advance",
        "hired",
        override=True,
        override_reason="  Собеседование провёл директор, оценку он не заполняет  ",
    )

    assert hired.status_code == 201, hired.text
    body = hired.json()
    assert (body["override"], body["override_reason"]) == (
        True,
        "Собеседование провёл директор, оценку он не заполняет",
    )
    db.expire_all()
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "application.decided")).one()
    assert event.details["override"] is True and event.details["decision_id"] == body["id"]
    delivery = db.exec(select(WebhookDelivery)).one()
    assert delivery.payload["data"]["override"] is True
    assert delivery.payload["data"]["to_stage"] == "hired"
