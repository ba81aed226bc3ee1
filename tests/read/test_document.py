"""Tests for geo.read.document: one door for every input, its checks, and the Document it builds."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

import geo.read
from geo.errors import DocumentError
from geo.read import document, files
from geo.read.document import Document, document_from_html, document_from_text, document_from_upload, read_document
from tests.read.articles import ENGLISH, GERMAN, HTML, write

D = datetime.date


def test_text_is_kept_as_given_so_spans_index_the_input() -> None:
    decomposed = "Ko\u0308ln liegt am Rhein."
    doc = document_from_text(decomposed, language="de")
    assert doc.text == decomposed


def test_binary_file_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20)
    with pytest.raises(DocumentError, match=r"a\.txt: looks like a binary file, not text"):
        read_document(path)


def test_control_characters_rejected_as_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "a.dat", bytes(range(1, 32)) * 10)
    with pytest.raises(DocumentError, match="binary"):
        read_document(path)


@pytest.mark.parametrize("content", ["", "   \n\t\n  "])
def test_empty_file_rejected(tmp_path: Path, content: str) -> None:
    path = write(tmp_path, "article.txt", content)
    with pytest.raises(DocumentError, match=r"^.*article\.txt: empty text$"):
        read_document(path)


def test_over_size_text(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(document, "MAX_CHARS", 1_000)
    with pytest.raises(DocumentError, match=r"^1,234 characters is over the limit of 1,000$"):
        document_from_text("x" * 1_234)
    path = write(tmp_path, "big.txt", "Ein Satz. " * 200)
    with pytest.raises(DocumentError, match=r"big\.txt: 2,000 characters is over the limit of 1,000"):
        read_document(path)
    assert document_from_text("y" * 1_000).text == "y" * 1_000


def test_empty_text_and_error_is_one_line() -> None:
    with pytest.raises(DocumentError) as caught:
        document_from_text(" \n ", source="story-17")
    assert str(caught.value) == "story-17: empty text"
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("bad", ["12.9.2023", "2023-02-30", "2023-9-12", "yesterday"])
def test_bad_published_string(bad: str) -> None:
    with pytest.raises(DocumentError, match="YYYY-MM-DD"):
        document_from_text("Ein Satz.", published=bad)


@pytest.mark.parametrize("bad", ["german", "deu", "", "d"])
def test_bad_language_option(bad: str) -> None:
    with pytest.raises(DocumentError, match="two-letter"):
        document_from_text("Ein Satz.", language=bad)


def test_language_option_forces_and_lowercases() -> None:
    assert document_from_text(ENGLISH, language="DE").language == "de"
    assert document_from_text(GERMAN, language="fr").language == "fr"


def test_read_text_file(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "kim.txt", GERMAN))
    assert doc.text == GERMAN and doc.language == "de" and doc.source == "kim.txt"
    assert doc.published == D(2023, 9, 12) and doc.published_source == "dateline"


def test_sentences_of_document_and_sentence_at() -> None:
    doc = document_from_text(GERMAN)
    assert [doc.text[s:e] for s, e in doc.sentences][:3] == [
        "Kims Panzerzug erreicht Wladiwostok",
        "Der gepanzerte Sonderzug von Kim Jong-un ist am 12. September 2023 in Russland eingetroffen.",
        "Die Fahrt von Pjöngjang dauerte rund zwei Tage, z. B. wegen der langsamen Strecke.",
    ]
    assert doc.text[slice(*doc.sentences[-1])] == "(Jo Beispiel aus Moskau, 12.9.2023)"
    offset = doc.text.index("Pjöngjang")
    assert doc.sentence_at(offset) == doc.sentences[2]
    assert doc.sentence_at(0) == doc.sentences[0]
    gap = doc.sentences[1][1]  # the space after a sentence belongs to the one before
    assert doc.sentence_at(gap) == doc.sentences[1]
    assert doc.sentence_at(len(doc.text)) == doc.sentences[-1]
    with pytest.raises(ValueError):
        doc.sentence_at(-1)


def test_published_precedence_option_over_metadata_over_dateline() -> None:
    assert document_from_html(HTML, published="2020-01-02").published_source == "option"
    assert document_from_html(HTML, published=D(2020, 1, 2)).published == D(2020, 1, 2)
    metadata = document_from_html(HTML)  # the text also has a dateline (03.10.2024)
    assert (metadata.published, metadata.published_source) == (D(2024, 3, 5), "metadata")
    no_meta = document_from_html(
        HTML.replace('<meta property="article:published_time" content="2024-03-05T10:00:00Z">', "")
    )
    assert (no_meta.published, no_meta.published_source) == (D(2024, 10, 3), "dateline")


def test_published_precedence_plain_text() -> None:
    option = document_from_text(GERMAN, published="2023-09-13")
    assert (option.published, option.published_source) == (D(2023, 9, 13), "option")
    assert document_from_text(GERMAN, published=datetime.datetime(2023, 9, 14, 8, 0)).published == D(2023, 9, 14)
    dateline = document_from_text(GERMAN)
    assert (dateline.published, dateline.published_source) == (D(2023, 9, 12), "dateline")
    none = document_from_text(ENGLISH)
    assert (none.published, none.published_source) == (None, "none")


def test_document_fields() -> None:
    doc = document_from_text(ENGLISH, source="kim-en", title="Kim's train")
    assert isinstance(doc, Document)
    assert (doc.source, doc.title, doc.language) == ("kim-en", "Kim's train", "en")
    with pytest.raises(AttributeError):
        doc.language = "de"  # type: ignore[misc]


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_upload_text_file(encoding: str) -> None:
    doc = document_from_upload("kim.txt", GERMAN.replace("Wladiwostok", "Köln").encode(encoding))
    assert doc.text == GERMAN.replace("Wladiwostok", "Köln") and doc.source == "kim.txt"
    assert doc.published == D(2023, 9, 12) and doc.published_source == "dateline"


def test_upload_markdown_and_html() -> None:
    markdown = "---\ntitle: Kims Reise\n---\n# Der Zug nach Wladiwostok\n\nKim fuhr mit dem **Panzerzug** los.\n"
    doc = document_from_upload("kim.md", markdown.encode("utf-8"))
    assert doc.text == "Der Zug nach Wladiwostok\n\nKim fuhr mit dem Panzerzug los." and doc.title == "Kims Reise"
    doc = document_from_upload("kim.html", HTML.encode("utf-8"))
    assert doc.title == "Kims Zug in Wladiwostok" and doc.published_source == "metadata"
    assert "SCRIPT" not in doc.text and doc.source == "kim.html"
    assert document_from_upload("page.php", HTML.encode("utf-8")).text == doc.text  # sniffed


@pytest.mark.parametrize("name", ["empty.txt", "empty.pdf", "empty.docx"])
def test_upload_empty_file(name: str) -> None:
    with pytest.raises(DocumentError) as caught:
        document_from_upload(name, b"")
    assert str(caught.value) == f"{name}: empty text"


def test_upload_limits_and_type(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(DocumentError, match=r"^kim\.txt: expected the file's bytes, got str$"):
        document_from_upload("kim.txt", GERMAN)  # type: ignore[arg-type]
    with pytest.raises(DocumentError, match=r"^kim\.txt: looks like a binary file, not text$"):
        document_from_upload("kim.txt", b"\x00\x01\x02 Kim" * 10)
    monkeypatch.setattr(files, "MAX_CHARS", 10)
    with pytest.raises(DocumentError, match=r"^big\.html: 207 bytes is over the file size limit of 100$"):
        document_from_upload("big.html", ("<p>" + "x" * 200 + "</p>").encode())


def test_no_clock_in_module() -> None:
    for path in sorted(Path(geo.read.__file__).parent.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert "now(" not in source and "today(" not in source, path
