"""The dashboard's screenshots in docs/: the reference article and an English sample, at a laptop's
1280 x 800 and a phone's 390 x 844.

Why a script: the pictures in README.md and docs/dashboard.md should show the dashboard as it is,
and be made again in a minute after a change. It runs `streamlit run dashboard.py` on 127.0.0.1 and
Debian's chromium through Playwright with every other request refused (tests/browser.py, as the
browser tests do), pastes each article in the sidebar, waits for the map and the timeline, and
saves each window. On the phone the sidebar is closed after the analysis, as a reader would.

    .venv/bin/python scripts/dashboard_screenshots.py [--out docs]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from geo.read.document import read_document  # noqa: E402
from tests.browser import MAP_FRAME, offline_page, open_dashboard, streamlit_server, wait_for_idle  # noqa: E402

# Each picture's article, and the title typed in the Title field (None: the pasted text's first line)
ARTICLES = {
    "dashboard": (REPO.parent / "shared" / "reference" / "seed-article-de.txt", None),
    "dashboard-en": (
        REPO / "data" / "samples" / "en-alliance-coal-train.txt",
        "Coal train derails near Alliance; crew unhurt, line reopens",  # its headline, after the date line
    ),
}
WINDOWS = {"1280": (1280, 800), "390": (390, 844)}
PHONE = 640  # narrower windows are phones: Streamlit lays the page out in one column
# Scroll the page so that the element is at the top, below Streamlit's header bar.
SCROLL_TO = """element => { element.scrollIntoView({block: "start"});
    let box = element.parentElement;
    while (box && !(box.scrollHeight > box.clientHeight && getComputedStyle(box).overflowY !== "visible")) box = box.parentElement;
    (box || document.scrollingElement).scrollTop -= 64; }"""


def capture(address: str, article: Path, title: str | None, window: tuple[int, int], path: Path, profile: Path) -> None:
    """One screenshot: the article pasted and analysed in a fresh browser of this window's size."""
    with offline_page(profile, local_hosts=(address,), viewport=window) as session:
        page = session.page
        open_dashboard(page, address)
        typed_in(page, "Article text", read_document(article).text)
        press(page, "Analyse the text")
        page.locator(".dateline-events").first.wait_for(timeout=60_000)
        wait_for_idle(page)
        if title:
            typed_in(page, "Title", title)
            page.locator('[data-testid="stMain"] h2', has_text=title[:20]).wait_for(timeout=60_000)
        page.frame_locator(MAP_FRAME).locator("path.dateline-place").first.wait_for(timeout=60_000)
        # the laptop from the article's heading (the map beside the timeline), the phone from the timeline
        top = (
            page.locator('[data-testid="stMain"] h2')
            if window[0] >= PHONE
            else page.get_by_text("Timeline", exact=True)
        )
        top.first.evaluate(SCROLL_TO)
        page.wait_for_timeout(1500)  # the map's outlines and the chart settle
        page.screenshot(path=str(path))
        if session.refused:
            raise SystemExit(f"requests left the machine: {session.refused}")


def typed_in(page, label: str, text: str) -> None:
    """Fill the sidebar's text field ``label`` (the sidebar opened first, as on a phone)."""
    box = page.get_by_role("textbox", name=label)
    if not box.is_visible():
        page.locator('[data-testid="stExpandSidebarButton"]').click()
    box.fill(text)
    box.evaluate("box => box.blur()")  # Streamlit takes a field's words when it loses focus
    wait_for_idle(page)


def press(page, name: str) -> None:
    press_element(page.get_by_role("button", name=name))


def press_element(button) -> None:
    """A click in the page's script: the sidebar may still be sliding, and Playwright waits for it to rest."""
    button.evaluate("button => button.click()")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs", help="where the PNG files go (docs/)")
    out = parser.parse_args().out
    with tempfile.TemporaryDirectory() as tmp, streamlit_server(Path(tmp) / "data") as address:
        for stem, (article, title) in ARTICLES.items():
            for width, window in WINDOWS.items():
                path = out / f"{stem}-{width}.png"
                capture(address, article, title, window, path, Path(tmp) / f"profile-{stem}-{width}")
                print(path)


if __name__ == "__main__":
    main()
