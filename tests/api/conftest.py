"""What the API tests share: a key for the demo organisation's hiring data."""

import pytest
from sqlmodel import Session, func, select

from app.models import Candidate, Organisation
from tests.factories import make_api_key


@pytest.fixture
def headers(db: Session, demo: Organisation) -> dict[str, str]:
    _, secret = make_api_key(
        db,
        organisation=demo,
        scopes=["vacancies:read", "vacancies:write", "candidates:read", "candidates:write"],
    )
    db.commit()
    return {"Authorization": f"Bearer {secret}"}


def candidates_named(db: Session, name: str) -> int:
    db.rollback()
    return db.exec(
        select(func.count()).select_from(Candidate).where(Candidate.full_name == name)
    ).one()
