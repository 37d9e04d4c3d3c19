"""Pages that show a part of many rows: the vacancy board, the comparison, the dashboard and
the audit page count and cut in the database, and the next page shows the rest; erasure
removes the stored API answers of the candidate, and only theirs. On both databases."""

import html
import re

import pytest
from sqlmodel import Session, select

from app import audit
from app.hiring.views import BOARD_CARDS_PER_STAGE, COMPARISON_PAGE_SIZE
from app.models import (
    Application,
    Candidate,
    IdempotencyRecord,
    InterviewerAssignment,
    Organisation,
    Scorecard,
    ScorecardStatus,
    Stage,
    UserRole,
)
from app.privacy.service import ErasureReason, erase_candidate
from app.rubrics.library import builtin_library
from app.rubrics.service import sync_builtin_library
from tests.factories import (
    DEFAULT_PASSWORD,
    make_api_key,
    make_organisation,
    make_user,
    make_vacancy,
)
from tests.hiring.test_pages import browser_for
from tests.scoring.test_ranking_api import Login
from tests.scoring.test_ranking_sql import fill, policy_order

ROW_NAMES = r'<th scope="row"><a [^>]+>([^<]+)</a>'


@pytest.fixture
def organisation(db: Session) -> Organisation:
    sync_builtin_library(db, builtin_library())
    organisation = make_organisation(db)
    db.commit()  # on SQLite an open write would hold up the server starting
    return organisation


def sign_in(live_server: str, db: Session, organisation: Organisation, role: UserRole) -> tuple:
    user = make_user(db, organisation=organisation, role=role)
    db.commit()
    return user, browser_for(live_server, Login(user.email, DEFAULT_PASSWORD))


def column(page: str, stage: Stage) -> str:
    start = page.index(f'aria-labelledby="stage-{stage.value}"')
    return page[start : page.index("</section>", start)]


def cards(page: str, stage: Stage) -> list[str]:
    return [
        html.unescape(name)
        for name in re.findall(r'<a href="/applications/[^"]+">([^<]+)</a>', column(page, stage))
    ]


def test_the_board_counts_each_stage_and_pages_through_a_column(
    live_server: str, db: Session, organisation: Organisation
) -> None:
    vacancy = make_vacancy(db, organisation=organisation)
    db.flush()
    rows = fill(db, vacancy, 130, stages=[Stage.APPLIED, Stage.SCREENING])
    _, recruiter = sign_in(live_server, db, organisation, UserRole.RECRUITER)
    applied = sorted(row["name"] for i, row in enumerate(rows) if i % 2 == 0)

    first = recruiter.get(f"/vacancies/{vacancy.id}").text
    assert "Откликов: 130" in first
    assert '<span class="muted">65</span>' in column(first, Stage.APPLIED)
    assert cards(first, Stage.APPLIED) == applied[:BOARD_CARDS_PER_STAGE]
    assert f"1–{BOARD_CARDS_PER_STAGE} из 65" in column(first, Stage.APPLIED)
    assert cards(first, Stage.INTERVIEW) == []
    link = re.search(r'href="([^"]+stage=applied&amp;page=2[^"]*)"', column(first, Stage.APPLIED))
    second = recruiter.get(html.unescape(link.group(1))).text
    assert cards(second, Stage.APPLIED) == applied[BOARD_CARDS_PER_STAGE:]
    assert "51–65 из 65" in column(second, Stage.APPLIED) and "Далее" not in column(
        second, Stage.APPLIED
    )
    # The other columns stay on their first page.
    assert len(cards(second, Stage.SCREENING)) == BOARD_CARDS_PER_STAGE
    # A page past the end shows the last one, not an empty column or an error.
    last = recruiter.get(f"/vacancies/{vacancy.id}?stage=applied&page=99").text
    assert cards(last, Stage.APPLIED) == applied[BOARD_CARDS_PER_STAGE:]
    assert recruiter.get(f"/vacancies/{vacancy.id}?page=0").status_code == 400


def test_the_comparison_shows_the_policys_order_page_by_page(
    live_server: str, db: Session, organisation: Organisation
) -> None:
    vacancy = make_vacancy(db, organisation=organisation)
    db.flush()
    rows = fill(db, vacancy, 130, seed=5)
    names = {row["id"]: row["name"] for row in rows}
    expected = [names[application_id] for application_id in policy_order(rows)]
    _, recruiter = sign_in(live_server, db, organisation, UserRole.RECRUITER)

    first = recruiter.get(f"/vacancies/{vacancy.id}/compare").text
    assert re.findall(ROW_NAMES, first) == expected[:COMPARISON_PAGE_SIZE]
    assert "Страница 1 из 2 (кандидатов: 130)" in first
    second = recruiter.get(f"/vacancies/{vacancy.id}/compare?sort=rank&desc=false&page=2").text
    assert re.findall(ROW_NAMES, second) == expected[COMPARISON_PAGE_SIZE:]
    ranks = re.findall(r'<td class="num">(\d+)</td>\s*<th scope="row">', second)
    assert ranks == [str(rank) for rank in range(COMPARISON_PAGE_SIZE + 1, 131)]
    by_name = recruiter.get(f"/vacancies/{vacancy.id}/compare?sort=name&desc=false").text
    assert re.findall(ROW_NAMES, by_name) == sorted(expected)[:COMPARISON_PAGE_SIZE]
    csv_lines = recruiter.get(f"/vacancies/{vacancy.id}/compare.csv").text.splitlines()[1:]
    assert [line.split(",")[1] for line in csv_lines] == expected


