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
    body = markup._visible_text(html)
    assert "HIDDEN" not in body and "Kurz." in body and "Berlin." in body
    doc = document_from_html(html)
    assert "HIDDEN" not in doc.text and "Berlin." in doc.text


def test_xhtml_with_xml_declaration() -> None:
    xhtml = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        "<head><title>T</title></head><body><p>Kurz in Minsk.</p></body></html>"
    )
    assert "Kurz in Minsk." in markup._visible_text(xhtml)
    assert document_from_html(xhtml, language="de").text == "Kurz in Minsk."


def test_html_empty_body_is_empty_text() -> None:
    with pytest.raises(DocumentError, match="empty text"):
        document_from_html("<html><head><title>Nur Titel</title></head><body></body></html>")


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
