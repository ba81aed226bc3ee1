"""Many articles at once: ``python -m geo batch INPUT... -o out.parquet`` (README, "Batch").

Each document gets exactly what ``extract`` gives it (:func:`geo.pipeline.run_stages`), in worker
processes: a local process pool (``--workers N``) or a dask.distributed cluster (``--dask ADDRESS``;
``--dask local`` starts a LocalCluster). What this module adds is the plumbing, which is where
batch jobs go wrong:

- Inputs are streamed: files, folders and globs are listed lazily and each file is read when its
  turn comes; JSON Lines are read a line at a time. At most a few tasks of documents are in flight.
- Results are tables, one per entity (:data:`TABLES`), keyed by ``doc_id`` and written as Parquet
  parts in input order. A part holds the next :data:`PART_DOCS` documents of the input, whatever
  finished first, so the files are the same for any number of workers and on a cluster.
- A document that fails is a ``documents`` row with its ``error``; the batch goes on. A task whose
  worker died is run again a document at a time, and a document that kills its worker again is
  an error row too.
- A part is written under a temporary name and renamed, the ``documents`` file last: a killed run
  leaves whole parts only (the others are swept away on the next start). Running again with the
  same output skips every document already in it (resume).
- Workers share the gazetteer index read-only: each maps the same SQLite file into memory
  (:class:`geo.places.gazetteer.Gazetteer`), so the operating system holds its pages once for all.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import json
import os
import resource
import time
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pyarrow as pa
import pyarrow.parquet as pq

from geo.errors import BatchError
from geo.read.document import (HTML_SUFFIXES, MARKDOWN_SUFFIXES, PDF_SUFFIXES, TEXT_SUFFIXES, WORD_SUFFIXES, Document,
                       DocumentError, document_from_bytes, read_file_bytes)
from geo.places.gazetteer import default_gazetteer
from geo.model import Story
from geo.pipeline import Options, run_stages
from geo.read.records import jsonl_records, record_document

__all__ = ["TABLES", "SCHEMAS", "Item", "Inputs", "BatchError", "Summary", "analyse_items", "run", "read", "is_output", "finished_ids"]

TASK_DOCS = 16
"""Documents per task sent to a worker: enough to make the hand-over cheap, few enough to balance."""
PART_DOCS = 1000
"""Documents per Parquet part: what a killed run may have to do again."""
IN_FLIGHT_PER_WORKER = 4
"""Tasks submitted ahead per worker: keeps every worker busy while the oldest is awaited."""
MAX_BREAKS_IN_A_ROW = 8
"""A local pool replaced this often without finishing a task is not a bad document but a setup fault."""
DOCUMENT_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | WORD_SUFFIXES | PDF_SUFFIXES
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
FORK_SERVER_PRELOAD = ["geo.batch.run", "geo.batch.preload"]
"""What a fork server imports before its workers fork from it: a warm analysis (geo/batch_preload.py)."""
META_FILE = "_dateline.json"
FORMAT = 1


# --------------------------------------------------------------------------- tables

_CANDIDATE = pa.struct([("id", pa.string()), ("name", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()),
                        ("country", pa.string()), ("kind", pa.string()), ("population", pa.int64()),
                        ("score", pa.float64())])
_PATH = pa.list_(pa.list_(pa.float64()))
_STRINGS = pa.list_(pa.string())

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        ("doc_id", pa.string()), ("position", pa.int64()), ("source", pa.string()), ("url", pa.string()),
        ("status", pa.string()), ("error", pa.string()), ("title", pa.string()), ("language", pa.string()),
        ("published", pa.string()), ("published_source", pa.string()), ("chars", pa.int64()),
        ("places", pa.int32()), ("events", pa.int32()), ("legs", pa.int32()), ("claims", pa.int32()),
        ("warnings", _STRINGS)]),
    "places": pa.schema([
        ("doc_id", pa.string()), ("place_index", pa.int32()), ("id", pa.string()), ("name", pa.string()),
        ("label", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()), ("country", pa.string()),
        ("kind", pa.string()), ("confidence", pa.float64()), ("population", pa.int64()),
        ("mentions", pa.int32()), ("sentences", _STRINGS), ("candidates", pa.list_(_CANDIDATE))]),
    "mentions": pa.schema([
        ("doc_id", pa.string()), ("place_index", pa.int32()), ("place_id", pa.string()),
        ("start", pa.int64()), ("end", pa.int64()), ("text", pa.string())]),
    "events": pa.schema([
        ("doc_id", pa.string()), ("event_index", pa.int32()), ("text", pa.string()),
        ("start_char", pa.int64()), ("end_char", pa.int64()), ("value", pa.string()), ("start", pa.string()),
        ("end", pa.string()), ("type", pa.string()), ("mod", pa.string()), ("sentence", pa.string()),
        ("places", _STRINGS)]),
    "legs": pa.schema([
        ("doc_id", pa.string()), ("leg_index", pa.int32()), ("from", pa.string()), ("to", pa.string()),
        ("km", pa.float64()), ("mode", pa.string()), ("sentence", pa.string()), ("start", pa.int64()),
        ("end", pa.int64()), ("path", _PATH), ("route_km", pa.float64()), ("route_source", pa.string()),
        ("route_credit", pa.string()), ("route_path", _PATH)]),
    "claims": pa.schema([
        ("doc_id", pa.string()), ("claim_index", pa.int32()), ("text", pa.string()), ("value_km", pa.float64()),
        ("from", pa.string()), ("to", pa.string()), ("computed_km", pa.float64()), ("verdict", pa.string()),
        ("start", pa.int64()), ("end", pa.int64()), ("kind", pa.string()), ("unit", pa.string()),
        ("hedge", pa.string()), ("basis", pa.string()), ("low_km", pa.float64()), ("high_km", pa.float64()),
        ("computed_by", pa.string()), ("mode", pa.string()), ("sentence", pa.string()), ("reason", pa.string())]),
}
TABLES = tuple(SCHEMAS)
"""The output's tables, ``documents`` first; each row of the others belongs to one document."""
ORDINALS = {"places": "place_index", "mentions": "place_index", "events": "event_index", "legs": "leg_index",
            "claims": "claim_index"}


