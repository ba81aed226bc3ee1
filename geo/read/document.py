"""Reading an article: text, HTML, Word, PDF or an upload -> :class:`Document` (language, sentences, date).

Why one module: every later stage indexes the same string, so the text is fixed here, once.
``Document.text`` is the decoded input with exactly two changes, and all offsets index it:
a leading byte order mark is dropped and ``\\r\\n`` becomes ``\\n`` (as any reader with universal
newlines sees it). There is no Unicode normalisation, so spans index the text as given; gazetteer
keys are normalised instead. HTML and Markdown are
reduced to their readable text first (the title is kept apart, never prepended).

Word (.docx, via python-docx) and PDF (via pypdf) files have no text to keep "as given": their
``Document.text`` is the extracted text, one paragraph (or table cell, or PDF page) per block,
blocks separated by blank lines like a plain-text article. A file on disk and an uploaded file
(name and bytes, as the dashboard gets it) take the same path from the bytes on, so both read
alike and fail with the same one-line :class:`DocumentError`.

Language knowledge (abbreviations, month names) lives in ``data/<lang>/`` and is loaded by
:mod:`geo.lang.rulefiles`; this module only knows the shapes of sentences and dates.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import io
import logging
import math
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Sequence
from typing import Callable

from geo.errors import DocumentError
from geo.lang.rulefiles import DATA_DIR, Abbreviations, LanguageDataError, load_abbreviations, load_months

__all__ = [
    "MAX_CHARS",
    "Document",
    "DocumentError",
    "LanguageDataError",
    "decode_bytes",
    "detect_language",
    "document_from_bytes",
    "document_from_html",
    "document_from_text",
    "document_from_upload",
    "find_dateline_date",
    "normalise_text",
    "read_document",
    "read_file_bytes",
    "split_sentences",
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
MAX_UNPACKED_BYTES_PER_CHAR = 100
"""A .docx is refused unread beyond MAX_CHARS * this many bytes unpacked (its XML is bulkier still)."""


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
    return _document(html, _extract_html, language, published, source, label=source)


def read_document(
    path: str | os.PathLike[str],
    *,
    language: str = "auto",
    published: datetime.date | str | None = None,
) -> Document:
    """Read a .txt, .md, .html, .docx or .pdf file (others: sniffed as PDF, Word or HTML, else text).

    Errors name the path as given; ``Document.source`` is the file name.
    """
    label = os.fspath(path)
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
    label = name or "upload"
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise DocumentError(f"{label}: expected the file's bytes, got {type(data).__name__}")
    return document_from_bytes(bytes(data), name, language=language, published=published, label=label)


# =========================================================================== building

Extracted = tuple[str, str | None, datetime.date | None]  # (readable text, title, metadata date)


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
    _check_file_size(len(data), label)
    suffix = Path(name).suffix.lower()
    kind = _packaged_kind(suffix, data)
    if kind is not None:
        read = _FILE_READERS[kind]
        return _analysed(lambda: read(data, label), language, published, name, label=label)
    text = decode_bytes(data, label=label)
    if _looks_binary(text):
        raise DocumentError(f"{label}: looks like a binary file, not text")
    return _document(text, _EXTRACTORS[_file_kind(suffix, text)], language, published, name, label=label)


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
    return _analysed(
        lambda: extract(normalise_text(_checked_raw(raw, label))), language, published, source, label=label
    )


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
        title=title or None,
        source=source,
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


def _labelled(source: str | None, message: str) -> str:
    return f"{source}: {message}" if source else message


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
    raise DocumentError(_labelled(source, f"published date must be a real date as YYYY-MM-DD, not {published!r}"))


def _language_option(language: str, source: str | None) -> str:
    """'auto' or a two-letter ISO 639-1 code (lower-cased)."""
    if isinstance(language, str):
        code = language.strip().lower()
        if code == "auto" or re.fullmatch(r"[a-z]{2}", code):
            return code
    raise DocumentError(
        _labelled(source, f"language must be 'auto' or a two-letter ISO 639-1 code such as 'de', not {language!r}")
    )


def _checked_raw(raw: str, label: str | None) -> str:
    """Refuse non-strings and input so large that even extracting it would be unreasonable."""
    if not isinstance(raw, str):
        raise DocumentError(_labelled(label, f"expected text (str), got {type(raw).__name__}"))
    limit = MAX_CHARS * MAX_FILE_BYTES_PER_CHAR
    if len(raw) > limit:
        raise DocumentError(_labelled(label, f"{len(raw):,} characters of input is over the limit of {limit:,}"))
    return raw


def _checked_text(text: str, source: str | None) -> str:
    """Refuse text that is empty, binary-looking or longer than MAX_CHARS."""
    if not text.strip():
        raise DocumentError(_labelled(source, "empty text"))
    if len(text) > MAX_CHARS:
        raise DocumentError(_labelled(source, f"{len(text):,} characters is over the limit of {MAX_CHARS:,}"))
    if _looks_binary(text):
        raise DocumentError(_labelled(source, "looks like binary data, not text"))
    return text


def normalise_text(text: str) -> str:
    """Drop a leading BOM and turn \\r\\n into \\n: the only changes Dateline makes.

    No Unicode normalisation: spans must index the text as the user gave it (gazetteer keys are
    normalised instead), and readers of files with universal newlines see the same ``\\n``.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n")
    return text


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x9f]")


