"""Tests for geo.read.markup: HTML and Markdown -> readable text, title and metadata date."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from geo.errors import DocumentError
from geo.read import markup
from geo.read.document import document_from_html, read_document
from tests.read.articles import HTML, sentences_of, write

D = datetime.date


def test_html_with_metadata() -> None:
    doc = document_from_html(HTML, source="kim.html")
    assert doc.title == "Kims Zug in Wladiwostok"
    assert doc.published == D(2024, 3, 5) and doc.published_source == "metadata"
    assert "Er erreichte Wladiwostok nach zwei Tagen." in doc.text
    assert "Chassan" in doc.text
    assert "SCRIPT" not in doc.text and "STYLE" not in doc.text and "color" not in doc.text
    assert not doc.text.startswith("Kims Zug in Wladiwostok\n")  # the title is not prepended
    assert doc.language == "de" and doc.source == "kim.html"


def test_html_without_metadata_uses_dateline(tmp_path: Path) -> None:
    html = (
        "<html><body><p>BERLIN, 5. März 2024 – Die Regierung hat am Dienstag neue Regeln "
        "für den Bahnverkehr nach Polen beschlossen. Sie gelten ab Juni.</p></body></html>"
    )
    doc = read_document(write(tmp_path, "a.htm", html))
    assert doc.published == D(2024, 3, 5) and doc.published_source == "dateline"
    assert doc.text.startswith("BERLIN, 5. März 2024 – Die Regierung")


def test_html_fallback_to_visible_text() -> None:
    html = "<html><body><script>var x = 'HIDDEN';</script><div>Kurz.</div><div>Berlin.</div></body></html>"
    body = markup._visible_text(markup._parse_html(html)[0])
    assert "HIDDEN" not in body and "Kurz." in body and "Berlin." in body
    doc = document_from_html(html)
    assert "HIDDEN" not in doc.text and "Berlin." in doc.text


def test_xhtml_with_xml_declaration() -> None:
    xhtml = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        "<head><title>T</title></head><body><p>Kurz in Minsk.</p></body></html>"
    )
    assert "Kurz in Minsk." in markup._visible_text(markup._parse_html(xhtml)[0])
    assert document_from_html(xhtml, language="de").text == "Kurz in Minsk."


def test_html_empty_body_is_empty_text() -> None:
    with pytest.raises(DocumentError, match="empty text"):
        document_from_html("<html><head><title>Nur Titel</title></head><body></body></html>")


def nested(depth: int, inner: str = "<p>Kim fuhr von Berlin nach Wien.</p>", before: str = "") -> str:
    return (
        f"<html><body>{before}{'<div>' * depth}{inner}{'</div>' * depth}<p>Danach fuhr er nach Prag.</p></body></html>"
    )


@pytest.mark.parametrize("depth", [300, 100_000])
def test_html_nested_too_deeply_says_so_instead_of_empty_text(tmp_path: Path, depth: int) -> None:
    message = "deep.html: the HTML is nested too deeply (more than 256 elements inside one another)"
    with pytest.raises(DocumentError) as caught:
        document_from_html(nested(depth), source="deep.html")
    assert str(caught.value) == message
    with pytest.raises(DocumentError) as caught:
        read_document(write(tmp_path, "deep.html", nested(depth)))
    assert str(caught.value) == str(tmp_path / message)


def test_html_cut_short_by_the_parser_is_refused_not_read_in_part() -> None:
    page = nested(300, before="<p>Kim fuhr gestern mit dem Zug von Pjöngjang nach Wladiwostok.</p>")
    with pytest.raises(DocumentError, match="nested too deeply"):  # the text after the nesting would be lost
        document_from_html(page)
    assert "Prag" in document_from_html(nested(200)).text  # as deep as the parser goes: read whole


def test_html_with_control_characters_in_its_text_is_read() -> None:
    """lxml's tree holds a form feed but refuses to be given one, and the visible-text reading sets texts."""
    root, problem = markup._parse_html(
        "<html><body><div>Kim\x0cfuhr nach\x0bWien.</div><div>\x01Prag.</div></body></html>"
    )
    assert problem is None and markup._paragraphs(markup._visible_text(root)) == "Kim fuhr nach Wien.\n\nPrag."
    with pytest.raises(DocumentError, match="^empty text$"):
        document_from_html("<p>\x0c")  # trafilatura finds nothing: the visible text is read


@pytest.mark.parametrize(
    "unit", ["**a ", "__a ", "[", "[a](", "![", "<!--", "<https://", "*a ", "`a ", "# a #"], ids=repr
)
def test_markdown_of_one_long_line_of_unclosed_marks_is_read_in_one_pass(unit: str) -> None:
    """Each unclosed mark was once looked for to the end of its line: 200,000 characters of them took
    minutes (quadratic); now each search stops at the next mark."""
    line = unit * (200_000 // len(unit))
    text, _title, _date = markup.markdown_to_text(line + "\n\nKim fuhr nach Wien.")
    assert text.endswith("Kim fuhr nach Wien.") and len(text) > 100_000


@pytest.mark.parametrize(
    "markdown, text",
    [
        ("***fett kursiv*** und **fett** und __unter__ und *schräg*", "fett kursiv und fett und unter und schräg"),
        ("**Wien**: 5 **Berlin** | 2 ** 3 ** 4 | __init__", "Wien: 5 Berlin | 2 ** 3 ** 4 | init"),
        ("[Foo](https://de.wikipedia.org/wiki/Foo_(Bar)) und ![Bild](a.png) und [ref][1]", "Foo und Bild und ref"),
        ("<!-- Notiz --> Text <https://example.org/a>", " Text https://example.org/a"),
    ],
)
def test_markdown_marks_are_dropped_and_a_link_target_may_hold_parentheses(markdown: str, text: str) -> None:
    assert markup.markdown_to_text(markdown)[0] == text


def test_markdown_file(tmp_path: Path) -> None:
    markdown = (
        "---\ntitle: Kims Reise\ndate: 2023-09-13\n---\n"
        "# Der Zug nach Wladiwostok\n\n"
        "Kim fuhr mit dem **Panzerzug** von [Pjöngjang](https://example.org/p) los.\n"
        "- Erste Station: Tumangang\n- Zweite Station: Chassan\n"
    )
    doc = read_document(write(tmp_path, "kim.md", markdown))
    assert sentences_of(doc.text) == [
        "Der Zug nach Wladiwostok",
        "Kim fuhr mit dem Panzerzug von Pjöngjang los.",
        "Erste Station: Tumangang",
        "Zweite Station: Chassan",
    ]
    assert doc.title == "Kims Reise"
    assert doc.published == D(2023, 9, 13) and doc.published_source == "metadata"
    assert "https" not in doc.text and "**" not in doc.text
