"""JSON Lines of articles: one ``{"id", "text" or "html", "lang"?, "published"?, "url"?}`` per line.

The one reader of ``extract --jsonl`` and ``batch``: a line at a time (a corpus file is never
loaded whole), each line's problem said in one line, and the one way a record becomes a
:class:`~geo.read.document.Document`. Kept apart from :mod:`geo.batch` so that ``extract`` does not
import Parquet and the process pools.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, BinaryIO

from geo.read.decoding import replace_lone_surrogates
from geo.read.document import Document, document_from_html, document_from_text
from geo.read.files import MAX_CHARS, MAX_FILE_BYTES_PER_CHAR

if TYPE_CHECKING:  # the options' type only: the read room does not depend on the pipeline
    from geo.pipeline import Options

__all__ = ["MAX_RECORD_BYTES", "jsonl_records", "record_document"]


MAX_RECORD_BYTES: int = MAX_CHARS * MAX_FILE_BYTES_PER_CHAR
"""A line longer than this is refused without being held whole, like a file over the size limit."""


def jsonl_records(path: str) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """(line number, record, problem) for each non-blank line of a JSON Lines file ("-": stdin),
    read a line at a time. ``problem`` says in one line why a line is no usable record (then
    ``record`` is what could be read of it, or None); a file that cannot be opened is line 0.

    A line's problem never stops the lines after it, and a record's strings come without lone
    surrogates (:func:`~geo.read.decoding.replace_lone_surrogates`), so its output can be written.
    """
    try:
        handle = os.fdopen(os.dup(0), "rb") if path == "-" else open(path, "rb")
    except OSError as exc:
        yield 0, None, f"cannot read file ({exc.strerror or exc})"
        return
    with handle:
        for number, raw in _lines(handle):
            if raw is None:
                yield number, None, f"a line of more than {MAX_RECORD_BYTES:,} bytes is over the limit"
                continue
            if not raw.strip():
                continue
            record, problem = _parsed(raw)
            if problem is None:
                problem = _record_problem(record)
            yield number, _cleaned(record) if isinstance(record, dict) else None, problem


def _lines(handle: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) for each line; None for a line over MAX_RECORD_BYTES, whose rest is
    skipped a block at a time so that a file with no newline is never held in memory whole."""
    for number in itertools.count(1):
        line = handle.readline(MAX_RECORD_BYTES + 1)
        if not line:
            return
        if len(line) <= MAX_RECORD_BYTES or line.endswith(b"\n"):
            yield number, line
            continue
        while line and not line.endswith(b"\n"):
            line = handle.readline(1 << 20)
        yield number, None


def _parsed(raw: bytes) -> tuple[Any, str | None]:
    """The line's JSON value, or why it has none: whatever json.loads raises is this line's problem."""
    try:
        return json.loads(raw.decode("utf-8")), None
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 (byte {exc.start + 1} of the line)"
    except json.JSONDecodeError as exc:
        return None, f"not JSON ({exc.msg})"
    except RecursionError:
        return None, "not readable JSON (nested too deeply)"
    except ValueError as exc:  # an integer of more digits than Python converts
        digits = sys.get_int_max_str_digits()
        reason = f"a number of more than {digits:,} digits" if "digits" in str(exc) else str(exc).split(":")[0]
        return None, f"not readable JSON ({reason})"


def _cleaned(record: dict[str, Any]) -> dict[str, Any]:
    """The record with lone surrogates replaced in its string values (text, html, id, ...)."""
    return {key: replace_lone_surrogates(value) if isinstance(value, str) else value for key, value in record.items()}


def _record_problem(record: Any) -> str | None:
    if not isinstance(record, dict):
        return 'expected a JSON object with a "text" (or "html") string'
    if not isinstance(record.get("text", record.get("html")), str):
        return 'expected a "text" (or "html") string'
    for name in ("id", "lang", "language", "published", "url"):
        if record.get(name) is not None and not isinstance(record[name], (str, int) if name == "id" else str):
            return f'"{name}" must be a string, not {type(record[name]).__name__}'
    return None


def record_document(record: dict[str, Any], options: Options, source: str) -> Document:
    """The Document of a JSON Lines record (``text`` or ``html``; its ``lang``/``language`` and
    ``published`` win over ``options``): the one reading of a record, for ``extract --jsonl`` and
    batch."""
    language = record.get("lang") or record.get("language") or options.language
    published = record.get("published") or options.published
    if isinstance(record.get("text"), str):
        return document_from_text(record["text"], language=language, published=published, source=source)
    return document_from_html(record["html"], language=language, published=published, source=source)
