"""Dashboard benchmark: from submitting the reference article to the drawn map, and from a
correction to the map drawn again, in headless Chromium against `streamlit run` on 127.0.0.1.

    .venv/bin/python -m benchmarks.dashboard [--repeats N]

- submit, first: the first article a new server analyses, clicked at once when the page has been
  drawn (a click before its first run ends can be lost), and clicked 5 s after that (a reader pasting). The dashboard loads the language rules,
  lexicons and route networks in the background when its first page opens (``pipeline.warm_up``);
  at once, the click waits for part of that;
- submit: the reference article with a new closing sentence each time that names one more place
  (so no cached analysis is reused and the map changes), median of N: click "Analyse the text"
  until the new markers are drawn;
- correction: remove a place, then undo, median of N each: click until the map shows the new
  markers.

The map stays mounted between runs (only the Story's layers change), so each timing waits for
markers drawn after the click, not for the old ones still on the map.

Goals (issue 7): at most 2 s to the rendered result, at most 0.5 s from a correction.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from geo.read.document import read_document
from tests.browser import (
    mark_map_markers,
    offline_page,
    open_dashboard,
    streamlit_server,
    wait_for_idle,
    wait_for_map_markers,
)

from .common import REPO_DIR

REFERENCE = REPO_DIR.parent / "shared" / "reference" / "seed-article-de.txt"
GOALS_S = {"submit": 2.0, "correction": 0.5}
READER_PAUSE_S = 5.0  # a reader opening the page and pasting an article; the server warms up meanwhile


def timed(action, until) -> float:
    began = time.perf_counter()
    action()
    until()
    return time.perf_counter() - began


@contextmanager
def dashboard_page() -> Iterator:
    """A new dashboard server on 127.0.0.1 and a page open on it (every other request refused)."""
    with (
        tempfile.TemporaryDirectory() as data,
        streamlit_server(Path(data)) as address,
        tempfile.TemporaryDirectory() as profile,
        offline_page(Path(profile), local_hosts=(address,)) as session,
    ):
        open_dashboard(session.page, address)  # a click before the first run has ended can be lost
        yield session.page


def first_submit(text: str, pause_s: float) -> float:
    """Seconds from the first click in a new server, ``pause_s`` after the page opened, to its map."""
    with dashboard_page() as page:
        page.wait_for_timeout(pause_s * 1000)
        page.get_by_role("textbox", name="Article text").fill(text)
        return timed(page.get_by_role("button", name="Analyse the text").click, lambda: wait_for_map_markers(page, 9))


def measure(repeats: int) -> dict:
    text = read_document(REFERENCE).text
    figures = {
        "submit_first_at_once_s": first_submit(text, 0.0),
        "submit_first_after_pause_s": first_submit(text, READER_PAUSE_S),
    }
    with dashboard_page() as page:
        box = page.get_by_role("textbox", name="Article text")
        button = page.get_by_role("button", name="Analyse the text")

        def until_drawn(click, markers: int) -> float:
            """Seconds from the click until the map shows the new Story (new markers, not the old ones);
            the next click waits for the run to end (not timed)."""
            mark_map_markers(page)
            seconds = timed(click, lambda: wait_for_map_markers(page, markers, fresh=True))
            wait_for_idle(page)
            return seconds

        box.fill(text)
        button.click()
        wait_for_map_markers(page, 9)
        submits = []
        for n in range(repeats):
            # a new text each time (no cached analysis), and a new map: one more place, a new sentence
            box.fill(f"{text}\n\nNachtrag {n + 1}: Ein Sprecher in Berlin bestätigte den Bericht.")
            submits.append(until_drawn(button.click, 10))
        box.fill(text)
        until_drawn(button.click, 9)  # the reference article again, analysed before: corrections on it
        corrections = []
        for _ in range(repeats):
            corrections.append(until_drawn(page.get_by_role("button", name="Remove this place").click, 8))
            corrections.append(until_drawn(page.get_by_role("button", name="Undo the last correction").click, 9))
    return {
        **figures,
        "submit_s": statistics.median(submits),
        "submit_all_s": submits,
        "correction_s": statistics.median(corrections),
        "correction_all_s": corrections,
        "repeats": repeats,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed submissions and corrections")
    args = parser.parse_args(argv)
    if not REFERENCE.exists():
        print(f"the reference article is missing: {REFERENCE}", file=sys.stderr)
        return 1
    figures = measure(args.repeats)
    print(f"submit, first in a new server, at once: {figures['submit_first_at_once_s']:.2f} s")
    print(
        f"submit, first in a new server, {READER_PAUSE_S:g} s after the page opened: "
        f"{figures['submit_first_after_pause_s']:.2f} s"
    )
    print(f"submit (median of {args.repeats}): {figures['submit_s']:.2f} s (goal <= {GOALS_S['submit']:g} s)")
    print(
        f"correction to re-render (median of {2 * args.repeats}): {figures['correction_s']:.2f} s "
        f"(goal <= {GOALS_S['correction']:g} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
