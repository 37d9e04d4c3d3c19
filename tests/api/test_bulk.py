"""Bulk import (CSV and JSON, a dry run reporting each bad row, batches each all or nothing,
a job with progress) and export of a vacancy's applications with scores and explanations;
scorecards to and from the common ATS form; the import command with its progress bar."""

import csv
import io
import json
import uuid

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import Session, func, select

from app import jobs
from app.hiring import bulk
from app.hiring.csv_import import CandidateRow
from app.hiring.service import assign_interviewer, create_application, create_candidate
from app.models import (
    Application,
    ApplicationScore,
    AuditEvent,
    Candidate,
    ImportJob,
    ImportStatus,
    Organisation,
    Scorecard,
    Stage,
    User,
    UserRole,
    Vacancy,
    WebhookDelivery,
    WebhookSubscription,
)
from app.scoring.screening import ScreeningData, score_screening
from app.scoring.service import profile_context
from app.settings import Settings
from tests.factories import make_api_key
from tests.test_cli import run


@pytest.fixture
def key(db: Session, demo: Organisation) -> dict[str, str]:
    _, secret = make_api_key(
        db,
        organisation=demo,
        scopes=[
            "candidates:read",
            "candidates:write",
            "reports:read",
            "scorecards:read",
            "scorecards:write",
        ],
    )
    db.commit()
    return {"Authorization": f"Bearer {secret}"}


def count(db: Session, model, *where) -> int:  # noqa: ANN001
    db.rollback()
    value = db.exec(select(func.count()).select_from(model).where(*where)).one()
    db.rollback()
    return value


