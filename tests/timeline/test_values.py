"""TIMEX3 values: their calendar intervals, and years before Christ."""

from __future__ import annotations

import datetime
import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geo.timeline.values
from geo.errors import CalendarError
from geo.timeline.values import LAST_AD_YEAR, internal_interval, interval, shifted
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


# -- the edges of the calendar (issue 23): counting never fails, it leaves the calendar ----------------

UNITS = ("CE", "DE", "Y", "Q", "M", "W", "WE", "D", "H", "MIN", "S")


@given(
    day=st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)),
    amount=st.integers(-20_000, 20_000) | st.integers(-(10**400), 10**400),
    unit=st.sampled_from(UNITS),
)
@settings(max_examples=400, deadline=None)
def test_a_shift_gives_a_date_of_the_same_era_or_a_calendar_error(day, amount, unit):
    try:
        moved = shifted(day, amount, unit)
    except CalendarError as error:
        assert "leaves the calendar" in str(error)
    else:
        assert (moved.year > LAST_AD_YEAR) == (day.year > LAST_AD_YEAR)


@pytest.mark.parametrize(
    "day, amount, unit",
    [
        (datetime.date(1, 1, 1), -2, "Y"),  # "two years earlier" than AD 1
        (datetime.date(1, 1, 1), -1, "D"),
        (datetime.date(9999, 12, 31), 1, "D"),  # after BC 1
        (datetime.date(9999, 6, 1), 2, "Y"),
        (datetime.date(LAST_AD_YEAR, 12, 31), 1, "D"),  # AD 6999 on is no BC 3000
        (datetime.date(LAST_AD_YEAR + 1, 1, 1), -1, "M"),
        (datetime.date(2023, 9, 12), 10**400, "W"),  # a number too large to count
    ],
)
def test_a_shift_off_the_calendar_raises_a_calendar_error(day, amount, unit):
    with pytest.raises(CalendarError):
        shifted(day, amount, unit)


@given(
    year=st.integers(0, 10_000),
    second=st.sampled_from(["", "SP", "SU", "FA", "WI", "Q1", "Q4", "W01", "W52", "W53", "W53-WE", "01", "12"]),
    mod=st.sampled_from([None, "START", "MID", "END"]),
)
@settings(max_examples=300, deadline=None)
def test_every_value_at_the_edges_has_an_interval_or_none(year, second, mod):
    value = f"{year:04d}-{second}" if second else f"{year:04d}"
    span = interval(value, mod)
    assert span is None or span[0] <= span[1]


def test_the_last_week_and_month_of_the_calendar():
    assert interval("9999-12") == (datetime.date(9999, 12, 1), datetime.date(9999, 12, 31))
    assert internal_interval("9999-W52") is None  # it ends in the year 10000
    assert interval("0001-W01") == (datetime.date(1, 1, 1), datetime.date(1, 1, 7))
