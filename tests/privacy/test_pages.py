"""The data-rights pages over HTTP: who may export and erase (HR and admins; 403 for others,
404 for another organisation), the printable page and the JSON download, erasure with its
confirmation, the retention date on the candidate page, the admins' settings, and the
talent-pool consent on the careers form."""

import json
from collections.abc import Iterator

import httpx
import pytest
from sqlmodel import Session, select

from app.demo import DEMO_LOGINS, DemoLogin
from app.models import Candidate, JobPosting, Organisation, PostingState, UserRole
from tests.factories import DEFAULT_PASSWORD, make_organisation, make_user
from tests.hiring.test_pages import browser_for
from tests.privacy.conftest import Person, candidate_row
from tests.test_web_accounts import csrf_token_of

ADMIN, HR, RECRUITER, INTERVIEWER = DEMO_LOGINS[:4]


@pytest.fixture
def browsers(live_server: str, subject: Person) -> Iterator[dict]:
    opened: dict = {}

    def browser(login: DemoLogin) -> httpx.Client:
        if login not in opened:
            opened[login] = browser_for(live_server, login)
        return opened[login]

    yield browser
    for client in opened.values():
        client.close()


def pages(person: Person) -> list[str]:
    base = f"/candidates/{person.candidate_id}"
    return [f"{base}/data", f"{base}/data.json", f"{base}/erase"]


def test_hr_reads_the_printable_page_and_downloads_the_json(browsers, subject: Person) -> None:
    hr = browsers(HR)

    page = hr.get(f"/candidates/{subject.candidate_id}/data")
    download = hr.get(f"/candidates/{subject.candidate_id}/data.json")

    assert page.status_code == 200
    for text in (subject.name, subject.email, subject.texts[2], subject.texts[3], "Женский"):
        assert text in page.text
    assert "Самоидентификация (добровольно)" in page.text  # labelled, in the user's language
    assert download.status_code == 200
    assert download.headers["content-disposition"] == (
        f'attachment; filename="candidate-{subject.candidate_id}.json"'
    )
    exported = json.loads(download.text)
    assert exported["candidates"]["email"] == subject.email
    assert exported["criterion_ratings"][0]["evidence"] == subject.texts[2]


def test_recruiters_and_interviewers_are_refused_and_other_organisations_see_nothing(
    browsers, db: Session, subject: Person
) -> None:
    outsider = make_user(
        db, organisation=make_organisation(db), role=UserRole.HR, password=DEFAULT_PASSWORD
    )
    db.commit()
    stranger = browsers(DemoLogin(outsider.email, DEFAULT_PASSWORD, "", UserRole.HR))
    recruiter, interviewer = browsers(RECRUITER), browsers(INTERVIEWER)
    token = csrf_token_of(recruiter.get("/candidates"))

    for path in pages(subject):
        assert recruiter.get(path).status_code == 403, path
        assert interviewer.get(path).status_code == 403, path
        assert stranger.get(path).status_code == 404, path
    erase = f"/candidates/{subject.candidate_id}/erase"
    form = {"csrf_token": token, "reason": "candidate_request", "confirm": "yes"}
    assert recruiter.post(erase, data=form).status_code == 403
    assert candidate_row(db, subject).erased_at is None
    db.rollback()


def test_the_candidate_page_shows_the_retention_date_and_hr_erases_with_a_confirmation(
    browsers, db: Session, subject: Person
) -> None:
    hr = browsers(HR)
    page = hr.get(f"/candidates/{subject.candidate_id}")
    recruiter_page = browsers(RECRUITER).get(f"/candidates/{subject.candidate_id}")
    erase = f"/candidates/{subject.candidate_id}/erase"
    confirm = hr.get(erase)
    token = csrf_token_of(confirm)

    unconfirmed = hr.post(erase, data={"csrf_token": token, "reason": "candidate_request"})
    done = hr.post(
        erase, data={"csrf_token": token, "reason": "candidate_request", "confirm": "yes"}
    )
    twice = hr.get(erase)

    # Rejected today with the talent-pool consent: two years from now.
    assert "В кадровом резерве с согласием: будут удалены" in page.text
    assert f'href="/candidates/{subject.candidate_id}/data"' in page.text
    assert "будут удалены" in recruiter_page.text
    assert f"/candidates/{subject.candidate_id}/erase" not in recruiter_page.text
    assert unconfirmed.status_code == 400 and "отметьте" in unconfirmed.text
    assert done.status_code == 200 and str(done.url).endswith(str(subject.candidate_id))
    assert subject.name not in done.text and "удалены" in done.text
    assert twice.status_code == 409
    assert candidate_row(db, subject).full_name == "—"
    db.rollback()


def test_admins_set_the_retention_months(browsers, db: Session, demo: Organisation) -> None:
    admin, hr = browsers(ADMIN), browsers(HR)
    form = admin.get("/settings/retention")
    token = csrf_token_of(form)

    bad = admin.post(
        "/settings/retention",
        data={"csrf_token": token, "rejected_months": "12", "talent_pool_months": "6"},
    )
    saved = admin.post(
        "/settings/retention",
        data={"csrf_token": token, "rejected_months": "3", "talent_pool_months": "18"},
    )

    assert form.status_code == 200 and 'value="6"' in form.text and 'value="24"' in form.text
    assert "smm-hire purge --organisation demo --dry-run" in form.text
    assert hr.get("/settings/retention").status_code == 403
    assert bad.status_code == 400 and "кадровый резерв" in bad.text.lower()
    assert saved.status_code == 200 and 'value="18"' in saved.text
    db.refresh(demo)
    assert (demo.retention_rejected_months, demo.retention_talent_pool_months) == (3, 18)
    db.rollback()


def test_the_careers_form_records_the_talent_pool_consent_with_its_text_and_time(
    live_server: str, db: Session, demo: Organisation
) -> None:
    slug = db.exec(
        select(JobPosting.slug).where(
            JobPosting.organisation_id == demo.id, JobPosting.state == PostingState.PUBLISHED
        )
    ).first()
    db.rollback()  # on SQLite the fixture's transaction would keep the server from writing
    url = f"/careers/demo/{slug}"
    with httpx.Client(base_url=live_server, follow_redirects=True) as visitor:
        form = visitor.get(url)
        for name, email, pool in (
            ("Резерв Согласнова", "pool@example.org", "yes"),
            ("Только Отклик", "only@example.org", ""),
        ):
            data = {"csrf_token": csrf_token_of(form), "full_name": name, "email": email}
            answer = visitor.post(url, data={**data, "consent": "yes", "talent_pool": pool})
            assert answer.status_code == 200

    assert 'name="talent_pool"' in form.text and "до 24 мес." in form.text
    pooled = db.exec(select(Candidate).where(Candidate.email == "pool@example.org")).one()
    only = db.exec(select(Candidate).where(Candidate.email == "only@example.org")).one()
    assert "кадровом резерве до 24 мес." in pooled.talent_pool_consent_text
    assert pooled.talent_pool_consent_at is not None and pooled.consent_given_at is not None
    assert only.talent_pool_consent_text == "" and only.talent_pool_consent_at is None
    db.rollback()
