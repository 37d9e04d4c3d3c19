"""A real browser: Debian's Chromium driven by Playwright (its own browser download cannot
work here). Without Chromium these tests are skipped with the reason; with CI=true they fail."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import PROJECT_ROOT

CHROMIUM = os.environ.get("SMM_HIRE_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator:
    if not Path(CHROMIUM).exists():
        reason = f"no Chromium at {CHROMIUM}: install Debian's chromium package for browser tests"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs the browser: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Path:
    """Where a test keeps its screenshots (test-artifacts/<test name>/)."""
    folder = ARTIFACTS / request.node.name.replace("[", "-").replace("]", "")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def watch_content_security(context) -> list[str]:  # noqa: ANN001
    """Returns a list that fills with every Content-Security-Policy violation and script error
    the context's pages report. A blocked script fails silently, so tests assert it stays empty."""
    problems: list[str] = []

    def on_console(message) -> None:  # noqa: ANN001
        if "Content Security Policy" in message.text:
            problems.append(f"{message.location.get('url', '')}: {message.text}")

    context.on("console", on_console)
    context.on("weberror", lambda error: problems.append(f"script error: {error.error}"))
    return problems
