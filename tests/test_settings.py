"""Settings: defaults that work with no configuration, and no secret ever hard-coded."""

import os
import stat
from pathlib import Path

import pytest

from app.errors import ConfigError
from app.settings import Settings


def test_default_database_is_an_sqlite_file_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data")

    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'data' / 'smm-hire.db'}"
    assert (tmp_path / "data").is_dir()
    assert settings.port == 8000


def test_environment_variables_use_the_smm_hire_prefix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMM_HIRE_PORT", "9123")
    monkeypatch.setenv("SMM_HIRE_DATABASE_URL", "postgresql+psycopg://u@db:5432/hire")
    monkeypatch.setenv("SMM_HIRE_PUBLIC_BASE_URL", "https://jobs.example.org/")

    settings = Settings(_env_file=None, data_dir=tmp_path)

    assert settings.port == 9123
    assert settings.resolved_database_url == "postgresql+psycopg://u@db:5432/hire"
    assert settings.base_url == "https://jobs.example.org"
    assert settings.secure_cookies


def test_secret_key_is_generated_once_kept_private_and_reused(tmp_path: Path) -> None:
    first = Settings(_env_file=None, data_dir=tmp_path).resolved_secret_key
    second = Settings(_env_file=None, data_dir=tmp_path).resolved_secret_key
    other_install = Settings(_env_file=None, data_dir=tmp_path / "other").resolved_secret_key

    assert first == second
    assert len(first) >= 48
    assert first != other_install
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


def test_a_short_secret_key_is_refused_with_the_fix(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, secret_key="changeme")

    with pytest.raises(ConfigError, match="shorter than 32 characters: generate one"):
        _ = settings.resolved_secret_key


def test_a_data_dir_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")

    settings = Settings(_env_file=None, data_dir=blocker / "data")

    with pytest.raises(ConfigError, match="cannot be written.*SMM_HIRE_DATA_DIR"):
        _ = settings.resolved_database_url
