"""Speed benchmark: index build and load, time per article, memory, and a cold CLI call.

    .venv/bin/python -m benchmarks.speed [--limit N] [--skip-build] [--json OUT.json]

(a) build: ``geo.places.gazetteer.build_index`` into a temporary directory (once);
(b) load: ``Gazetteer(path)`` plus its first look-up, median of 7;
(c) warm ms per article: ``analyse()`` after ``warm_up()`` and one analysis, median (and 90th percentile) over the
    project's samples and over 4 KB slices of GeoWebNews text (if ../shared/eval is present);
(d) peak RSS of a fresh process that loads the index and analyses 50 articles: on Linux VmHWM
    from /proc/self/status, because getrusage's ru_maxrss survives exec and so includes the RSS
    of the (large) parent at fork time; resource.getrusage elsewhere;
(e) wall time of ``python -m geo extract ../shared/reference/seed-article-de.txt`` in a fresh
    process, with the index already built and the modules' bytecode compiled (as installed), median of 5.

The current index is built first (if a source changed) so that (b)-(e) never include a build; an
edit to geo/gazetteer.py or data/gazetteer/ during the run would still trigger one in (d) or (e).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from .common import REPO_DIR, eval_dir, table, write_json

SLICE_CHARS = 4096
SEED_ARTICLE = REPO_DIR.parent / "shared" / "reference" / "seed-article-de.txt"
GOALS = {
    "build": ("< 60 s", lambda v: v < 60),
    "load": ("<= 0.3 s", lambda v: v <= 0.3),
    "article": ("<= 10 ms per 4 KB", lambda v: v <= 10),  # issue 19
    "extract": ("<= 1 s", lambda v: v <= 1.0),
    "memory": ("< 300 MB", lambda v: v < 300),
}

MEMORY_PROBE = """
import json, resource, sys
from geo.places.gazetteer import default_gazetteer, index_path
from geo.pipeline import Options, analyse
articles = json.load(open(sys.argv[1], encoding="utf-8"))
built = not index_path().exists()
default_gazetteer().lookup("Berlin")
for number, (language, text) in enumerate(articles):
    analyse(text, Options(language=language), story_id=str(number))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:   # VmHWM: this process's own peak; ru_maxrss can carry the forking parent's RSS across exec
    peak = int(next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM:")))
except (OSError, StopIteration):
    pass
print(int(built), peak)
"""


def slices(text: str, size: int = SLICE_CHARS) -> list[str]:
    """Cut text into pieces of about ``size`` characters, each ending at a space where possible."""
    pieces, start = [], 0
    while len(text) - start >= size:
        end = text.rfind(" ", start + size // 2, start + size)
        end = end if end > start else start + size
        pieces.append(text[start:end])
        start = end + 1
    return pieces


def gwn_slices(limit: int) -> list[str]:
    path = eval_dir() / "geoparsing" / "en" / "GeoWebNews_GWN.xml"
    if not path.exists():
        return []
    texts = [a.findtext("text") or "" for a in etree.parse(str(path)).getroot().iter("article")]
    return slices("\n\n".join(texts))[:limit]


def sample_articles() -> list[tuple[str, str]]:
    """(language, text) of every sample in data/samples (language from its gold file, else auto)."""
    articles = []
    for path in sorted((REPO_DIR / "data" / "samples").glob("*.txt")):
        gold = path.with_name(path.name.removesuffix(".txt") + ".gold.json")
        language = json.loads(gold.read_text(encoding="utf-8")).get("language", "auto") if gold.exists() else "auto"
        articles.append((language, path.read_text(encoding="utf-8")))
    return articles


def measure_build(directory: Path) -> float:
    """Seconds to build the index into ``directory`` under its current name (it is then used)."""
    from geo.places.gazetteer import build_index, index_path

    began = time.perf_counter()
    build_index(directory / index_path().name)
    return time.perf_counter() - began


def measure_load(repeats: int = 7) -> float:
    from geo.places.gazetteer import Gazetteer, ensure_index

    path = ensure_index()
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        Gazetteer(path).lookup("Berlin")
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def measure_articles(articles: list[tuple[str, str]]) -> list[float]:
    """Milliseconds per article, warm: after ``warm_up`` (what a server or batch worker does first)
    and one analysis."""
    from geo.pipeline import Options, analyse, warm_up

    if not articles:
        return []
    warm_up()
    analyse(articles[0][1], Options(language=articles[0][0]))
    times = []
    for language, text in articles:
        began = time.perf_counter()
        analyse(text, Options(language=language))
        times.append((time.perf_counter() - began) * 1000)
    return times


def measure_memory(articles: list[tuple[str, str]]) -> float | None:
    """Peak RSS (MB) of a fresh process that loads the index and analyses ``articles``."""
    if not articles:
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
        json.dump(articles, handle)
    try:
        for _ in range(3):  # a source edited meanwhile makes the probe build the index: run again
            done = subprocess.run(
                [sys.executable, "-c", MEMORY_PROBE, handle.name],
                cwd=REPO_DIR,
                capture_output=True,
                text=True,
                check=True,
            )
            built, kib = done.stdout.split()[-2:]
            if built == "0":
                break
    finally:
        os.unlink(handle.name)
    return int(kib) / 1024  # ru_maxrss is in KiB on Linux


def measure_extract(repeats: int = 5) -> float | None:
    """Median wall time of ``python -m geo extract`` on the seed article in a fresh process, as an
    installed Dateline starts: the index built, and the bytecode of every module compiled (pip compiles
    it on install; a checkout's first run writes it). One untimed run compiles it into a temporary
    ``PYTHONPYCACHEPREFIX``, whatever the environment says (``PYTHONDONTWRITEBYTECODE`` would have
    every run compile ~50 modules again, 0.1-0.2 s), and the checkout stays untouched."""
    if not SEED_ARTICLE.exists():
        return None
    from geo.places.gazetteer import ensure_index

    command = [sys.executable, "-m", "geo", "extract", str(SEED_ARTICLE)]
    with tempfile.TemporaryDirectory(prefix="dateline-bytecode-") as bytecode:
        environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        environment["PYTHONPYCACHEPREFIX"] = bytecode
        ensure_index()  # never time a build
        subprocess.run(command, cwd=REPO_DIR, env=environment, capture_output=True, check=True)
        times = []
        for _ in range(repeats):
            ensure_index()
            began = time.perf_counter()
            subprocess.run(command, cwd=REPO_DIR, env=environment, capture_output=True, check=True)
            times.append(time.perf_counter() - began)
    return statistics.median(times)


def measure_rest(row, samples: list[tuple[str, str]], gwn: list[tuple[str, str]]) -> None:
    """(b) to (e), on the index of the current cache directory (built first if missing)."""
    from geo.places.gazetteer import ensure_index

    ensure_index()
    row("(b) index load + first lookup", "load", measure_load(), "s", "median of 7")
    sample_ms, gwn_ms = measure_articles(samples), measure_articles(gwn)
    sample_chars = statistics.median(len(t) for _, t in samples) if samples else 0
    row(
        "(c) warm, samples",
        "article",
        statistics.median(sample_ms) if sample_ms else None,
        "ms",
        f"median of {len(sample_ms)}, median size {sample_chars:,.0f} chars"
        + (f", p90 {_percentile(sample_ms, 0.9):.1f} ms" if sample_ms else ""),
    )
    row(
        "(c) warm, GeoWebNews 4 KB slices",
        "article",
        statistics.median(gwn_ms) if gwn_ms else None,
        "ms",
        f"median of {len(gwn_ms)} slices of ~{SLICE_CHARS:,} chars"
        + (f", p90 {_percentile(gwn_ms, 0.9):.1f} ms" if gwn_ms else ""),
    )
    probe = (gwn + samples)[:50]
    row("(d) peak RSS, load + analyse", "memory", measure_memory(probe), "MB", f"fresh process, {len(probe)} articles")
    row(
        "(e) python -m geo extract, cold",
        "extract",
        measure_extract(),
        "s",
        f"{SEED_ARTICLE.name}, fresh process, median of 5",
    )


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.speed", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=200, help="at most N GeoWebNews slices (default 200)")
    parser.add_argument("--skip-build", action="store_true", help="do not time an index build")
    parser.add_argument("--json", help="save the figures to this JSON file")
    args = parser.parse_args(argv)

    samples = sample_articles()
    gwn = [("en", text) for text in gwn_slices(args.limit)]
    figures: dict = {"machine": f"{platform.platform()}, {os.cpu_count()} cores", "python": platform.python_version()}
    rows = []

    def row(name: str, key: str, value: float | None, unit: str, note: str) -> None:
        goal, ok = GOALS[key]
        shown = "n/a" if value is None else f"{value:.3f} {unit}" if unit == "s" else f"{value:.1f} {unit}"
        verdict = "" if value is None else "ok" if ok(value) else "MISSED"
        rows.append([name, shown, goal, verdict, note])
        figures[name] = value

    with tempfile.TemporaryDirectory() as directory:
        if not args.skip_build:
            # A private cache directory: other processes sharing $DATELINE_CACHE_DIR may rebuild or
            # delete the shared index at any time; this one belongs to the run.
            os.environ["DATELINE_CACHE_DIR"] = directory
            row(
                "(a) index build",
                "build",
                measure_build(Path(directory)),
                "s",
                "build_index() into a temp dir, then used for (b)-(e)",
            )
        measure_rest(row, samples, gwn)
    print(f"Machine: {figures['machine']}; Python {figures['python']}\n")
    print(table(["measure", "value", "goal", "verdict", "how"], rows))
    write_json(args.json, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
