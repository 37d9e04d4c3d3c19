"""Uploads: the CSV import takes text CSV files of at most 5 MB; any page body over the cap is
refused before it is read, signed in or not. (The API's limits: tests/api/test_limits.py.)"""

from collections.abc import Iterator

import httpx
import pytest
from sqlmodel import Session, select

from app.hiring.csv_import import MAX_BYTES
from app.models import Candidate, Organisation
from app.web.body import MAX_PAGE_BODY_BYTES
from tests.hiring.test_pages import RECRUITER, browser_for, upload
from tests.test_web_accounts import csrf_token_of


@pytest.fixture
def recruiter(live_server: str, demo: Organisation) -> Iterator[httpx.Client]:
    client = browser_for(live_server, RECRUITER)
    yield client
    client.close()


def candidates_in(db: Session) -> int:
    count = len(db.exec(select(Candidate.id)).all())
    db.rollback()  # on SQLite an open transaction would keep the server from writing
    return count


def test_a_csv_over_5_mb_is_explained_and_saves_nothing(
    recruiter: httpx.Client, db: Session
) -> None:
    before = candidates_in(db)
    row = "Анна Большая,anna@example.org\n".encode()
    content = b"full_name,email\n" + row * (MAX_BYTES // len(row) + 1)

    page = upload(recruiter, content)

    assert page.status_code == 400
    assert "загружайте не больше 5 МБ" in page.text
    assert 'name="payload"' not in page.text
    assert candidates_in(db) == before


@pytest.mark.parametrize("name", ["candidates.xlsx", "photo.jpg", "candidates", "page.html"])
def test_a_file_that_is_not_a_csv_is_refused_by_its_name_too(
    recruiter: httpx.Client, db: Session, name: str
) -> None:
    before = candidates_in(db)
    form = recruiter.get("/candidates/import")

    page = recruiter.post(
        "/candidates/import",
        data={"csrf_token": csrf_token_of(form)},
        files={"file": (name, b"full_name\nAnna\n", "application/octet-stream")},
    )

    assert page.status_code == 400
    assert "Это не CSV-файл" in page.text
    assert candidates_in(db) == before


@pytest.mark.parametrize("path", ["/candidates/import", "/careers/demo/any", "/login"])
def test_a_page_body_over_the_cap_is_refused_before_it_is_read(
    live_server: str, demo: Organisation, path: str
) -> None:
    too_much = MAX_PAGE_BODY_BYTES + 1

    def chunks() -> Iterator[bytes]:
        for _ in range(too_much // 65536 + 1):
            yield b"x" * 65536

    with httpx.Client(base_url=live_server, timeout=30) as anyone:
        declared = anyone.post(
            path,
            content=b"x" * too_much,
            headers={"content-type": "multipart/form-data; boundary=x"},
        )
        chunked = anyone.post(
            path, content=chunks(), headers={"content-type": "multipart/form-data; boundary=x"}
        )

    for answer in (declared, chunked):
        assert answer.status_code == 413
        assert "Файл слишком большой" in answer.text