def csv_of(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def vacancy_of(db: Session, demo: Organisation) -> uuid.UUID:
    vacancy_id = db.exec(select(Vacancy.id).where(Vacancy.organisation_id == demo.id)).first()
    db.rollback()
    return vacancy_id


def test_a_dry_run_reports_each_bad_row_and_an_import_with_bad_rows_saves_nothing(
    http: httpx.Client, db: Session, key: dict
) -> None:
    data = csv_of(
        [
            {"full_name": "Хорошая", "email": "ok@example.org", "years_in_smm": "2"},
            {"full_name": "", "email": "noname@example.org", "years_in_smm": ""},
            {"full_name": "Плохая почта", "email": "nope", "years_in_smm": "много"},
        ]
    )
    csv_headers = {**key, "content-type": "text/csv"}

    dry = http.post(
        "/api/v1/imports", params={"dry_run": "true"}, headers=csv_headers, content=data
    )
    real = http.post("/api/v1/imports", headers=csv_headers, content=data)

    assert dry.status_code == 200 and dry.json()["valid"] is False
    assert {(p["row"], p["field"]) for p in dry.json()["problems"]} == {
        (3, "full_name"),
        (4, "email"),
        (4, "years_in_smm"),
    }
    assert real.status_code == 422
    assert "row 4: email" in {e["field"] for e in real.json()["errors"]}
    assert count(db, Candidate, Candidate.full_name == "Хорошая") == 0


def test_an_import_runs_as_a_job_in_batches_into_the_vacancy(
    http: httpx.Client,
    db: Session,
    key: dict,
    demo: Organisation,
    engine: sa.Engine,
    settings: Settings,
) -> None:
    vacancy_id = vacancy_of(db, demo)
    before = count(db, Application, Application.vacancy_id == vacancy_id)
    rows = [
        {
            "full_name": f"Импорт {n}",
            "email": f"bulk{n}@example.org",
            "external_id": f"b-{n}",
            "years_in_smm": str(n % 7),
            "platforms": "vk;telegram",
        }
        for n in range(2_500)
    ]

    started = http.post(
        "/api/v1/imports",
        params={"vacancy_id": str(vacancy_id)},
        headers={**key, "content-type": "text/csv"},
        content=csv_of(rows),
    )
    queued = http.get(started.headers["location"], headers=key).json()
    # What the server's job runner does (tests run the jobs themselves).
    assert jobs.run_due(engine, settings) == 1
    job = http.get(started.headers["location"], headers=key).json()

    assert started.status_code == 202 and started.json()["total"] == 2_500
    assert queued["status"] == "queued" and queued["attempts"] == 0
    assert job["status"] == "succeeded" and job["processed"] == 2_500, job
    assert job["attempts"] == 1 and job["error"] == ""
    assert count(db, Candidate, Candidate.external_id.like("b-%")) == 2_500
    assert count(db, Application, Application.vacancy_id == vacancy_id) == before + 2_500


def test_json_rows_are_checked_like_the_api_checks_one(
    http: httpx.Client, db: Session, key: dict
) -> None:
    body = [
        {"full_name": "Джейсон", "external_id": "j-1", "profile": {"years_in_smm": 2}},
        {"full_name": "Джейсон второй", "external_id": "j-1"},
        {"full_name": "Лишнее поле", "organisation_id": "x"},
        {"full_name": "Годы", "profile": {"years_in_smm": -1}},
    ]

    dry = http.post("/api/v1/imports", params={"dry_run": "true"}, headers=key, json=body)

    assert {(p["row"], p["field"]) for p in dry.json()["problems"]} == {
        (2, "external_id"),
        (3, "organisation_id"),
        (4, "profile.years_in_smm"),
    }


def test_a_failing_batch_rolls_back_alone_and_the_job_says_which_rows(
    db: Session, demo: Organisation, settings: Settings
) -> None:
    rows = [
        CandidateRow(line=n + 2, full_name=f"Партия {n}", external_id=f"p-{n}")
        for n in range(2_500)
    ]
    # Someone takes an id of the second batch after the rows were checked.
    db.add(Candidate(organisation_id=demo.id, full_name="Опередил", external_id="p-1500"))
    job = bulk.start(db, organisation_id=demo.id, vacancy=None, rows=rows)
    db.commit()

    assert jobs.run_due(db.get_bind(), settings) == 1
    db.expire_all()
    finished = db.get(ImportJob, job.id)

    assert finished.status == ImportStatus.FAILED and finished.processed == 1_000
    assert "rows 1002-2001 were rolled back" in finished.error
    assert "row 1502: a candidate has this id already" in finished.error
    assert count(db, Candidate, Candidate.full_name.like("Партия %")) == 1_000


def test_a_batch_saves_what_one_by_one_saves(db: Session, demo: Organisation) -> None:
    vacancy = db.get(Vacancy, vacancy_of(db, demo))
    db.add(
        WebhookSubscription(
            organisation_id=demo.id,
            url="https://receiver.example/hooks",
            events=["candidate.created"],
            secret="test-secret",
        )
    )
    profiles = [
        {},
        {"years_in_smm": 0.5},
        {"years_in_smm": 4.0, "platforms": ["vk"]},
        {"years_in_smm": 12.0, "platforms": ["vk", "telegram"], "ad_tools": ["VK Реклама"]},
        {"audience_built": 12_000, "cms": [], "portfolio_links": ["https://example.org/c"]},
        {"years_in_smm": 4.0, "platforms": ["vk"]},  # the same as another: scored once
    ]

    def rows(tag: str) -> list[CandidateRow]:
        return [
            CandidateRow(
                line=n + 2,
                full_name=f"{tag} {n}",
                email=f"{tag}{n}@example.org" if n % 2 else "",
                location="Казань",
                source="ats" if n % 2 else "csv",
                external_id=f"{tag}-{n}" if n % 2 else None,
                profile=profile,
            )
            for n, profile in enumerate(profiles)
        ]

    for row in rows("one"):
        candidate = create_candidate(
            db,
            organisation_id=demo.id,
            full_name=row.full_name,
            email=row.email,
            phone=row.phone,
            location=row.location,
            source=row.source,
            external_id=row.external_id,
            profile=row.profile,
        )
        create_application(db, vacancy=vacancy, candidate=candidate)
    bulk.save_rows(db, organisation_id=demo.id, rows=rows("batch"), vacancy=vacancy)
    db.flush()

    def saved(tag: str) -> list[dict]:
        found = []
        for candidate in db.exec(
            select(Candidate)
            .where(Candidate.full_name.like(f"{tag} %"))
            .order_by(Candidate.created_at, Candidate.id)
        ):
            application = db.exec(
                select(Application).where(Application.candidate_id == candidate.id)
            ).one()
            score = db.exec(
                select(ApplicationScore).where(ApplicationScore.application_id == application.id)
            ).one()
            [event] = [
                d.payload
                for d in db.exec(select(WebhookDelivery))
                if d.payload["data"]["candidate_id"] == str(candidate.id)
            ]
            found.append(
                {
                    # change_position: where the write is in the sync order, set either way.
                    "candidate": candidate.model_dump(
                        exclude={"id", "created_at", "updated_at", "full_name", "email"}
                    )
                    | {
                        "external_id": bool(candidate.external_id),
                        "email": bool(candidate.email),
                        "change_position": candidate.change_position is not None,
                    },
                    "application": application.model_dump(
                        include={"organisation_id", "vacancy_id", "stage"}
                    ),
                    "score": score.model_dump(
                        exclude={"id", "created_at", "updated_at", "application_id"}
                    ),
                    "event": {"type": event["type"], "source": event["data"]["source"]},
                    "logged": sorted(
                        (e.action, e.object_type, e.actor_user_id)
                        for e in db.exec(
                            select(AuditEvent).where(
                                AuditEvent.object_id.in_([str(candidate.id), str(application.id)]),
                                AuditEvent.action.like("%.created"),
                            )
                        )
                    ),
                }
            )
        return found

    one_by_one, batch = saved("one"), saved("batch")

    assert len(batch) == len(profiles) and batch == one_by_one
    assert db.exec(select(func.count()).select_from(WebhookDelivery)).one() == 2 * len(profiles)
    # The batch's arrays give what the engine gives scoring one application at a time.
    context = profile_context(db, vacancy.role_profile_version_id)
    assert [item["score"]["total"] for item in batch] == [
        score_screening(
            context.screening_model, context.profile, ScreeningData.model_validate(profile)
        ).score.total
        for profile in profiles
    ]
    assert {item["score"]["total"] for item in batch} != {None}
    assert batch[0]["logged"] == [
        ("application.created", "application", None),
        ("candidate.created", "candidate", None),
    ]
    # The batch's scores are one event, as a vacancy's rescoring is.
    [scored] = db.exec(
        select(AuditEvent).where(
            AuditEvent.action == "score.screening.updated", AuditEvent.object_id == str(vacancy.id)
        )
    ).all()
    assert scored.details["applications"] == len(profiles)


def test_export_gives_scores_explanations_and_ats_scorecards(
    http: httpx.Client, db: Session, key: dict, demo: Organisation
) -> None:
    vacancy_id = db.exec(
        select(Scorecard.application_id, Application.vacancy_id)
        .join(Application, Application.id == Scorecard.application_id)
        .where(Scorecard.organisation_id == demo.id, Scorecard.submitted_at.is_not(None))
    ).first()[1]
    applications = count(db, Application, Application.vacancy_id == vacancy_id)

    as_json = http.get(f"/api/v1/vacancies/{vacancy_id}/export", headers=key)
    as_csv = http.get(
        f"/api/v1/vacancies/{vacancy_id}/export", params={"format": "csv"}, headers=key
    )

    records = as_json.json()
    scored = [r for r in records if r["panel"]]
    assert len(records) == applications and scored
    assert all(
        sum(c["contribution"] or 0 for c in r["panel"]["criteria"])
        == pytest.approx(r["panel"]["total"], abs=0.2)
        for r in scored
        if r["panel"]["total"] is not None
    )
    cards = [card for r in records for card in r["scorecards"]]
    assert cards and {c["overall_recommendation"] for c in cards} <= {
        "definitely_not",
        "no",
        "yes",
        "strong_yes",
        "no_decision",
    }
    lines = list(csv.DictReader(io.StringIO(as_csv.text.lstrip("\ufeff"))))
    assert as_csv.text.startswith("\ufeff") and len(lines) == applications
    assert any(line["explanation"] for line in lines)


def test_a_scorecard_in_the_ats_form_is_recorded_and_read_back(
    http: httpx.Client, db: Session, key: dict, demo: Organisation
) -> None:
    interviewer = db.exec(
        select(User).where(User.organisation_id == demo.id, User.role == UserRole.INTERVIEWER)
    ).first()
    vacancy = db.get(Vacancy, vacancy_of(db, demo))
    candidate = create_candidate(db, organisation_id=demo.id, full_name="Для формы ATS")
    application = create_application(db, vacancy=vacancy, candidate=candidate)
    assignment = assign_interviewer(
        db, application=application, interviewer=interviewer, stage=Stage.INTERVIEW
    )
    email = interviewer.email
    db.commit()
    application_id, stage = assignment.application_id, assignment.stage.value
    db.rollback()
    headers = {**key, "On-Behalf-Of": email}

    bad = http.post(
        f"/api/v1/applications/{application_id}/scorecards/ats-form",
        headers=headers,
        json={"stage": stage, "overall_recommendation": "maybe"},
    )
    sent = http.post(
        f"/api/v1/applications/{application_id}/scorecards/ats-form",
        headers=headers,
        json={"stage": stage, "overall_recommendation": "definitely_not", "submit": False},
    )
    assert sent.status_code == 201, sent.text
    read = http.get(f"/api/v1/scorecards/{sent.json()['id']}/ats-form", headers=key)

    assert (
        bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.overall_recommendation"
    )
    assert sent.status_code == 201, sent.text
    assert read.json()["overall_recommendation"] == "definitely_not"
    assert read.json()["status"] == "draft"


def test_the_import_command_shows_progress_and_names_bad_rows(
    tmp_path,
    cli_env: dict,
    empty_database_url: str,  # noqa: ANN001
) -> None:
    run("migrate", env=cli_env)
    run("demo", env=cli_env)
    good = tmp_path / "good.json"
    good.write_text(json.dumps([{"full_name": f"Командная {n}"} for n in range(1_200)]))
    bad = tmp_path / "bad.csv"
    bad.write_text("full_name,email\nХорошая,ok@example.org\nПлохая,nope\n")

    imported = run("import", str(good), "--organisation", "demo", env=cli_env)
    refused = run("import", str(bad), "--organisation", "demo", env=cli_env)

    assert imported.returncode == 0 and "imported 1,200 candidates" in imported.stdout
    assert "importing" in imported.stdout
    assert refused.returncode != 0 and f"{bad}:3: email" in refused.stdout
    assert (
        len(refused.stderr.strip().splitlines()) == 1 and "nothing was imported" in refused.stderr
    )
