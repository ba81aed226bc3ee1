"""The rule files: data/<lang>/toponyms.txt and demonyms.tsv, read and checked; calendar words."""

from __future__ import annotations

import pytest

from geo.errors import RulesError
from geo.lang.registry import add_data_dir, remove_data_dir
from geo.places.rules import calendar_words, read_rule_file, rules_for, toponym_examples


def test_months_are_not_places(small_gazetteer):
    assert "march" in calendar_words("en") and "juni" in calendar_words("de")


def test_rule_files_load_and_validate(tmp_path):
    for language in ("de", "en"):
        rules = rules_for(language)
        assert rules.place_prepositions and rules.genitive_suffixes
        assert list(rules.genitive_suffixes) == sorted(rules.genitive_suffixes, key=lambda s: (-len(s), s))
    bad = tmp_path / "toponyms.txt"
    bad.write_text("[connectors]\nan der\n[nonsense]\nx\n", encoding="utf-8")
    with pytest.raises(RulesError, match="toponyms.txt:3: unknown section"):
        read_rule_file(bad)
    bad.write_text("orphan\n", encoding="utf-8")
    with pytest.raises(RulesError, match="toponyms.txt:1: entry 'orphan' before any"):
        read_rule_file(bad)


def test_unknown_language_uses_both_rule_sets():
    rules = rules_for("fr")
    assert "nach" in rules.place_prepositions and "from" in rules.place_prepositions


def test_a_language_without_rules_of_its_own_takes_the_calendar_languages_of_the_rules_it_reads():
    assert {"mars", "juin", "march", "may"} <= calendar_words("fr") and "juni" not in calendar_words("fr")


def test_examples_are_read_from_the_last_section_and_not_as_rules():
    rules, examples = rules_for("en"), toponym_examples("en")
    assert not any("[" in entry for entry in rules.common_words | rules.not_places)
    nice = next(e for e in examples if e.text == "Mission accomplished, the mayor of Nice said.")
    assert nice.positive and [nice.text[s:e] for s, e in nice.spans] == ["Nice"]
    assert any(not e.positive and not e.spans for e in examples)


@pytest.mark.parametrize(
    "line, message",
    [
        ("  + Nobody went anywhere.", "toponyms.txt:4: a '\\+' example marks"),
        ("  + To [Berlin]. => Berlin", "toponyms.txt:4: a toponym example has no '=> ...'"),
        ("  * To [Berlin].", "toponyms.txt:4: an example starts with"),
    ],
)
def test_a_bad_example_names_file_and_line(tmp_path, line, message):
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "language.toml").write_text('name = "Testish"\n', encoding="utf-8")
    (tmp_path / "xx" / "toponyms.txt").write_text(f"[place_prepositions]\nzu\n[examples]\n{line}\n", encoding="utf-8")
    add_data_dir(tmp_path)
    try:
        with pytest.raises(RulesError, match=message):
            toponym_examples("xx")
    finally:
        remove_data_dir(tmp_path)


def test_a_language_added_later_reads_its_own_rules(tmp_path):
    """Loaders and per-word caches are keyed by the language code and start afresh when a data
    folder is added: what was read for "xx" before (the fallbacks' rules) is not kept."""
    from geo.places.wordclasses import is_common_word

    assert "zu" not in rules_for("xx").place_prepositions and not is_common_word("Zorblat", "xx")
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "language.toml").write_text('name = "Testish"\n', encoding="utf-8")
    (tmp_path / "xx" / "toponyms.txt").write_text(
        "[place_prepositions]\nzu\n[common_words]\nZorblat\n[examples]\n  + Wir fahren zu [Berlin].\n  - Zorblat.\n",
        encoding="utf-8",
    )
    add_data_dir(tmp_path)
    try:
        assert rules_for("xx").place_prepositions == ("zu",) and is_common_word("Zorblat", "xx")
        assert [(e.positive, e.spans) for e in toponym_examples("xx")] == [(True, ((14, 20),)), (False, ())]
    finally:
        remove_data_dir(tmp_path)
    assert "zu" not in rules_for("xx").place_prepositions and not is_common_word("Zorblat", "xx")


def test_the_rules_know_the_language_abbreviations():
    """Recognition reads abbreviations.txt through the rules: "Mio." is never Mio (Michigan)."""
    assert "mio." in rules_for("de").abbreviations and "nr." in rules_for("de").abbreviations
    assert "ky." in rules_for("en").abbreviations


def test_german_counts_a_place_in_a_compound_as_its_modifier_english_as_a_mention():
    from geo.lang.registry import language

    assert language("de").compound_place_is_modifier and not language("en").compound_place_is_modifier


def test_historic_spellings_and_dative_plurals_are_read_from_the_rules(tmp_path):
    from geo.places.candidates import _modern_spelling
    from geo.places.rules import _dative_plural

    spellings = rules_for("de").historic_spellings
    assert _modern_spelling("Oesterreich", spellings) == "Österreich"
    assert _modern_spelling("Kaiserreich Oesterreich", spellings) == "Kaiserreich Österreich"
    assert _modern_spelling("OEL", spellings) is None and _modern_spelling("Oe", spellings) is None
    assert _modern_spelling("Japan", spellings) is None  # J before a vowel is a J
    assert _dative_plural("Vereinigte Arabische Emirate") == "Vereinigten Arabischen Emiraten"
    assert rules_for("de").plural_datives["niederlanden"] == "Niederlande"
    bad = tmp_path / "toponyms.txt"
    bad.write_text("[historic_spellings]\nOe = Ö\n", encoding="utf-8")
    with pytest.raises(RulesError, match="toponyms.txt:2: expected 'written -> today'"):
        read_rule_file(bad)


@pytest.mark.parametrize("entry", ["Champions League", "Play-offs"])
def test_a_sports_word_is_one_word_without_a_hyphen(tmp_path, entry):
    """Sentences are read word by word, hyphenated words by their parts: such an entry could never match."""
    bad = tmp_path / "toponyms.txt"
    bad.write_text(f"[sports_words]\nTrainer\n{entry}\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"toponyms.txt:3: expected one word without a hyphen in \[sports_words\]"):
        read_rule_file(bad)
