"""An article ready for analysis: text, HTML, a file or an upload -> :class:`Document`.

Why one door: every later stage indexes the same string, so the text is fixed here, once.
``Document.text`` is the decoded input with exactly three changes, and all offsets index it:
a leading byte order mark is dropped, ``\\r\\n`` becomes ``\\n`` (as any reader with universal
newlines sees it) and a lone surrogate, which no UTF-8 output could write, becomes U+FFFD (in the
title and the source name too; :func:`~geo.read.decoding.replace_lone_surrogates`). There is no
Unicode normalisation, so spans index the text as given; gazetteer keys are normalised instead.
HTML and Markdown are reduced to their readable text first (:mod:`geo.read.markup`; the title is
kept apart, never prepended); Word and PDF files have their text extracted (:mod:`geo.read.office`).
A file on disk and an uploaded file take the same path from the bytes on (:mod:`geo.read.files`),
so both read alike and fail with the same one-line :class:`~geo.errors.DocumentError`, whose name
is shown on one line (:func:`~geo.read.files.shown_label`). Then the language
(:mod:`geo.read.language`), the sentences (:mod:`geo.read.sentences`) and the publication date
(option, metadata, or :mod:`geo.read.dateline`) complete the Document.
"""

from __future__ import annotations

import bisect
import datetime
import math
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from geo.errors import DocumentError
from geo.read.dateline import find_dateline_date
from geo.read.decoding import decode_bytes, replace_lone_surrogates
from geo.read.extracted import Extracted
from geo.read.files import (
    MAX_CHARS,
    MAX_FILE_BYTES_PER_CHAR,
    check_file_size,
    file_kind,
    labelled,
    packaged_kind,
    read_file_bytes,
    shown_label,
)
from geo.read.language import detect_language
from geo.read.markup import extract_html, markdown_to_text
from geo.read.office import read_docx, read_pdf
from geo.read.sentences import split_sentences

__all__ = [
    "Document",
    "document_from_bytes",
    "document_from_html",
    "document_from_text",
    "document_from_upload",
    "normalise_text",
    "read_document",
    "sentence_index",
]


@dataclass(frozen=True)
class Document:
    """An article ready for analysis; every offset anywhere in Dateline indexes ``text``."""

    text: str
    language: str
    sentences: tuple[tuple[int, int], ...]
    published: datetime.date | None
    published_source: str  # "option" | "metadata" | "dateline" | "none"
    title: str | None = None
    source: str | None = None

    def sentence_at(self, offset: int) -> tuple[int, int]:
        """The sentence containing ``offset``; between sentences, the one before (else the first)."""
        if not 0 <= offset <= len(self.text) or not self.sentences:
            raise ValueError(f"offset {offset} is outside the text (0..{len(self.text)})")
        return self.sentences[sentence_index(self.sentences, offset)]


def sentence_index(sentences: Sequence[tuple[int, int]], offset: int) -> int:
    """The index of the sentence span containing ``offset``; between sentences, the one before (else 0)."""
    return max(bisect.bisect_right(sentences, (offset, math.inf)) - 1, 0)


# =========================================================================== public entry points


def document_from_text(
    text: str,
    *,
    language: str = "auto",
    published: datetime.date | str | None = None,
    source: str | None = None,
    title: str | None = None,
) -> Document:
    """Analyse plain text; the publication date comes from ``published`` or a dateline in the text."""
    return _document(text, lambda plain: (plain, title, None), language, published, source, label=source)


def document_from_html(
    html: str,
    *,
    language: str = "auto",
    published: datetime.date | str | None = None,
    source: str | None = None,
) -> Document:
    """Analyse an HTML page offline: body text, title and publication date from its metadata."""
    return _document(html, extract_html, language, published, source, label=source)


def read_document(
    path: str | os.PathLike[str],
    *,
    language: str = "auto",
    published: datetime.date | str | None = None,
) -> Document:
    """Read a .txt, .md, .html, .docx or .pdf file (others: sniffed as PDF, Word or HTML, else text).

    Errors name the path as given; ``Document.source`` is the file name.
    """
    label = shown_label(os.fspath(path))
    data = read_file_bytes(Path(path), label)
    return document_from_bytes(data, Path(path).name, language=language, published=published, label=label)


def document_from_upload(
    name: str,
    data: bytes,
    *,
    language: str = "auto",
    published: datetime.date | str | None = None,
) -> Document:
    """Read an uploaded file: the dashboard's uploader gives a name and bytes, never a path.

    Same formats, limits and errors as :func:`read_document`; ``Document.source`` is ``name``.
    """
    label = shown_label(name or "upload")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise DocumentError(f"{label}: expected the file's bytes, got {type(data).__name__}")
    return document_from_bytes(bytes(data), name, language=language, published=published, label=label)


# =========================================================================== building


def _plain(text: str) -> Extracted:
    return text, None, None


_EXTRACTORS: dict[str, Callable[[str], Extracted]] = {
    "html": extract_html,
    "markdown": markdown_to_text,
    "text": _plain,
}
_FILE_READERS: dict[str, Callable[[bytes, str], Extracted]] = {
    "docx": read_docx,
    "pdf": read_pdf,
}


