"""The run of a batch: ``python -m geo batch INPUT... -o out.parquet`` (docs/batch.md).

:func:`run` streams the inputs (:mod:`geo.batch.inputs`) in tasks to the workers (:mod:`geo.batch.pool`,
:mod:`geo.batch.tasks`), at most a few tasks of documents in flight, and writes their tables as
Parquet parts in input order (:mod:`geo.batch.tables`), with a progress bar and a :class:`Summary`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from geo.batch.inputs import Inputs, check_inputs
from geo.batch.pool import open_pool, ordered_results
from geo.batch.tables import PART_DOCS, Output, finished_ids
from geo.batch.tasks import DOCUMENT_SECONDS, TASK_DOCS, chunks
from geo.pipeline import Options

if TYPE_CHECKING:
    from tqdm import tqdm

__all__ = ["Summary", "run", "IN_FLIGHT_PER_WORKER"]

IN_FLIGHT_PER_WORKER = 4
"""Tasks submitted ahead per worker: keeps every worker busy while the oldest is awaited."""


@dataclass
class Summary:
    """What a run did: counts, time, and each worker's peak memory (MB, by process id).
    ``first_seconds`` is the time until the first task's result (the workers' start-up and one
    task) and ``first_documents`` that task's size, so that the rate after start-up can be told."""

    output: str
    documents: int = 0
    errors: int = 0
    skipped: int = 0
    seconds: float = 0.0
    workers: dict[int, float] = field(default_factory=dict)
    first_seconds: float = 0.0
    first_documents: int = 0

    @property
    def rate(self) -> float:
        """Documents per second over the whole run, start-up included."""
        return self.documents / self.seconds if self.seconds else 0.0

    @property
    def steady_rate(self) -> float:
        """Documents per second after the first result: what the workers keep up once started."""
        rest = self.seconds - self.first_seconds
        return (self.documents - self.first_documents) / rest if rest > 0 else 0.0

    def line(self) -> str:
        peak = f", peak {max(self.workers.values()):,.0f} MB per worker" if self.workers else ""
        return (
            f"{self.documents:,} documents ({self.errors:,} errors, {self.skipped:,} already done) in "
            f"{self.seconds:,.1f} s, {self.rate:,.1f} documents/s{peak} -> {self.output}"
        )


def run(
    inputs: Sequence[str],
    output: str | os.PathLike,
    *,
    options: Options | None = None,
    workers: int | None = None,
    dask: str | None = None,
    progress: TextIO | None = None,
    part_docs: int = PART_DOCS,
    task_docs: int = TASK_DOCS,
    time_limit: float | None = DOCUMENT_SECONDS,
    warn: Callable[[str], None] = lambda message: None,
) -> Summary:
    """Analyse every document of ``inputs`` into the Parquet tables at ``output`` (see
    :mod:`geo.batch`). ``workers``: local processes (default: the core count); ``dask``: a scheduler
    address or "local"; ``progress``: a stream for the progress bar (None: no bar); ``time_limit``:
    the seconds a document may take before it is an error row (None: no limit)."""
    options = options or Options()
    check_inputs(inputs)
    settings = {"language": options.language, "published": _iso(options.published), "router": options.router}
    out = Output.open(output, settings)
    documents = Inputs(inputs, finished_ids(out.path), warn)
    workers = workers or os.cpu_count() or 1
    summary = Summary(str(output))
    started = time.perf_counter()
    with (
        open_pool(workers, dask, time_limit) as pool,
        _bar(progress, documents.count() if progress else None, len(documents.done)) as bar,
    ):
        tasks = chunks(iter(documents), task_docs)
        for result in ordered_results(pool, tasks, options, workers * IN_FLIGHT_PER_WORKER):
            out.add(result, part_docs)
            if not summary.documents:
                summary.first_seconds, summary.first_documents = time.perf_counter() - started, result.documents
            summary.documents += result.documents
            summary.errors += result.errors
            summary.workers[result.pid] = max(summary.workers.get(result.pid, 0.0), result.peak_rss_mb)
            if bar is not None:
                bar.update(result.documents)
                bar.set_postfix(errors=summary.errors, refresh=False)
        out.flush()
    summary.skipped, summary.seconds = documents.skipped, time.perf_counter() - started
    return summary


def _iso(value: Any) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else value


class _NoBar:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _bar(stream: TextIO | None, total: int | None, initial: int) -> tqdm | _NoBar:
    """A progress bar with rate and ETA on ``stream`` (tqdm), or none."""
    if stream is None:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(
        total=total, initial=initial, unit="doc", file=stream, smoothing=0.1, dynamic_ncols=True, mininterval=0.5
    )
