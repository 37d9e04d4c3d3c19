"""The export of everything held about a candidate: each kind of data is there, nothing of
another candidate is, and no table that holds candidate data is left out (the list of such
tables is read from the models, so a table added later fails here until it is exported)."""

import json

from sqlmodel import Session, SQLModel

from app.models import Candidate
from app.privacy.api import CandidateDataExport
from app.privacy.service import EXPORT_FORMAT, export_candidate
from tests.privacy.conftest import Person


def tables_holding_candidate_data() -> set[str]:
    """The candidates table, every table with a candidate_id or application_id column, and
    every table pointing (through foreign keys, at any depth) at one of those."""
    tables = SQLModel.metadata.tables.values()
    found = {"candidates"} | {
        table.name
        for table in tables
        if {"candidate_id", "application_id"} & set(table.columns.keys())
    }
    while True:
        more = {
            table.name
            for table in tables
            if table.name not in found
            and any(key.column.table.name in found for key in table.foreign_keys)
        }
        if not more:
            return found
        found |= more


def test_every_table_holding_candidate_data_is_exported(db: Session, subject: Person) -> None:
    exported = export_candidate(db, candidate=db.get(Candidate, subject.candidate_id))

    tables = tables_holding_candidate_data()

    assert {"applications", "criterion_ratings", "self_identifications"} <= tables
    assert tables - set(exported) == set()
    assert tables - set(CandidateDataExport.model_fields) == set()
    db.rollback()


def test_the_export_holds_each_kind_of_data_and_nothing_of_another_candidate(
    db: Session, subject: Person, neighbour: Person
) -> None:
    exported = export_candidate(db, candidate=db.get(Candidate, subject.candidate_id))
    text = json.dumps(exported, ensure_ascii=False)
    db.rollback()

    assert exported["format"] == EXPORT_FORMAT
    person = exported["candidates"]
    assert (person["full_name"], person["email"], person["phone"]) == (
        subject.name,
        subject.email,
        subject.phone,
    )
    assert person["notes"] == subject.texts[0] and person["external_id"] == "ats-A1"
    assert person["profile"]["own_blog_url"] == subject.texts[1]
    assert [c["purpose"] for c in exported["consents"]] == ["application", "talent_pool"]
    assert all(c["text"] and c["given_at"].startswith("2025-03-01") for c in exported["consents"])
    assert exported["retention"]["basis"] == "talent_pool" and exported["retention"]["erase_on"]
    assert [a["id"] for a in exported["applications"]] == [str(subject.application_id)]
    assert exported["applications"][0]["vacancy_title"] == "SMM-менеджер"
    assert [d["reason"] for d in exported["stage_decisions"]] == [subject.texts[4]]
    assert len(exported["interviewer_assignments"]) == 1
    assert exported["scorecards"][0]["summary"] == subject.texts[3]
    assert {r["evidence"] for r in exported["criterion_ratings"]} == {subject.texts[2]}
    assert [r["version"] for r in exported["scorecard_revisions"]] == [1, 2]
    assert exported["scorecard_revisions"][1]["change_reason"] == subject.texts[5]
    scores = {score["kind"]: score for score in exported["application_scores"]}
    assert set(scores) == {"panel", "screening"}
    explained = scores["panel"]["explanation"]
    assert explained["total"] is not None and explained["criteria"][0]["weight"] > 0
    answers = exported["self_identifications"][0]["answers"]
    assert {(a["question"], a["answer"]) for a in answers} == {
        ("sex", "female"),
        ("ethnicity", "prefer_not_to_say"),
    }
    assert "fairness report" in exported["self_identifications"][0]["about"]
    assert exported["interview_sheets"][0]["content"]["notes"] == subject.texts[6]
    actions = {event["action"] for event in exported["audit_events"]}
    assert "careers.applied" in actions
    assert all(
        set(event) == {"id", "occurred_at", "action", "object_type", "object_id"}
        for event in exported["audit_events"]
    )
    # Nothing of the other candidate: not their strings, not their ids.
    for value in (*neighbour.identifying, neighbour.candidate_id, neighbour.application_id):
        assert str(value) not in text
    assert str(neighbour.scorecard_id) not in text


def test_the_api_model_accepts_the_export(db: Session, subject: Person) -> None:
    exported = export_candidate(db, candidate=db.get(Candidate, subject.candidate_id))
    db.rollback()

    model = CandidateDataExport.model_validate(exported)

    assert model.candidates["email"] == subject.email