def test_the_dashboard_shows_a_page_of_what_waits_with_the_count(
    live_server: str, db: Session, organisation: Organisation
) -> None:
    vacancy = make_vacancy(db, organisation=organisation)
    db.flush()
    rows = fill(db, vacancy, 26)
    interviewer, browser = sign_in(live_server, db, organisation, UserRole.INTERVIEWER)
    for row in rows:
        db.add(
            InterviewerAssignment(
                organisation_id=organisation.id,
                application_id=row["id"],
                user_id=interviewer.id,
                stage=Stage.INTERVIEW,
            )
        )
    # One is done: a submitted scorecard of theirs at that stage.
    db.add(
        Scorecard(
            organisation_id=organisation.id,
            application_id=rows[0]["id"],
            interviewer_user_id=interviewer.id,
            stage=Stage.INTERVIEW,
            status=ScorecardStatus.SUBMITTED,
            role_profile_version_id=vacancy.role_profile_version_id,
        )
    )
    db.commit()

    def waiting(page: str) -> list[str]:
        section = page[page.index('id="waiting"') : page.index('id="drafts"')]
        return re.findall(r'<li><a href="/applications/[^"]+">([^<]+)</a>', section)

    first = browser.get("/").text
    assert '<span class="muted">25</span>' in first
    assert len(waiting(first)) == 20 and "1–20 из 25" in first
    rest = browser.get("/?waiting_page=2&drafts_page=1").text
    assert len(waiting(rest)) == 5 and "21–25 из 25" in rest
    assert set(waiting(first) + waiting(rest)) == {row["name"] for row in rows[1:]}


def test_the_audit_filter_lists_only_the_organisations_object_types(
    live_server: str, db: Session, organisation: Organisation
) -> None:
    other = make_organisation(db)
    for owner, kind in ((organisation, "vacancy"), (organisation, "candidate"), (other, "rubric")):
        audit.record(
            db,
            organisation_id=owner.id,
            action=f"{kind}.created",
            object_type=kind,
            object_id=owner.id,
        )
    _, admin = sign_in(live_server, db, organisation, UserRole.ADMIN)
    page = admin.get("/settings/audit").text
    select_box = page[
        page.index('id="object_type"') : page.index("</select>", page.index('id="object_type"'))
    ]
    options = re.findall(r'<option value="([^"]+)"', select_box)
    assert "vacancy" in options and "candidate" in options
    assert "rubric" not in options
    assert options == sorted(options)


def test_erasure_removes_the_candidates_stored_api_answers_and_only_theirs(
    db: Session, organisation: Organisation
) -> None:
    vacancy = make_vacancy(db, organisation=organisation)
    db.flush()
    gone, kept = (
        db.get(Candidate, db.get(Application, row["id"]).candidate_id)
        for row in fill(db, vacancy, 2)
    )
    other = make_organisation(db)
    key, _ = make_api_key(db, organisation=organisation)
    other_key, _ = make_api_key(db, organisation=other)

    def answer(api_key, name: str, body: bytes) -> None:  # noqa: ANN001
        db.add(
            IdempotencyRecord(
                organisation_id=api_key.organisation_id,
                api_key_id=api_key.id,
                key=name,
                request_hash="0" * 64,
                response_status=201,
                response_body=body,
            )
        )

    answer(key, "theirs", f'{{"id": "{gone.id}", "full_name": "Имя"}}'.encode())
    answer(key, "listing", f'[{{"id": "{kept.id}"}}, {{"id": "{gone.id}"}}]'.encode())
    answer(key, "someone-else", f'{{"id": "{kept.id}", "full_name": "Другое"}}'.encode())
    answer(key, "running", b"")  # a first request still running has no answer yet
    answer(other_key, "elsewhere", f'{{"id": "{gone.id}"}}'.encode())  # another tenant's
    db.flush()
    erase_candidate(
        db,
        candidate=gone,
        reason=ErasureReason.CANDIDATE_REQUEST,
    )
    left = db.exec(select(IdempotencyRecord.key).order_by(IdempotencyRecord.key)).all()
    assert left == ["elsewhere", "running", "someone-else"]
