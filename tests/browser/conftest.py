"""Browser tests: the app served by a subprocess, driven by Playwright in Debian's Chromium.

A test that uses ``page`` fails if the page logs a console error, throws, or opens a dialog
(alert, confirm, prompt) while the test runs: the allow-list ``ALLOWED_CONSOLE_ERRORS`` is empty
on purpose. A failing test leaves a screenshot in ``artifacts/screenshots/``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_TIMEOUT_S = 30
TIMEOUT_MS = 20_000  # one wait in a test: a page load, a redraw
ALLOWED_CONSOLE_ERRORS: tuple[re.Pattern, ...] = ()


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail the test itself (not its teardown, so xfail still applies) on what the page reported."""
    result = yield
    problems = getattr(item, "browser_problems", None)
    if problems:
        raise AssertionError("the page reported errors:\n  " + "\n  ".join(problems))
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_failed = report.failed
    return report


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """artifacts/screenshots/ at the repository's top (gitignored)."""
    path = REPO / "artifacts" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[str]:
    """`python app.py --port N` from the repository's top; yields its base URL."""
    port = free_port()
    logs = tmp_path_factory.mktemp("server")
    base = f"http://127.0.0.1:{port}"
    with open(logs / "stdout", "wb") as out, open(logs / "stderr", "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "app.py", "--port", str(port)],
            cwd=REPO, stdout=out, stderr=err, env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        wait_until_served(proc, base, logs / "stderr")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_until_served(proc: subprocess.Popen, base: str, stderr: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while True:
        if proc.poll() is not None:
            pytest.fail(f"app.py exited with code {proc.returncode}:\n{stderr.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(base + "/_dash-layout", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(
                f"app.py did not answer on {base} within {SERVER_START_TIMEOUT_S} s:\n{stderr.read_text()[-4000:]}"
            )
        time.sleep(0.2)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, through Playwright (never a browser Playwright downloads)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is not installed: run ./install.sh test")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run ./install.sh")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _watch(context, problems: list[str]) -> None:
    def on_console(message):
        if message.type == "error" and not any(p.search(message.text) for p in ALLOWED_CONSOLE_ERRORS):
            problems.append(f"console error: {message.text} ({message.location.get('url', '')})")

    def on_dialog(dialog):
        problems.append(f"{dialog.type} dialog: {dialog.message!r}")
        dialog.dismiss()

    context.on("console", on_console)
    context.on("weberror", lambda web_error: problems.append(f"page error: {web_error.error}"))
    context.on("dialog", on_dialog)


@pytest.fixture
def context(browser, request):
    """A fresh browser context (desktop size) whose every page is watched for errors and dialogs."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    request.node.browser_problems = problems
    _watch(context, problems)
    yield context
    context.close()


@pytest.fixture
def page(context, artifacts, request):
    """A page in ``context``; screenshot to artifacts/screenshots/failed-NAME.png if the test fails."""
    page = context.new_page()
    yield page
    if getattr(request.node, "call_failed", False):
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        from playwright.sync_api import Error as PlaywrightError

        try:
            page.screenshot(path=artifacts / f"failed-{name}.png")
        except PlaywrightError as error:  # a crashed or closed page: the failure itself says more
            print(f"no screenshot of the failure: {error}")
