"""The documents of a batch's ``INPUT...``: files, folders, globs and JSON Lines files, as :class:`Item`s.

Inputs are streamed: files, folders and globs are listed lazily and each file is read when its turn
comes; JSON Lines are read a line at a time. An Item carries a file's bytes or a record's text,
never a path, so that a worker on another machine can analyse it.
"""

from __future__ import annotations

import glob
import itertools
import os
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from geo.errors import BatchError, DocumentError
from geo.read.files import HTML_SUFFIXES, MARKDOWN_SUFFIXES, PDF_SUFFIXES, TEXT_SUFFIXES, WORD_SUFFIXES, read_file_bytes
from geo.read.records import jsonl_records

__all__ = ["Item", "Inputs", "check_inputs", "DOCUMENT_SUFFIXES", "JSONL_SUFFIXES"]

DOCUMENT_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | WORD_SUFFIXES | PDF_SUFFIXES
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})


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

    def __init__(
        self,
        inputs: Sequence[str],
        done: Collection[str] = frozenset(),
        warn: Callable[[str], None] = lambda message: None,
    ) -> None:
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
            raise BatchError(
                f"{entry}: no such file or folder" + (", and the glob matches nothing" if glob.has_magic(entry) else "")
            )


def _input_files(inputs: Sequence[str]) -> Iterator[tuple[str, str]]:
    """(path, "jsonl" or "document") for each input file; folders are walked in sorted order and
    keep only the suffixes Dateline reads, while a file named on its own is always read."""
    for entry in inputs:
        matches = (
            [entry] if os.path.exists(entry) or not glob.has_magic(entry) else sorted(glob.glob(entry, recursive=True))
        )
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
            yield Item(
                doc_id,
                next(position),
                source,
                text=record.get("text"),
                html=record.get("html"),
                language=record.get("lang") or record.get("language"),
                published=record.get("published"),
                url=record.get("url"),
            )


def _count_lines(path: str) -> int:
    count = 0
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                count += block.count(b"\n")
    except OSError:
        return 1
    return max(count, 1)
