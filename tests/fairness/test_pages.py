"""The fairness report over HTTP and in the database: the hand-computed case from real
decisions and scorecards, who may see it, the CSV, the careers form and the settings."""

import csv
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import httpx
import pytest
from sqlmodel import Session, select

from app.demo import DemoLogin
from app.fairness.categories import parse_categories
from app.fairness.report import Outcome
from app.fairness.service import fairness_report, record_self_identification
from app.hiring.service import (
    assign_interviewer,
    create_application,
    create_candidate,
    record_decision,
)
from app.models import (
    Application,
    ApplicationScore,
    Candidate,
    Decision,
    Organisation,
    ScoreKind,
    SelfIdentification,
    Stage,
    User,
    UserRole,
    Vacancy,
    new_id,
)
from app.postings import service as postings
from app.scorecards.service import RatingChange, save_draft, start_scorecard, submit
from app.scoring.service import profile_context, recompute_panel_score
from app.security import hash_password
from tests.factories import DEFAULT_PASSWORD, make_organisation, make_vacancy
from tests.fairness.cases import (
    APPLICANTS,
    CATEGORIES,
    CRITERION_A,
    CRITERION_B,
    FISHER_WOMEN_SELECTION,
    assert_hand_computed,
)
from tests.hiring.test_pages import browser_for
from tests.test_web_accounts import csrf_token_of

ROLES = (UserRole.ADMIN, UserRole.HR, UserRole.RECRUITER, UserRole.INTERVIEWER)


@dataclass
class World:
    organisation_id: uuid.UUID
    vacancy_id: uuid.UUID
    applications: dict[str, uuid.UUID]  # by the case's names (F1, M1...)
    logins: dict[UserRole, DemoLogin]
    outsider: DemoLogin  # HR of another organisation


@cache
def _password_hash() -> str:
    return hash_password(DEFAULT_PASSWORD)  # slow on purpose: made once for all the users here


def _person(db: Session, organisation: Organisation, role: UserRole) -> tuple[User, DemoLogin]:
    user = User(
        organisation_id=organisation.id,
        email=f"{role.value}-{new_id().hex[-8:]}@example.org",
        full_name=f"Сотрудник ({role.value})",
        role=role,
        password_hash=_password_hash(),
    )
    db.add(user)
    return user, DemoLogin(user.email, DEFAULT_PASSWORD, user.full_name, role)


@pytest.fixture
def world(db: Session, live_server: str) -> World:
    """The case of tests/fairness/cases.py made of real decisions and submitted scorecards."""
    organisation = make_organisation(db, slug="fair")
    organisation.self_identification_categories = parse_categories(CATEGORIES)
    people = {role: _person(db, organisation, role) for role in ROLES}
    _, outsider = _person(db, make_organisation(db), UserRole.HR)
    recruiter, interviewer = people[UserRole.RECRUITER][0], people[UserRole.INTERVIEWER][0]
    vacancy = make_vacancy(db, organisation=organisation)
    db.flush()
    # The case needs A and B to weigh the same, so the total follows A + B.
    model = profile_context(db, vacancy.role_profile_version_id).panel_model
    weights = dict(zip(model.criterion_ids, model.global_weights(), strict=True))
    assert weights[CRITERION_A] == weights[CRITERION_B]
    applications = {}
    for applicant in APPLICANTS:
        candidate = create_candidate(
            db, organisation_id=organisation.id, full_name=f"Кандидат {applicant.name}"
        )
        application = create_application(db, vacancy=vacancy, candidate=candidate)
        applications[applicant.name] = application.id
        if applicant.answers:
            record_self_identification(db, application=application, answers=applicant.answers)
        assign_interviewer(
            db, application=application, interviewer=interviewer, stage=Stage.INTERVIEW
        )
        scorecard = start_scorecard(
            db, application=application, interviewer=interviewer, stage=Stage.INTERVIEW
        )
        changes = [RatingChange(CRITERION_A, applicant.a), RatingChange(CRITERION_B, applicant.b)]
        save_draft(db, scorecard=scorecard, user=interviewer, changes=changes)
        submit(db, scorecard=scorecard, user=interviewer)
        moves = [(Decision.ADVANCE, Stage.SCREENING)] + {
            Outcome.FORWARD: [(Decision.ADVANCE, Stage.INTERVIEW)],
            Outcome.NOT_FORWARD: [(Decision.REJECT, Stage.REJECTED)],
            Outcome.WITHDRAWN: [(Decision.WITHDRAW, Stage.WITHDRAWN)],
            Outcome.PENDING: [],
        }[applicant.outcome]
        for decision, to_stage in moves:
            record_decision(
                db,
                application=application,
                decision=decision,
                to_stage=to_stage,
                reason="по делу",
                decided_by=recruiter,
            )
    db.commit()
    logins = {role: login for role, (_, login) in people.items()}
    return World(organisation.id, vacancy.id, applications, logins, outsider)


