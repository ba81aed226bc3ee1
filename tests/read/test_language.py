"""Tests for geo.read.language: which language an article is written in."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.lang import add_data_dir, remove_data_dir
from geo.read import language
from geo.read.document import document_from_text
from geo.read.language import detect_language
from tests.read.articles import ENGLISH, FRENCH, GERMAN


@pytest.mark.parametrize("text, expected", [(GERMAN, "de"), (ENGLISH, "en"), (FRENCH, "fr")])
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected
    assert document_from_text(text).language == expected


def test_detect_language_short_texts() -> None:
    assert detect_language("Grüße aus Köln") == "de"
    assert detect_language("Hello from London") == "en"
    assert detect_language("12.9.2023 - 45") == "en"  # nothing to go on: documented default
    assert detect_language("Поезд прибыл во Владивосток") == "ru"  # short, but not Latin script


def test_clear_german_or_english_is_decided_by_function_words_without_the_model() -> None:
    german = "Der Zug fuhr am Abend von der Grenze nach Osten und hielt nicht an. " * 4
    english = "The train left the border in the evening and did not stop for the night. " * 4
    assert language._function_word_vote(german) == "de"
    assert language._function_word_vote(english) == "en"
    french = "Le train est parti de la frontière le soir et ne s'est pas arrêté de la nuit. " * 4
    assert language._function_word_vote(french) is None
    assert detect_language(french) == "fr"


def test_the_voters_are_the_languages_with_function_words(tmp_path: Path) -> None:
    """A language votes by having a function_words.txt in its folder: no list of languages in code."""
    (tmp_path / "zz").mkdir()
    (tmp_path / "zz" / "language.toml").write_text('name = "Testish"\n', encoding="utf-8")
    (tmp_path / "zz" / "function_words.txt").write_text(
        "# Testish. FORMAT: one word per line.\nblip\nblop\n", encoding="utf-8"
    )
    testish = "blip blop train " * 20
    add_data_dir(tmp_path)
    try:
        assert "zz" in language._voting_languages()
        assert language._function_word_vote(testish) == "zz"
        assert detect_language(testish) == "zz"
    finally:
        remove_data_dir(tmp_path)
    assert "zz" not in language._voting_languages()
