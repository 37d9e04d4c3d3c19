"""Recruiter pages over HTTP: CSV import, access rules, stale and foreign scorecards."""

import re
import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlmodel import Session, select

from app.demo import DEMO_LOGINS
from app.hiring.service import assign_interviewer
from app.models import Application, Candidate, Organisation, Scorecard, Stage, User
from app.scorecards.service import start_scorecard, submit
from tests.test_web_accounts import csrf_token_of

RECRUITER, INTERVIEWER = DEMO_LOGINS[2], DEMO_LOGINS[3]


def browser_for(live_server: str, login) -> httpx.Client:  # noqa: ANN001
    client = httpx.Client(base_url=live_server, follow_redirects=True, timeout=30)
    form = client.get("/login")
    client.post(
        "/login",
        data={"email": login.email, "password": login.password, "csrf_token": csrf_token_of(form)},
    )
    return client


@pytest.fixture
def recruiter(live_server: str, demo: Organisation) -> Iterator[httpx.Client]:
    client = browser_for(live_server, RECRUITER)
    yield client
    client.close()


def upload(client: httpx.Client, content: bytes) -> httpx.Response:
    page = client.get("/candidates/import")
    return client.post(
        "/candidates/import",
        data={"csrf_token": csrf_token_of(page)},
        files={"file": ("candidates.csv", content, "text/csv")},
    )


def count_candidates(db: Session) -> int:
    count = len(db.exec(select(Candidate)).all())
    db.rollback()  # end the transaction: on SQLite it would keep the server from writing
    return count


def test_a_windows_1251_csv_is_previewed_then_imported(
    recruiter: httpx.Client, db: Session
) -> None:
    content = "ФИО;email;опыт;площадки\nОльга Тестова;olga@example.org;4;vk,telegram\n".encode(
        "cp1251"
    )
    before = count_candidates(db)

    preview = upload(recruiter, content)
    assert "Ольга Тестова" in preview.text and "windows-1251" in preview.text
    assert count_candidates(db) == before  # nothing saved by the preview
    payload = re.search(r'name="payload" value="([^"]+)"', preview.text).group(1)
    done = recruiter.post(
        "/candidates/import/confirm",
        data={"csrf_token": csrf_token_of(preview), "payload": payload},
    )

    assert done.status_code == 200
    assert count_candidates(db) == before + 1
    olga = db.exec(select(Candidate).where(Candidate.full_name == "Ольга Тестова")).one()
    db.rollback()
    assert olga.profile == {"years_in_smm": 4.0, "platforms": ["vk", "telegram"]}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "не в кодировке UTF-8 или Windows-1251"),
        (b"email\nx@example.org\n", "Нет столбца full_name"),
        (("full_name\n" + "Имя\n" * 100_000).encode(), "В файле 100000 строк"),
        (
            "full_name,email,years_in_smm\nАнна,not-an-email,три\n,b@example.org,2\n".encode(),
            "Ничего не сохранено. Исправьте эти строки",
        ),
    ],
    ids=["binary", "no-name-column", "too-many-rows", "bad-rows"],
)
def test_a_bad_csv_is_explained_and_saves_nothing(
    recruiter: httpx.Client, db: Session, content: bytes, message: str
) -> None:
    before = count_candidates(db)

    page = upload(recruiter, content)

    assert page.status_code == 400
    assert message in page.text
    assert 'name="payload"' not in page.text  # no way to confirm a broken file
    assert count_candidates(db) == before


def test_bad_rows_are_named_by_line_and_column(recruiter: httpx.Client) -> None:
    page = upload(recruiter, "full_name,email,years_in_smm\nАнна,not-an-email,три\n".encode())

    assert "строка 2" in page.text and "<code>email</code>" in page.text
    assert "не число лет" in page.text


