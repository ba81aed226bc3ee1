"""The start index: patterns tried only where they can start find what a full scan finds."""

from __future__ import annotations

import geo.timeline.extraction
import geo.timeline.grammar
from geo.timeline.extraction import find_timexes
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
