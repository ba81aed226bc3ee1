"""Tests for geo.read.files: reading a file's bytes, its size limit, and telling its kind."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from geo.errors import DocumentError
from geo.read import files
from geo.read.document import document_from_upload, read_document
from tests.read.articles import HTML, KIM_DOCX_TEXT, kim_docx, pdf_bytes, write

D = datetime.date


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"article\.txt: file not found$"):
        read_document(tmp_path / "article.txt")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="is a directory$"):
        read_document(tmp_path)


def test_nul_in_path_is_a_clear_error() -> None:
    with pytest.raises(DocumentError, match=r"^bad\\x00name\.txt: "):  # the NUL shown, not printed
        read_document("bad\x00name.txt")


def test_over_size_file_refused_before_reading(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(files, "MAX_CHARS", 10)
    with pytest.raises(DocumentError, match="bytes is over the file size limit"):
        read_document(write(tmp_path, "big.html", "<p>" + "x" * 200 + "</p>"))


def test_unknown_suffix_sniffed_as_html(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "page.php", HTML))
    assert "SCRIPT" not in doc.text and doc.published_source == "metadata"


def test_html_sniffing_reads_leading_comments_in_one_pass() -> None:
    """A comment ends at its first ``-->``; letting each end at any later one took 2**n tries for n
    comments (40 comments before a word of text: hours)."""
    assert files.file_kind(".php", "<!--a-->" * 40 + "Kim fuhr nach Wien.") == "text"
    assert files.file_kind(".php", "<!--a-->\n" * 10_000 + "<!DOCTYPE html><p>Wien</p>") == "html"
    assert files.file_kind("", "<!-- a --> b --> <html>") == "text"  # as a browser reads it


def test_unknown_suffix_plain_text(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "notes", "Kyiv, 11 January 2025\n\nThe mayor spoke on Monday."))
    assert doc.published == D(2025, 1, 11) and doc.source == "notes"


def test_pdf_and_docx_recognised_by_content_when_misnamed(tmp_path: Path) -> None:
    assert read_document(write(tmp_path, "kim.txt", pdf_bytes("Der Zug fuhr nach Wladiwostok."))).text == (
        "Der Zug fuhr nach Wladiwostok."
    )
    assert document_from_upload("kim", kim_docx()).text == KIM_DOCX_TEXT
