"""`make bench` (API): throughput and p99 latency of reading a score and of submitting a
scorecard at 64 connections, against a bare FastAPI endpoint served the same way (uvicorn, one
process, loopback) in the same run. Goals on 2 cores with SQLite: score read at least 0.5x the
bare endpoint's throughput, submit at least 0.25x, p99 under 50 ms, no errors."""

import asyncio
import os
import random
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import httpx
from sqlmodel import select

from app.accounts.service import create_api_key
from app.db import create_db_engine, write_session
from app.hiring.service import assign_interviewer, create_application, create_candidate
from app.models import ApplicationScore, Organisation, Stage, User, UserRole, Vacancy
from app.scorecards.service import RatingChange, save_draft, start_scorecard
from app.scoring.service import profile_context

CONNECTIONS = 64
SECONDS = 8
DRAFTS = 2_500
BARE_APP = textwrap.dedent(
    """
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/bare")
    def bare() -> dict:
        return {"ok": True}
    """
)


def serve(command: list[str], env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{command} did not start: {process.stderr.read().decode()[-2000:]}")


def prepare(env: dict) -> tuple[str, str, list[str], list[str]]:
    """Migrates, loads the demo and adds DRAFTS applications with a filled draft scorecard;
    returns the API key, the interviewer's e-mail, scored application ids and draft ids."""
    smm_hire = str(Path(sys.executable).parent / "smm-hire")
    subprocess.run([smm_hire, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([smm_hire, "demo"], env=env, check=True, capture_output=True)
    engine = create_db_engine(env["SMM_HIRE_DATABASE_URL"])
    with write_session(engine) as session:
        organisation = session.exec(select(Organisation)).first()
        _, secret = create_api_key(
            session, organisation=organisation, name="bench", scopes=["admin"]
        )
        interviewer = session.exec(select(User).where(User.role == UserRole.INTERVIEWER)).first()
        vacancy = session.exec(select(Vacancy)).first()
        stage_criteria = profile_context(session, vacancy.role_profile_version_id).stage_criteria(
            "interview"
        )
        drafts = []
        for number in range(DRAFTS):
            candidate = create_candidate(
                session,
                organisation_id=organisation.id,
                full_name=f"Нагрузка {number}",
                profile={"years_in_smm": number % 6},
            )
            application = create_application(session, vacancy=vacancy, candidate=candidate)
            assign_interviewer(
                session, application=application, interviewer=interviewer, stage=Stage.INTERVIEW
            )
            card = start_scorecard(
                session, application=application, interviewer=interviewer, stage=Stage.INTERVIEW
            )
            save_draft(
                session,
                scorecard=card,
                user=interviewer,
                changes=[
                    RatingChange(cid, 1 + (number + i) % 4) for i, cid in enumerate(stage_criteria)
                ],
            )
            drafts.append(str(card.id))
        scored = [
            str(application_id)
            for application_id in session.exec(select(ApplicationScore.application_id).distinct())
        ]
        email = interviewer.email
    engine.dispose()
    return secret, email, scored, drafts


async def load(base: str, request, seconds: float) -> tuple[float, float, int, int]:  # noqa: ANN001
    """Runs CONNECTIONS clients for `seconds`; returns requests/s, p99 ms, done and errors."""
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        stop = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                call = request(client)
                if call is None:
                    return
                started = time.perf_counter()
                try:
                    answer = await call
                    if answer.status_code >= 400:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append((time.perf_counter() - started) * 1000)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else float("nan")
    return len(latencies) / elapsed, p99, len(latencies), errors


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="smm-hire-bench-"))
    (folder / "bare.py").write_text(BARE_APP)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SMM_HIRE_")},
        "SMM_HIRE_DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
        "SMM_HIRE_DATA_DIR": str(folder),
        "SMM_HIRE_API_RATE_LIMIT_PER_MINUTE": "100000000",
        "SMM_HIRE_WEBHOOKS_WORKER": "false",
        "SMM_HIRE_LOG_LEVEL": "warning",
    }
    print(f"api: preparing {DRAFTS:,} draft scorecards...", flush=True)
    secret, email, scored, drafts = prepare(env)
    uvicorn = str(Path(sys.executable).parent / "uvicorn")
    bare = serve(
        [uvicorn, "bare:app", "--port", "8791", "--log-level", "warning", "--app-dir", str(folder)],
        env,
        8791,
    )
    app = serve(
        [str(Path(sys.executable).parent / "smm-hire"), "serve", "--port", "8792"], env, 8792
    )
    headers = {"Authorization": f"Bearer {secret}"}
    pending = list(drafts)
    random.seed(1)
    try:
        runs = {
            "bare endpoint": asyncio.run(
                load("http://127.0.0.1:8791", lambda c: c.get("/bare"), SECONDS)
            ),
            "score read": asyncio.run(
                load(
                    "http://127.0.0.1:8792",
                    lambda c: c.get(
                        f"/api/v1/applications/{random.choice(scored)}/score", headers=headers
                    ),
                    SECONDS,
                )
            ),
            "scorecard submit": asyncio.run(
                load(
                    "http://127.0.0.1:8792",
                    lambda c: (
                        c.post(
                            f"/api/v1/scorecards/{pending.pop()}/submit",
                            headers={**headers, "On-Behalf-Of": email},
                        )
                        if pending
                        else None
                    ),
                    SECONDS,
                )
            ),
        }
    finally:
        bare.terminate()
        app.terminate()
    baseline = runs["bare endpoint"][0]
    goals = {"score read": 0.5, "scorecard submit": 0.25}
    for name, (rate, p99, done, errors) in runs.items():
        ratio = (
            f", {rate / baseline:.2f}x the bare endpoint (goal >= {goals[name]}x)"
            if name in goals
            else ""
        )
        print(
            f"api, {name} at {CONNECTIONS} connections: {rate:,.0f} requests/s, p99 {p99:.1f} ms "
            f"(goal < 50 ms), {done:,} requests, {errors} errors{ratio}"
        )


if __name__ == "__main__":
    main()
