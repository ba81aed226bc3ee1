"""The workers' side of a batch: a task is a few :class:`~geo.batch.inputs.Item`s, analysed in a
worker process into one Arrow table per entity (:class:`TaskResult`).

Each document gets exactly what ``extract`` gives it (:func:`geo.pipeline.analyse`). A document
that fails is a ``documents`` row with its ``error``; the task goes on. Workers share the gazetteer
index read-only: each maps the same SQLite file into memory (:class:`geo.places.gazetteer.Gazetteer`),
so the operating system holds its pages once for all.

Workers find :func:`analyse_items` by its qualified name (multiprocessing and Dask send a function
that way): a local pool's fork server imports this module before they fork
(:data:`geo.batch.pool.FORK_SERVER_PRELOAD`).
"""

from __future__ import annotations

import itertools
import os
import resource
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from geo.batch.inputs import Item
from geo.batch.tables import SCHEMAS, TABLES, error_row, story_rows
from geo.errors import DocumentError
from geo.pipeline import Options, analyse
from geo.read.document import Document, document_from_bytes
from geo.read.records import record_document

__all__ = ["TASK_DOCS", "TaskResult", "analyse_items", "chunks"]

TASK_DOCS = 16
"""Documents per task sent to a worker: enough to make the hand-over cheap, few enough to balance."""


@dataclass(frozen=True)
class TaskResult:
    """What a worker returns for a task: one Arrow table per entity, and how the worker is doing."""

    tables: dict[str, pa.Table]
    documents: int
    errors: int
    pid: int
    peak_rss_mb: float


def chunks(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    """The items as tasks of ``size`` (the last one shorter)."""
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def analyse_items(items: Sequence[Item], options: Options) -> TaskResult:
    """Analyse a task's documents (in a worker) into table rows; a failure is an error row."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    errors = 0
    for item in items:
        try:
            story = analyse(_item_document(item, options), options, story_id=item.id)
            story_rows(story, item, rows)
        except Exception as exc:  # noqa: BLE001 - one bad document never stops the batch
            rows["documents"].append(error_row(item, _message(exc)))
            errors += 1
    tables = {name: pa.Table.from_pylist(rows[name], schema=SCHEMAS[name]) for name in TABLES}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return TaskResult(tables, len(items), errors, os.getpid(), peak)


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
