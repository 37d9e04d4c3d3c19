"""examples/ats_sync.py, run against the server on loopback: candidates pushed in (retries
create nothing twice), webhooks received and verified, scores pulled out."""

import importlib.util

import httpx
import pytest
from sqlmodel import Session, func, select

from app import PROJECT_ROOT
from app.models import Candidate, Organisation, Vacancy
from app.settings import Settings
from app.webhooks.service import deliver_due
from tests.factories import make_api_key

spec = importlib.util.spec_from_file_location("ats_sync", PROJECT_ROOT / "examples" / "ats_sync.py")
ats_sync = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ats_sync)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # The example's receiver listens on loopback over http: development settings.
    return settings.model_copy(
        update={"webhooks_allow_http": True, "webhooks_allow_internal": True}
    )


def test_the_example_pushes_candidates_receives_webhooks_and_pulls_scores(
    live_server: str, db: Session, demo: Organisation, settings: Settings
) -> None:
    _, secret = make_api_key(
        db,
        organisation=demo,
        scopes=[
            "candidates:read",
            "candidates:write",
            "scorecards:read",
            "webhooks:read",
            "webhooks:write",
        ],
    )
    vacancy_id = str(db.exec(select(Vacancy.id).where(Vacancy.organisation_id == demo.id)).first())
    db.commit()
    receiver = ats_sync.Receiver()
    people = [
        {"full_name": "Анна Пример", "external_id": "ex-1", "profile": {"years_in_smm": 3}},
        {"full_name": "Пётр Образец", "external_id": "ex-2", "profile": {"platforms": ["vk"]}},
    ]
    with httpx.Client(
        base_url=live_server, headers={"Authorization": f"Bearer {secret}"}, timeout=30
    ) as client:
        ats_sync.register(client, receiver)
        pushed = ats_sync.push_candidates(client, vacancy_id, people)
        retried = ats_sync.push_candidates(client, vacancy_id, people)  # a retry after a timeout
        deliver_due(db.get_bind(), settings)
        scores = ats_sync.pull_scores(client, vacancy_id)
    receiver.close()

    created = db.exec(
        select(func.count())
        .select_from(Candidate)
        .where(Candidate.external_id.in_(["ex-1", "ex-2"]))
    ).one()
    assert retried == pushed and created == 2
    assert receiver.rejected == 0
    assert [e["type"] for e in receiver.events] == ["candidate.created", "candidate.created"]
    assert set(pushed) <= set(scores)
    assert all(scores[a]["screening"]["kind"] == "screening" for a in pushed)
    assert scores[pushed[0]]["screening"]["years_in_range"] is True  # Анна's 3 years
