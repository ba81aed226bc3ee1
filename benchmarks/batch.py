"""Batch benchmark: throughput, memory per worker and scaling of ``python -m geo batch``.

    .venv/bin/python -m benchmarks.batch [--sizes 1000,10000] [--runs local1,local2,dask2] [--json OUT]

The corpus: articles of about 4 KB as JSON Lines, cut from the news of the evaluation data
(GeoWebNews, LGL, GeoVirus, WikiWarsDE; ../shared/eval) or, without it, from data/samples. A corpus
larger than what the texts give is cut again from a shifted start, so no two articles are the same
text (no run is helped by a repeat).

Each run is ``geo.batch.run`` on the corpus into a new output, in a new process as the CLI does
it, and reports:
- articles/s: documents over the run's wall time, start of the workers (fork server warm-up,
  LocalCluster start) included, as a user waits for it; and after start-up: the documents after
  the first task's over the time after its result, what the workers keep up once running;
- peak memory per worker: RSS (the kernel's high-water mark as each worker reports it; counts the
  pages it shares with the fork server and the other workers in full) and PSS (proportional set
  size: shared pages divided among the processes sharing them, so the sum over processes is what
  the machine spends), sampled every :data:`PSS_INTERVAL` seconds. The sampler runs beside the
  workers on the same cores, so it samples seldom: the kernel reads a process's PSS by walking
  its page tables (psutil reads /proc/PID/smaps_rollup), 20-25 ms per sample of the run's
  processes; every 0.2 s that was a tenth of a core taken from the 2 workers it measures. A
  worker's PSS climbs as its caches fill and then stays, so a sample a second still finds the peak;
- scaling efficiency: articles/s with 2 workers over twice the articles/s with 1.
For the growth with corpus size it prints, per size: ms per article, the output's size on disk, the
run's parent process's peak RSS (it keeps the ids it has seen) and the time to list a finished
output's ids (what a resumed run does first).

Goals (issue 8, this 2-core machine): >= 200 articles/s with 2 workers, <= 300 MB per worker,
scaling efficiency >= 80 %.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import psutil
from lxml import etree

from geo import batch

from .common import REPO_DIR, eval_dir, table, write_json
from .speed import SLICE_CHARS, slices

GOALS = {"rate": 200.0, "memory_mb": 300.0, "efficiency": 0.80}
RUNS = {"local1": {"workers": 1}, "local2": {"workers": 2}, "dask2": {"workers": 2, "dask": "local"}}
SHIFT_CHARS = 997  # each further pass over the texts starts this much later, so its cuts differ
PSS_INTERVAL = 1.0  # seconds between PSS samples (see the module docstring: sampling costs CPU)


def source_texts() -> list[str]:
    """Long news texts to cut articles from: the evaluation data's, else the samples'."""
    texts = []
    english = eval_dir() / "geoparsing" / "en"
    for name, element in (("GeoWebNews_GWN.xml", "article"), ("LGL_lgl.xml", "article"), ("GeoVirus.xml", "article")):
        if (english / name).exists():
            root = etree.parse(str(english / name)).getroot()
            texts.append("\n\n".join(node.findtext("text") or "" for node in root.iter(element)))
    wikiwars = eval_dir() / "timeline" / "de" / "WikiWarsDE_20110412"
    if wikiwars.exists():
        from .datasets import read_wikiwars_de

        texts.append("\n\n".join(document.text for document in read_wikiwars_de(wikiwars).documents))
    if not any(texts):
        texts = [path.read_text(encoding="utf-8") for path in sorted((REPO_DIR / "data" / "samples").glob("*.txt"))]
        texts = ["\n\n".join(texts)]
    return [text for text in texts if text]


def articles(count: int) -> Iterator[str]:
    """``count`` distinct articles of about 4 KB."""
    texts, made, shift = source_texts(), 0, 0
    while True:
        for text in texts:
            for piece in slices(text[shift % max(len(text) - SLICE_CHARS, 1) :]):
                yield piece
                made += 1
                if made == count:
                    return
        shift += SHIFT_CHARS


def write_corpus(path: Path, count: int) -> int:
    """The corpus as JSON Lines; returns its size in bytes."""
    with path.open("w", encoding="utf-8") as handle:
        for number, text in enumerate(articles(count)):
            handle.write(json.dumps({"id": f"a{number:06d}", "text": text}, ensure_ascii=False) + "\n")
    return path.stat().st_size


class PssSampler:
    """Samples the PSS of this process's descendants every ``interval`` seconds, keeping each peak."""

    def __init__(self, interval: float = PSS_INTERVAL) -> None:
        self.interval, self.peaks, self._stop = interval, {}, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(self.interval):
            for child in me.children(recursive=True):
                try:
                    pss = child.memory_full_info().pss / 2**20
                except (psutil.Error, OSError):
                    continue
                self.peaks[child.pid] = max(self.peaks.get(child.pid, 0.0), pss)

    def __enter__(self) -> PssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def measure(corpus: Path, output: Path, options: dict) -> dict:
    """One batch run of the corpus into a new output, in a new process (as the CLI runs it: the
    fork server and its warm-up are that run's own, never one left by an earlier run)."""
    shutil.rmtree(output, ignore_errors=True)
    command = [sys.executable, "-m", "benchmarks.batch", "--one", json.dumps([str(corpus), str(output), options])]
    with PssSampler() as sampler:
        finished = subprocess.run(command, cwd=REPO_DIR, capture_output=True, text=True, check=True)
    summary = json.loads(finished.stdout.strip().splitlines()[-1])
    worker_pss = [sampler.peaks.get(int(pid), 0.0) for pid in summary["workers"]]
    started = time.perf_counter()
    done = batch.finished_ids(output)
    list_seconds = time.perf_counter() - started
    assert len(done) == summary["documents"], (len(done), summary["documents"])
    return {
        "documents": summary["documents"],
        "errors": summary["errors"],
        "seconds": summary["seconds"],
        "rate": summary["documents"] / summary["seconds"],
        "workers": len(summary["workers"]),
        "steady_rate": summary["steady_rate"],
        "first_seconds": summary["first_seconds"],
        "rss_mb": max(summary["workers"].values()),
        "pss_mb": max(worker_pss) if worker_pss else None,
        "parent_rss_mb": summary["parent_rss_mb"],
        "output_mb": sum(path.stat().st_size for path in output.rglob("*") if path.is_file()) / 2**20,
        "list_ids_s": list_seconds,
    }