# --------------------------------------------------------------------------- inputs

@dataclass(frozen=True)
class Item:
    """One document of the input, as the workers get it (small and picklable: a file's bytes or a
    record's text, never a path a remote worker could not open)."""

    id: str
    position: int
    source: str
    name: str = ""
    data: bytes | None = None
    text: str | None = None
    html: str | None = None
    language: str | None = None
    published: str | None = None
    url: str | None = None
    error: str | None = None  # why the input could not even be read; the worker makes it an error row


class Inputs:
    """The documents of ``INPUT...`` (files, folders, globs, JSON Lines files) in a stable order,
    each read only when reached. Ids: a file's path as found, a record's ``id`` (else
    ``FILE:LINE``). Documents whose id is in ``done`` are passed over unread and counted in
    ``skipped``; a repeated id is passed over with a warning (ids key the output). Positions count
    every document, passed over or not, so they are the same in every run on the same inputs."""

    def __init__(self, inputs: Sequence[str], done: Collection[str] = frozenset(),
                 warn: Callable[[str], None] = lambda message: None) -> None:
        self.inputs, self.done, self.warn = list(inputs), done, warn
        self.skipped = 0

    def __iter__(self) -> Iterator[Item]:
        seen: set[str] = set()
        position = itertools.count()
        for source, kind in _input_files(self.inputs):
            read = _jsonl_items if kind == "jsonl" else _file_item
            for item in read(source, position, self.done.__contains__):
                if item.id in seen:
                    self.warn(f"{item.source}: the id {item.id!r} was used before; this document is left out")
                elif item.id in self.done:
                    self.skipped += 1
                else:
                    yield item
                seen.add(item.id)

    def count(self) -> int:
        """How many documents there are (files listed, JSON Lines lines counted), for a progress bar;
        cheap next to analysing them."""
        return sum(_count_lines(source) if kind == "jsonl" else 1 for source, kind in _input_files(self.inputs))


def check_inputs(inputs: Sequence[str]) -> None:
    """Refuse, before any work, an input that is neither a file, a folder nor a glob that matches."""
    if not inputs:
        raise BatchError("batch needs at least one INPUT (files, folders, globs or .jsonl files)")
    for entry in inputs:
        if not os.path.exists(entry) and not (glob.has_magic(entry) and glob.glob(entry, recursive=True)):
            raise BatchError(f"{entry}: no such file or folder" + (", and the glob matches nothing"
                                                                   if glob.has_magic(entry) else ""))


