"""Recipes: what a matched pattern makes, and the one table of their names the grammar checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.errors import TimexRulesError
from geo.timeline.grammar import grammar_for, read_grammar
from geo.timeline.recipes import RECIPES, Pending


def test_the_grammar_accepts_exactly_the_recipes_of_the_table(tmp_path: Path):
    bad = tmp_path / "timex.txt"
    bad.write_text("[patterns]\nyear\t{year}\tDATE\tcook\n", encoding="utf-8")
    with pytest.raises(TimexRulesError, match=r"timex.txt:2: unknown recipe 'cook' \(one of date, shift, .*=\)"):
        read_grammar(bad, "de")
    used = {rule.recipe for language in ("de", "en") for rule in grammar_for(language).rules}
    assert used <= set(RECIPES)


def test_a_recipe_makes_a_finished_value_or_a_pending_expression():
    assert RECIPES["date"]({"year": 2019, "month": 4}, ()) == ("2019-04", None)
    assert RECIPES["date"]({"year": 2023, "month": 2, "day": 31}, ()) is None  # no such day
    assert RECIPES["shift"]({"number": 4, "unit": "Y"}, ("-1",)) == (None, Pending("shift", "Y", -4, sign=-1))
    assert RECIPES["duration"]({"number": 3, "unit": "D"}, ()) == ("P3D", None)
    assert RECIPES["="]({}, ("PRESENT_REF",)) == ("PRESENT_REF", None)


def test_a_year_the_calendar_does_not_hold_makes_no_date():
    """AD 7000 on would read as a year before Christ (BC_OFFSET - n), BC 3001 on as a year after."""
    assert RECIPES["date"]({"year": 6999}, ()) == ("6999", None)
    assert RECIPES["date"]({"bc_year": 3000}, ()) == ("BC3000", None)
    for groups in ({"year": 9999}, {"year": 7000}, {"year": 0}, {"bc_year": 3001}, {"bc_year": 0}):
        assert RECIPES["date"](groups, ()) is None, groups


def test_a_half_goes_to_the_next_smaller_unit_and_a_set_keeps_its_month_or_part_of_day():
    assert RECIPES["duration"]({"number": 2, "unit": "Y"}, ("half",)) == ("P2Y6M", None)
    assert RECIPES["duration"]({"number": 1, "unit": "MIN"}, ("half",)) == ("PT1M30S", None)
    assert RECIPES["duration"]({"number": 2, "unit": "W"}, ("half",)) is None  # 3.5 days: no value
    assert RECIPES["duration"]({"number": "X", "unit": "Y"}, ("half",)) is None
    assert RECIPES["set"]({"month": 7}, ()) == ("XXXX-07", None)
    assert RECIPES["set"]({"weekday": 2, "part": "NI"}, ()) == ("XXXX-WXX-2TNI", None)


def test_a_weekday_recipe_may_fix_the_tense():
    _, pending = RECIPES["weekday"]({"weekday": 4}, ("past",))
    assert pending.tense == "past" and pending.field("shift") == 0
    assert RECIPES["weekday"]({"weekday": 4}, ())[1].tense is None
