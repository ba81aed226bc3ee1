"""Tests for geo.read.office: Word and PDF files, by path and as uploads, and their one-line errors."""

from __future__ import annotations

import datetime
import io
import itertools
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PageObject, PdfReader, PdfWriter

from geo.errors import DocumentError
from geo.read import document, office
from geo.read.document import Document, document_from_upload, read_document
from tests.read.articles import KIM_DOCX_TEXT, kim_docx, pdf_bytes, pdf_of_objects, sentences_of, write

D = datetime.date


def test_docx_read_by_path_paragraphs_table_title_and_dateline(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "kim.docx", kim_docx()))
    assert doc.text == KIM_DOCX_TEXT  # merged cell once, cells row by row, empty paragraph gone
    assert sentences_of(doc.text)[:3] == [
        "Kims Panzerzug erreicht Wladiwostok",
        "Der Zug fuhr von Pjöngjang über Chassan nach Wladiwostok.",
        "Stationen",
    ]
    assert doc.title == "Kims Reise" and doc.source == "kim.docx" and doc.language == "de"
    # python-docx's template says 'created 2013-12-23': the dateline decides, not the core properties
    assert doc.published == D(2023, 9, 12) and doc.published_source == "dateline"


def test_docx_upload_equals_path(tmp_path: Path) -> None:
    data = kim_docx()
    by_path = read_document(write(tmp_path, "kim.docx", data), published="2023-09-13")
    uploaded = document_from_upload("Kim Reise.docx", data, published="2023-09-13")
    assert uploaded.source == "Kim Reise.docx"
    assert uploaded == Document(**{**by_path.__dict__, "source": "Kim Reise.docx"})
    assert uploaded.published == D(2023, 9, 13) and uploaded.published_source == "option"


def test_docx_without_title_or_core_properties() -> None:
    assert document_from_upload("a.docx", kim_docx(title=None)).title is None
    source, target = zipfile.ZipFile(io.BytesIO(kim_docx())), io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for member in source.namelist():
            data = source.read(member)
            if member == "_rels/.rels":
                data = re.sub(rb"<Relationship [^>]*core-properties[^>]*/>", b"", data)
            archive.writestr(member, data)
    assert b"core-properties" in source.read("_rels/.rels")
    # python-docx invents a title ("Word Document") for a package without core properties
    assert document_from_upload("a.docx", target.getvalue()).title is None


def test_pdf_text_pages_and_title(tmp_path: Path) -> None:
    data = pdf_bytes("Der Zug fuhr nach Wladiwostok.", "(Jo Beispiel aus Moskau, 12.9.2023)", title="Kims Reise")
    doc = read_document(write(tmp_path, "kim.pdf", data))
    assert doc.text == "Der Zug fuhr nach Wladiwostok.\n\n(Jo Beispiel aus Moskau, 12.9.2023)"
    assert doc.title == "Kims Reise" and doc.source == "kim.pdf"
    assert doc.published == D(2023, 9, 12) and doc.published_source == "dateline"
    uploaded = document_from_upload("kim.pdf", data)
    assert uploaded == Document(**{**doc.__dict__, "source": "kim.pdf"})


def test_pdf_without_title() -> None:
    doc = document_from_upload("a.pdf", pdf_bytes("Der Zug fuhr nach Wladiwostok."))
    assert doc.text == "Der Zug fuhr nach Wladiwostok." and doc.title is None


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    path = write(tmp_path, "scan.pdf", pdf_bytes(None, None))
    message = "scan.pdf: this PDF holds no text layer (a scanned image?); Dateline reads text, not images"
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    assert str(caught.value) == str(tmp_path / message)
    with pytest.raises(DocumentError) as caught:
        document_from_upload("scan.pdf", pdf_bytes(None))
    assert str(caught.value) == message


def test_pdf_with_password() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes("Der Zug fuhr nach Wladiwostok."))))
    writer.encrypt(user_password="geheim", owner_password="besitzer", algorithm="RC4-128")
    locked = io.BytesIO()
    writer.write(locked)
    with pytest.raises(DocumentError, match=r"^locked\.pdf: this PDF is protected by a password; .*\Z"):
        document_from_upload("locked.pdf", locked.getvalue())
    writer.encrypt(user_password="", owner_password="besitzer", algorithm="RC4-128")  # opens without one
    restricted = io.BytesIO()
    writer.write(restricted)
    assert document_from_upload("r.pdf", restricted.getvalue()).text == "Der Zug fuhr nach Wladiwostok."