class Browsers(dict):
    """A signed-in browser per role (and "outsider"), signed in when first used."""

    def __init__(self, live_server: str, world: World) -> None:
        super().__init__()
        self.live_server, self.world = live_server, world

    def __missing__(self, role: UserRole | str) -> httpx.Client:
        login = self.world.outsider if role == "outsider" else self.world.logins[role]
        self[role] = browser_for(self.live_server, login)
        return self[role]


@pytest.fixture
def browsers(live_server: str, world: World) -> Iterator[Browsers]:
    clients = Browsers(live_server, world)
    yield clients
    for client in clients.values():
        client.close()


def test_the_report_computes_the_hand_computed_case_from_real_scores(
    db: Session, world: World
) -> None:
    vacancy = db.get(Vacancy, world.vacancy_id)

    report = fairness_report(db, vacancy=vacancy, stage=Stage.SCREENING)

    assert report.score_kind == ScoreKind.PANEL
    assert report.min_group_size == 5
    assert_hand_computed(report.figures)
    assert [cid for cid, _ in report.figures.criteria] == [CRITERION_A, CRITERION_B]
    db.rollback()


def test_hr_reads_the_page_and_the_csv_has_the_same_figures(
    browsers: Browsers, world: World
) -> None:
    hr = browsers[UserRole.HR]
    path = f"/vacancies/{world.vacancy_id}/fairness"

    page = hr.get(path, params={"stage": "screening"})
    exported = hr.get(f"{path}.csv", params={"stage": "screening", "score": "panel"})

    assert page.status_code == 200
    text = page.text
    assert "Мужской" in text and "4/10" in text and "40%" in text and "0.50" in text
    assert "8/10" in text and "80%" in text and f"{FISHER_WOMEN_SELECTION:.3f}" in text
    assert "Другой" not in text  # the group of 2 is hidden, and the page says so:
    assert "1 groups, 2 people" in text or "групп: 1, человек: 2" in text
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    by_key = {(r["breakdown"], r["category"], r["measure"], r["criterion"]): r for r in rows}
    men = by_key["sex", "Мужской", "selection", ""]
    assert (men["hits"], men["of"], men["rate"], men["impact_ratio"]) == (
        "4",
        "10",
        "0.4000",
        "0.5000",
    )
    assert men["below_four_fifths"] == "yes"
    assert by_key["sex", "Женский", "selection", ""]["fisher_p"] == f"{FISHER_WOMEN_SELECTION:.4f}"
    assert by_key["sex", "Мужской", "scoring", ""]["impact_ratio"] == "0.3333"
    assert by_key["sex", "Мужской", "criterion", CRITERION_A]["impact_ratio"] == "0.2857"
    assert by_key["sex", "Мужской", "criterion", CRITERION_B]["impact_ratio"] == "1.0000"
    assert by_key["sex", "unknown", "count", ""]["group_size"] == "3"
    assert by_key["sex", "prefer not to say", "count", ""]["group_size"] == "1"


def test_the_page_speaks_english_too(browsers: Browsers, world: World) -> None:
    admin = browsers[UserRole.ADMIN]
    home = admin.get("/")
    admin.post("/language", data={"csrf_token": csrf_token_of(home), "locale": "en", "next": "/"})

    page = admin.get(f"/vacancies/{world.vacancy_id}/fairness", params={"stage": "screening"})

    assert page.status_code == 200
    assert "Fairness report" in page.text and "Male" in page.text and "below 4/5" in page.text


def test_recruiters_interviewers_and_other_organisations_are_refused(
    browsers: Browsers, world: World
) -> None:
    for suffix in ("", ".csv"):
        path = f"/vacancies/{world.vacancy_id}/fairness{suffix}"
        assert browsers[UserRole.ADMIN].get(path).status_code == 200
        assert browsers[UserRole.RECRUITER].get(path).status_code == 403
        assert browsers[UserRole.INTERVIEWER].get(path).status_code == 403
        assert browsers["outsider"].get(path).status_code == 404
    assert browsers[UserRole.HR].get(f"/vacancies/{uuid.uuid4()}/fairness").status_code == 404
    assert browsers[UserRole.HR].get("/settings/self-identification").status_code == 403
    hired = f"/vacancies/{world.vacancy_id}/fairness?stage=hired"
    assert browsers[UserRole.HR].get(hired).status_code == 422  # no stage after "hired"


def test_the_vacancy_page_links_the_report_for_hr_only(browsers: Browsers, world: World) -> None:
    link = f"/vacancies/{world.vacancy_id}/fairness"

    assert link in browsers[UserRole.HR].get(f"/vacancies/{world.vacancy_id}").text
    assert link not in browsers[UserRole.RECRUITER].get(f"/vacancies/{world.vacancy_id}").text