def _looks_binary(text: str) -> bool:
    """NUL characters, or more than 1% control characters, in the first 100,000 characters."""
    sample = text[:100_000]
    return "\x00" in sample or len(_CONTROL.findall(sample)) * 100 > len(sample)


def read_file_bytes(path: Path, label: str) -> bytes:
    """The file's bytes, or a one-line DocumentError for every way reading can fail (a file over the
    size limit is refused unread)."""
    try:
        if path.is_dir():
            raise DocumentError(f"{label}: is a directory")
        if not path.exists():
            raise DocumentError(f"{label}: file not found")
        if not path.is_file():
            raise DocumentError(f"{label}: not a regular file")
        _check_file_size(path.stat().st_size, label)  # before reading: a huge file is refused unread
        return path.read_bytes()
    except DocumentError:
        raise
    except PermissionError:
        raise DocumentError(f"{label}: permission denied") from None
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        raise DocumentError(f"{label}: cannot read file ({getattr(error, 'strerror', None) or error})") from None


def _check_file_size(size: int, label: str) -> None:
    limit = MAX_CHARS * MAX_FILE_BYTES_PER_CHAR
    if size > limit:
        raise DocumentError(f"{label}: {size:,} bytes is over the file size limit of {limit:,}")


def _packaged_kind(suffix: str, data: bytes) -> str | None:
    """'pdf' or 'docx' by magic bytes (so a misnamed file still opens), else by suffix; None: text.

    An empty file is None whatever its name: it is reported as empty text, not as a broken PDF.
    """
    if not data:
        return None
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") and "word/document.xml" in _zip_names(data):
        return "docx"
    if suffix in PDF_SUFFIXES:
        return "pdf"
    return "docx" if suffix in WORD_SUFFIXES else None


def _zip_names(data: bytes) -> list[str]:
    """Member names of a ZIP archive; none if the bytes are no readable ZIP."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return []


def _file_kind(suffix: str, text: str) -> str:
    """'html', 'markdown' or 'text', by suffix; unknown suffixes are sniffed for HTML."""
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix not in TEXT_SUFFIXES and _HTML_START.match(text):
        return "html"
    return "text"


_HTML_START = re.compile(
    r"\ufeff?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


# =========================================================================== encodings

_BOMS = (  # UTF-32 before UTF-16: their little-endian marks share a prefix
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode_bytes(data: bytes, *, label: str | None = None) -> str:
    """Decode bytes: BOM, BOM-less UTF-16, strict UTF-8, plausible cp1252, charset-normalizer, latin-1.

    A cp1252 reading that looks like Western text is preferred to charset-normalizer, whose guesses
    on short German or French texts are unreliable (cp1250, cp1006). The BOM is kept out of the result.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, label)
    for attempt in (_utf16_without_bom, _utf8, _plausible_cp1252, _charset_normalizer, _latin1):
        text = attempt(data)
        if text is not None:
            return text
    raise DocumentError(_labelled(label, "could not decode bytes as UTF-8, UTF-16 or cp1252"))


