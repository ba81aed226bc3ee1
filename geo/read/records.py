"""JSON Lines of articles: one ``{"id", "text" or "html", "lang"?, "published"?, "url"?}`` per line.

The one reader of ``extract --jsonl`` and ``batch``: a line at a time (a corpus file is never
loaded whole), each line's problem said in one line, and the one way a record becomes a
:class:`~geo.read.document.Document`. Kept apart from :mod:`geo.batch` so that ``extract`` does not
import Parquet and the process pools.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from geo.read.document import Document, document_from_html, document_from_text

if TYPE_CHECKING:  # the options' type only: the read room does not depend on the pipeline
    from geo.pipeline import Options

__all__ = ["jsonl_records", "record_document"]


def jsonl_records(path: str) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """(line number, record, problem) for each non-blank line of a JSON Lines file ("-": stdin),
    read a line at a time. ``problem`` says in one line why a line is no usable record (then
    ``record`` is what could be read of it, or None); a file that cannot be opened is line 0."""
    try:
        handle = os.fdopen(os.dup(0), "rb") if path == "-" else open(path, "rb")
    except OSError as exc:
        yield 0, None, f"cannot read file ({exc.strerror or exc})"
        return
    with handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                yield number, None, f"not UTF-8 (byte {exc.start + 1} of the line)"
                continue
            except json.JSONDecodeError as exc:
                yield number, None, f"not JSON ({exc.msg})"
                continue
            yield number, record if isinstance(record, dict) else None, _record_problem(record)


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
