"""Erasure: no trace of the person in any table, the anonymous numbers stay and still count in
the fairness report and the comparison, the erasure itself is in the audit log."""

import json
import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select

from app.errors import Conflict
from app.fairness.service import fairness_report
from app.hiring.comparison import ranking
from app.hiring.service import update_candidate
from app.models import (
    Application,
    ApplicationScore,
    AuditEvent,
    Candidate,
    CriterionRating,
    Stage,
    Vacancy,
)
from app.models.base import UTCDateTime
from app.privacy.service import ERASED_NAME, ErasureReason, erase_candidate
from tests.privacy.conftest import HR, Person, candidate_row, user


def readable(value: Any) -> str:
    """A stored value as text, however the backend keeps it (JSON on SQLite escapes Cyrillic)."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def traces(db: Session, strings: tuple[str, ...]) -> dict[str, list[str]]:
    """Where each string occurs: table.column of every text, JSON and binary column of every
    table (the columns are read back and searched, the same on SQLite and PostgreSQL)."""
    found: dict[str, list[str]] = {}
    for table in SQLModel.metadata.sorted_tables:
        columns = [c for c in table.columns if _holds_text(c)]
        if not columns:
            continue
        for row in db.execute(sa.select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                text = readable(value)
                for string in strings:
                    if string in text or json.dumps(string)[1:-1] in text:
                        found.setdefault(string, []).append(f"{table.name}.{column.name}")
    db.rollback()
    return found


def _holds_text(column: sa.Column) -> bool:
    """Every column but ids, numbers, flags and times: strings of any kind (SQLModel's
    AutoString included), enums, JSON and bytes."""
    if isinstance(column.type, UTCDateTime):
        return False
    try:
        return column.type.python_type not in (uuid.UUID, int, float, bool)
    except NotImplementedError:
        return True


def erase(db: Session, person: Person, **actor: Any) -> AuditEvent:
    event = erase_candidate(
        db,
        candidate=db.get(Candidate, person.candidate_id),
        reason=ErasureReason.CANDIDATE_REQUEST,
        **actor,
    )
    db.commit()
    return event


def test_erasure_leaves_no_trace_of_the_person_in_any_table(
    db: Session, subject: Person, neighbour: Person
) -> None:
    before = traces(db, subject.identifying)
    assert set(before) == set(subject.identifying)  # the scan finds what is there
    assert before[subject.ip_address] == ["audit_events.ip_address"]

    erase(db, subject)

    assert traces(db, subject.identifying) == {}
    # The other candidate's data is untouched.
    assert set(traces(db, neighbour.identifying)) == set(neighbour.identifying)
    candidate = candidate_row(db, subject)
    assert candidate.full_name == ERASED_NAME and candidate.erased_at is not None
    assert candidate.profile == {} and candidate.external_id is None
    assert candidate.talent_pool_consent_at is None and candidate.consent_text == ""
    db.rollback()


def test_scores_stay_as_anonymous_numbers_that_reports_still_count(
    db: Session, subject: Person
) -> None:
    vacancy = db.exec(
        select(Vacancy).join(Application).where(Application.id == subject.application_id)
    ).one()

    def figures() -> tuple:
        report = fairness_report(db, vacancy=vacancy, stage=Stage.APPLIED)
        rows = {row.application_id: row for row in ranking(db, vacancy)}
        scores = db.exec(
            select(ApplicationScore.kind, ApplicationScore.total).where(
                ApplicationScore.application_id == subject.application_id
            )
        ).all()
        ratings = db.exec(
            select(CriterionRating.criterion_id, CriterionRating.rating)
            .where(CriterionRating.scorecard_id == subject.scorecard_id)
            .order_by(CriterionRating.criterion_id)
        ).all()
        mine = rows[subject.application_id]
        return report.figures, (mine.candidate_name, mine.total), sorted(scores), ratings

    report, (name, total), scores, ratings = figures()
    db.rollback()
    erase(db, subject)
    report_after, (name_after, total_after), scores_after, ratings_after = figures()
    db.rollback()

    assert name == subject.name and name_after == ERASED_NAME
    assert total_after == total is not None
    assert scores_after == scores and ratings_after == ratings
    assert report_after.people == report.people
    assert report_after.outcomes == report.outcomes
    assert report_after.selection == report.selection and report_after.scoring == report.scoring
    # Their self-identification went with them: one answer fewer, counted as unknown now.
    assert report_after.respondents == report.respondents - 1


def test_the_erasure_is_audited_with_who_when_and_why(db: Session, subject: Person) -> None:
    hr = user(db, HR)
    hr_id = hr.id

    erase(db, subject, actor_user_id=hr_id, ip_address="198.51.100.7")

    event = db.exec(select(AuditEvent).where(AuditEvent.action == "candidate.erased")).one()
    assert event.object_id == str(subject.candidate_id) and event.object_type == "candidate"
    assert event.actor_user_id == hr_id and event.occurred_at is not None
    assert event.details == {"reason": "candidate_request", "applications": 1}
    db.rollback()


def test_an_erased_candidate_cannot_be_filled_in_again(db: Session, subject: Person) -> None:
    erase(db, subject)
    candidate = db.get(Candidate, subject.candidate_id)

    with pytest.raises(Conflict):
        update_candidate(db, candidate=candidate, full_name=subject.name)
    db.rollback()
    assert candidate_row(db, subject).full_name == ERASED_NAME
    db.rollback()