RANDOM_BYTES = bytes(b * 97 % 251 for b in range(3_000))  # arbitrary, reproducible bytes


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("bad.docx", RANDOM_BYTES, "bad.docx: cannot read this .docx file: not a ZIP archive (an old .doc file?)"),
        ("bad.pdf", RANDOM_BYTES, "bad.pdf: cannot read this PDF file: damaged or not a PDF"),
        ("cut.pdf", pdf_bytes("Der Zug fuhr.")[:60], "cut.pdf: cannot read this PDF file: damaged or not a PDF"),
    ],
)
def test_corrupt_files_give_one_line_errors(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    with pytest.raises(DocumentError) as caught:
        read_document(write(tmp_path, name, data))
    assert str(caught.value) == f"{tmp_path / name}" + message.removeprefix(name)
    with pytest.raises(DocumentError) as caught:
        document_from_upload(name, data)
    assert str(caught.value) == message and "\n" not in message
    assert caught.value.__suppress_context__  # no library traceback chained behind the message


def test_zip_that_is_not_a_word_document() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "Der Zug fuhr nach Wladiwostok.")
    with pytest.raises(DocumentError) as caught:
        document_from_upload("notes.docx", buffer.getvalue())
    assert str(caught.value) == "notes.docx: cannot read this .docx file: damaged or not a Word document"


def test_docx_unpacking_to_too_much_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    word = docx.Document()
    word.add_paragraph("Wladiwostok " * 100_000)  # 1.2 MB of XML, a few KB packed
    buffer = io.BytesIO()
    word.save(buffer)
    assert len(buffer.getvalue()) < 100_000
    monkeypatch.setattr(office, "MAX_UNPACKED_BYTES_PER_CHAR", 1)
    with pytest.raises(DocumentError, match=r"^big\.docx: [\d,]+ bytes unpacked is over the limit of 1,000,000$"):
        document_from_upload("big.docx", buffer.getvalue())


def test_pdf_repair_warnings_stay_off_stderr() -> None:
    """In a fresh process: pytest's own log handlers would hide logging's last-resort output."""
    script = (
        "from geo.errors import DocumentError\nfrom geo.read.document import document_from_upload\n"
        "try:\n    document_from_upload('bad.pdf', bytes(b * 97 % 251 for b in range(3000)))\n"
        "except DocumentError as error:\n    print(error)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=Path(__file__).parents[2], check=True
    )
    assert run.stdout == "bad.pdf: cannot read this PDF file: damaged or not a PDF\n"
    assert run.stderr == ""


# ------------------------------------------------------------------ reading stops at the limits

LINE = b"BT /F1 12 Tf 72 720 Td (Kim fuhr von Berlin nach Wien.) Tj ET\n"  # 30 characters of text


def pages_sharing_one_stream(pages: int, content: bytes, form: bytes | None = None) -> bytes:
    """``pages`` pages that all draw one content stream (and, if given, a form XObject /X0): the
    shape of the 3 MB PDF of 20,000 pages that pypdf read for minutes, scaled down."""
    form = form or b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (6 + i) for i in range(pages)), pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
        b"/Length %d >>\nstream\n" % len(form) + form + b"\nendstream",
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 3 0 R >> /XObject << /X0 5 0 R >> >> /Contents 4 0 R >>"
    )
    return pdf_of_objects(objects + [page] * pages)


