"""Dashboard benchmark: from submitting the reference article to the drawn map, and from a
correction to the map drawn again, in headless Chromium against `streamlit run` on 127.0.0.1.

    .venv/bin/python -m benchmarks.dashboard [--repeats N]

- submit, first: the first article a new server analyses (it loads the gazetteer, the language
  rules and the rail network once);
- submit: the reference article with a different last character each time (so no cached
  analysis is reused), median of N: click "Analyse the text" until the map's markers are drawn;
- correction: remove a place, then undo, median of N each: click until the map shows the new
  number of markers.

Goals (issue 7): at most 2 s to the rendered result, at most 0.5 s from a correction.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from geo.document import read_document
from tests.browser import offline_page, streamlit_server, wait_for_map_markers

from .common import REPO_DIR

REFERENCE = REPO_DIR.parent / "shared" / "reference" / "seed-article-de.txt"
GOALS_S = {"submit": 2.0, "correction": 0.5}


def timed(action, until) -> float:
    began = time.perf_counter()
    action()
    until()
    return time.perf_counter() - began


def measure(repeats: int) -> dict:
    text = read_document(REFERENCE).text
    with tempfile.TemporaryDirectory() as data, streamlit_server(Path(data)) as address, \
            tempfile.TemporaryDirectory() as profile, offline_page(Path(profile), local_hosts=(address,)) as session:
        page = session.page
        page.goto(address)
        box = page.get_by_role("textbox", name="Article text")
        button = page.get_by_role("button", name="Analyse the text")

        def submit(variant: str) -> float:
            box.fill(text + variant)
            return timed(button.click, lambda: wait_for_map_markers(page, 9))

        first = submit("")
        submits = [submit(" " * (n + 1)) for n in range(repeats)]
        corrections = []
        for _ in range(repeats):
            corrections.append(timed(page.get_by_role("button", name="Remove this place").click,
                                     lambda: wait_for_map_markers(page, 8)))
            corrections.append(timed(page.get_by_role("button", name="Undo the last correction").click,
                                     lambda: wait_for_map_markers(page, 9)))
    return {"submit_first_s": first, "submit_s": statistics.median(submits), "submit_all_s": submits,
            "correction_s": statistics.median(corrections), "correction_all_s": corrections, "repeats": repeats}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed submissions and corrections")
    args = parser.parse_args(argv)
    if not REFERENCE.exists():
        print(f"the reference article is missing: {REFERENCE}", file=sys.stderr)
        return 1
    figures = measure(args.repeats)
    print(f"submit, first in a new server: {figures['submit_first_s']:.2f} s")
    print(f"submit (median of {args.repeats}): {figures['submit_s']:.2f} s (goal <= {GOALS_S['submit']:g} s)")
    print(f"correction to re-render (median of {2 * args.repeats}): {figures['correction_s']:.2f} s "
          f"(goal <= {GOALS_S['correction']:g} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
