"""What the crash tests share: a database with draft scorecards and a webhook subscription, the
real server as a process a test can kill, and interviewers writing scorecards over the API
from threads, each write remembered with whether the server acknowledged it."""

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlmodel import func, select

from app import migrations
from app.accounts.service import create_api_key, create_organisation, create_user
from app.db import create_db_engine, read_session, write_session
from app.hiring.service import (
    assign_interviewer,
    create_application,
    create_candidate,
    open_vacancy,
)
from app.models import DeliveryStatus, Stage, UserRole, WebhookDelivery, utcnow
from app.rubrics.library import builtin_library
from app.rubrics.service import clone_profile, sync_builtin_library, visible_profiles
from app.scorecards.service import start_scorecard
from app.scoring.service import profile_context
from app.settings import Settings
from app.webhooks.service import subscribe
from tests.conftest import TEST_SECRET_KEY, free_port

SMM_HIRE = str(Path(sys.executable).parent / "smm-hire")
INTERVIEWER = "interviewer@crash.example.org"


@dataclass
class World:
    database_url: str
    data_dir: Path
    port: int = field(default_factory=free_port)
    api_key: str = ""
    scorecard_ids: list[str] = field(default_factory=list)
    # Each interview criterion with its lowest and highest level.
    criteria: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def api(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {self.api_key}", "On-Behalf-Of": INTERVIEWER},
            timeout=30,
        )


def new_world(database_url: str, data_dir: Path) -> World:
    """Migrates the database and stores the built-in rubric library (a server may start now)."""
    engine = create_db_engine(database_url)
    migrations.upgrade(engine)
    with write_session(engine) as session:
        sync_builtin_library(session, builtin_library())
    engine.dispose()
    return World(database_url, data_dir)


def add_scorecards(world: World, *, scorecards: int, receiver_url: str) -> None:
    """Gives one organisation an interviewer with `scorecards` empty drafts, an API key and a
    subscription of the receiver to scorecard.submitted. Commits every few drafts, so that a
    server starting meanwhile never waits long for SQLite's write lock."""
    engine = create_db_engine(world.database_url)
    with write_session(engine) as session:
        organisation = create_organisation(session, slug="crash", name="Crash test")
        interviewer = create_user(
            session,
            organisation=organisation,
            email=INTERVIEWER,
            full_name="Ирина Интервьюер",
            role=UserRole.INTERVIEWER,
            password="correct horse battery",
        )
        builtin = next(
            p
            for p in visible_profiles(session, organisation_id=organisation.id)
            if p.row.key == "community_manager"
        )
        profile = clone_profile(session, organisation_id=organisation.id, profile_id=builtin.row.id)
        vacancy = open_vacancy(
            session,
            stored=profile,
            organisation_id=organisation.id,
            title="Комьюнити-менеджер",
            owner=None,
        )
        context = profile_context(session, vacancy.role_profile_version_id)
        levels = {
            spec.id: (spec.min_level, spec.max_level) for spec in context.panel_model.criteria
        }
        world.criteria = [(cid, *levels[cid]) for cid in context.stage_criteria("interview")]
        _, world.api_key = create_api_key(
            session, organisation=organisation, name="crash", scopes=["admin"]
        )
        subscribe(
            session,
            organisation_id=organisation.id,
            url=receiver_url,
            events=["scorecard.submitted"],
            description="crash test receiver",
            settings=Settings(
                _env_file=None, webhooks_allow_http=True, webhooks_allow_internal=True
            ),
        )
    for first in range(0, scorecards, 20):
        with write_session(engine) as session:
            for number in range(first, min(first + 20, scorecards)):
                candidate = create_candidate(
                    session, organisation_id=organisation.id, full_name=f"Кандидат {number}"
                )
                application = create_application(session, vacancy=vacancy, candidate=candidate)
                assign_interviewer(
                    session,
                    application=application,
                    interviewer=interviewer,
                    stage=Stage.INTERVIEW,
                )
                draft = start_scorecard(
                    session,
                    application=application,
                    interviewer=interviewer,
                    stage=Stage.INTERVIEW,
                )
                world.scorecard_ids.append(str(draft.id))
    engine.dispose()


