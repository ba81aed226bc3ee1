"""TIMEX3 values: their calendar intervals, and years before Christ."""

from __future__ import annotations

import doctest

import pytest

import geo.timeline.values
from geo.timeline.values import interval
from tests.timeline.tagging import values


def test_doctests():
    assert doctest.testmod(geo.timeline.values).failed == 0


@pytest.mark.parametrize(
    "value, mod, first, last",
    [
        ("2019", None, "2019-01-01", "2019-12-31"),
        ("2019-04", None, "2019-04-01", "2019-04-30"),
        ("2024-02", None, "2024-02-01", "2024-02-29"),
        ("2022-SP", None, "2022-03-01", "2022-05-31"),
        ("2022-WI", None, "2022-12-01", "2023-02-28"),
        ("2024-Q1", None, "2024-01-01", "2024-03-31"),
        ("2023-W37", None, "2023-09-11", "2023-09-17"),
        ("2023-W37-WE", None, "2023-09-16", "2023-09-17"),
        ("199", None, "1990-01-01", "1999-12-31"),
        ("19", None, "1900-01-01", "1999-12-31"),
        ("2023-09-12T14:30", None, "2023-09-12", "2023-09-12"),
        ("2024-05", "START", "2024-05-01", "2024-05-11"),
        ("2025", "END", "2025-09-01", "2025-12-31"),
    ],
)
def test_intervals(value, mod, first, last):
    span = interval(value, mod)
    assert (span[0].isoformat(), span[1].isoformat()) == (first, last)


@pytest.mark.parametrize("value", ["PAST_REF", "FUTURE_REF", "P3D", "XXXX-08", "BC0218", "XXXX-WXX-2"])
def test_values_off_the_calendar_have_no_interval(value):
    assert interval(value) is None


def test_bc_years_count_forward():
    text = "Im Jahr 218 v. Chr. zog Hannibal über die Alpen. Ein Jahr später siegte er am Trasimenischen See."
    assert [v for _, v in values(text, narrative=True)] == ["BC0218", "BC0217"]
