"""Tests for geo.read.document: one door for every input, its checks, and the Document it builds."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geo.read
from geo.errors import DatelineError, DocumentError
from geo.read import document, files
from geo.read.document import (
    Document,
    document_from_html,
    document_from_text,
    document_from_upload,
    normalise_text,
    read_document,
)
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


def test_binary_tail_after_a_long_clean_start_is_found(tmp_path: Path) -> None:
    """The whole text is sniffed, not its first 100,000 characters."""
    clean = "Der Zug fuhr von Berlin nach Wien. " * 5_000  # 175,000 characters
    with pytest.raises(DocumentError, match=r"a\.txt: looks like a binary file, not text"):
        read_document(write(tmp_path, "a.txt", clean + "\x01\x02\x03" * 1_000))
    with pytest.raises(DocumentError, match=r"^b\.txt: looks like a binary file, not text$"):
        document_from_upload("b.txt", (clean + "\x00").encode())
    with pytest.raises(DocumentError, match=r"^pasted: looks like binary data, not text$"):
        document_from_text(clean + "\x7f" * 2_000, source="pasted")
    assert document_from_text(clean + "\x07" * 100).text.endswith("\x07")  # a few stray controls are no binary


@pytest.mark.parametrize(
    "read",
    [
        lambda text: document_from_text(text, title="Titel \udc00", source="pasted \ud800"),
        lambda text: document_from_html(f"<html><head><title>T \ud800</title></head><body><p>{text}</p></body></html>"),
    ],
)
def test_lone_surrogates_become_replacement_characters_wherever_text_enters(read) -> None:
    doc = read("Kim fuhr am Montag von Berlin \ud800 nach Wien.\udfff")
    assert "Berlin \ufffd nach Wien.\ufffd" in doc.text
    assert f"{doc.text}{doc.title}{doc.source}".encode()  # a Story of it can be written
    assert len(doc.text) == len(doc.text.encode("utf-16-le")) // 2  # no surrogate (nor pair) left


def test_a_surrogate_pair_side_by_side_becomes_its_character() -> None:
    assert normalise_text("Kim \ud83d\ude82 fuhr") == "Kim \U0001f682 fuhr"
    assert normalise_text("\ufeffKim\r\nfuhr") == "Kim\nfuhr"


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


# ------------------------------------------------------------------ fuzzing: no exception but ours

ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=300)  # lone surrogates too
NAMES = st.sampled_from(["a.txt", "a.md", "a.html", "a.pdf", "a.docx", "a", "a.php", ""])
PREFIXES = st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"<html><body>"])


def read_or_refuse(read) -> Document | None:
    """The Document, or None when the input was refused with a one-line DatelineError."""
    try:
        doc = read()
    except DatelineError as error:
        assert "\n" not in str(error)
        return None
    assert doc.text.strip() and f"{doc.text}{doc.title}{doc.source}".encode()
    return doc


@given(name=NAMES, prefix=PREFIXES, data=st.binary(max_size=400))
@settings(max_examples=150, deadline=None)
def test_any_bytes_under_any_name_give_a_document_or_a_one_line_error(name: str, prefix: bytes, data: bytes) -> None:
    read_or_refuse(lambda: document_from_upload(name, prefix + data))


@given(text=ANY_TEXT, title=st.none() | ANY_TEXT, language=st.sampled_from(["auto", "de", "en", "xx", "deu"]))
@settings(max_examples=100, deadline=None)
def test_any_unicode_as_text_gives_a_document_or_a_one_line_error(text: str, title: str | None, language: str) -> None:
    read_or_refuse(lambda: document_from_text(text, title=title, language=language, source=text[:5]))


def test_a_name_cannot_break_the_one_line_message(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as caught:
        document_from_text(" ", source="id\nwith\x1b[31m lines\u2028")
    assert str(caught.value) == "id\\nwith\\x1b[31m lines\\u2028: empty text"
    with pytest.raises(DocumentError) as caught:
        document_from_upload("a\r\nb.txt", b"")
    assert str(caught.value) == "a\\r\\nb.txt: empty text"
    with pytest.raises(DocumentError) as caught:
        read_document(tmp_path / "no\nfile.txt")
    assert str(caught.value).endswith("no\\nfile.txt: file not found")


@given(
    text=ANY_TEXT,
    tags=st.lists(st.sampled_from(["div", "p", "span", "table", "b", "title", "script", "li"]), max_size=30),
)
@settings(max_examples=80, deadline=None)
def test_any_unicode_in_any_markup_gives_a_document_or_a_one_line_error(text: str, tags: list[str]) -> None:
    html = "".join(f"<{tag}>" for tag in tags) + text + "".join(f"</{tag}>" for tag in reversed(tags))
    read_or_refuse(lambda: document_from_html(html))
    read_or_refuse(
        lambda: document_from_upload("a.md", f"# {text}\n\n**{text}** [{text}](x)".encode("utf-8", "surrogatepass"))
    )
