"""`make bench` (API): throughput and p99 latency of reading a score and of submitting a
scorecard at 64 connections, against a bare FastAPI endpoint served the same way (uvicorn, one
process, loopback) in the same run. Goals on 2 cores with SQLite: score read at least 0.5x the
bare endpoint's throughput, submit at least 0.25x, p99 under 50 ms, no errors."""

import os
import random
import re
import shutil
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


def serve(command: list[str], env: dict, port: int, wait: float = 30) -> subprocess.Popen:
    # The server's log goes to a file: an unread pipe would fill and stop the server.
    log = (Path(env["SMM_HIRE_DATA_DIR"]) / f"server-{port}.log").open("w")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{command} did not start: see {log.name}")


def prepare(env: dict, draft_count: int = DRAFTS) -> tuple[str, str, list[str], list[str]]:
    """Migrates, loads the demo and adds draft_count applications with a filled draft scorecard;
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
        for number in range(draft_count):
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


SCRIPT = """
local paths = {%s}
local counter = 0
request = function()
  counter = counter + 1
  local path = paths[(counter - 1) %% #paths + 1]
  return wrk.format("%s", path, {%s})
end
"""


def wrk(url: str, folder: Path, name: str, method: str, paths: list[str], headers: dict) -> dict:
    """Runs wrk (a load generator in C, so the client costs little of the 2 cores; one
    thread, so each scorecard is submitted once) with
    CONNECTIONS connections for SECONDS; returns requests/s, p99 ms and non-2xx answers."""
    script = folder / f"{name}.lua"
    script.write_text(
        SCRIPT
        % (
            ", ".join(f'"{path}"' for path in paths),
            method,
            ", ".join(f'["{key}"] = "{value}"' for key, value in headers.items()),
        )
    )
    output = subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)", output, re.M)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    failed = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p99": float(p99.group(1)) * scale,
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "errors": (int(errors.group(1)) if errors else 0)
        + (sum(int(n) for n in failed.groups()) if failed else 0),
    }


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
    if shutil.which("wrk") is None:
        print("api: skipped: the load generator wrk is not installed (apt-get install wrk)")
        return
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
    auth = {"Authorization": f"Bearer {secret}"}
    random.seed(1)
    try:
        runs = {
            "bare endpoint": wrk("http://127.0.0.1:8791", folder, "bare", "GET", ["/bare"], {}),
            "score read": wrk(
                "http://127.0.0.1:8792",
                folder,
                "score",
                "GET",
                [f"/api/v1/applications/{random.choice(scored)}/score" for _ in range(500)],
                auth,
            ),
            "scorecard submit": wrk(
                "http://127.0.0.1:8792",
                folder,
                "submit",
                "POST",
                [f"/api/v1/scorecards/{draft}/submit" for draft in drafts],
                {**auth, "On-Behalf-Of": email},
            ),
        }
    finally:
        for process in (bare, app):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    baseline = runs["bare endpoint"]["rate"]
    goals = {"score read": 0.5, "scorecard submit": 0.25}
    for name, run in runs.items():
        rate, p99, done, errors = run["rate"], run["p99"], run["requests"], run["errors"]
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