def run_one(arguments: str) -> None:
    """The child of :func:`measure`: one ``batch.run``, its summary as JSON on stdout."""
    corpus, output, options = json.loads(arguments)
    summary = batch.run([corpus], output, **options)
    print(
        json.dumps(
            {
                "documents": summary.documents,
                "errors": summary.errors,
                "seconds": summary.seconds,
                "workers": summary.workers,
                "steady_rate": summary.steady_rate,
                "first_seconds": summary.first_seconds,
                "parent_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.batch", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes (default 1000,10000)")
    parser.add_argument("--runs", default=",".join(RUNS), help=f"which runs (default {','.join(RUNS)})")
    parser.add_argument("--json", help="save the figures to this JSON file")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a measured run, in its own process
    args = parser.parse_args(argv)
    if args.one:
        run_one(args.one)
        return 0
    sizes = [int(size) for size in args.sizes.split(",")]
    runs = [name for name in args.runs.split(",") if name]
    figures: dict = {
        "machine": f"{platform.platform()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "runs": {},
    }
    rows, growth = [], []
    with tempfile.TemporaryDirectory() as directory:
        for size in sizes:
            corpus = Path(directory) / f"corpus-{size}.jsonl"
            corpus_bytes = write_corpus(corpus, size)
            for name in runs:
                result = measure(corpus, Path(directory) / f"out-{name}-{size}.parquet", RUNS[name])
                figures["runs"][f"{name}/{size}"] = result
                rows.append(
                    [
                        f"{size:,}",
                        name,
                        f"{result['rate']:.1f}",
                        f"{result['steady_rate']:.1f}",
                        f"{result['first_seconds']:.1f}",
                        f"{result['seconds']:.1f}",
                        f"{result['rss_mb']:.0f}",
                        f"{result['pss_mb']:.0f}" if result["pss_mb"] else "n/a",
                        result["errors"],
                    ]
                )
                print(f"{size:,} {name}: {result['rate']:.1f} articles/s", file=sys.stderr, flush=True)
            base = figures["runs"].get(f"local1/{size}")
            if base:
                growth.append(
                    [
                        f"{size:,}",
                        f"{corpus_bytes / size / 1024:.1f} KB",
                        f"{1000 / base['rate']:.1f}",
                        f"{base['output_mb']:.1f} MB",
                        f"{base['parent_rss_mb']:.0f} MB",
                        f"{base['list_ids_s'] * 1000:.0f} ms",
                    ]
                )
    print(f"Machine: {figures['machine']}; Python {figures['python']}\n")
    print(
        table(
            [
                "articles",
                "run",
                "articles/s",
                "after start-up",
                "start-up s",
                "s",
                "peak RSS/worker MB",
                "peak PSS/worker MB",
                "errors",
            ],
            rows,
        )
    )
    print()
    efficiency_rows = []
    for size in sizes:
        one, two = figures["runs"].get(f"local1/{size}"), figures["runs"].get(f"local2/{size}")
        if one and two:
            efficiency = two["rate"] / (2 * one["rate"])
            steady = two["steady_rate"] / (2 * one["steady_rate"])
            figures[f"efficiency/{size}"], figures[f"steady_efficiency/{size}"] = efficiency, steady
            efficiency_rows.append(
                [
                    f"{size:,}",
                    f"{efficiency:.0%}",
                    f"{steady:.0%}",
                    f">= {GOALS['efficiency']:.0%}",
                    "ok" if efficiency >= GOALS["efficiency"] else "MISSED",
                ]
            )
    if efficiency_rows:
        print(
            table(["articles", "scaling efficiency (2 workers)", "after start-up", "goal", "verdict"], efficiency_rows)
        )
        print()
    if growth:
        print(
            table(
                [
                    "articles",
                    "mean size",
                    "ms per article (1 worker)",
                    "output on disk",
                    "parent's peak RSS",
                    "list finished ids",
                ],
                growth,
            )
        )
    best = max((run["rate"] for key, run in figures["runs"].items() if run["workers"] == 2), default=None)
    if best is not None:
        print(
            f"Goal >= {GOALS['rate']:.0f} articles/s with 2 workers: best {best:.1f} "
            f"({'ok' if best >= GOALS['rate'] else 'MISSED'}); goal <= {GOALS['memory_mb']:.0f} MB per worker (PSS)"
        )
    write_json(args.json, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
