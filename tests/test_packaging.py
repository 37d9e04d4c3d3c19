"""The Dockerfile and the Makefile install the same pinned set and start the same entry point.

No Docker engine runs here, so the Dockerfile is checked as text against the project's files.
"""

import re
import tomllib

from app import PROJECT_ROOT

DOCKERFILE = (PROJECT_ROOT / "Dockerfile").read_text()
MAKEFILE = (PROJECT_ROOT / "Makefile").read_text()
PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())


def docker_instructions(name: str) -> list[str]:
    joined = DOCKERFILE.replace("\\\n", " ")
    return [line.split(None, 1)[1] for line in joined.splitlines() if line.startswith(name + " ")]


def test_both_install_with_the_lock_file_as_constraints() -> None:
    docker_install = [run for run in docker_instructions("RUN") if "pip install" in run]

    assert any("-c requirements.lock" in run for run in docker_install)
    assert "-c requirements.lock" in MAKEFILE
    assert "requirements.lock" in " ".join(docker_instructions("COPY"))


def test_the_lock_pins_every_dependency_to_one_version() -> None:
    pins = {}
    for line in (PROJECT_ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version
    for requirement in (
        PYPROJECT["project"]["dependencies"] + PYPROJECT["project"]["optional-dependencies"]["test"]
    ):
        name = re.split(r"[\[<>=]", requirement)[0].lower()
        assert name in pins, f"{name} is not pinned in requirements.lock"


def test_the_container_serves_the_same_entry_point_as_make_run() -> None:
    assert PYPROJECT["project"]["scripts"]["smm-hire"] == "app.cli:main"
    assert docker_instructions("CMD") == ['["smm-hire", "serve"]']
    assert "smm-hire serve" in MAKEFILE


def test_the_container_runs_unprivileged_with_a_data_volume_and_a_health_check() -> None:
    assert DOCKERFILE.startswith("#") and re.search(r"^FROM python:3\.1\d-slim$", DOCKERFILE, re.M)
    assert docker_instructions("USER") not in ([], ["root"], ["0"])
    assert docker_instructions("VOLUME") == ['["/data"]']
    assert "SMM_HIRE_DATA_DIR=/data" in DOCKERFILE
    assert "/healthz" in docker_instructions("HEALTHCHECK")[0]


def test_the_image_gets_every_folder_the_app_reads_at_run_time() -> None:
    copied = " ".join(docker_instructions("COPY"))
    for needed in ("app", "alembic", "alembic.ini", "templates", "rubrics"):
        assert needed in copied.split(), needed
