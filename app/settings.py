"""Typed settings read from SMM_HIRE_* environment variables."""

import os
import secrets
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from app import PROJECT_ROOT
from app.errors import ConfigError

SECRET_KEY_FILE = "secret_key"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SMM_HIRE_", env_file=".env", extra="ignore")

    data_dir: Path = Path("data")
    # Empty means an SQLite file inside data_dir.
    database_url: str = ""
    # Empty means: generate one the first time and keep it in data_dir/secret_key.
    secret_key: str = Field(default="", repr=False)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    public_base_url: str = ""
    session_days: int = Field(default=14, ge=1)
    # Requests an API key may make a minute (per process), and the largest request body.
    api_rate_limit_per_minute: int = Field(default=600, ge=1)
    api_max_body_bytes: int = Field(default=1_048_576, ge=1024)
    # A request body must keep arriving (a byte at least every idle seconds) and be whole
    # within the total, else 408: a stalled client must not hold the server's resources.
    request_body_idle_seconds: float = Field(default=10.0, gt=0)
    request_body_total_seconds: float = Field(default=120.0, gt=0)
    # On SQLite (one process), how many reading requests are worked on at once (0: no limit);
    # the others wait their turn. Fewer page renders competing for the process's interpreter
    # let the writers, who take turns, finish fast (the soak mix: 2 gives interviewers a p99
    # of 1.1 s and pages 1.5 s; 4 gives 1.7 s and 1.3 s).
    sqlite_max_concurrent_reads: int = Field(default=2, ge=0)
    # Webhooks go to public https addresses only. Development and tests may allow http and
    # addresses inside the network (never in production: that opens the network to SSRF).
    webhooks_allow_http: bool = False
    webhooks_allow_internal: bool = False
    # Deliver webhooks from a thread of the server process (off: run `smm-hire webhooks`).
    webhooks_worker: bool = True
    # Run background jobs (imports) in threads of the server process (off: `smm-hire jobs`),
    # at most this many at once per process; a worker holds a job under a lease of this many
    # seconds, renewed with each batch, and another takes the job over once it runs out.
    jobs_worker: bool = True
    jobs_concurrency: int = Field(default=1, ge=1, le=8)
    jobs_lease_seconds: int = Field(default=60, ge=2)
    # How long finished import jobs and sent (or given up) webhook deliveries are kept before
    # `smm-hire purge` removes them.
    jobs_retention_days: int = Field(default=30, ge=1)
    # How long the audit log keeps an event (`smm-hire purge` forgets older ones): at least
    # six months, as audits of hiring tools expect.
    audit_retention_days: int = Field(default=365, ge=183)
    # The built-in rubric library (rubrics/*.yaml and rubrics/profiles/*.yaml).
    rubrics_dir: Path = PROJECT_ROOT / "rubrics"
    # Tests set this to False to keep the server from checking migrations at start-up.
    check_migrations_on_start: bool = True

    @cached_property
    def resolved_database_url(self) -> str:
        """Returns the configured URL, or an SQLite file under data_dir."""
        if self.database_url:
            return self.database_url
        self.ensure_data_dir()
        return f"sqlite:///{(self.data_dir / 'smm-hire.db').resolve()}"

    @cached_property
    def resolved_secret_key(self) -> str:
        """Returns the configured key, or the one kept in data_dir (made once)."""
        if self.secret_key:
            if len(self.secret_key) < 32:
                raise ConfigError(
                    "SMM_HIRE_SECRET_KEY is shorter than 32 characters: generate one with "
                    '`python -c "import secrets; print(secrets.token_urlsafe(48))"`'
                )
            return self.secret_key
        self.ensure_data_dir()
        key_file = self.data_dir / SECRET_KEY_FILE
        if not key_file.exists():
            # O_EXCL: two processes starting together keep the first key written.
            try:
                fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w") as key_out:
                    key_out.write(secrets.token_urlsafe(48))
        return key_file.read_text().strip()

    @property
    def base_url(self) -> str:
        return (self.public_base_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    def ensure_data_dir(self) -> None:
        """Creates data_dir and checks that it can be written."""
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            probe = self.data_dir / ".write-check"
            probe.write_text("ok")
            probe.unlink()
        except OSError as exc:
            raise ConfigError(
                f"data directory {self.data_dir.resolve()} cannot be written ({exc.strerror}): "
                "fix its permissions or point SMM_HIRE_DATA_DIR elsewhere"
            ) from exc
