"""Tests for geo.read.office: Word and PDF files, by path and as uploads, and their one-line errors."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from geo.errors import DocumentError
from geo.read import office
from geo.read.document import Document, document_from_upload, read_document
from tests.read.articles import KIM_DOCX_TEXT, kim_docx, pdf_bytes, sentences_of, write

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
