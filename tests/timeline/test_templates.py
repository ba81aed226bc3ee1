"""Templates: the pattern syntax compiled, and read for where a match starts and what it needs."""

from __future__ import annotations

import doctest

import regex

import geo.timeline.templates
from geo.timeline.templates import alternation, squeeze


def test_doctests():
    assert doctest.testmod(geo.timeline.templates).failed == 0


def test_a_table_is_one_alternation_that_prefers_longer_forms_and_capitalises_lower_case_ones():
    pattern = regex.compile(alternation({"mai": "5", "maienzeit": "x", "Sept.": "9"}))
    assert pattern.match("Maienzeit")[0] == "Maienzeit"
    assert pattern.match("mai")[0] == "mai" and pattern.match("sept.") is None
    assert squeeze("ein \t paar") == "ein paar"
