"""Map and export benchmark: how long the map of an analysed Story takes to build, and how big it is.

    .venv/bin/python -m benchmarks.maps [--repeats N] [--json OUT.json]

For the reference article (``shared/reference/seed-article-de.txt``), analysed once:

- map build: ``build_map(story)`` (the folium map object), warm, median of N runs;
- standalone HTML: ``standalone_html(story)`` (build, render, inline every asset), warm, median of
  N runs, and the first call in the process (which reads the assets and the outlines once);
- the size of the standalone file, and of its parts (scripts and styles of third parties, the
  country outlines, the Story's own markers and text);
- each export format: median time and size.

Goals (issue 6): the map in at most 300 ms warm, the file at most 2 MB.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable

from geo.pipeline import run_stages
from geo.places.gazetteer import default_gazetteer
from geo.read.document import read_document
from geo.render.assets import asset_path
from geo.render.basemap import country_outlines
from geo.render.export import FORMATS
from geo.render.storymap import build_map, standalone_html

from .common import REPO_DIR, table, write_json

REFERENCE = REPO_DIR.parent / "shared" / "reference" / "seed-article-de.txt"
GOAL_MS = 300.0
GOAL_BYTES = 2_000_000
THIRD_PARTY = (
    "leaflet/leaflet.js",
    "leaflet/leaflet.css",
    "leaflet-measure/leaflet-measure.js",
    "leaflet-measure/leaflet-measure.css",
)


def median_ms(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        run()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def measure(repeats: int) -> dict:
    story = run_stages(read_document(REFERENCE), REFERENCE.name, default_gazetteer())
    began = time.perf_counter()
    page = standalone_html(story)
    first_ms = (time.perf_counter() - began) * 1000
    outlines = len(json.dumps(country_outlines(), separators=(",", ":")))
    assets = sum(asset_path(name).stat().st_size for name in THIRD_PARTY)
    size = len(page.encode("utf-8"))
    return {
        "places": len(story.places),
        "legs": len(story.legs),
        "claims": len(story.claims),
        "events": len(story.events),
        "build_map_ms": median_ms(lambda: build_map(story), repeats),
        "standalone_html_ms": median_ms(lambda: standalone_html(story), repeats),
        "standalone_html_first_ms": first_ms,
        "html_bytes": size,
        "third_party_bytes": assets,
        "outline_bytes": outlines,
        "story_bytes": size - assets - outlines,
        "exports": {
            name: {"ms": median_ms(lambda fmt=fmt: fmt.write(story), repeats), "bytes": len(fmt.write(story))}
            for name, fmt in FORMATS.items()
        },
        "repeats": repeats,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=21, help="timed runs of each step")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)
    if not REFERENCE.exists():
        print(f"the reference article is missing: {REFERENCE}", file=sys.stderr)
        return 1
    figures = measure(args.repeats)
    print(
        f"reference article: {figures['places']} places, {figures['legs']} legs, {figures['claims']} claims, "
        f"{figures['events']} events; medians of {figures['repeats']} warm runs\n"
    )
    print(
        table(
            ["step", "ms", "goal"],
            [
                ["build_map (folium objects)", figures["build_map_ms"], ""],
                ["standalone_html (build + render + inline)", figures["standalone_html_ms"], f"<= {GOAL_MS:g}"],
                ["standalone_html, first call in the process", figures["standalone_html_first_ms"], ""],
            ],
        )
    )
    print()
    kb = 1024
    print(
        table(
            ["standalone file", "KB", "goal"],
            [
                ["whole file", figures["html_bytes"] / kb, f"<= {GOAL_BYTES / kb:,.0f}"],
                ["  Leaflet + leaflet-measure (JS, CSS)", figures["third_party_bytes"] / kb, ""],
                ["  country outlines (Natural Earth 1:110m)", figures["outline_bytes"] / kb, ""],
                ["  the rest (this Story, map code, images)", figures["story_bytes"] / kb, ""],
            ],
        )
    )
    print()
    print(
        table(
            ["export", "ms", "KB"],
            [[name, entry["ms"], entry["bytes"] / kb] for name, entry in figures["exports"].items()],
        )
    )
    write_json(args.json, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