def _input_files(inputs: Sequence[str]) -> Iterator[tuple[str, str]]:
    """(path, "jsonl" or "document") for each input file; folders are walked in sorted order and
    keep only the suffixes Dateline reads, while a file named on its own is always read."""
    for entry in inputs:
        matches = [entry] if os.path.exists(entry) or not glob.has_magic(entry) else sorted(glob.glob(entry, recursive=True))
        for path in matches:
            if os.path.isdir(path):
                yield from ((found, _kind(found)) for found in _walk(path) if _readable_suffix(found))
            else:
                yield path, _kind(path)


def _walk(folder: str) -> Iterator[str]:
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        yield from (os.path.join(root, name) for name in sorted(files) if not name.startswith("."))


def _readable_suffix(path: str) -> bool:
    suffix = Path(path).suffix.lower()
    return suffix in DOCUMENT_SUFFIXES or suffix in JSONL_SUFFIXES


def _kind(path: str) -> str:
    return "jsonl" if Path(path).suffix.lower() in JSONL_SUFFIXES else "document"


def _file_item(path: str, position: Iterator[int], skip: Callable[[str], bool]) -> Iterator[Item]:
    doc_id = Path(path).as_posix()
    number = next(position)
    if skip(doc_id):
        yield Item(doc_id, number, path)
        return
    try:
        yield Item(doc_id, number, path, name=Path(path).name, data=read_file_bytes(Path(path), path))
    except DocumentError as exc:
        yield Item(doc_id, number, path, name=Path(path).name, error=str(exc))


def _jsonl_items(path: str, position: Iterator[int], skip: Callable[[str], bool]) -> Iterator[Item]:
    for number, record, problem in jsonl_records(path):
        source = f"{path}:{number}"
        doc_id = str(record.get("id") or source) if record else source
        if problem:
            yield Item(doc_id, next(position), source, error=f"{source}: {problem}")
        elif skip(doc_id):
            yield Item(doc_id, next(position), source)
        else:
            yield Item(doc_id, next(position), source, text=record.get("text"), html=record.get("html"),
                       language=record.get("lang") or record.get("language"), published=record.get("published"),
                       url=record.get("url"))


def _count_lines(path: str) -> int:
    count = 0
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                count += block.count(b"\n")
    except OSError:
        return 1
    return max(count, 1)


# --------------------------------------------------------------------------- the workers' side

@dataclass(frozen=True)
class TaskResult:
    """What a worker returns for a task: one Arrow table per entity, and how the worker is doing."""

    tables: dict[str, pa.Table]
    documents: int
    errors: int
    pid: int
    peak_rss_mb: float


def analyse_items(items: Sequence[Item], options: Options) -> TaskResult:
    """Analyse a task's documents (in a worker) into table rows; a failure is an error row."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    errors = 0
    for item in items:
        try:
            story = run_stages(_item_document(item, options), item.id, default_gazetteer(), options.router)
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
        return document_from_bytes(item.data, item.name, language=item.language or options.language,
                                   published=item.published or options.published, label=item.source)
    record = {"text": item.text, "html": item.html, "lang": item.language, "published": item.published}
    return record_document({key: value for key, value in record.items() if value is not None}, options, item.source)


def _message(exc: Exception) -> str:
    return str(exc) if isinstance(exc, DocumentError) else f"{type(exc).__name__}: {exc}"


def error_row(item: Item, message: str) -> dict[str, Any]:
    """The ``documents`` row of a document that could not be analysed."""
    return {"doc_id": item.id, "position": item.position, "source": item.source, "url": item.url,
            "status": "error", "error": message, "places": 0, "events": 0, "legs": 0, "claims": 0, "warnings": []}


def story_rows(story: Story, item: Item, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Append a Story's rows to ``rows``: its fields under the Story JSON's names, keyed by doc_id."""
    data, doc_id = story.to_dict(), item.id
    rows["documents"].append({"doc_id": doc_id, "position": item.position, "source": item.source, "url": item.url,
                              "status": "ok", **data["document"], "places": len(story.places),
                              "events": len(story.events), "legs": len(story.legs), "claims": len(story.claims),
                              "warnings": data["warnings"]})
    for index, place in enumerate(data["places"]):
        rows["places"].append({**place, "doc_id": doc_id, "place_index": index, "mentions": len(place["mentions"])})
        rows["mentions"].extend({**mention, "doc_id": doc_id, "place_index": index, "place_id": place["id"]}
                                for mention in place["mentions"])
    rows["events"].extend({**event, "doc_id": doc_id, "event_index": index} for index, event in enumerate(data["events"]))
    for index, leg in enumerate(data["legs"]):
        route = leg.pop("route") or {}
        rows["legs"].append({**leg, "doc_id": doc_id, "leg_index": index, "route_km": route.get("km"),
                             "route_source": route.get("source"), "route_credit": route.get("credit"),
                             "route_path": route.get("path")})
    rows["claims"].extend({**claim, "doc_id": doc_id, "claim_index": index} for index, claim in enumerate(data["claims"]))