def test_interviewers_and_recruiters_never_see_self_identification(
    browsers: Browsers, world: World, db: Session
) -> None:
    application_id = world.applications["F1"]  # female, majority; the interviewer rated her
    candidate_id = db.get(Application, application_id).candidate_id
    db.rollback()
    pages = [
        browsers[UserRole.INTERVIEWER].get(f"/applications/{application_id}"),
        browsers[UserRole.RECRUITER].get(f"/applications/{application_id}"),
        browsers[UserRole.RECRUITER].get(f"/candidates/{candidate_id}"),
        browsers[UserRole.RECRUITER].get(f"/vacancies/{world.vacancy_id}/compare"),
    ]

    for page in pages:
        assert page.status_code == 200
        for word in ("Женский", "Большинство", "female", "majority", "Этническая"):
            assert word not in page.text


def test_scoring_ignores_self_identification(db: Session, world: World) -> None:
    application = db.get(Application, world.applications["F1"])
    before = db.exec(
        select(ApplicationScore).where(
            ApplicationScore.application_id == application.id,
            ApplicationScore.kind == ScoreKind.PANEL,
        )
    ).one()
    total, digest = before.total, before.inputs_sha256

    record_self_identification(
        db, application=application, answers={"sex": "male", "ethnicity": "minority"}
    )
    after = recompute_panel_score(db, application)

    assert (after.total, after.inputs_sha256) == (total, digest)
    db.rollback()


def test_the_careers_form_stores_self_identification_apart(
    live_server: str, db: Session, world: World
) -> None:
    vacancy = db.get(Vacancy, world.vacancy_id)
    posting = postings.create_posting(
        db, vacancy=vacancy, locale="ru", tone="friendly", public_base_url=live_server
    )
    postings.publish(db, posting=posting)
    db.commit()
    url = f"/careers/fair/{posting.slug}"
    with httpx.Client(base_url=live_server, follow_redirects=True) as visitor:
        form = visitor.get(url)
        applied = visitor.post(
            url,
            data={
                "csrf_token": csrf_token_of(form),
                "full_name": "Ирина Откликова",
                "email": "irina@example.org",
                "consent": "yes",
                "self_id.sex": "female",
                "self_id.ethnicity": "prefer_not_to_say",
                "self_id.shoe_size": "38",  # not a question of this organisation: dropped
            },
        )
        declined = visitor.post(
            url,
            data={
                "csrf_token": csrf_token_of(form),
                "full_name": "Олег Молчанов",
                "email": "oleg@example.org",
                "consent": "yes",
                "self_id.sex": "",
            },
        )

    assert "Другой" in form.text and "Предпочитаю не отвечать" in form.text
    assert applied.status_code == 200 and declined.status_code == 200
    irina = db.exec(select(Candidate).where(Candidate.email == "irina@example.org")).one()
    application = db.exec(select(Application).where(Application.candidate_id == irina.id)).one()
    row = db.exec(
        select(SelfIdentification).where(SelfIdentification.application_id == application.id)
    ).one()
    assert row.answers == {"sex": "female", "ethnicity": "prefer_not_to_say"}
    assert row.organisation_id == world.organisation_id
    assert "sex" not in irina.profile and "female" not in str(irina.profile)
    oleg = db.exec(select(Candidate).where(Candidate.email == "oleg@example.org")).one()
    oleg_application = db.exec(select(Application).where(Application.candidate_id == oleg.id)).one()
    assert (
        db.exec(
            select(SelfIdentification).where(
                SelfIdentification.application_id == oleg_application.id
            )
        ).first()
        is None
    )
    db.rollback()


def test_admins_set_the_questions_and_the_minimum_group_size(
    browsers: Browsers, world: World, db: Session
) -> None:
    admin = browsers[UserRole.ADMIN]
    form = admin.get("/settings/self-identification")
    token = csrf_token_of(form)

    wrong = admin.post(
        "/settings/self-identification",
        data={"csrf_token": token, "categories": "sex: Пол\n", "min_group_size": "5"},
    )
    too_small = admin.post(
        "/settings/self-identification",
        data={"csrf_token": token, "categories": CATEGORIES, "min_group_size": "1"},
    )
    saved = admin.post(
        "/settings/self-identification",
        data={"csrf_token": token, "categories": CATEGORIES, "min_group_size": "2"},
    )

    assert form.status_code == 200 and "female: Женский | Female" in form.text
    assert wrong.status_code == 400 and "line 1" in wrong.text
    assert too_small.status_code == 400
    assert saved.status_code == 200 and saved.url.path == "/settings/self-identification"
    organisation = db.get(Organisation, world.organisation_id)
    db.refresh(organisation)
    assert organisation.fairness_min_group_size == 2
    db.rollback()
    # With groups of 2 shown, "another" appears in the report.
    report = browsers[UserRole.HR].get(
        f"/vacancies/{world.vacancy_id}/fairness", params={"stage": "screening"}
    )
    assert "Другой" in report.text