def spawn_server(
    world: World, *, webhooks_worker: bool, log_name: str, env: dict[str, str] | None = None
) -> subprocess.Popen:
    """Starts `smm-hire serve` on the world's database and port (see wait_ready), with any
    more settings in env."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SMM_HIRE_")},
        "SMM_HIRE_DATABASE_URL": world.database_url,
        "SMM_HIRE_DATA_DIR": str(world.data_dir),
        "SMM_HIRE_SECRET_KEY": TEST_SECRET_KEY,
        "SMM_HIRE_API_RATE_LIMIT_PER_MINUTE": "1000000",
        "SMM_HIRE_WEBHOOKS_WORKER": str(webhooks_worker).lower(),
        # The receiver listens on loopback over http: development settings.
        "SMM_HIRE_WEBHOOKS_ALLOW_HTTP": "true",
        "SMM_HIRE_WEBHOOKS_ALLOW_INTERNAL": "true",
        "SMM_HIRE_LOG_LEVEL": "warning",
        **(env or {}),
    }
    # The log goes to a file: an unread pipe would fill and stop the server.
    with (world.data_dir / log_name).open("w") as log:
        return subprocess.Popen(
            [SMM_HIRE, "serve", "--port", str(world.port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def wait_ready(world: World, process: subprocess.Popen) -> None:
    # Generous: on a busy 2-core machine the imports alone have taken over a minute.
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{world.base_url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    process.wait()
    logs = "\n".join(log.read_text()[-3000:] for log in sorted(world.data_dir.glob("*.log")))
    raise RuntimeError(f"the server did not start:\n{logs}")


def start_server(
    world: World, *, webhooks_worker: bool, log_name: str, env: dict[str, str] | None = None
) -> subprocess.Popen:
    """Starts the server and returns once it answers."""
    process = spawn_server(world, webhooks_worker=webhooks_worker, log_name=log_name, env=env)
    wait_ready(world, process)
    return process


def kill(process: subprocess.Popen) -> None:
    """SIGKILL: no shutdown handler runs, no transaction is finished, nothing is flushed."""
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


@dataclass
class Write:
    scorecard_id: str
    # The ratings an autosave sends, or None for the submission.
    ratings: dict[str, int] | None
    acknowledged: bool = False


class Interviewers:
    """Threads, each writing its own share of the scorecards in order: two autosaves of the
    ratings, then the submission. A thread stops at its first failed request, so of each
    thread's writes only the last may be unacknowledged (in flight when the server died)."""

    def __init__(self, world: World, *, threads: int = 8) -> None:
        self.world = world
        self.writes: list[Write] = []
        self.refused: list[str] = []  # answers other than 2xx: none is expected
        self._threads = [
            threading.Thread(target=self._write, args=(world.scorecard_ids[n::threads],))
            for n in range(threads)
        ]

    def start(self) -> "Interviewers":
        for thread in self._threads:
            thread.start()
        return self

    def join(self) -> None:
        for thread in self._threads:
            thread.join(timeout=60)

    def acknowledged(self, *, submissions: bool) -> int:
        return sum(w.acknowledged and (w.ratings is None) == submissions for w in self.writes)

    def ratings(self, scorecard_id: str, autosave: int) -> dict[str, int]:
        # Different levels on each autosave, so a lost one would show.
        seed = hash(scorecard_id) + autosave
        return {
            cid: low + (seed + i) % (high - low + 1)
            for i, (cid, low, high) in enumerate(self.world.criteria)
        }

    def _write(self, scorecard_ids: list[str]) -> None:
        with self.world.api() as api:
            for scorecard_id in scorecard_ids:
                for autosave in (1, 2, None):
                    ratings = self.ratings(scorecard_id, autosave) if autosave else None
                    write = Write(scorecard_id, ratings)
                    self.writes.append(write)
                    try:
                        if ratings is None:
                            answer = api.post(f"/api/v1/scorecards/{scorecard_id}/submit")
                        else:
                            answer = api.patch(
                                f"/api/v1/scorecards/{scorecard_id}",
                                json={
                                    "ratings": [
                                        {"criterion_id": c, "rating": r} for c, r in ratings.items()
                                    ]
                                },
                            )
                    except httpx.HTTPError:
                        return  # the server is gone
                    if not answer.is_success:
                        self.refused.append(f"{answer.status_code} {answer.text[:300]}")
                        return
                    write.acknowledged = True

    def unexplained(self, stored: dict[str, tuple[str, dict[str, int]]]) -> list[str]:
        """Compares each scorecard's stored (status, ratings) with the writes: it must be the
        state after the last acknowledged write or, when one was in flight, after that one."""
        problems = []
        for scorecard_id in self.world.scorecard_ids:
            state = ("draft", {})
            allowed = [state]
            for write in (w for w in self.writes if w.scorecard_id == scorecard_id):
                state = (
                    ("submitted", state[1]) if write.ratings is None else ("draft", write.ratings)
                )
                allowed = [state] if write.acknowledged else [allowed[-1], state]
            if stored[scorecard_id] not in allowed:
                problems.append(f"{scorecard_id}: stored {stored[scorecard_id]}, wrote {allowed}")
        return problems


def stored_scorecards(world: World) -> dict[str, tuple[str, dict[str, int]]]:
    """Each scorecard's status and ratings, read back through the API."""
    stored = {}
    with world.api() as api:
        for scorecard_id in world.scorecard_ids:
            answer = api.get(f"/api/v1/scorecards/{scorecard_id}")
            answer.raise_for_status()
            card = answer.json()
            stored[scorecard_id] = (
                card["status"],
                {r["criterion_id"]: r["rating"] for r in card["ratings"]},
            )
    return stored


def leased_deliveries(world: World) -> int:
    """Deliveries a worker had claimed and not finished: held until their lease ends."""
    engine = create_db_engine(world.database_url)
    try:
        with read_session(engine) as session:
            return session.exec(
                select(func.count())
                .select_from(WebhookDelivery)
                .where(
                    WebhookDelivery.status == DeliveryStatus.PENDING,
                    WebhookDelivery.locked_until > utcnow(),
                )
            ).one()
    finally:
        engine.dispose()


def wait_until(condition, *, seconds: float, what: str) -> float:  # noqa: ANN001
    """Polls the condition until it holds; returns the seconds it took."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            raise AssertionError(f"not within {seconds:.0f} s: {what}")
        time.sleep(0.1)
    return time.monotonic() - started
