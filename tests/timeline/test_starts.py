"""The start index: patterns tried only where they can start find what a full scan finds."""

from __future__ import annotations

from pathlib import Path

import geo.timeline.extraction
import geo.timeline.grammar
from geo.timeline.extraction import find_timexes
from geo.timeline.starts import StartIndex
from tests.conftest import SAMPLES


def test_the_start_index_finds_what_a_full_scan_of_every_pattern_finds(monkeypatch):
    """Patterns are tried only where their first macro or word starts (a speed-up): on every sample
    article that must give exactly what scanning the whole text with every pattern gives."""
    articles = []
    for path in sorted(SAMPLES.glob("*.txt")):
        articles.append((path.read_text(encoding="utf-8"), path.name[:2]))
    fast = [find_timexes(text, language) for text, language in articles]
    monkeypatch.setattr(
        geo.timeline.extraction, "_rule_matches", lambda rule, text, starts: rule.pattern.finditer(text)
    )
    monkeypatch.setattr(geo.timeline.grammar.Rule, "required", ())
    assert [find_timexes(text, language) for text, language in articles] == fast


def test_a_start_that_must_end_a_word_is_only_where_a_form_ends_one():
    """The form "a" starts "and" ("{number}s" might match there), but a pattern that needs a space
    after {number} cannot: its start ("number$") is only where a form ends a word, across words too."""
    index = StartIndex.build({"number", "number$"}, {"numbers": {"a": "1", "ein paar": "2"}}, Path("timex.txt"))
    found = index.positions("and a, ein paarmal ein paar 3", {})
    assert found["number"] == [0, 4, 7, 19, 28] and found["number$"] == [4, 19, 28]