@pytest.fixture()
def pages_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The page numbers pypdf was asked for the text of, in order."""
    read: list[int] = []
    extract_text = PageObject.extract_text

    def counted(page: PageObject, *args: object, **kwargs: object) -> str:
        read.append(page.page_number)
        return extract_text(page, *args, **kwargs)

    monkeypatch.setattr(PageObject, "extract_text", counted)
    return read


def test_a_pdf_stops_being_read_as_soon_as_its_text_is_over_the_limit(
    monkeypatch: pytest.MonkeyPatch, pages_read: list[int]
) -> None:
    data = pages_sharing_one_stream(500, LINE * 10)  # 300 characters a page, 150,000 in all
    monkeypatch.setattr(office, "MAX_CHARS", 1_000)
    with pytest.raises(DocumentError) as caught:
        document_from_upload("shared.pdf", data)
    assert str(caught.value) == "shared.pdf: the text is over the limit of 1,000 characters; the rest was not read"
    assert pages_read == [0, 1, 2, 3]  # 4 x 300 characters and 3 blank lines between them pass 1,000


def test_a_pdf_exactly_at_the_text_limit_is_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    data = pages_sharing_one_stream(3, LINE)  # "Kim fuhr ..." three times, two blank lines between
    length = 3 * 30 + 2 * 2
    for module in (office, document):
        monkeypatch.setattr(module, "MAX_CHARS", length)
    assert len(document_from_upload("exact.pdf", data).text) == length
    for module in (office, document):
        monkeypatch.setattr(module, "MAX_CHARS", length - 1)
    with pytest.raises(DocumentError, match="over the limit of 93"):  # by the reader or by the check after it
        document_from_upload("exact.pdf", data)


def test_a_pdf_of_too_many_pages_is_refused_before_any_page_is_read(
    monkeypatch: pytest.MonkeyPatch, pages_read: list[int]
) -> None:
    monkeypatch.setattr(office, "MAX_PDF_PAGES", 10)
    with pytest.raises(DocumentError) as caught:
        document_from_upload("long.pdf", pages_sharing_one_stream(11, LINE))
    assert str(caught.value) == "long.pdf: 11 pages is over the limit of 10" and pages_read == []
    assert document_from_upload("ten.pdf", pages_sharing_one_stream(10, LINE)).text.count("Wien") == 10


def test_a_form_drawn_again_and_again_stops_at_the_operation_limit(
    monkeypatch: pytest.MonkeyPatch, pages_read: list[int]
) -> None:
    """A few kilobytes that make pypdf read a form of empty strings 300 x 300 times on each page:
    no text ever passes the text limit, so the drawing operations are counted."""
    data = pages_sharing_one_stream(5, b"/X0 Do\n" * 300, form=b"BT /F1 12 Tf () Tj ET\n" * 300)
    assert len(data) < 20_000
    monkeypatch.setattr(office, "MAX_PDF_OPERATIONS", 20_000)
    with pytest.raises(DocumentError) as caught:
        document_from_upload("forms.pdf", data)
    assert (
        str(caught.value) == "forms.pdf: more than 20,000 drawing operations is over the limit; the rest was not read"
    )
    assert pages_read == [0]


def test_word_stops_being_read_as_soon_as_its_text_is_over_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    word = docx.Document()
    for _ in range(50):
        word.add_paragraph("Kim fuhr von Berlin nach Wien.")
    buffer = io.BytesIO()
    word.save(buffer)
    monkeypatch.setattr(office, "MAX_CHARS", 100)
    monkeypatch.setattr(office, "MAX_UNPACKED_BYTES_PER_CHAR", 100_000)  # the XML's size is not what is tested
    with pytest.raises(DocumentError) as caught:
        document_from_upload("long.docx", buffer.getvalue())
    assert str(caught.value) == "long.docx: the text is over the limit of 100 characters; the rest was not read"
    endless = itertools.repeat("Kim fuhr von Berlin nach Wien.")  # what is not asked for is never read
    with pytest.raises(DocumentError, match="the rest was not read"):
        office._within_limit(endless, "endless")


def test_a_pdf_text_layer_that_spells_a_lone_surrogate_gives_a_replacement_character() -> None:
    """pypdf decodes a ToUnicode map with "surrogatepass": a glyph mapped to <D800> is no character."""
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def 1 begincodespacerange "
        b"<00> <FF> endcodespacerange 1 beginbfchar <41> <D800> endbfchar endcmap CMapName currentdict /CMap "
        b"defineresource pop end end"
    )
    content = b"BT /F1 12 Tf 72 720 Td (Kim fuhr nach Wien A.) Tj ET"
    data = pdf_of_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents 6 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        ]
    )
    assert PdfReader(io.BytesIO(data)).pages[0].extract_text() == "Kim fuhr nach Wien \ud800."
    assert document_from_upload("s.pdf", data).text == "Kim fuhr nach Wien \ufffd."