# --------------------------------------------------------------------------- the output

@dataclass
class Output:
    """A batch output folder: one subfolder of Parquet parts per table, and ``_dateline.json`` with
    the options it was made with (a resumed run must use the same)."""

    path: Path
    next_part: int = 0
    pending: dict[str, list[pa.Table]] = field(default_factory=dict)
    pending_docs: int = 0

    @classmethod
    def open(cls, path: str | os.PathLike, settings: dict[str, Any]) -> Output:
        """Open (or start) an output, sweeping away the pieces of a part a killed run left."""
        root = Path(path)
        meta = root / META_FILE
        if root.exists() and not root.is_dir():
            raise BatchError(f"{root}: exists and is not a folder (a batch output is a folder of Parquet tables)")
        if root.is_dir() and any(root.iterdir()) and not meta.exists():
            raise BatchError(f"{root}: a folder that is not a Dateline batch output; choose a new or empty one")
        if meta.exists():
            made_with = json.loads(meta.read_text(encoding="utf-8")).get("settings")
            if made_with != settings:
                raise BatchError(f"{root}: made with other options ({_describe(made_with)}); resume it with "
                                 f"the same ones, or write to a new output")
        else:
            root.mkdir(parents=True, exist_ok=True)
            _atomic_write(meta, json.dumps({"format": FORMAT, "settings": settings}, indent=2).encode())
        for name in TABLES:
            (root / name).mkdir(exist_ok=True)
        complete = _complete_parts(root)
        for name in TABLES:
            for part in (root / name).iterdir():
                if part.name.endswith(".tmp") or part.stem not in complete:
                    part.unlink()
        numbers = [int(stem.removeprefix("part-")) for stem in complete]
        return cls(root, next_part=max(numbers, default=-1) + 1, pending={name: [] for name in TABLES})

    def add(self, result: TaskResult, part_docs: int) -> None:
        """Take a task's tables; write a part once ``part_docs`` documents are waiting."""
        for name in TABLES:
            self.pending[name].append(result.tables[name])
        self.pending_docs += result.documents
        if self.pending_docs >= part_docs:
            self.flush()

    def flush(self) -> None:
        """Write what is waiting as the next part (the documents file last: it marks the part whole)."""
        if not self.pending_docs:
            return
        stem = f"part-{self.next_part:05d}"
        for name in (*TABLES[1:], TABLES[0]):
            table = pa.concat_tables(self.pending[name])
            target = self.path / name / f"{stem}.parquet"
            pq.write_table(table, target.with_suffix(".tmp"), compression="zstd")
            os.replace(target.with_suffix(".tmp"), target)
            self.pending[name] = []
        self.pending_docs, self.next_part = 0, self.next_part + 1


def _complete_parts(root: Path) -> set[str]:
    return {part.stem for part in (root / TABLES[0]).glob("part-*.parquet")}


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _describe(settings: Any) -> str:
    if not isinstance(settings, dict):
        return "unknown"
    return ", ".join(f"{key}={value}" for key, value in settings.items()) or "defaults"


def finished_ids(path: str | os.PathLike) -> set[str]:
    """The ids of the documents an output already holds (whole parts only)."""
    root = Path(path)
    ids: set[str] = set()
    for stem in sorted(_complete_parts(root)):
        ids.update(pq.read_table(root / TABLES[0] / f"{stem}.parquet", columns=["doc_id"]).column(0).to_pylist())
    return ids


