"""Online geocoder benchmark: what asking a service costs an article, and what the cache saves.

    .venv/bin/python -m benchmarks.online [--limit N] [--only gwn,lgl,geovirus,hipe] [--json OUT.json]

Data: ``../shared/eval/geoparsing`` (or $DATELINE_EVAL_DIR/geoparsing); absent -> a note, exit 0.
No real service is asked: a local stand-in on 127.0.0.1 answers every question with no place, so
the figures are Dateline's own cost, not a service's.

- Questions per article: the names the offline finder found plus the names it lacks that the text
  places ("nach Chassan"); at a public instance's one request a second, the first analysis of an
  article waits that many seconds (every later one asks nothing: the cache).
- Names the index lacks: how many are asked, and what share of them overlaps a gold toponym (the
  rest are persons, firms or words a service should then not know by that exact name).
- Time per article (medians, ms): offline; online against the local stand-in with an empty cache
  (the pace off: the client's own work per question); online again, every answer from the cache.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import NamedTuple

from geo.pipeline import run_stages
from geo.places.gazetteer import default_gazetteer
from geo.places.geocoders import GeocoderSettings, OnlineGeocoder
from geo.places.online import Limits, ResponseCache
from geo.places.recognition import find_toponyms, unknown_names
from geo.read.document import document_from_text

from .common import overlapping, table, write_json
from .geoparsing import READERS, load

PUBLIC_DELAY_SECONDS = 1.0


class Span(NamedTuple):
    doc: str
    start: int
    end: int


class _NoPlaces(BaseHTTPRequestHandler):
    """Nominatim's answer for a name it does not know: an empty list."""

    def do_GET(self) -> None:
        body = json.dumps([]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def questions(dataset) -> dict:
    """Questions per article and the share of asked unknown names that are gold toponyms."""
    gazetteer = default_gazetteer()
    per_article, asked = [], []
    for document in dataset.documents:
        read = document_from_text(document.text, language=dataset.language)
        found = find_toponyms(read.text, read.sentences, read.language, gazetteer)
        lacking = unknown_names(read.text, read.sentences, read.language, found, gazetteer)
        known = {t.key for t in found}
        per_article.append(len(known) + len({surface for _s, _e, surface in lacking}))
        asked.extend(Span(document.id, start, end) for start, end, _surface in lacking)
    ordered = sorted(per_article)
    return {
        "articles": len(per_article),
        "median": statistics.median(per_article) if per_article else 0,
        "p90": ordered[int(0.9 * (len(ordered) - 1))] if ordered else 0,
        "total": sum(per_article),
        "unknown": len(asked),
        "unknown_on_gold": len(overlapping(asked, dataset.gold)),
    }


def timings(dataset, url: str, cache_path: Path) -> dict:
    """Median ms per article: offline, online with an empty cache, online from the cache."""
    gazetteer = default_gazetteer()
    cache = ResponseCache(cache_path)
    geocoder = OnlineGeocoder(
        GeocoderSettings("nominatim", url=url, user_agent="dateline-benchmark"),
        limits=Limits(min_delay=0.0, timeout=5.0),
        cache=cache,
    )
    documents = [document_from_text(d.text, language=dataset.language) for d in dataset.documents]
    for document in documents[:3]:  # load rules and lexicons before anything is timed
        run_stages(document, "warm", gazetteer)
    runs: dict[str, list[float]] = {"offline": [], "online, empty cache": [], "online, cached": []}
    for name, online in (("offline", None), ("online, empty cache", geocoder), ("online, cached", geocoder)):
        for document in documents:
            started = time.perf_counter()
            run_stages(document, "bench", gazetteer, geocoder=online)
            runs[name].append((time.perf_counter() - started) * 1000)
    figures = {name: statistics.median(values) for name, values in runs.items()}
    figures["hits"], figures["misses"] = cache.counts.hits, cache.counts.misses
    cache.close()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="the first N documents of each set")
    parser.add_argument("--only", help="comma-separated: " + ",".join(READERS))
    parser.add_argument("--json", metavar="OUT.json")
    args = parser.parse_args(argv)
    keys = args.only.split(",") if args.only else list(READERS)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NoPlaces)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    rows, speed_rows, figures = [], [], {}
    with tempfile.TemporaryDirectory() as folder:
        for key in keys:
            dataset = load(key, args.limit)
            if dataset is None:
                continue
            asked = questions(dataset)
            speed = timings(dataset, url, Path(folder) / f"{key}.sqlite")
            figures[dataset.name] = {"questions": asked, "ms": speed}
            share = asked["unknown_on_gold"] / asked["unknown"] if asked["unknown"] else 0.0
            rows.append(
                [
                    dataset.name,
                    asked["articles"],
                    asked["median"],
                    asked["p90"],
                    asked["median"] * PUBLIC_DELAY_SECONDS,
                    asked["unknown"],
                    f"{share:.0%}",
                ]
            )
            speed_rows.append(
                [
                    dataset.name,
                    round(speed["offline"], 1),
                    round(speed["online, empty cache"], 1),
                    round(speed["online, cached"], 1),
                    speed["hits"],
                    speed["misses"],
                ]
            )
    server.shutdown()
    if not rows:
        return 0
    print("Questions an article asks (first analysis; later ones ask nothing)")
    print(table(["set", "articles", "median", "p90", "s at 1/s (median)", "unknown names asked", "on gold"], rows))
    print("\nTime per article, medians in ms (local stand-in answering no place, pace off)")
    print(table(["set", "offline", "online, empty cache", "online, cached", "cache hits", "asked"], speed_rows))
    write_json(args.json, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
