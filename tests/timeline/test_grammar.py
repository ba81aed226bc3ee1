"""The grammar: data/<lang>/timex.txt read, validated line by line, compiled once per language."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from geo.errors import TimexRulesError
from geo.lang import FALLBACK_LANGUAGES, language_file
from geo.timeline.events import tag_text
from geo.timeline.grammar import TIMEX_FILE, grammar_for, read_grammar
from tests.timeline.tagging import TUESDAY, values


def test_a_bad_rule_file_names_its_line(tmp_path: Path):
    bad = tmp_path / "timex.txt"
    bad.write_text("[patterns]\nyear\t{year}\tDATE\tdate\nbroken\t{nonsense}\tDATE\tdate\n", encoding="utf-8")
    with pytest.raises(TimexRulesError, match=r"timex.txt:3: unknown macro"):
        read_grammar(bad, "de")
    bad.write_text("[patterns]\nyear\t{year}\tDATUM\tdate\n", encoding="utf-8")
    with pytest.raises(TimexRulesError, match=r"timex.txt:2: unknown type"):
        read_grammar(bad, "de")


def test_a_pattern_compiles_on_first_use_and_a_bad_one_names_its_line(tmp_path: Path):
    bad = tmp_path / "timex.txt"
    bad.write_text("[patterns]\nyear\t{year}\tDATE\tdate\nbroken\tjemals (\tDATE\tdate\n", encoding="utf-8")
    grammar = read_grammar(bad, "de")  # read and checked, not compiled yet
    assert grammar.rules[0].pattern.match("2019").group() == "2019"
    with pytest.raises(TimexRulesError, match=r"timex.txt:3: bad pattern 'jemals \('"):
        grammar.compile()


@pytest.mark.parametrize("code", sorted({code for code in FALLBACK_LANGUAGES} | {"de", "en"}))
def test_every_pattern_of_the_shipped_rules_compiles(code: str):
    grammar_for(code).compile()
    assert all(rule.pattern.compile() is rule.pattern.compile() for rule in grammar_for(code).rules)


@pytest.mark.parametrize(
    "example, message",
    [
        ("  + In [2019] und [2020] => 2019", r"timex.txt:3: an example marks exactly one \[span\]"),
        ("  - Nichts hier.", r"timex.txt:3: an example marks exactly one \[span\]"),
        ("  + Im Jahr [2019].", r"timex.txt:3: a positive example needs '=> <value>'"),
        ("  - Im Jahr [2019]. => 2019", r"timex.txt:3: a negative example expects nothing"),
        ("  + Im Jahr [2019]. => 2019 DATUM", r"timex.txt:3: unknown example option 'DATUM'"),
        ("  * Im Jahr [2019]. => 2019", r"timex.txt:3: an example starts with '\+ ' or '- '"),
    ],
)
def test_a_bad_example_names_its_line(tmp_path: Path, example: str, message: str):
    bad = tmp_path / "timex.txt"
    bad.write_text(f"[patterns]\nyear\t{{year}}\tDATE\tdate\n{example}\n", encoding="utf-8")
    with pytest.raises(TimexRulesError, match=message):
        read_grammar(bad, "de")


def test_an_example_line_gives_its_extent_value_and_options(tmp_path: Path):
    rules = tmp_path / "timex.txt"
    rules.write_text(
        "[settings]\nreference\t2023-09-12\n[patterns]\nyear\t{year}\tDATE\tdate\n"
        "  + Im Jahr [2019] war es. => 2019 DATE mod=START @2020-01-02 narrative\n"
        "  - Im Jahr [19] war es.\n",
        encoding="utf-8",
    )
    positive, negative = read_grammar(rules, "de").examples
    assert (positive.line, positive.sentence, positive.sentence[positive.start : positive.end]) == (
        5,
        "Im Jahr 2019 war es.",
        "2019",
    )
    assert (
        positive.positive,
        positive.value,
        positive.type,
        positive.mod,
        positive.reference.isoformat(),
        positive.narrative,
    ) == (True, "2019", "DATE", "START", "2020-01-02", True)
    assert (negative.positive, negative.value, negative.sentence[negative.start : negative.end]) == (False, None, "19")
    assert negative.reference.isoformat() == "2023-09-12"


def test_an_unknown_language_uses_the_english_rules_for_digits():
    assert values("Le traité du 2023-09-12.", "fr", None) == [("2023-09-12", "2023-09-12")]


def test_a_language_without_rules_shares_the_compiled_rules_of_the_fallback():
    code, _ = language_file("xx", TIMEX_FILE)
    assert code == FALLBACK_LANGUAGES[0]
    assert grammar_for("xx") is grammar_for(code) and grammar_for(code).language == code


def test_tagging_leaves_the_grammar_as_it_was():
    """Frozen objects hold no caches: what the tagger learns about words is kept outside them."""
    grammar = grammar_for("de")
    before = copy.deepcopy((grammar.tables, grammar.starts.trie, grammar.rules))
    tag_text("Am Dienstag kam er an; gestern ging er, vor vier Jahren war er schon einmal da.", "de", TUESDAY)
    assert (grammar.tables, grammar.starts.trie, grammar.rules) == before
    assert not any(
        isinstance(value, (dict, list, set))
        for value in vars(grammar.starts).values()
        if value is not grammar.starts.trie
    )
