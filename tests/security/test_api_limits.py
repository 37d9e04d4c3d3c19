"""Resource limits of the API beyond rate and body size (tests/api/test_limits.py): a list
answers at most one page of 200 rows, whatever the caller asks for."""

import httpx
from sqlmodel import Session

from app.api.pagination import MAX_PAGE_SIZE
from app.models import Organisation
from tests.factories import make_api_key


def test_an_api_page_is_at_most_200_rows(
    http: httpx.Client, db: Session, demo: Organisation
) -> None:
    _, secret = make_api_key(db, organisation=demo, scopes=["candidates:read"])
    db.commit()
    bearer = {"Authorization": f"Bearer {secret}"}

    largest = http.get("/api/v1/candidates", params={"limit": MAX_PAGE_SIZE}, headers=bearer)
    too_many = http.get("/api/v1/candidates", params={"limit": MAX_PAGE_SIZE + 1}, headers=bearer)

    assert MAX_PAGE_SIZE == 200
    assert largest.status_code == 200 and len(largest.json()["items"]) <= MAX_PAGE_SIZE
    assert too_many.status_code == 422
    assert too_many.headers["content-type"] == "application/problem+json"