def _strict(data: bytes, encoding: str, label: str | None) -> str:
    try:
        return data.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise DocumentError(
            _labelled(label, f"could not decode bytes as {encoding.upper()} although they start with its byte order mark")
        ) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without BOM shows NUL bytes on one side only (ASCII-range text)."""
    sample = data[:4096]
    if b"\x00" not in sample or len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) / 2
    encoding = "utf-16-le" if odd > 0.3 * half and even < 0.02 * half else None
    encoding = "utf-16-be" if even > 0.3 * half and odd < 0.02 * half else encoding
    return _try_decode(data, encoding) if encoding else None


def _utf8(data: bytes) -> str | None:
    return _try_decode(data, "utf-8")


def _plausible_cp1252(data: bytes) -> str | None:
    """cp1252 if at least half the letters are ASCII (mis-decoded Cyrillic or Greek is all accents)."""
    text = _try_decode(data, "cp1252")
    if text is None:
        return None
    letters = [c for c in text[:20_000] if c.isalpha()]
    foreign = sum(1 for c in letters if not c.isascii())
    return text if foreign <= 0.5 * len(letters) else None


def _charset_normalizer(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return str(best) if best is not None else None


def _latin1(data: bytes) -> str | None:
    return _try_decode(data, "cp1252") or data.decode("latin-1")


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


# =========================================================================== HTML and Markdown


def _extract_html(html: str) -> tuple[str, str | None, datetime.date | None]:
    """(body text with paragraphs separated by blank lines, title, metadata date); never fetches."""
    import trafilatura

    result = None
    try:
        result = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # trafilatura fails on odd markup; the visible-text fallback still works
        result = None
    body = getattr(result, "text", None) or ""
    title = _clean_title(getattr(result, "title", None)) or _html_title(html)
    published = _iso_date(getattr(result, "date", None))
    if not body.strip():
        body = _visible_text(html)
    return _paragraphs(body), title, published


def _paragraphs(body: str) -> str:
    """One paragraph per non-empty line, paragraphs separated by a blank line."""
    lines = (" ".join(line.split()) for line in body.splitlines())
    return "\n\n".join(line for line in lines if line)


def _clean_title(title: str | None) -> str | None:
    return " ".join(title.split()) or None if title else None


def _iso_date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")
_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr td th table section article header footer "
    "blockquote pre figcaption dd dt dl aside nav main address hr".split()
)


_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*>")


def _parse_html(html: str):  # -> lxml.html.HtmlElement | None
    import lxml.html
    from lxml import etree

    try:  # lxml refuses str input that declares an encoding
        return lxml.html.document_fromstring(_XML_DECLARATION.sub("", html, count=1))
    except (etree.ParserError, ValueError):
        return None


def _visible_text(html: str) -> str:
    """Text a browser would show: no script/style, one line per block element."""
    root = _parse_html(html)
    if root is None:
        return ""
    for element in list(root.iter(*_INVISIBLE_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
        element.text = "\n" + (element.text or "")
    body = root.find("body")
    return (body if body is not None else root).text_content()


def _html_title(html: str) -> str | None:
    root = _parse_html(html)
    title = root.findtext(".//title") if root is not None else None
    return _clean_title(title)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_MARKDOWN_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.M), replacement)
    for pattern, replacement in (
        (r"<!--.*?-->", ""),
        (r"^[ \t]*(?:```|~~~).*$", ""),  # code fence lines (the code itself stays)
        (r"^[ \t]*\[[^\]\n]+\]:[ \t]+\S.*$", ""),  # reference link definitions
        (r"^[ \t]*(?:[-*_][ \t]*){3,}$", ""),  # horizontal rules
        (r"^[ \t]*(?:=+|-+)[ \t]*$", ""),  # setext heading underlines
        (r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", r"\n\1\n"),  # ATX headings: own paragraph
        (r"^[ \t]*>[ \t]?", ""),  # block quotes
        (r"^([ \t]*)[-*+][ \t]+", r"\1"),  # bullets (numbers stay: "12. September" may be a date)
        (r"!\[([^\]\n]*)\]\([^)\n]*\)", r"\1"),  # images -> alt text
        (r"\[([^\]\n]+)\](?:\([^)\n]*\)|\[[^\]\n]*\])", r"\1"),  # links -> link text
        (r"<(https?://[^>\s]+)>", r"\1"),  # autolinks
        (r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2"),  # strong
        (r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])", r"\1"),  # emphasis
        (r"`([^`\n]+)`", r"\1"),  # inline code
    )
)


def _markdown_to_text(markdown: str) -> tuple[str, str | None, datetime.date | None]:
    """(readable text, title, date) from Markdown; YAML front matter may carry title and date."""
    title, published, body = None, None, markdown
    front = _FRONT_MATTER.match(markdown)
    if front:
        fields = dict(_front_matter_fields(front[1]))
        title, published = fields.get("title"), _iso_date(fields.get("date"))
        body = markdown[front.end() :]
    for pattern, replacement in _MARKDOWN_RULES:
        body = pattern.sub(replacement, body)
    return re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", body).strip("\n"), title, published


def _plain(text: str) -> Extracted:
    return text, None, None


_EXTRACTORS: dict[str, Callable[[str], Extracted]] = {
    "html": _extract_html,
    "markdown": _markdown_to_text,
    "text": _plain,
}


# =========================================================================== Word and PDF


def _read_docx(data: bytes, label: str) -> Extracted:
    """(paragraphs and table cells in document order, title from the core properties, no date).

    The core properties' dates are never the publication date: 'created' is often the template's
    (python-docx's own says 2013-12-23) and 'modified' changes on every save. A metadata date would
    outrank a correct dateline in the text, so the dateline is left to decide.
    """
    import docx

    _check_unpacked_size(data, label)
    try:
        word = docx.Document(io.BytesIO(data))
        return "\n\n".join(_docx_blocks(word)), _docx_title(word), None
    except Exception:  # python-docx raises zipfile, lxml, KeyError, ValueError ... on broken files
        reason = "not a ZIP archive (an old .doc file?)" if not _zip_names(data) else "damaged or not a Word document"
        raise DocumentError(f"{label}: cannot read this .docx file: {reason}") from None


def _check_unpacked_size(data: bytes, label: str) -> None:
    """Refuse a ZIP that would unpack to far more than any article (a ZIP bomb), before unpacking."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not a ZIP at all: python-docx's failure is reported instead
    limit = MAX_CHARS * MAX_UNPACKED_BYTES_PER_CHAR
    if size > limit:
        raise DocumentError(f"{label}: {size:,} bytes unpacked is over the limit of {limit:,}")


def _docx_blocks(container):  # (docx Document | table cell) -> Iterator[str]
    """Non-empty paragraph texts in order; a table gives its cells row by row, each cell once.

    A merged cell is returned by python-docx once per grid column and row it spans; its XML element
    tells the repeats apart (kept in the set, not by ``id()``: lxml reuses freed proxies' ids).
    """
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            seen: set[object] = set()
            for row in block.rows:
                for cell in row.cells:
                    if cell._tc not in seen:
                        seen.add(cell._tc)
                        yield from _docx_blocks(cell)
        elif block.text.strip():
            yield block.text.strip()


def _docx_title(word) -> str | None:  # word: docx.document.Document
    """The core properties' title, if the file has core properties (else python-docx invents one)."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    try:
        word.part.package.part_related_by(RELATIONSHIP_TYPE.CORE_PROPERTIES)
    except (KeyError, ValueError):
        return None
    return _clean_title(word.core_properties.title)


def _read_pdf(data: bytes, label: str) -> Extracted:
    """(every page's text layer, pages separated by blank lines, title from the metadata, no date).

    The metadata's CreationDate is when the PDF was made, not when the article appeared.
    """
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    _quiet_pypdf()
    try:
        reader = PdfReader(io.BytesIO(data))  # tries the empty password itself
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except FileNotDecryptedError:
        raise DocumentError(f"{label}: this PDF is protected by a password; Dateline cannot open it") from None
    except DependencyError:  # AES encryption without the 'cryptography' package
        raise DocumentError(f"{label}: this PDF is encrypted in a way Dateline cannot open") from None
    except Exception:  # pypdf raises its own errors, and others, on broken files
        raise DocumentError(f"{label}: cannot read this PDF file: damaged or not a PDF") from None
    if not any(pages):
        raise DocumentError(
            f"{label}: this PDF holds no text layer (a scanned image?); Dateline reads text, not images"
        )
    return "\n\n".join(page for page in pages if page), _pdf_title(reader), None


@functools.cache
def _quiet_pypdf() -> None:
    """Keep pypdf's repair warnings ("EOF marker not found") off stderr next to our one-line error.

    A NullHandler only stops logging's last-resort output: an app that configures logging still
    receives the records.
    """
    logging.getLogger("pypdf").addHandler(logging.NullHandler())


def _pdf_title(reader) -> str | None:  # reader: pypdf.PdfReader
    """The document information's /Title; a broken information dictionary is no reason to fail."""
    try:
        return _clean_title(reader.metadata.title if reader.metadata else None)
    except Exception:
        return None


_FILE_READERS: dict[str, Callable[[bytes, str], Extracted]] = {
    "docx": _read_docx,
    "pdf": _read_pdf,
}


def _front_matter_fields(block: str):  # -> Iterator[tuple[str, str]]
    for line in block.splitlines():
        key, colon, value = line.partition(":")
        if colon and key.strip() and value.strip():
            yield key.strip().lower(), value.strip().strip("\"'")


# =========================================================================== language


def detect_language(text: str) -> str:
    """ISO 639-1 code by py3langid; short Latin-script text (under 20 letters) is told 'de' or 'en'.

    Very short strings (a headline, a place name) fool any statistical model, so for them the
    choice is narrowed to the two languages Dateline is built for. No letters at all: 'en'.
    """
    sample = text[:10_000]
    letters = sum(map(str.isalpha, sample[:2_000]))
    if letters == 0:
        return "en"
    voted = _function_word_vote(sample)
    if voted:
        return voted
    identifier = _identifier()
    if letters < 20 and _mostly_latin(sample[:2_000]):
        return next(code for code, _ in identifier.rank(sample) if code in ("de", "en"))
    return identifier.classify(sample)[0]


_WORD = re.compile(r"\w+")
VOTE_MIN_SHARE, VOTE_MIN_RATIO, VOTE_MIN_WORDS = 0.15, 4, 40


def _function_word_vote(sample: str) -> str | None:
    """'de' or 'en' when the text's function words leave no doubt, else None (ask py3langid).

    A German or English article is a third function words; one clear vote saves loading the
    statistical model (half a second) on every cold start.
    """
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < VOTE_MIN_WORDS:
        return None
    hits = {lang: sum(map(_function_words(lang).__contains__, words)) for lang in ("de", "en")}
    best, other = sorted(hits, key=hits.get, reverse=True)
    if hits[best] >= VOTE_MIN_SHARE * len(words) and hits[best] >= VOTE_MIN_RATIO * max(hits[other], 1):
        return best
    return None


@functools.cache
def _function_words(language: str) -> frozenset[str]:
    path = DATA_DIR / language / "function_words.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _mostly_latin(text: str) -> bool:
    """Four in five letters from the Latin blocks (a short Cyrillic text is no German headline)."""
    letters = [c for c in text if c.isalpha()]
    return sum(1 for c in letters if c <= "\u024f") * 5 >= len(letters) * 4


def load_language_model() -> None:
    """Load py3langid's model now (half a second) instead of for the first article whose function
    words leave its language open (``pipeline.warm_up`` calls this)."""
    _identifier()


@functools.cache
def _identifier():  # -> py3langid.langid.LanguageIdentifier
    """py3langid's bundled model (no download), loaded once on first use; our own instance."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE)


# =========================================================================== sentences

_BREAK_CHARS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_LINE = re.compile(f"[^{_BREAK_CHARS}]+")
_BREAK = re.compile(f"\r\n|[{_BREAK_CHARS}]")
_OPENERS = "\"'„“”‚‘’»«([{¿¡"
_QUOTES = "\"'”’“»«"
_CLOSERS = _QUOTES + ")]}"
_TERMINATOR = re.compile(r"(?P<punct>[.!?…]+)(?P<close>[" + re.escape(_CLOSERS) + r"]*)(?=\s|\Z)")
_MARKER_LINE = re.compile(r"[-*•–—+#>]|\d{1,3}[.)]\s")
_MIN_WRAP, _MAX_WRAP = 40, 120  # widths (characters) at which plain text is plausibly hard-wrapped


def split_sentences(text: str, language: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence, in order, each without surrounding whitespace.

    Paragraphs (blank lines) and separate lines (headlines, list items) always split; lines of a
    hard-wrapped paragraph are joined. Inside, . ! ? (and closing quotes or brackets) split before
    a capitalised word, a digit or an opening quote, unless the period belongs to an abbreviation,
    an initial, an ordinal or a date; abbreviations come from data/<lang>/abbreviations.txt.
    """
    rules = _abbreviation_rules(language)
    spans: list[tuple[int, int]] = []
    for start, end in _segments(text):
        spans.extend(_split_segment(text, start, end, rules))
    return tuple(spans)


def _segments(text: str):  # -> Iterator[tuple[int, int]]
    """Stripped spans of text between hard line breaks."""
    block: list[tuple[int, int]] = []
    previous_end = 0
    for match in _LINE.finditer(text):
        start, end = _strip(text, match.start(), match.end())
        if start == end:
            continue
        if block and len(_BREAK.findall(text, previous_end, start)) > 1:
            yield from _block_segments(text, block)
            block = []
        block.append((start, end))
        previous_end = end
    yield from _block_segments(text, block)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _block_segments(text: str, lines: list[tuple[int, int]]):  # -> Iterator[tuple[int, int]]
    """Lines of one paragraph, joined where the paragraph looks hard-wrapped."""
    if not lines:
        return
    width = max(end - start for start, end in lines)
    segment_start = lines[0][0]
    for line, following in zip(lines, lines[1:]):
        if not _is_wrapped(text, line, following, width, len(lines)):
            yield segment_start, line[1]
            segment_start = following[0]
    yield segment_start, lines[-1][1]


def _is_wrapped(text: str, line: tuple[int, int], following: tuple[int, int], width: int, count: int) -> bool:
    """True if the break after ``line`` only wraps a long paragraph (the next word did not fit)."""
    if not _MIN_WRAP <= width <= _MAX_WRAP or _MARKER_LINE.match(text, following[0]):
        return False
    next_word = re.match(r"\S+", text[following[0] : following[1]])
    if (line[1] - line[0]) + 1 + len(next_word[0] if next_word else "") <= width:
        return False
    return count >= 3 or text[following[0]].islower() or text[line[1] - 1] in ",;-–"


def _split_segment(text: str, start: int, end: int, rules: _Rules):  # -> Iterator[tuple[int, int]]
    sentence_start = start
    for match in _TERMINATOR.finditer(text, start, end):
        if match.start() > sentence_start and _is_boundary(text, match, sentence_start, end, rules):
            yield sentence_start, match.end()
            sentence_start = _skip_space(text, match.end(), end)
    if sentence_start < end:
        yield sentence_start, end


def _skip_space(text: str, position: int, end: int) -> int:
    while position < end and text[position].isspace():
        position += 1
    return position


def _is_boundary(text: str, match: re.Match[str], sentence_start: int, end: int, rules: _Rules) -> bool:
    """Does the sentence end at this run of terminal punctuation?"""
    if text[sentence_start : match.start()].isdigit():
        return False  # "1." or "12." opening a sentence numbers a list item or is an ordinal
    following = _skip_space(text, match.end(), end)
    if following >= end:
        return True
    if text[match.start() - 1] in _OPENERS or not _starts_sentence(text, following, end):
        return False
    punct, close = match["punct"], match["close"]
    if "!" in punct or "?" in punct:
        return True
    if punct != ".":  # an ellipsis ends a sentence only where a quotation or bracket closes after it
        return bool(close)
    if close[:1] in _QUOTES and close:
        return True
    return not _period_continues(text, match.start(), following, rules)


def _starts_sentence(text: str, position: int, end: int) -> bool:
    """Capitalised (or caseless) letter or a digit, possibly after opening quotes or brackets."""
    while position < end - 1 and text[position] in _OPENERS:
        position += 1
    char = text[position]
    return char.isdigit() or (char.isalpha() and not char.islower())


_TOKEN_BEFORE = re.compile(r"[^\s" + re.escape(_OPENERS) + r"]*\Z")
_DOTTED_LETTERS = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")


def _period_continues(text: str, period: int, following: int, rules: _Rules) -> bool:
    """True if the period at ``period`` belongs to an abbreviation, initial, ordinal or date."""
    token = _TOKEN_BEFORE.search(text, max(0, period - 40), period)[0]
    if token[-1:].isdigit():
        return text[following].isdigit() or _is_ordinal(text, period - len(token), token, rules)
    if rules.abbreviation_end(text, period - len(token)) > period + 1:
        return True  # an inner period: "z." of "z. B."
    kind = rules.abbreviation_before(text, period + 1)
    if kind is not None:  # even "Art." (may end a sentence) continues in "Art. 3"
        return kind == "never" or text[following].isdigit()
    if len(token) == 1 and token.isalpha() and token.isupper():
        return True  # an initial: "George W. Bush"
    return _DOTTED_LETTERS.fullmatch(token) is not None  # "U.S", "e.g"


def _is_ordinal(text: str, token_start: int, token: str, rules: _Rules) -> bool:
    """A 1-3 digit number with a period, where the language has such ordinals.

    Not after an abbreviation: the 12 in "Nr. 12." is a cardinal that may end the sentence.
    """
    if not (rules.ordinals and token.isdigit() and len(token) <= 3):
        return False
    before = token_start
    while before > 0 and text[before - 1].isspace():
        before -= 1
    return before == token_start or rules.abbreviation_before(text, before) is None


@dataclass(frozen=True)
class _Rules:
    """Compiled abbreviation knowledge of one language."""

    pattern: re.Pattern[str] | None  # an abbreviation ending at endpos
    forward: re.Pattern[str] | None  # an abbreviation starting at pos
    longest: int
    ordinals: bool

    def abbreviation_end(self, text: str, start: int) -> int:
        """End of the longest abbreviation starting at ``start`` (-1 if none)."""
        match = self.forward.match(text, start) if self.forward is not None else None
        return match.end() if match is not None else -1

    def abbreviation_before(self, text: str, end: int) -> str | None:
        """'never' or 'may' if an abbreviation ends exactly at ``end``, else None."""
        if self.pattern is None:
            return None
        match = self.pattern.search(text, max(0, end - self.longest - 1), end)
        if match is None:
            return None
        return "may" if match["may"] is not None else "never"


_abbreviation_rules_cache: dict[str, _Rules] = {}


def _abbreviation_rules(language: str) -> _Rules:
    """Compile data/<lang>/abbreviations.txt once per language."""
    rules = _abbreviation_rules_cache.get(language)
    if rules is None:
        rules = _compile_rules(load_abbreviations(language))
        _abbreviation_rules_cache[language] = rules
    return rules


def _compile_rules(abbreviations: Abbreviations) -> _Rules:
    never = _with_capitals(abbreviations.never_end)
    may = _with_capitals(abbreviations.may_end) - never
    if not never and not may:
        return _Rules(None, None, 0, abbreviations.ordinals)
    before = r"(?<![^\s" + re.escape(_OPENERS + "/–—-") + r"])"
    body = f"(?P<may>{_alternation(may) or '(?!)'})|(?P<never>{_alternation(never) or '(?!)'})"
    longest = max(len(a) for a in never | may)
    forward = re.compile(f"(?:{_alternation(never | may)})")
    return _Rules(re.compile(f"{before}(?:{body})\\Z"), forward, longest, abbreviations.ordinals)


def _with_capitals(abbreviations: frozenset[str]) -> frozenset[str]:
    """Each abbreviation plus its capitalised form (it may open a sentence)."""
    return frozenset(abbreviations) | {a[0].upper() + a[1:] for a in abbreviations if a[0].islower()}


def _alternation(abbreviations: frozenset[str]) -> str:
    """Longest first; the space after each inner period is optional ("z. B." == "z.B.")."""
    def piece(abbreviation: str) -> str:
        parts = re.split(r"(?<=\.)\s*", abbreviation.strip())
        return r"\s?".join(re.escape(part) for part in parts if part)

    return "|".join(piece(a) for a in sorted(abbreviations, key=lambda a: (-len(a), a)))


# =========================================================================== dateline dates

DATELINE_WINDOW = 400
"""Characters searched at the start and at the end of the text for a dateline."""

_PAREN = re.compile(r"\(([^()\n]{1,160})\)")
_AFTER_DATELINE = re.compile(
    r"[ \t]*(?:\Z|\n|[–—|/(·•-]|,?[ \t]*(?:[^\W\d_]{1,5}\.?[ \t]+)?\d{1,2}[:.]\d{2}(?!\d)|T\d{2}:\d{2})"
)
_MAX_PREFIX_CHARS, _MAX_PREFIX_WORDS = 60, 6
_TWO_DIGITS = re.compile(r"\d\d")  # as the patterns' \d read them (any decimal digit)


def find_dateline_date(text: str, language: str) -> datetime.date | None:
    """The article's own date from a dateline or author line near its start or end, validated.

    Order: the last parenthesised date near the end ("(Jo Beispiel aus Moskau, 12.9.2023)"), then
    the first dateline near the start ("BERLIN, 5. März 2024 –", "Stand: 14.02.2024",
    "Published June 9, 2025", "(dpa, 03.10.2024)"), then the last dateline line near the end.
    A date inside running prose ("Am 12. September 2023 traf ...") is not a dateline.
    """
    patterns = _date_patterns(language)
    tail_start = max(0, len(text) - DATELINE_WINDOW)
    head_end = min(len(text), DATELINE_WINDOW)
    tail_parens = [d for p, d in _paren_dates(text, tail_start, len(text), patterns)]
    if tail_parens:
        return tail_parens[-1]
    head = _paren_dates(text, 0, head_end, patterns) + _line_dates(text, 0, head_end, patterns)
    if head:
        return min(head, key=lambda found: found[0])[1]
    tail_lines = _line_dates(text, tail_start, len(text), patterns)
    return max(tail_lines, key=lambda found: found[0])[1] if tail_lines else None


def _paren_dates(text: str, start: int, end: int, patterns) -> list[tuple[int, datetime.date]]:
    """(position, date) of each parenthesis whose content holds a valid date."""
    found = []
    for paren in _PAREN.finditer(text, start, end):
        dates = _dates_in(text, paren.start(1), paren.end(1), patterns)
        if dates:
            found.append((paren.start(), dates[0][2]))
    return found


def _line_dates(text: str, start: int, end: int, patterns) -> list[tuple[int, datetime.date]]:
    """(position, date) of dates that stand as a dateline: short prefix, nothing but a dash or time after."""
    found = []
    for date_start, date_end, value in _dates_in(text, start, end, patterns):
        line_start = text.rfind("\n", 0, date_start) + 1
        prefix = text[line_start:date_start]
        if len(prefix) > _MAX_PREFIX_CHARS or len(prefix.split()) > _MAX_PREFIX_WORDS:
            continue
        if _AFTER_DATELINE.match(text, date_end):
            found.append((date_start, value))
    return found


def _dates_in(text: str, start: int, end: int, patterns) -> list[tuple[int, int, datetime.date]]:
    """Every valid calendar date in text[start:end], in order, as (start, end, date). Each pattern
    has a year of two or four digits: a window without two digits in a row is not searched."""
    found = []
    if _TWO_DIGITS.search(text, start, end) is None:
        return found
    for pattern, month_names in patterns:
        for match in pattern.finditer(text, start, end):
            value = _to_date(match, month_names)
            if value is not None:
                found.append((match.start(), match.end(), value))
    return sorted(found, key=lambda item: item[0])


def _to_date(match: re.Match[str], month_names: dict[str, int]) -> datetime.date | None:
    """A real calendar date, two-digit years read as 1970-2069; else None (31.2. is refused)."""
    groups = match.groupdict()
    month = int(groups["m"]) if groups.get("m") else month_names.get(groups["name"].lower())
    year = int(groups["y"])
    if len(groups["y"]) == 2:
        year += 2000 if year < 70 else 1900
    try:
        return datetime.date(year, month, int(groups["d"]))
    except (TypeError, ValueError):
        return None


_date_patterns_cache: dict[str, list[tuple[re.Pattern[str], dict[str, int]]]] = {}


def _date_patterns(language: str) -> list[tuple[re.Pattern[str], dict[str, int]]]:
    """Numeric, ISO and month-name date patterns; month names from data/<lang>/months.tsv."""
    patterns = _date_patterns_cache.get(language)
    if patterns is None:
        patterns = _compile_date_patterns(load_months(language))
        _date_patterns_cache[language] = patterns
    return patterns


def _compile_date_patterns(months: dict[str, int]) -> list[tuple[re.Pattern[str], dict[str, int]]]:
    names = "|".join(re.escape(name) for name in sorted(months, key=len, reverse=True))
    name = rf"(?P<name>{names})(?![^\W\d_])"
    day = r"(?P<d>[0-3]?\d)"
    sources = (
        rf"(?<![\d.]){day}\.[ \t]?(?P<m>[01]?\d)\.[ \t]?(?P<y>\d{{4}}|\d{{2}})(?![\d])",  # 12.9.2023, 12. 9. 23
        r"(?<![\d.-])(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)",  # 2025-06-09
        rf"(?<![\d.]){day}\.?[ \t]+{name}[ \t]+(?P<y>\d{{4}})(?!\d)",  # 11 January 2025, 5. März 2024
        rf"(?<![^\W\d_]){name}[ \t]+{day}(?:[^\W\d_]{{1,2}})?,?[ \t]+(?P<y>\d{{4}})(?!\d)",  # June 9, 2025
    )
    return [(re.compile(source, re.IGNORECASE), months) for source in sources]