def document_from_bytes(
    data: bytes,
    name: str,
    *,
    language: str = "auto",
    published: datetime.date | str | None = None,
    label: str,
) -> Document:
    """A file's bytes -> Document, by kind (``name``'s suffix, or sniffed); the one path of
    read_document, document_from_upload and batch. Errors start with ``label``."""
    label = shown_label(label)
    check_file_size(len(data), label)
    suffix = Path(name).suffix.lower()
    kind = packaged_kind(suffix, data)
    if kind is not None:
        read = _FILE_READERS[kind]
        return _analysed(lambda: read(data, label), language, published, name, label=label)
    text = decode_bytes(data, label=label)
    if _looks_binary(text):
        raise DocumentError(f"{label}: looks like a binary file, not text")
    return _document(text, _EXTRACTORS[file_kind(suffix, text)], language, published, name, label=label)


def _document(
    raw: str,
    extract: Callable[[str], Extracted],
    language: str,
    published: datetime.date | str | None,
    source: str | None,
    *,
    label: str | None,
) -> Document:
    """The path every text input takes: the raw string is checked before its text is extracted."""
    label = shown_label(label) if label else label
    return _analysed(
        lambda: _labelled_extraction(extract, normalise_text(_checked_raw(raw, label)), label),
        language,
        published,
        source,
        label=label,
    )


def _labelled_extraction(extract: Callable[[str], Extracted], text: str, label: str | None) -> Extracted:
    """``extract(text)``; a text extractor knows no file name, so its one-line reason is labelled here."""
    try:
        return extract(text)
    except DocumentError as error:
        raise DocumentError(labelled(label, str(error))) from None


def _analysed(
    extract: Callable[[], Extracted],
    language: str,
    published: datetime.date | str | None,
    source: str | None,
    *,
    label: str | None,
) -> Document:
    """The one path every input takes: check options, extract readable text, check it, analyse it."""
    option = _published_option(published, label)
    language = _language_option(language, label)
    body, title, metadata_date = extract()
    text = _checked_text(normalise_text(body), label)
    if language == "auto":
        language = detect_language(text)
    published_date, how = _publication(text, language, option, metadata_date)
    return Document(
        text=text,
        language=language,
        sentences=split_sentences(text, language),
        published=published_date,
        published_source=how,
        title=replace_lone_surrogates(title) if title else None,
        source=replace_lone_surrogates(source) if source is not None else None,
    )


def _publication(
    text: str, language: str, option: datetime.date | None, metadata_date: datetime.date | None
) -> tuple[datetime.date | None, str]:
    """Publication date and where it came from, by precedence."""
    if option is not None:
        return option, "option"
    if metadata_date is not None:
        return metadata_date, "metadata"
    dateline = find_dateline_date(text, language)
    return (dateline, "dateline") if dateline is not None else (None, "none")


# =========================================================================== input checks


def _published_option(published: datetime.date | str | None, source: str | None) -> datetime.date | None:
    """The ``published`` argument as a date; strings must be YYYY-MM-DD."""
    if published is None or published == "":
        return None
    if isinstance(published, datetime.datetime):
        return published.date()
    if isinstance(published, datetime.date):
        return published
    if isinstance(published, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", published.strip()):
        try:
            return datetime.date.fromisoformat(published.strip())
        except ValueError:
            pass
    raise DocumentError(labelled(source, f"published date must be a real date as YYYY-MM-DD, not {published!r}"))


def _language_option(language: str, source: str | None) -> str:
    """'auto' or a two-letter ISO 639-1 code (lower-cased)."""
    if isinstance(language, str):
        code = language.strip().lower()
        if code == "auto" or re.fullmatch(r"[a-z]{2}", code):
            return code
    raise DocumentError(
        labelled(source, f"language must be 'auto' or a two-letter ISO 639-1 code such as 'de', not {language!r}")
    )


def _checked_raw(raw: str, label: str | None) -> str:
    """Refuse non-strings and input so large that even extracting it would be unreasonable."""
    if not isinstance(raw, str):
        raise DocumentError(labelled(label, f"expected text (str), got {type(raw).__name__}"))
    limit = MAX_CHARS * MAX_FILE_BYTES_PER_CHAR
    if len(raw) > limit:
        raise DocumentError(labelled(label, f"{len(raw):,} characters of input is over the limit of {limit:,}"))
    return raw


def _checked_text(text: str, source: str | None) -> str:
    """Refuse text that is empty, binary-looking or longer than MAX_CHARS."""
    if not text.strip():
        raise DocumentError(labelled(source, "empty text"))
    if len(text) > MAX_CHARS:
        raise DocumentError(labelled(source, f"{len(text):,} characters is over the limit of {MAX_CHARS:,}"))
    if _looks_binary(text):
        raise DocumentError(labelled(source, "looks like binary data, not text"))
    return text


def normalise_text(text: str) -> str:
    """Drop a leading BOM, turn \\r\\n into \\n and lone surrogates into U+FFFD: the only changes
    Dateline makes.

    No Unicode normalisation: spans must index the text as the user gave it (gazetteer keys are
    normalised instead), and readers of files with universal newlines see the same ``\\n``. A lone
    surrogate is no character at all (JSON's ``"\\ud800"``), and a Story holding one could not be written.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n")
    return replace_lone_surrogates(text)


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x9f]")


def _looks_binary(text: str) -> bool:
    """A NUL character, or more than 1% control characters, anywhere in the text (not a sample of its
    start: a text file's binary tail is no article either); one linear pass, no list of matches."""
    if "\x00" in text:
        return True
    _, controls = _CONTROL.subn("", text)
    return controls * 100 > len(text)
