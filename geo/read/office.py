"""Word (.docx, via python-docx) and PDF (via pypdf) files -> readable text and title.

Why apart: these files have no text to keep "as given". Their text is the extracted one, one
paragraph (or table cell, or PDF page) per block, blocks separated by blank lines like a plain-text
article. Neither format's metadata dates are taken as the publication date (see each reader), and
every failure, from a ZIP bomb to a password, is one line naming the file.
"""

from __future__ import annotations

import functools
import io
import logging
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING

from geo.errors import DocumentError
from geo.read.extracted import Extracted, clean_title
from geo.read.files import MAX_CHARS, zip_names

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.table import _Cell
    from pypdf import PdfReader

__all__ = ["read_docx", "read_pdf"]

MAX_UNPACKED_BYTES_PER_CHAR = 100
"""A .docx is refused unread beyond MAX_CHARS * this many bytes unpacked (its XML is bulkier still)."""


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
        return "\n\n".join(_docx_blocks(word)), _docx_title(word), None
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


def _pdf_title(reader: PdfReader) -> str | None:
    """The document information's /Title; a broken information dictionary is no reason to fail."""
    try:
        return clean_title(reader.metadata.title if reader.metadata else None)
    except Exception:
        return None
