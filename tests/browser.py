"""Headless Debian Chromium for browser tests, driven by Playwright, with every request that leaves
the machine refused and recorded, and every console error kept.

The browser is the system's (``/usr/bin/chromium``, installed by scripts/setup); Playwright never
downloads one. Without it the browser tests fail, unless DATELINE_SKIP_BROWSER=1 says to skip them
(for a machine where the set-up could not install it).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("DATELINE_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parent.parent
MAP_FRAME = "iframe[data-testid='stCustomComponentV1']"  # the map's frame: streamlit-folium's component
ARTIFACTS = Path(os.environ.get("DATELINE_ARTIFACTS", Path(__file__).resolve().parent / "artifacts"))


@dataclass
class Session:
    """A page, what it tried to fetch from outside, and what went wrong in its console."""

    page: object
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def require_chromium() -> None:
    if shutil.which(CHROMIUM) or Path(CHROMIUM).is_file():
        return
    message = f"{CHROMIUM} is missing: scripts/setup installs Debian's chromium"
    if os.environ.get("DATELINE_SKIP_BROWSER") == "1":
        pytest.skip(message)
    pytest.fail(message + " (or set DATELINE_SKIP_BROWSER=1 to skip the browser tests)")


@contextmanager
def offline_page(profile: Path, *, local_hosts: tuple[str, ...] = (), viewport=(1200, 800)) -> Iterator[Session]:
    """A page in a fresh profile where only file: URLs and ``local_hosts`` (such as
    "http://127.0.0.1:8501") load; anything else is refused and recorded."""
    with offline_pages([profile], local_hosts=local_hosts, viewport=viewport) as (session,):
        yield session


@contextmanager
def offline_pages(
    profiles: list[Path], *, local_hosts: tuple[str, ...] = (), viewport=(1200, 800)
) -> Iterator[list[Session]]:
    """:func:`offline_page` for several readers at once: one browser each, in its own fresh profile
    (no cookie, storage or cache shared)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, contextlib.ExitStack() as contexts:
        sessions = []
        for profile in profiles:
            context = playwright.chromium.launch_persistent_context(
                str(profile),
                executable_path=CHROMIUM,
                headless=True,
                args=FLAGS,
                viewport={"width": viewport[0], "height": viewport[1]},
                accept_downloads=True,
            )
            contexts.callback(context.close)
            sessions.append(_gated(context, ("file:", "data:", "about:", "blob:", *local_hosts)))
        yield sessions


def _gated(context, allowed: tuple[str, ...]) -> Session:
    """The context's page, with requests outside ``allowed`` refused and recorded, console errors kept."""
    page = context.pages[0] if context.pages else context.new_page()
    session = Session(page)

    def gate(route) -> None:
        if route.request.url.startswith(allowed):
            route.continue_()
        else:
            session.refused.append(route.request.url)
            route.abort()

    context.route("**/*", gate)
    page.on("console", lambda message: session.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: session.errors.append(f"page error: {error}"))
    return session


def screenshot(session: Session, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    session.page.screenshot(path=str(path))
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def streamlit_server(
    data_dir: Path, log_path: Path | None = None, *, env: dict[str, str] | None = None, script: Path | None = None
) -> Iterator[str]:
    """`streamlit run dashboard.py` (or ``script``) on a free port of 127.0.0.1 with its own correction
    store (``data_dir``) and ``env`` added to the environment; yields its address once it answers,
    stops it afterwards."""
    port = free_port()
    log = open(log_path, "w") if log_path else subprocess.DEVNULL
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script or REPO / "dashboard.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {}), "DATELINE_DATA_DIR": str(data_dir)},
    )
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{address}/_stcore/health", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    detail = Path(log_path).read_text() if log_path else ""
                    raise RuntimeError(f"streamlit did not start: {detail}") from None
                time.sleep(0.3)
        yield address
    finally:
        server.terminate()
        server.wait(timeout=20)
        if log_path:
            log.close()


def wait_for_map_markers(page, count: int, *, fresh: bool = False) -> None:
    """Wait until the dashboard's map shows exactly ``count`` place markers; with ``fresh``, only
    markers drawn after :func:`mark_map_markers` (the map stays mounted, so the old ones stay
    until the new Story's layers replace them)."""
    page.wait_for_function(
        f"""() => {{ const f = document.querySelector("{MAP_FRAME}");
                     if (!f || !f.contentDocument) return false;
                     const markers = f.contentDocument.querySelectorAll("path.dateline-place");
                     return markers.length === {count} &&
                            !({"true" if fresh else "false"} && Array.from(markers).some(m => m.dataset.seen)); }}""",
        timeout=60_000,
    )


def mark_map_markers(page) -> None:
    """Tag the markers the dashboard's map shows now (see :func:`wait_for_map_markers`)."""
    page.evaluate(f"""() => document.querySelector("{MAP_FRAME}").contentDocument
                           .querySelectorAll("path.dateline-place").forEach(m => {{ m.dataset.seen = "1"; }})""")


def wait_for_idle(page) -> None:
    """Wait until the dashboard's script run has finished. Streamlit draws the map before the panels
    below it, so a button the run has drawn can be there while the run goes on; a click on it then
    may be lost when the run ends (Streamlit replaces the widget it was sent from)."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)


def open_dashboard(page, address: str) -> None:
    """Open the dashboard at ``address`` and wait until its first script run has ended (the map, its
    last element, is drawn): a click made before can be lost, and :func:`wait_for_idle` alone may
    see the state before the run began."""
    page.goto(address)
    page.locator(MAP_FRAME).wait_for(timeout=60_000)
    wait_for_idle(page)
