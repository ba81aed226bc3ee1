"""Every example in data/<lang>/timex.txt runs through the whole tagger (extract, then anchor)."""

import pytest

from geo.lang import languages_with
from geo.timeline.events import tag_text
from geo.timeline.grammar import TIMEX_FILE, grammar_for

CASES = [(lang, example) for lang in languages_with(TIMEX_FILE) for example in grammar_for(lang).examples]


def _id(case):
    lang, example = case
    return f"{lang}:{example.line}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_example(case):
    lang, example = case
    found = tag_text(example.sentence, lang, example.reference, narrative=example.narrative)
    marked = example.sentence[example.start : example.end]
    overlapping = [t for t in found if t.start < example.end and example.start < t.end]
    described = [(t.text, t.value, t.type, t.mod) for t in found]
    if not example.positive:
        assert not overlapping, f"data/{lang}/timex.txt:{example.line}: {marked!r} must not be a timex: {described}"
        return
    exact = [t for t in overlapping if (t.start, t.end) == (example.start, example.end)]
    assert exact, f"data/{lang}/timex.txt:{example.line}: expected extent {marked!r}, found {described}"
    timex = exact[0]
    assert timex.value == example.value, f"data/{lang}/timex.txt:{example.line}: {marked!r} -> {timex.value}"
    if example.type:
        assert timex.type == example.type, f"data/{lang}/timex.txt:{example.line}: type {timex.type}"
    assert timex.mod == example.mod, f"data/{lang}/timex.txt:{example.line}: mod {timex.mod}"


def test_every_language_has_examples_for_every_pattern():
    for lang in languages_with(TIMEX_FILE):
        grammar = grammar_for(lang)
        lines = sorted(rule.line for rule in grammar.rules)
        example_lines = [example.line for example in grammar.examples if example.positive]
        for rule, next_line in zip(sorted(grammar.rules, key=lambda r: r.line), lines[1:] + [10**9]):
            assert any(rule.line < line < next_line for line in example_lines), (
                f"data/{lang}/timex.txt:{rule.line}: pattern {rule.name!r} has no positive example"
            )
