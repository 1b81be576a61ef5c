"""Browser tests: a real server on the synthetic council, driven by Debian's Chromium.

Like Datasette's suite, the server is a separate process (``careties serve``,
gunicorn) on its own var directory, loaded once per session the way the demo
loads it; pytest-django's test database is not involved, so these tests never
see or disturb the other suites' data. axe-core is the vendored copy, injected
from disk: nothing here needs the network.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "src" / "careties" / "web" / "static" / "vendor" / "axe" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CARETIES_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
#: axe rule sets for WCAG 2.2 AA (2.0, 2.1 and 2.2, levels A and AA).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items) -> None:
    """Every test in this folder drives Chromium: marked ``browser`` even if its module forgets,
    so ``-m "not browser"`` never starts a server (three modules had no mark and ran there)."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"careties serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/accounts/login/", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("careties serve did not start within a minute")


def require_chromium() -> None:
    """Skip (or fail, under CARETIES_REQUIRE_BROWSER=1) when Debian's Chromium is missing."""
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (make system installs Debian's chromium)"
        if os.environ.get("CARETIES_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    if not AXE.exists():
        subprocess.run([sys.executable, "-m", "careties.web.assets"], check=True, cwd=ROOT)


def server_env(prefix: str) -> dict:
    """The environment of a browser suite's server: its own var directory, local settings."""
    env = {
        **os.environ,
        "CARETIES_VAR_DIR": tempfile.mkdtemp(prefix=prefix),
        "DJANGO_SETTINGS_MODULE": "careties.web.settings.local",
        # Synthetic data: uploads in the browser may use the development keys (issue 15).
        "CARETIES_TEST_DATA": "1",
    }
    env.pop("DATABASE_URL", None)
    return env


@contextlib.contextmanager
def serve(env: dict, seconds: float = 120) -> Iterator[str]:
    """``careties serve`` (gunicorn and the task worker it starts) on a free port; yields its URL.

    One way to start a server for every browser suite. It runs in its own process
    group so that stopping it stops the worker too, and its log is kept in the var
    directory for a failing run to be read (error references included).
    """
    port = _free_port()
    log = Path(env["CARETIES_VAR_DIR"]) / "server.log"
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "careties.cli",
                "serve",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )
    print(f"careties: the browser suite's server logs to {log}")
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, seconds)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def demo_env():
    """The demo's store: loaded the way ``careties demo`` loads it, one user per role."""
    require_chromium()
    env = server_env("careties-browser-")
    # The same path a user takes: synthetic files in the published layouts,
    # imported through the validating importers, one user per role.
    subprocess.run(
        [sys.executable, "-m", "careties.cli", "demo", "--no-serve"],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return env


@pytest.fixture(scope="session")
def server(demo_env):
    with serve(demo_env) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextlib.contextmanager
def _tab(browser, server: str, **options) -> Iterator:
    """One page in a fresh browser context, closed afterwards."""
    context = browser.new_context(base_url=server, **options)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def page(browser, server):
    """A fresh browser context; CSP bypassed only so that axe can be injected."""
    with _tab(browser, server, accept_downloads=True, bypass_csp=True, viewport=DESKTOP) as tab:
        yield tab


@pytest.fixture
def phone_page(browser, server):
    """A fresh context at a phone's width (375 x 812); CSP bypassed so that axe can be injected."""
    with _tab(browser, server, bypass_csp=True, viewport=PHONE) as tab:
        yield tab


@pytest.fixture
def strict_page(browser, server):
    """A context that enforces the Content-Security-Policy, as a user's browser does."""
    with _tab(browser, server, viewport=DESKTOP) as tab:
        yield tab


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"{username}-demo-2026")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def wait_for_charts(page) -> None:
    """Every chart on the page drawn (or none to draw)."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('script[data-chart]')].every(
               s => document.getElementById(s.dataset.chart)?.dataset.rendered === '1')"""
    )


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.2 AA violations on the page as it stands."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return [
        {
            "id": v["id"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