def is_output(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a batch output folder."""
    return (Path(path) / META_FILE).is_file()


def read(path: str | os.PathLike, tables: Iterable[str] = TABLES) -> dict[str, Any]:
    """A batch output's tables as pandas DataFrames, by name, in input order (documents by their
    position, the other tables by their document's position, then their index in it). Parts a
    killed run left half-written are not read."""
    root = Path(path)
    if not is_output(root):
        raise BatchError(f"{root}: not a Dateline batch output (no {META_FILE}); make one with "
                         "`python -m geo batch INPUT... -o {root}`")
    wanted = list(tables)
    stems = sorted(_complete_parts(root))
    loaded = {name: _read_table(root / name, stems, SCHEMAS[name]).to_pandas() for name in {TABLES[0], *wanted}}
    documents = loaded[TABLES[0]].sort_values("position", kind="stable").reset_index(drop=True)
    order = dict(zip(documents["doc_id"], documents["position"]))
    result = {}
    for name in wanted:
        if name == TABLES[0]:
            result[name] = documents
            continue
        frame = loaded[name]
        keys = frame["doc_id"].map(order)
        result[name] = (frame.assign(_position=keys).sort_values(["_position", ORDINALS[name]], kind="stable")
                        .drop(columns="_position").reset_index(drop=True))
    return result


def _read_table(folder: Path, stems: Sequence[str], schema: pa.Schema) -> pa.Table:
    parts = [pq.read_table(folder / f"{stem}.parquet", schema=schema) for stem in stems
             if (folder / f"{stem}.parquet").exists()]
    return pa.concat_tables(parts) if parts else schema.empty_table()


# --------------------------------------------------------------------------- running

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
        return (f"{self.documents:,} documents ({self.errors:,} errors, {self.skipped:,} already done) in "
                f"{self.seconds:,.1f} s, {self.rate:,.1f} documents/s{peak} -> {self.output}")


def run(inputs: Sequence[str], output: str | os.PathLike, *, options: Options | None = None,
        workers: int | None = None, dask: str | None = None, progress: TextIO | None = None,
        part_docs: int = PART_DOCS, task_docs: int = TASK_DOCS,
        warn: Callable[[str], None] = lambda message: None) -> Summary:
    """Analyse every document of ``inputs`` into the Parquet tables at ``output`` (see the module
    docstring). ``workers``: local processes (default: the core count); ``dask``: a scheduler
    address or "local"; ``progress``: a stream for the progress bar (None: no bar)."""
    options = options or Options()
    check_inputs(inputs)
    settings = {"language": options.language, "published": _iso(options.published), "router": options.router}
    out = Output.open(output, settings)
    documents = Inputs(inputs, finished_ids(out.path), warn)
    workers = workers or os.cpu_count() or 1
    summary = Summary(str(output))
    started = time.perf_counter()
    with _pool(workers, dask) as pool, _bar(progress, documents.count() if progress else None,
                                           len(documents.done)) as bar:
        tasks = _chunks(iter(documents), task_docs)
        for result in _ordered_results(pool, tasks, options, workers * IN_FLIGHT_PER_WORKER):
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


def _chunks(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    while chunk := list(itertools.islice(items, size)):
        yield chunk


class _Pool:
    """Where tasks run: ``submit(items, options)`` gives a Future of a TaskResult. A local pool that
    broke (one of its workers died) is replaced by a fresh one, once per break."""

    def __init__(self, make: Callable[[], Executor], close: Callable[[], None] = lambda: None) -> None:
        self._make, self._close = make, close
        self.executor = make()
        self.generation = 0  # how many times the executor was replaced
        self.breaks_in_a_row = 0  # replaced executors that finished no task

    def submit(self, items: list[Item], options: Options) -> tuple[Future, int]:
        """The Future of a task and the generation of the executor that runs it."""
        try:
            try:
                return self.executor.submit(analyse_items, items, options), self.generation
            except BrokenProcessPool:
                self.renew(self.generation)
                return self.executor.submit(analyse_items, items, options), self.generation
        except (EOFError, OSError) as exc:  # the fork server itself failed to start
            raise BatchError(f"cannot start the worker processes ({type(exc).__name__}: {exc})") from exc

    def renew(self, generation: int) -> None:
        """Replace a broken local executor (of ``generation``: later failures of its tasks do not
        replace its successor). A cluster looks after its own workers."""
        if generation == self.generation and isinstance(self.executor, ProcessPoolExecutor):
            self.breaks_in_a_row += 1
            if self.breaks_in_a_row > MAX_BREAKS_IN_A_ROW:
                raise BatchError("the worker processes keep stopping before they finish any task; is the "
                                 "calling script's work under `if __name__ == \"__main__\":`? (multiprocessing "
                                 "imports the main module again in each worker)")
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = self._make()
            self.generation += 1

    def finished(self, generation: int) -> None:
        """A task of ``generation`` finished: its executor works."""
        if generation == self.generation:
            self.breaks_in_a_row = 0

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        if isinstance(self.executor, ProcessPoolExecutor):
            self.executor.shutdown(wait=True, cancel_futures=True)
        else:
            self.executor.shutdown(wait=True)
        self._close()


def _pool(workers: int, dask: str | None) -> _Pool:
    if dask is None:
        import multiprocessing

        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(FORK_SERVER_PRELOAD)
        return _Pool(lambda: ProcessPoolExecutor(workers, mp_context=context))
    return _dask_pool(workers, dask)


@contextlib.contextmanager
def _warm_dask_workers() -> Iterator[None]:
    """While a LocalCluster starts: its workers fork from a warm fork server, as the local pool's
    do (Dask's own setting, ``distributed.worker.multiprocessing-method``, and the modules its
    fork server imports; both as Dask documents them)."""
    import dask
    from distributed.utils import get_mp_context

    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
        get_mp_context().set_forkserver_preload(["distributed", *FORK_SERVER_PRELOAD])  # after Dask's own
        yield


def _dask_pool(workers: int, address: str) -> _Pool:
    """A pool on a dask.distributed cluster: ``local`` starts a LocalCluster of ``workers``
    single-threaded processes (the analysis holds the GIL); a JSON file is a scheduler file (as
    ``dask scheduler --scheduler-file`` writes it); anything else is a scheduler address."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - distributed is a pinned requirement
        raise BatchError(f"--dask needs the 'distributed' package ({exc})") from exc
    cluster = None
    try:
        if address == "local":
            with _warm_dask_workers():
                cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
            client = Client(cluster)
        elif address.endswith(".json") and os.path.isfile(address):
            client = Client(scheduler_file=address)
        else:
            client = Client(address)  # waits distributed.comm.timeouts.connect (dask's config)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise BatchError(f"--dask {address}: cannot reach the scheduler ({exc})") from exc

    def close() -> None:
        client.close()
        if cluster is not None:
            cluster.close()

    return _Pool(lambda: client.get_executor(pure=False), close)


def _ordered_results(pool: _Pool, tasks: Iterator[list[Item]], options: Options,
                     in_flight: int) -> Iterator[TaskResult]:
    """Each task's result in input order, with at most ``in_flight`` tasks submitted ahead."""
    pending: deque[tuple[list[Item], tuple[Future, int]]] = deque()
    for items in tasks:
        pending.append((items, pool.submit(items, options)))
        while len(pending) >= in_flight:
            yield _result(pool, *pending.popleft(), options)
    while pending:
        yield _result(pool, *pending.popleft(), options)


def _result(pool: _Pool, items: list[Item], task: tuple[Future, int], options: Options) -> TaskResult:
    """A task's result; when its worker died, its documents again one at a time (a document that
    fails that way too is an error row, made here)."""
    future, generation = task
    try:
        result = future.result()
        pool.finished(generation)
        return result
    except Exception:  # noqa: BLE001 - a dead worker, a pool that broke, a cluster that gave up
        pool.renew(generation)
    results = []
    for item in items:
        future, generation = pool.submit([item], options)
        try:
            results.append(future.result())
            pool.finished(generation)
        except Exception as exc:  # noqa: BLE001
            pool.renew(generation)
            results.append(_error_result(item, f"the worker analysing it stopped ({type(exc).__name__}: {exc})"))
    return _merged(results)


def _error_result(item: Item, message: str) -> TaskResult:
    tables = {name: SCHEMAS[name].empty_table() for name in TABLES}
    tables[TABLES[0]] = pa.Table.from_pylist([error_row(item, message)], schema=SCHEMAS[TABLES[0]])
    return TaskResult(tables, 1, 1, os.getpid(), 0.0)


def _merged(results: list[TaskResult]) -> TaskResult:
    tables = {name: pa.concat_tables([result.tables[name] for result in results]) for name in TABLES}
    workers = [result for result in results if result.peak_rss_mb]
    last = workers[-1] if workers else results[-1]
    return TaskResult(tables, sum(r.documents for r in results), sum(r.errors for r in results), last.pid,
                      last.peak_rss_mb)


class _NoBar:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _bar(stream: TextIO | None, total: int | None, initial: int):  # -> tqdm | _NoBar
    """A progress bar with rate and ETA on ``stream`` (tqdm), or none."""
    if stream is None:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, unit="doc", file=stream, smoothing=0.1, dynamic_ncols=True,
                mininterval=0.5)
