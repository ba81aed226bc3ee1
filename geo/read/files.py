"""A file's bytes and kind: reading it safely, the size limits, and telling PDF, Word, HTML,
Markdown and plain text apart.

Why apart from :mod:`geo.read.document`: a file on disk and an uploaded file (name and bytes, as the
dashboard gets it) take the same path from the bytes on, so both read alike and fail with the same
one-line :class:`~geo.errors.DocumentError` that names the file as given. A file over the limit is
refused unread; a misnamed PDF or Word file is recognised by its first bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from geo.errors import DocumentError

__all__ = [
    "HTML_SUFFIXES",
    "MARKDOWN_SUFFIXES",
    "MAX_CHARS",
    "MAX_FILE_BYTES_PER_CHAR",
    "PDF_SUFFIXES",
    "TEXT_SUFFIXES",
    "WORD_SUFFIXES",
    "check_file_size",
    "file_kind",
    "labelled",
    "packaged_kind",
    "read_file_bytes",
    "shown_label",
    "zip_names",
]

MAX_CHARS: int = 1_000_000
"""Longest text accepted, in characters after decoding (and after HTML/Markdown extraction)."""
MAX_FILE_BYTES_PER_CHAR = 10
"""A file is refused unread beyond MAX_CHARS * this many bytes (HTML markup is bulky)."""

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
TEXT_SUFFIXES = frozenset({".txt", ".text"})
WORD_SUFFIXES = frozenset({".docx"})
PDF_SUFFIXES = frozenset({".pdf"})


def labelled(source: str | None, message: str) -> str:
    """An error message that starts with the input's name (the path as given), when there is one."""
    return f"{shown_label(source)}: {message}" if source else message


_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def shown_label(label: str) -> str:
    """A document's name (a path, an upload's name, a record's id) as a one-line message shows it:
    line breaks, control characters and lone surrogates escaped (``\\n``, ``\\x1b``, ``\\udcff``),
    so that a name can neither break the line nor drive the terminal; other names are unchanged."""
    return _UNSHOWABLE.sub(lambda match: ascii(match[0])[1:-1], label)


def read_file_bytes(path: Path, label: str) -> bytes:
    """The file's bytes, or a one-line DocumentError for every way reading can fail (a file over the
    size limit is refused unread)."""
    label = shown_label(label)
    try:
        if path.is_dir():
            raise DocumentError(f"{label}: is a directory")
        if not path.exists():
            raise DocumentError(f"{label}: file not found")
        if not path.is_file():
            raise DocumentError(f"{label}: not a regular file")
        check_file_size(path.stat().st_size, label)  # before reading: a huge file is refused unread
        return path.read_bytes()
    except DocumentError:
        raise
    except PermissionError:
        raise DocumentError(f"{label}: permission denied") from None
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        raise DocumentError(f"{label}: cannot read file ({getattr(error, 'strerror', None) or error})") from None


def check_file_size(size: int, label: str) -> None:
    """Refuse a file over the size limit (by its size, before reading or unpacking it)."""
    limit = MAX_CHARS * MAX_FILE_BYTES_PER_CHAR
    if size > limit:
        raise DocumentError(f"{label}: {size:,} bytes is over the file size limit of {limit:,}")


def packaged_kind(suffix: str, data: bytes) -> str | None:
    """'pdf' or 'docx' by magic bytes (so a misnamed file still opens), else by suffix; None: text.

    An empty file is None whatever its name: it is reported as empty text, not as a broken PDF.
    """
    if not data:
        return None
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") and "word/document.xml" in zip_names(data):
        return "docx"
    if suffix in PDF_SUFFIXES:
        return "pdf"
    return "docx" if suffix in WORD_SUFFIXES else None


def zip_names(data: bytes) -> list[str]:
    """Member names of a ZIP archive; none if the bytes are no readable ZIP."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return []


def file_kind(suffix: str, text: str) -> str:
    """'html', 'markdown' or 'text', by suffix; unknown suffixes are sniffed for HTML."""
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix not in TEXT_SUFFIXES and _HTML_START.match(text):
        return "html"
    return "text"


_HTML_START = re.compile(  # a comment ends at its first -->: atomic, or 40 comments take 2**40 tries
    r"\ufeff?\s*(?:<\?xml[^>]*>\s*)?(?:(?><!--.*?-->)\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
