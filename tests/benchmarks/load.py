"""`make soak`: a realistic mix for 60 s at 64 connections on loopback, against SQLite (one
worker) and against PostgreSQL (two workers): recruiters reading pages, interviewers
autosaving and submitting scorecards, an ATS syncing applications and reading scores.
Prints throughput, p50/p99, errors (goal: none) and the server's memory; asserts nothing."""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import sqlalchemy as sa

from app.demo import DEMO_LOGINS
from app.models import UserRole
from tests.benchmarks.api import prepare, serve

SECONDS = 60
# Drafts to submit (each once) and drafts to autosave into (never submitted, so no 409s).
SUBMIT_DRAFTS = 1_500
AUTOSAVE_DRAFTS = 500
# A request that takes longer is counted as an error (wrk's default of 2 s would count a slow
# page under full load as failed; a browser waits longer).
TIMEOUT = "10s"
POSTGRES_ADMIN_URL = os.environ.get(
    "SMM_HIRE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@dataclass
class Kind:
    """One kind of request of a role, chosen with probability weight / the role's total."""

    name: str
    weight: int
    method: str
    paths: list[str]
    headers: dict[str, str]
    bodies: list[str] = field(default_factory=list)
    # Each path once, in order, then never again (a scorecard is submitted once).
    once: bool = False


@dataclass
class Role:
    name: str
    connections: int
    kinds: list[Kind]


@dataclass
class Outcome:
    """What wrk saw for one role: requests, seconds, status codes, errors, latency histogram."""

    role: str
    connections: int
    requests: int
    seconds: float
    socket_errors: dict[str, int]
    codes: dict[int, int]
    issued: dict[str, int]
    samples: list[str]
    # wrk's own percentiles, and its latency histogram (microseconds: count) for merging roles.
    p50_ms: float
    p99_ms: float
    histogram: dict[int, int]

    @property
    def failed(self) -> int:
        return sum(self.socket_errors.values()) + sum(
            count for code, count in self.codes.items() if code >= 400
        )


SCRIPT = """
math.randomseed(%(seed)d)
local kinds = %(kinds)s
local total = 0
for _, kind in ipairs(kinds) do total = total + kind.weight end
issued = {}
codes = {}
samples = {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

request = function()
  while true do
    local pick = math.random() * total
    for _, kind in ipairs(kinds) do
      pick = pick - kind.weight
      if pick <= 0 and kind.weight > 0 then
        local path
        if kind.once then
          kind.next = (kind.next or 0) + 1
          if kind.next == #kind.paths then
            total = total - kind.weight
            kind.weight = 0
          end
          path = kind.paths[kind.next]
        else
          path = kind.paths[math.random(#kind.paths)]
        end
        local body = nil
        if #kind.bodies > 0 then body = kind.bodies[math.random(#kind.bodies)] end
        issued[kind.name] = (issued[kind.name] or 0) + 1
        return wrk.format(kind.method, path, kind.headers, body)
      end
    end
  end
end

response = function(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
  if status >= 400 and #samples < 5 then
    samples[#samples + 1] = status .. " " .. body:sub(1, 300):gsub("%%s+", " ")
  end
end

local function emit(...)
  io.write("soak ", table.concat({...}, " "), "\\n")
end

function done(summary, latency, requests)
  emit("requests", summary.requests)
  emit("duration", summary.duration)
  emit("p50", latency:percentile(50))
  emit("p99", latency:percentile(99))
  for name, count in pairs(summary.errors) do emit("error", name, count) end
  for _, thread in ipairs(threads) do
    for code, count in pairs(thread:get("codes")) do emit("code", code, count) end
    for name, count in pairs(thread:get("issued")) do emit("issued", name, count) end
    for _, sample in ipairs(thread:get("samples")) do emit("sample", sample) end
  end
  for i = 1, #latency do
    local microseconds, count = latency(i)
    if count > 0 then emit("latency", microseconds, count) end
  end
end
"""


def lua(value: object) -> str:
    """Returns value as a Lua literal (ASCII strings, numbers, booleans, lists and dicts)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        if not value.isascii():
            raise ValueError(f"{value!r}: the Lua script takes ASCII only")
        return json.dumps(value)
    if isinstance(value, list):
        return "{" + ", ".join(lua(item) for item in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{lua(k)}] = {lua(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def run_wrk(url: str, folder: Path, role: Role, seed: int) -> subprocess.Popen:
    """Starts wrk (one thread, so once-only paths stay once-only) for the role's mix."""
    script = folder / f"{role.name}.lua"
    kinds = [asdict(kind) for kind in role.kinds]
    script.write_text(SCRIPT % {"seed": seed, "kinds": lua(kinds)})
    command = ["wrk", "-t1", f"-c{role.connections}", f"-d{SECONDS}s", f"--timeout={TIMEOUT}"]
    return subprocess.Popen([*command, "-s", str(script), url], stdout=subprocess.PIPE, text=True)


def read_outcome(role: Role, output: str) -> Outcome:
    """Reads what the script's done() wrote: "soak what [name] count" lines (names may hold
    spaces) and "soak sample text" lines."""
    lines: dict[str, list[tuple[str, int]]] = {}
    samples = []
    for line in output.splitlines():
        # wrk prints its own summary too; the script's lines start with "soak".
        marker, _, line = line.partition(" ")
        if marker != "soak":
            continue
        what, _, rest = line.partition(" ")
        if what == "sample":
            samples.append(rest)
            continue
        name, _, count = rest.rpartition(" ")
        lines.setdefault(what, []).append((name, int(count)))
    return Outcome(
        role=role.name,
        connections=role.connections,
        requests=lines["requests"][0][1],
        seconds=lines["duration"][0][1] / 1e6,
        # wrk's "status" error is the count of answers >= 400, already in codes.
        socket_errors={name: count for name, count in lines["error"] if name != "status"},
        codes={int(code): count for code, count in lines.get("code", [])},
        issued=dict(lines.get("issued", [])),
        samples=samples,
        p50_ms=lines["p50"][0][1] / 1000,
        p99_ms=lines["p99"][0][1] / 1000,
        histogram={int(microseconds): count for microseconds, count in lines.get("latency", [])},
    )


def percentile(histogram: dict[int, int], share: float) -> float:
    """Returns the latency in ms below which share of the requests finished."""
    total = sum(histogram.values())
    seen = 0
    for microseconds in sorted(histogram):
        seen += histogram[microseconds]
        if seen >= share * total:
            return microseconds / 1000
    return 0.0


class MemorySampler(threading.Thread):
    """Samples the resident memory of a process and all its descendants (the uvicorn
    supervisor and its workers) from /proc twice a second."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.stopped = threading.Event()
        self.peak_kib = 0
        self.last_kib = 0
        self.processes = 0
        # Every process seen: a worker the supervisor replaced shows up as a new one.
        self.seen: set[int] = set()

    def tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                # The command name may hold spaces and parentheses: the parent follows the last ")".
                parent = int(stat[stat.rindex(")") + 2 :].split()[1])
                children.setdefault(parent, []).append(int(entry.name))
        found, waiting = [], [self.pid]
        while waiting:
            pid = waiting.pop()
            found.append(pid)
            waiting.extend(children.get(pid, []))
        return found

    def sample(self) -> int:
        total, processes = 0, 0
        for pid in self.tree():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
            if match:
                total += int(match.group(1))
                processes += 1
                self.seen.add(pid)
        self.last_kib, self.processes = total, processes
        self.peak_kib = max(self.peak_kib, total)
        return total

    def run(self) -> None:
        while not self.stopped.wait(0.5):
            self.sample()


def signed_in(base_url: str, email: str, password: str) -> tuple[str, str, httpx.Client]:
    """Signs in through the login form as a browser does; returns the Cookie header, the
    CSRF token its forms and autosave carry, and the signed-in client."""
    client = httpx.Client(base_url=base_url, timeout=30)
    form = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    answer = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token, "next": "/"}
    )
    if answer.status_code != 303:
        raise RuntimeError(f"signing in as {email} answered {answer.status_code}")
    # Signing in gives a new CSRF secret: read the token the pages carry now.
    page = client.get("/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    return cookie, token, client


def mix(
    base_url: str, secret: str, interviewer_email: str, scored: list[str], drafts: list[str]
) -> list[Role]:
    """Signs the recruiter and the interviewer in, walks the ATS's first sync once to learn
    the pages' cursors, and returns the three roles' requests (64 connections in all)."""
    api = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {secret}"}, timeout=30)
    vacancies = [item["id"] for item in api.get("/api/v1/vacancies").json()["items"]]
    # The ATS syncs what changed since its last run: here everything since yesterday.
    since = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    list_paths, applications = [], []
    path = f"/api/v1/applications?updated_since={since}&limit=100"
    while path:
        list_paths.append(path)
        page = api.get(path).json()
        applications += [item["id"] for item in page["items"]]
        path = (
            f"/api/v1/applications?updated_since={since}&limit=100&cursor={page['next_cursor']}"
            if page["has_more"]
            else None
        )
    api.close()

    recruiter = next(login for login in DEMO_LOGINS if login.role == UserRole.RECRUITER)
    cookie, _, client = signed_in(base_url, recruiter.email, recruiter.password)
    client.close()
    browser = {"Cookie": cookie}
    # The drafts are this demo interviewer's (prepare() picks one).
    interviewer = next(login for login in DEMO_LOGINS if login.email == interviewer_email)
    cookie, token, client = signed_in(base_url, interviewer.email, interviewer.password)
    form = client.get(f"/scorecards/{drafts[-1]}").text
    client.close()
    criteria = sorted(set(re.findall(r'name="rating__([^"]+)"', form)))
    autosave = {
        "Cookie": cookie,
        "X-CSRF-Token": token,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    submit = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    ats = {"Authorization": f"Bearer {secret}"}
    to_submit, to_autosave = drafts[:SUBMIT_DRAFTS], drafts[SUBMIT_DRAFTS:]
    return [
        Role(
            "recruiters (pages)",
            24,
            [
                Kind("dashboard", 15, "GET", ["/"], browser),
                Kind("vacancies", 10, "GET", ["/vacancies"], browser),
                Kind("vacancy", 20, "GET", [f"/vacancies/{v}" for v in vacancies], browser),
                Kind(
                    "application",
                    40,
                    "GET",
                    [f"/applications/{a}" for a in applications[:500]],
                    browser,
                ),
                Kind("compare", 5, "GET", [f"/vacancies/{v}/compare" for v in vacancies], browser),
                Kind("candidates", 10, "GET", ["/candidates"], browser),
            ],
        ),
        Role(
            "interviewers (autosave, submit)",
            24,
            [
                Kind(
                    "autosave",
                    9,
                    "POST",
                    [f"/scorecards/{d}/autosave" for d in to_autosave],
                    autosave,
                    bodies=[f"rating__{c}={n}" for c in criteria for n in range(1, 5)],
                ),
                Kind(
                    "submit",
                    1,
                    "POST",
                    [f"/scorecards/{d}/submit" for d in to_submit],
                    submit,
                    bodies=[f"csrf_token={token}"],
                    once=True,
                ),
            ],
        ),
        Role(
            "ATS (sync, scores)",
            16,
            [
                Kind("applications list", 1, "GET", list_paths, ats),
                Kind("score", 1, "GET", [f"/api/v1/applications/{a}/score" for a in scored], ats),
            ],
        ),
    ]


def smoke(base_url: str, roles: list[Role]) -> None:
    """Sends every kind of request once (the first path of a once-only kind, which is then
    left out) so that a wrong path or header fails here, not as thousands of errors."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for role in roles:
            for kind in role.kinds:
                path = kind.paths.pop(0) if kind.once else kind.paths[0]
                answer = client.request(
                    kind.method,
                    path,
                    headers=kind.headers,
                    content=kind.bodies[0] if kind.bodies else None,
                )
                if answer.status_code >= 400:
                    raise RuntimeError(
                        f"{kind.name}: {kind.method} {path} answered {answer.status_code}: "
                        f"{answer.text[:300]}"
                    )


def load_run(label: str, env: dict, workers: int, folder: Path) -> None:
    """Prepares the database, serves it with workers processes and runs the mix."""
    started = time.monotonic()
    secret, interviewer_email, scored, drafts = prepare(env, SUBMIT_DRAFTS + AUTOSAVE_DRAFTS)
    print(f"load, {label}: prepared in {time.monotonic() - started:.0f} s", flush=True)
    port = free_port()
    scripts = Path(sys.executable).parent
    if workers == 1:
        command = [str(scripts / "smm-hire"), "serve", "--port", str(port)]
    else:
        # Not `smm-hire serve --workers`: uvicorn's supervisor kills a worker that has not
        # answered its health check within 5 s, and a spawned worker first re-imports the
        # smm-hire script (app.cli, the whole app) before it can answer: on a busy machine
        # that takes longer, and the workers are replaced forever. The uvicorn command's
        # workers import only uvicorn first. (prepare() has migrated the database.)
        command = [
            str(scripts / "uvicorn"),
            "app.main:create_app",
            "--factory",
            f"--port={port}",
            f"--workers={workers}",
            "--log-level=warning",
        ]
    # Two minutes to start: on a busy machine importing the app and loading the rubric
    # library take a while.
    server = serve(command, env, port, wait=120)
    base_url = f"http://127.0.0.1:{port}"
    sampler = MemorySampler(server.pid)
    try:
        roles = mix(base_url, secret, interviewer_email, scored, drafts)
        smoke(base_url, roles)
        idle_kib = sampler.sample()
        before = set(sampler.seen)
        sampler.start()
        load_before = os.getloadavg()
        processes = [run_wrk(base_url, folder, role, seed) for seed, role in enumerate(roles)]
        outcomes = [
            read_outcome(role, process.communicate()[0])
            for role, process in zip(roles, processes, strict=True)
        ]
        load_after = os.getloadavg()
        time.sleep(1)
        sampler.stopped.set()
        sampler.join()
        end_kib = sampler.sample()
        replaced = len(sampler.seen - before)
    finally:
        sampler.stopped.set()
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    report(label, workers, outcomes, sampler, idle_kib, end_kib, load_before, load_after)
    if replaced:
        print(f"  {replaced} server processes started during the run (workers replaced)")
    for role, outcome in zip(roles, outcomes, strict=True):
        for kind in role.kinds:
            if kind.once and outcome.issued.get(kind.name, 0) >= len(kind.paths):
                print(f"  every {kind.name} path was used: raise SUBMIT_DRAFTS for a longer mix")
    log = Path(env["SMM_HIRE_DATA_DIR"]) / f"server-{port}.log"
    # The last line of a traceback names the exception: count them by kind.
    exceptions: dict[str, int] = {}
    for line in log.read_text().splitlines():
        match = re.match(r"([A-Za-z_][\w.]*(?:Error|Exception|Disconnect|Timeout)\w*)\b", line)
        if match:
            exceptions[match.group(1)] = exceptions.get(match.group(1), 0) + 1
    if exceptions:
        kinds = ", ".join(f"{name} {count}" for name, count in sorted(exceptions.items()))
        print(f"  exceptions in the server's log ({log}): {kinds}")


def report(
    label: str,
    workers: int,
    outcomes: list[Outcome],
    sampler: MemorySampler,
    idle_kib: int,
    end_kib: int,
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
) -> None:
    histogram: dict[int, int] = {}
    for outcome in outcomes:
        for microseconds, count in outcome.histogram.items():
            histogram[microseconds] = histogram.get(microseconds, 0) + count
    requests = sum(outcome.requests for outcome in outcomes)
    seconds = max(outcome.seconds for outcome in outcomes)
    failed = sum(outcome.failed for outcome in outcomes)
    connections = sum(outcome.connections for outcome in outcomes)
    print(
        f"load, {label}, {workers} worker(s), {connections} connections, {seconds:.0f} s: "
        f"{requests / seconds:,.0f} requests/s ({requests:,} requests), "
        f"p50 {percentile(histogram, 0.5):.0f} ms, p99 {percentile(histogram, 0.99):.0f} ms, "
        f"{failed} errors (goal: none); server memory (RSS, {sampler.processes} processes): "
        f"{idle_kib / 1024:.0f} MiB idle, peak {sampler.peak_kib / 1024:.0f} MiB, "
        f"{end_kib / 1024:.0f} MiB at the end; load average "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after"
    )
    for outcome in outcomes:
        codes = ", ".join(f"{code}: {count:,}" for code, count in sorted(outcome.codes.items()))
        issued = ", ".join(f"{name} {count:,}" for name, count in sorted(outcome.issued.items()))
        sockets = ", ".join(f"{name} {n}" for name, n in outcome.socket_errors.items() if n)
        print(
            f"  {outcome.role}, {outcome.connections} connections: "
            f"{outcome.requests / outcome.seconds:,.0f} requests/s ({issued}), "
            f"p50 {outcome.p50_ms:.0f} ms, p99 {outcome.p99_ms:.0f} ms; answers {codes}"
            + (f"; socket errors: {sockets}" if sockets else "")
        )
        for sample in outcome.samples:
            print(f"    {sample}")


def free_port() -> int:
    """Returns a loopback port free now (other engineers' benchmarks may hold fixed ones)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def sqlite_run(base_env: dict) -> None:
    folder = Path(tempfile.mkdtemp(prefix="smm-hire-load-sqlite-"))
    env = {
        **base_env,
        "SMM_HIRE_DATABASE_URL": f"sqlite:///{folder / 'load.db'}",
        "SMM_HIRE_DATA_DIR": str(folder),
    }
    # SQLite lets one writer in at a time; the app's writers queue for it in order within the
    # process (app.db.FairLock), while a second process would poll for the file lock (SQLite's
    # busy handler, first come not first served). SQLite is for one worker on one host.
    load_run("SQLite", env, 1, folder)


def postgres_run(base_env: dict, workers: int = 2) -> None:
    """Runs the mix on a fresh database of the test server, dropped afterwards."""
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect():
            pass
    except sa.exc.OperationalError as exc:
        print(f"load, PostgreSQL: skipped: no server at {POSTGRES_ADMIN_URL} ({exc.orig})")
        return
    name = f"smm_load_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    folder = Path(tempfile.mkdtemp(prefix="smm-hire-load-postgres-"))
    env = {
        **base_env,
        "SMM_HIRE_DATABASE_URL": sa.make_url(POSTGRES_ADMIN_URL)
        .set(database=name)
        .render_as_string(hide_password=False),
        "SMM_HIRE_DATA_DIR": str(folder),
    }
    try:
        load_run("PostgreSQL", env, workers, folder)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def main() -> None:
    if shutil.which("wrk") is None:
        print("load: skipped: the load generator wrk is not installed (apt-get install wrk)")
        return
    base_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SMM_HIRE_")},
        "SMM_HIRE_API_RATE_LIMIT_PER_MINUTE": "100000000",
        "SMM_HIRE_LOG_LEVEL": "warning",
        # Set here, so that workers starting together need not race to create one.
        "SMM_HIRE_SECRET_KEY": secrets.token_urlsafe(48),
    }
    print(f"load: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    sqlite_run(base_env)
    postgres_run(base_env)


if __name__ == "__main__":
    main()
