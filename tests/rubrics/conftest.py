"""Fixtures of the rubric and profile tests."""

import httpx
import pytest
from sqlmodel import Session

from tests.factories import make_api_key, make_organisation


@pytest.fixture
def api(db: Session, http: httpx.Client) -> httpx.Client:
    """A client with a read-and-write key of a fresh organisation."""
    _, secret = make_api_key(
        db, organisation=make_organisation(db), scopes=["profiles:read", "profiles:write"]
    )
    db.commit()
    http.headers["Authorization"] = f"Bearer {secret}"
    return http
