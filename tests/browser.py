"""Headless Debian Chromium for browser tests, driven by Playwright, with every request that leaves
the machine refused and recorded, and every console error kept.

The browser is the system's (``/usr/bin/chromium``, installed by scripts/setup); Playwright never
downloads one. Without it the browser tests fail, unless DATELINE_SKIP_BROWSER=1 says to skip them
(for a machine where the set-up could not install it).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("DATELINE_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-sync"]
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
    require_chromium()
    from playwright.sync_api import sync_playwright

    allowed = ("file:", "data:", "about:", "blob:", *local_hosts)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": viewport[0], "height": viewport[1]}, accept_downloads=True)
        try:
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
            yield session
        finally:
            context.close()


def screenshot(session: Session, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    session.page.screenshot(path=str(path))
    return path