def test_interviewers_see_only_what_they_are_assigned_to(
    live_server: str, demo: Organisation, db: Session
) -> None:
    interviewer = db.exec(select(User).where(User.email == INTERVIEWER.email)).one()
    assigned = db.exec(
        select(Application).where(
            Application.id.in_(
                select(Scorecard.application_id).where(
                    Scorecard.interviewer_user_id == interviewer.id
                )
            )
        )
    ).first()
    other = db.exec(select(Application).where(Application.stage == Stage.APPLIED)).first()
    assigned_id, other_id = assigned.id, other.id
    db.rollback()  # (reading an attribute after this would open a transaction again)
    client = browser_for(live_server, INTERVIEWER)

    assert client.get(f"/applications/{assigned_id}").status_code == 200
    assert client.get(f"/applications/{other_id}").status_code == 404
    assert client.get("/vacancies").status_code == 403
    assert client.get("/candidates").status_code == 403
    client.close()


def test_a_stale_scorecard_form_saves_nothing_and_says_why(
    live_server: str, demo: Organisation, db: Session
) -> None:
    interviewer = db.exec(select(User).where(User.email == INTERVIEWER.email)).one()
    application = db.exec(select(Application).where(Application.stage == Stage.APPLIED)).first()
    assign_interviewer(db, application=application, interviewer=interviewer, stage=Stage.INTERVIEW)
    scorecard = start_scorecard(
        db, application=application, interviewer=interviewer, stage=Stage.INTERVIEW
    )
    db.commit()
    client = browser_for(live_server, INTERVIEWER)
    form = client.get(f"/scorecards/{scorecard.id}")  # opened in this tab...
    criterion = re.search(r'name="rating__([^"]+)"', form.text).group(1)
    submit(
        db, scorecard=db.get(Scorecard, scorecard.id), user=interviewer
    )  # ...submitted elsewhere
    db.commit()

    answer = client.post(
        f"/scorecards/{scorecard.id}",
        data={"csrf_token": csrf_token_of(form), f"rating__{criterion}": "4"},
    )

    assert answer.status_code == 409
    assert "уже отправлен" in answer.text
    db.expire_all()
    ratings = client.get(f"/api/v1/applications/{application.id}/scorecards")
    assert ratings.status_code in (401, 403)  # pages' cookies never open the API
    client.close()


def test_a_scorecard_of_someone_elses_application_is_not_found(
    live_server: str, demo: Organisation, db: Session
) -> None:
    stranger = db.exec(select(User).where(User.email == DEMO_LOGINS[4].email)).one()
    application_id = db.exec(
        select(Application.id).where(Application.stage == Stage.APPLIED)
    ).first()
    stranger_id = stranger.id
    db.rollback()
    client = browser_for(live_server, DEMO_LOGINS[4])
    page = client.get("/")

    answer = client.post(
        f"/applications/{application_id}/scorecards",
        data={"csrf_token": csrf_token_of(page), "stage": "interview"},
    )

    assert answer.status_code == 404
    assert not db.exec(
        select(Scorecard).where(
            Scorecard.interviewer_user_id == stranger_id, Scorecard.application_id == application_id
        )
    ).first()
    client.close()


def test_the_comparison_downloads_as_csv_with_every_candidate(
    recruiter: httpx.Client, db: Session
) -> None:
    vacancy_page = recruiter.get("/vacancies")
    vacancy_id = re.search(r'href="[^"]*/vacancies/([0-9a-f-]{36})"', vacancy_page.text).group(1)

    csv_file = recruiter.get(f"/vacancies/{uuid.UUID(vacancy_id)}/compare.csv")
    page = recruiter.get(
        f"/vacancies/{vacancy_id}/compare", params={"sort": "name", "desc": "false"}
    )

    lines = csv_file.text.lstrip("\ufeff").strip().splitlines()
    assert lines[0].startswith("rank,candidate,stage,total")
    assert [line.split(",")[0] for line in lines[1:]] == [str(n) for n in range(1, len(lines))]
    names = re.findall(r'<th scope="row"><a [^>]+>([^<]+)</a>', page.text)
    assert names == sorted(names, key=str.casefold)
    assert len(lines) - 1 == len(names)
