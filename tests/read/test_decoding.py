"""Tests for geo.read.decoding: bytes -> text, with or without a byte order mark."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.errors import DocumentError
from geo.read.decoding import decode_bytes
from geo.read.document import read_document
from tests.read.articles import sentences_of, write

UMLAUTS = "Grüße aus Köln: „Die Straße ist gesperrt“, sagte die Ärztin.\n"


@pytest.mark.parametrize(
    "encoded",
    [
        UMLAUTS.encode("utf-8"),
        b"\xef\xbb\xbf" + UMLAUTS.encode("utf-8"),
        b"\xff\xfe" + UMLAUTS.encode("utf-16-le"),
        b"\xfe\xff" + UMLAUTS.encode("utf-16-be"),
        UMLAUTS.encode("utf-16-le"),  # no BOM
        UMLAUTS.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-16-le-no-bom", "cp1252"],
)
def test_decode_bytes_encodings(encoded: bytes) -> None:
    assert decode_bytes(encoded) == UMLAUTS


def test_decode_bytes_latin1_french() -> None:
    text = "Le café à Genève: très réputé, où l'été est doux. Grüße!"
    assert decode_bytes(text.encode("latin-1")) == text


def test_decode_bytes_short_cp1252_word() -> None:
    assert decode_bytes("Schöne Grüße".encode("cp1252")) == "Schöne Grüße"


def test_decode_bytes_cyrillic_cp1251_is_not_read_as_cp1252() -> None:
    text = "Поезд Ким Чен Ына прибыл во Владивосток после долгой поездки из Пхеньяна."
    assert decode_bytes(text.encode("cp1251")) == text


def test_decode_bytes_bad_utf16_bom_is_reported() -> None:
    with pytest.raises(DocumentError, match="UTF-16"):
        decode_bytes(b"\xff\xfe\x00\xd8")  # a lone surrogate


def test_utf32_bom() -> None:
    assert decode_bytes("\ufeffKöln".encode("utf-32-le")) == "Köln"


def test_read_document_utf16_file_and_crlf(tmp_path: Path) -> None:
    data = "\ufeffErster Satz.\r\nZweiter Satz.\r\n".encode("utf-16-le")
    doc = read_document(write(tmp_path, "a.txt", data), language="de")
    assert doc.text == "Erster Satz.\nZweiter Satz.\n"
    assert sentences_of(doc.text) == ["Erster Satz.", "Zweiter Satz."]
