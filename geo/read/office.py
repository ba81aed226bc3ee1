"""Word (.docx, via python-docx) and PDF (via pypdf) files -> readable text and title.

Why apart: these files have no text to keep "as given". Their text is the extracted one, one
paragraph (or table cell, or PDF page) per block, blocks separated by blank lines like a plain-text
article. Neither format's metadata dates are taken as the publication date (see each reader), and
every failure, from a ZIP bomb to a password, is one line naming the file.

Reading stops as soon as the text is over MAX_CHARS, so that a small file whose pages share one
large content stream is refused after a few pages, not read to its end. A PDF is also refused
unread beyond MAX_PDF_PAGES pages, and once pypdf has read MAX_PDF_OPERATIONS drawing operations
(pages and the forms they draw, which a small file can repeat without end, text or not).
"""

from __future__ import annotations

import functools
import io
import itertools
import logging
import zipfile
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from geo.errors import DocumentError
from geo.read.extracted import Extracted, clean_title
from geo.read.files import MAX_CHARS, zip_names

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.table import _Cell
    from pypdf import PdfReader

__all__ = ["MAX_PDF_OPERATIONS", "MAX_PDF_PAGES", "read_docx", "read_pdf"]

MAX_UNPACKED_BYTES_PER_CHAR = 100
"""A .docx is refused unread beyond MAX_CHARS * this many bytes unpacked (its XML is bulkier still)."""
MAX_PDF_PAGES = 1_000
"""A PDF with more pages is refused before any page is read: an article has a few, and pypdf takes
milliseconds to seconds for each."""
MAX_PDF_OPERATIONS = 1_000_000
"""A PDF is refused once pypdf has read this many drawing operations, about 10 s of its work: a
page of text takes a few thousand; a content stream or form that pages share (or a form drawn
again and again) counts each time, as pypdf reads it again each time. Counting makes pypdf read
the streams of figures too, which it skips otherwise."""


def read_docx(data: bytes, label: str) -> Extracted:
    """(paragraphs and table cells in document order, title from the core properties, no date).

    The core properties' dates are never the publication date: 'created' is often the template's
    (python-docx's own says 2013-12-23) and 'modified' changes on every save. A metadata date would
    outrank a correct dateline in the text, so the dateline is left to decide.
    """
    import docx

    _check_unpacked_size(data, label)
    try:
        word = docx.Document(io.BytesIO(data))
        return "\n\n".join(_within_limit(_docx_blocks(word), label)), _docx_title(word), None
    except DocumentError:
        raise
    except Exception:  # python-docx raises zipfile, lxml, KeyError, ValueError ... on broken files
        reason = "not a ZIP archive (an old .doc file?)" if not zip_names(data) else "damaged or not a Word document"
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


def _docx_blocks(container: WordDocument | _Cell) -> Iterator[str]:
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


def _docx_title(word: WordDocument) -> str | None:
    """The core properties' title, if the file has core properties (else python-docx invents one)."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    try:
        word.part.package.part_related_by(RELATIONSHIP_TYPE.CORE_PROPERTIES)
    except (KeyError, ValueError):
        return None
    return clean_title(word.core_properties.title)


def read_pdf(data: bytes, label: str) -> Extracted:
    """(every page's text layer, pages separated by blank lines, title from the metadata, no date).

    The metadata's CreationDate is when the PDF was made, not when the article appeared.
    """
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    _quiet_pypdf()
    try:
        reader = PdfReader(io.BytesIO(data))  # tries the empty password itself
        pages = _within_limit(_pdf_pages(reader, label), label)
    except DocumentError:
        raise
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
    return "\n\n".join(pages), _pdf_title(reader), None


def _pdf_pages(reader: PdfReader, label: str) -> Iterator[str]:
    """Each page's text layer, stripped, read only when asked for; refuses a PDF of too many pages
    before reading any, and stops after MAX_PDF_OPERATIONS drawing operations."""
    count = len(reader.pages)
    if count > MAX_PDF_PAGES:
        raise DocumentError(f"{label}: {count:,} pages is over the limit of {MAX_PDF_PAGES:,}")
    operations = itertools.count(1)

    def count_operation(*_: object) -> None:
        """pypdf calls this before each operation, in forms too; inside a form pypdf swallows the
        error, so it is raised again at the next operation of the page, which ends the reading."""
        if next(operations) > MAX_PDF_OPERATIONS:
            raise DocumentError(
                f"{label}: more than {MAX_PDF_OPERATIONS:,} drawing operations is over the limit; the rest was not read"
            )

    for page in reader.pages:
        yield (page.extract_text(visitor_operand_before=count_operation) or "").strip()


def _within_limit(blocks: Iterable[str], label: str) -> list[str]:
    """The non-empty blocks (pages, paragraphs), taken one by one until their text, joined by blank
    lines, is over MAX_CHARS: then the file is refused without reading the rest.

    The count is a lower bound of the normalised text's length (``\\r\\n`` counts once, a leading
    byte order mark not at all), so nothing is refused here that the check of the whole text passes.
    """
    kept: list[str] = []
    length = -3  # no separator before the first block, and perhaps a byte order mark
    for block in blocks:
        if block:
            kept.append(block)
            length += 2 + len(block) - block.count("\r\n")
            if length > MAX_CHARS:
                raise DocumentError(
                    f"{label}: the text is over the limit of {MAX_CHARS:,} characters; the rest was not read"
                )
    return kept


@functools.cache
def _quiet_pypdf() -> None:
    """Keep pypdf's repair warnings ("EOF marker not found") off stderr next to our one-line error.

    A NullHandler only stops logging's last-resort output: an app that configures logging still
    receives the records.
    """
    logging.getLogger("pypdf").addHandler(logging.NullHandler())


def _pdf_title(reader: PdfReader) -> str | None:
    """The document information's /Title; a broken information dictionary is no reason to fail."""
    try:
        return clean_title(reader.metadata.title if reader.metadata else None)
    except Exception:
        return None
