"""Extraction: spans found in one pass, and the tense of the clause that a weekday or month follows."""

from __future__ import annotations

import pytest

from geo.timeline.events import tag_text
from geo.timeline.extraction import find_timexes
from tests.timeline.tagging import TUESDAY, values


@pytest.mark.parametrize(
    "sentence, value",
    [
        ("Am Dienstag hatte die Regierung gewarnt.", "2023-09-12"),  # the publication day itself
        ("Er war am Sonntag angekommen.", "2023-09-10"),
        ("Am Donnerstag wird der Präsident erwartet.", "2023-09-14"),
        ("Die Bahn streikt ab Mittwoch.", "2023-09-13"),
        ("Am Freitag ist Markttag.", "2023-09-15"),  # no tense: the nearer Friday
    ],
)
def test_weekdays_follow_the_tense(sentence, value):
    assert values(sentence)[0][1] == value


def test_a_huge_text_is_tagged_in_one_pass():
    text = "Am 4. Juli 1861 stimmte der Kongress zu. " * 5000
    found = tag_text(text, "de", TUESDAY)
    assert len(found) == 5000 and all(t.value == "1861-07-04" for t in found)


def test_spans_are_exact_and_in_text_order():
    text = "Seit 2019 fährt der Zug; am 12. September 2023 fuhr er zweimal, gestern nicht."
    found = find_timexes(text, "de")
    assert all(text[t.start : t.end] == t.text for t in found)
    assert [t.start for t in found] == sorted(t.start for t in found)
    assert found[0].text == "2019" and text[found[0].phrase_start : found[0].start] == "Seit "
