"""The workers' side of a batch: a task is a few :class:`~geo.batch.inputs.Item`s, analysed in a
worker process into one Arrow table per entity (:class:`TaskResult`).

Each document gets exactly what ``extract`` gives it (:func:`geo.pipeline.analyse`). A document
that fails is a ``documents`` row with its ``error``; the task goes on. A document that runs past its
time limit (:data:`DOCUMENT_SECONDS`) is an error row too, and ends the task: the rest of its
documents go back to the pool (:attr:`TaskResult.left`), to a fresh worker, since an analysis stopped
midway may have left this one's caches half-made. Workers share the gazetteer index read-only: each
maps the same SQLite file into memory (:class:`geo.places.gazetteer.Gazetteer`), so the operating
system holds its pages once for all.

Workers find :func:`analyse_items` by its qualified name (multiprocessing and Dask send a function
that way): a local pool's fork server imports this module before they fork
(:data:`geo.batch.pool.FORK_SERVER_PRELOAD`).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import resource
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from geo.batch.inputs import Item
from geo.batch.tables import SCHEMAS, TABLES, error_row, story_rows
from geo.errors import BATCH_MESSAGES, DocumentError, DocumentTimeout
from geo.pipeline import Options, analyse
from geo.read.document import Document, document_from_bytes
from geo.read.records import record_document

__all__ = ["TASK_DOCS", "DOCUMENT_SECONDS", "YOUNG_COLLECTION_THRESHOLD", "TaskResult", "analyse_items", "chunks"]

TASK_DOCS = 16
"""Documents per task sent to a worker: enough to make the hand-over cheap, few enough to balance."""
YOUNG_COLLECTION_THRESHOLD = 10_000
"""The garbage collector's first threshold in the workers (the fork server sets it; they inherit it).
An analysis makes and drops tens of thousands of small containers (tokens, matches, candidates),
nearly all freed by their reference counts. At Python's default (700) the collector still ran
about once an article, and each hundredth run went through every object of the worker's growing
caches: 0.5 ms an article of 12 (measured interleaved in one process: 13.1 -> 12.5 ms; 10,000 and
100,000 gave the same)."""
DOCUMENT_SECONDS = 60.0
"""A document's time limit (``--time-limit``), reading included: a thousand times what an article
of 4,000 characters takes, and three times what the largest allowed text should."""


@dataclass(frozen=True)
class TaskResult:
    """What a worker returns for a task: one Arrow table per entity, and how the worker is doing."""

    tables: dict[str, pa.Table]
    documents: int
    errors: int
    pid: int
    peak_rss_mb: float
    out_of_time: bool = False  # a document ran past its time limit: the worker that ran it is retired
    left: tuple[Item, ...] = ()  # the documents after it, not analysed here


def chunks(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    """The items as tasks of ``size`` (the last one shorter)."""
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def analyse_items(items: Sequence[Item], options: Options, seconds: float | None = DOCUMENT_SECONDS) -> TaskResult:
    """Analyse a task's documents (in a worker) into table rows; a failure is an error row, and so is
    a document that takes longer than ``seconds`` (None: no limit), which ends the task."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    errors = 0
    for done, item in enumerate(items, 1):
        try:
            with _time_limit(seconds):
                story = analyse(_item_document(item, options), options, story_id=item.id)
            story_rows(story, item, rows)
        except DocumentTimeout:
            rows["documents"].append(error_row(item, BATCH_MESSAGES["time_limit"].format(seconds=seconds)))
            return _task_result(rows, done, errors + 1, out_of_time=True, left=tuple(items[done:]))
        except Exception as exc:  # noqa: BLE001 - one bad document never stops the batch
            rows["documents"].append(error_row(item, _message(exc)))
            errors += 1
    return _task_result(rows, len(items), errors)


def _task_result(rows: dict[str, list[dict[str, Any]]], documents: int, errors: int, **more: Any) -> TaskResult:
    tables = {name: pa.Table.from_pylist(rows[name], schema=SCHEMAS[name]) for name in TABLES}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return TaskResult(tables, documents, errors, os.getpid(), peak, **more)


def _out_of_time(signum: int, frame: object) -> None:
    raise DocumentTimeout


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise DocumentTimeout into the block once ``seconds`` have passed. In a process's main thread (a
    local pool's workers) a timer signal does it, which also stops a long regular expression or a
    wait; a thread no signal reaches (a Dask worker's) is checked when the block ends. Code that
    holds the interpreter without a break (one long call into C) is stopped by the batch itself,
    which replaces the worker (:mod:`geo.batch.pool`)."""
    if seconds is None:
        yield
    elif threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGALRM, _out_of_time)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    else:
        started = time.monotonic()
        yield
        if time.monotonic() - started > seconds:
            raise DocumentTimeout


def _item_document(item: Item, options: Options) -> Document:
    if item.error:
        raise DocumentError(item.error)
    if item.data is not None:
        return document_from_bytes(
            item.data,
            item.name,
            language=item.language or options.language,
            published=item.published or options.published,
            label=item.source,
        )
    record = {"text": item.text, "html": item.html, "lang": item.language, "published": item.published}
    return record_document({key: value for key, value in record.items() if value is not None}, options, item.source)


def _message(exc: Exception) -> str:
    return str(exc) if isinstance(exc, DocumentError) else f"{type(exc).__name__}: {exc}"
