"""TIMEX3 values: formatting calendar fields and dates as values, and values as calendar intervals.

Why a module of its own: extraction, recipes, anchoring and the events all speak TIMEX3 values, and
this is the one place that knows how one is written ("2019-04", "2022-SP", "2023-W37-WE", "BC0218",
"P3D") and which days it covers.

Intervals use the proleptic Gregorian calendar; seasons are meteorological (spring = March to
May); a START, MID or END modifier narrows an interval to its first, middle or last third.
"""

from __future__ import annotations

import calendar
import datetime

from dateutil import relativedelta as relativedelta_weekdays
from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from geo.errors import CalendarError

__all__ = [
    "BC_OFFSET",
    "LAST_AD_YEAR",
    "SEASON_MONTHS",
    "duration_value",
    "format_date",
    "format_fields",
    "half_more_duration",
    "internal_interval",
    "interval",
    "shifted",
    "time_suffix",
    "year_text",
]

SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
PARTS_OF_DAY = ("MO", "MI", "AF", "EV", "NI")
_TIME_UNITS = {"H", "MIN", "S"}
BC_OFFSET, LAST_AD_YEAR = 10000, 6999
_STEPS = {  # a unit of calendar arithmetic, as the field of relativedelta it counts and how many
    "CE": ("years", 100),
    "DE": ("years", 10),
    "Y": ("years", 1),
    "Q": ("months", 3),
    "M": ("months", 1),
    "W": ("weeks", 1),
    "WE": ("weeks", 1),
    "D": ("days", 1),
    "H": ("hours", 1),
    "MIN": ("minutes", 1),
    "S": ("seconds", 1),
}


def duration_value(amount: int | None, unit: str) -> str:
    """A TIMEX3 duration: ``P3D``, ``PT2H``, ``PXW`` (an unknown number of weeks).

    >>> duration_value(3, "D"), duration_value(2, "H"), duration_value(None, "W"), duration_value(6, "M")
    ('P3D', 'PT2H', 'PXW', 'P6M')
    """
    number = "X" if amount is None else str(amount)
    if unit in _TIME_UNITS:
        return f"PT{number}{'M' if unit == 'MIN' else unit}"
    return f"P{number}{unit}"


# Half of a unit in the next smaller one: "two and a half years" is P2Y6M. A week or a month has
# no half in whole smaller units that TIMEX3 writes plainly (3.5 days, about two weeks).
_HALVES = {"CE": (50, "Y"), "DE": (5, "Y"), "Y": (6, "M"), "D": (12, "H"), "H": (30, "MIN"), "MIN": (30, "S")}


def half_more_duration(amount: int, unit: str) -> str | None:
    """A duration of ``amount`` and a half ``unit``s ("2 1/2 years", "a minute and a half"), None
    when half the unit is no whole number of a smaller one.

    >>> half_more_duration(2, "Y"), half_more_duration(1, "MIN"), half_more_duration(1, "D"), half_more_duration(3, "W")
    ('P2Y6M', 'PT1M30S', 'P1DT12H', None)
    """
    if unit not in _HALVES:
        return None
    half, smaller = _HALVES[unit]
    rest = duration_value(half, smaller)  # "PT12H" after "P1D" keeps its "T": P1DT12H
    return duration_value(amount, unit) + rest.removeprefix("PT" if unit in _TIME_UNITS else "P")


def format_fields(fields: dict[str, int | str]) -> str:
    """TIMEX3 value of calendar fields at the granularity given.

    >>> format_fields({"year": 2019, "month": 4})
    '2019-04'
    >>> format_fields({"year": 2023, "month": 9, "day": 12, "hour": 14, "minute": 30})
    '2023-09-12T14:30'
    >>> format_fields({"year": 2022, "season": "SP"}), format_fields({"year": 2023, "week": 37})
    ('2022-SP', '2023-W37')
    """
    year = fields.get("year")
    if "holiday" in fields:
        fields = {**fields, **_holiday(str(fields["holiday"]), None if year is None else int(year))}
    value = "XXXX" if year is None else year_text(int(year))
    if "season" in fields:
        return f"{value}-{fields['season']}"
    if "quarter" in fields:
        return f"{value}-Q{fields['quarter']}"
    if "week" in fields:
        return f"{value}-W{int(fields['week']):02d}"
    if "month" in fields:
        value += f"-{int(fields['month']):02d}"
        if "day" in fields:
            value += f"-{int(fields['day']):02d}"
    return value + time_suffix(fields)


def _holiday(rule: str, year: int | None) -> dict[str, int]:
    """Month and day of a holiday: fixed ("12-25"), counted from Easter Sunday ("E+1", via
    dateutil), or the n-th weekday of a month ("11/4TH": the fourth Thursday of November,
    "05/-1MO": the last Monday of May, via dateutil's relativedelta).

    >>> _holiday("11/4TH", 2023), _holiday("05/-1MO", 2024), _holiday("11/4TH", None)
    ({'month': 11, 'day': 23}, {'month': 5, 'day': 27}, {'month': 11})
    """
    if rule.startswith("E"):
        if year is None or not 1 <= year <= LAST_AD_YEAR:
            return {}
        day = easter(year) + datetime.timedelta(days=int(rule[1:]))
        return {"month": day.month, "day": day.day}
    if "/" in rule:
        month, which = rule.split("/")
        if year is None or not 1 <= year <= LAST_AD_YEAR:
            return {"month": int(month)}
        weekday = getattr(relativedelta_weekdays, which[-2:])(int(which[:-2]))
        first = datetime.date(year, int(month), 1)
        day = first + relativedelta(day=1 if int(which[:-2]) > 0 else 31, weekday=weekday)
        return {"month": day.month, "day": day.day}
    month, day = rule.split("-")
    return {"month": int(month), "day": int(day)}


def time_suffix(fields: dict[str, int | str]) -> str:
    if fields.get("hour") is not None:
        return f"T{int(fields['hour']):02d}:{int(fields.get('minute', 0)):02d}"
    if fields.get("part"):
        return f"T{fields['part']}"
    return ""


def format_date(day: datetime.date, unit: str) -> str:
    """The value of the period of ``unit`` that contains ``day``.

    >>> [format_date(datetime.date(2023, 9, 12), u) for u in ("Y", "Q", "M", "W", "D", "DE", "CE", "WE")]
    ['2023', '2023-Q3', '2023-09', '2023-W37', '2023-09-12', '202', '20', '2023-W37-WE']
    >>> format_date(datetime.date(BC_OFFSET - 218, 1, 1), "CE"), format_date(datetime.date(5, 1, 1), "DE")
    ('BC02', '000')
    """
    year = year_text(day.year)
    if unit in ("CE", "DE"):  # the year's first digits: "20" and "202" for 2023, "BC02" for BC0218
        return year[: -2 if unit == "CE" else -1]
    if unit == "Q":
        return f"{year}-Q{(day.month - 1) // 3 + 1}"
    if unit in ("W", "WE"):
        iso_year, week, _ = day.isocalendar()
        return f"{year_text(iso_year)}-W{week:02d}" + ("-WE" if unit == "WE" else "")
    if unit == "M":
        return f"{year}-{day.month:02d}"
    if unit in ("D", "H", "MIN", "S"):
        return f"{year}-{day.month:02d}-{day.day:02d}"
    return year


def shifted(day: datetime.date, amount: int, unit: str) -> datetime.date:
    """``day`` moved by ``amount`` of ``unit`` (CE, DE, Y, Q, M, W, WE, D, H, MIN, S; a day for any
    other) as calendar arithmetic: months and years keep the day where they can. Every date the
    timeline counts is made here, so that no expression's arithmetic can fail elsewhere.

    The calendar runs from the year 1 to 9999 (Python's dates) and keeps a year before Christ as
    ``BC_OFFSET - n`` (:func:`year_text`): 3000 BC to 1 BC, then AD 1 to AD 6999. A move that
    leaves it, or crosses from one era into the other, raises :class:`~geo.errors.CalendarError`.

    >>> shifted(datetime.date(2023, 9, 12), -4, "Y"), shifted(datetime.date(2024, 1, 31), 1, "M")
    (datetime.date(2019, 9, 12), datetime.date(2024, 2, 29))
    >>> shifted(datetime.date(1, 1, 1), -2, "Y")
    Traceback (most recent call last):
    geo.errors.CalendarError: -2 Y from 0001-01-01 leaves the calendar
    """
    field, size = _STEPS.get(unit, _STEPS["D"])
    try:
        moved = day + relativedelta(**{field: amount * size})
    except (ValueError, OverflowError):  # past the year 1 or 9999, or a number too large to count
        moved = None
    if moved is None or (moved.year > LAST_AD_YEAR) != (day.year > LAST_AD_YEAR):
        shown = amount if abs(amount) < 10**9 else "too many"  # and no number of 5,000 digits to print
        raise CalendarError(f"{shown} {unit} from {day.isoformat()} leaves the calendar")
    return moved


def year_text(year: int) -> str:
    """A year as TIMEX3 writes it; years before Christ are kept internally as ``BC_OFFSET - n`` so
    that calendar arithmetic runs forward ("ein Jahr später" after BC0202 is BC0201).

    >>> year_text(2023), year_text(BC_OFFSET - 218)
    ('2023', 'BC0218')
    """
    return f"BC{BC_OFFSET - year:04d}" if year > LAST_AD_YEAR else f"{year:04d}"


def interval(value: str, mod: str | None = None) -> tuple[datetime.date, datetime.date] | None:
    """First and last day of a value on the calendar (None before Christ: Python dates start at 1)."""
    return None if value.startswith("BC") else internal_interval(value, mod)


def internal_interval(value: str, mod: str | None = None) -> tuple[datetime.date, datetime.date] | None:
    """First and last day a DATE/TIME value covers, narrowed by a START/MID/END modifier; None for
    values that are not on the calendar (PAST_REF, durations, placeholders). A year before Christ
    counts as its internal year (``BC_OFFSET - n``, see :func:`year_text`), so anchoring can count on.

    >>> interval("2019-04")
    (datetime.date(2019, 4, 1), datetime.date(2019, 4, 30))
    >>> interval("2022-SP")
    (datetime.date(2022, 3, 1), datetime.date(2022, 5, 31))
    >>> interval("2025", "END")
    (datetime.date(2025, 9, 1), datetime.date(2025, 12, 31))
    >>> interval("PAST_REF") is None
    True
    """
    if value.startswith("BC") and value[2:6].isdigit():
        value = f"{BC_OFFSET - int(value[2:6]):04d}{value[6:]}"
    span = _plain_interval(value.split("T")[0] if "T" in value[4:] else value)
    if span is None or mod not in ("START", "MID", "END"):
        return span
    first, last = span
    third = (last - first).days // 3
    if third == 0:
        return span
    if mod == "START":
        return first, first + datetime.timedelta(days=third)
    if mod == "END":
        return last - datetime.timedelta(days=third), last
    return first + datetime.timedelta(days=third), last - datetime.timedelta(days=third)


def _plain_interval(value: str) -> tuple[datetime.date, datetime.date] | None:
    parts = value.split("-")
    try:
        if len(parts[0]) == 2 and parts[0].isdigit() and len(parts) == 1:  # century "19"
            return datetime.date(int(parts[0]) * 100, 1, 1), datetime.date(int(parts[0]) * 100 + 99, 12, 31)
        if len(parts[0]) == 3 and parts[0].isdigit() and len(parts) == 1:  # decade "199"
            return datetime.date(int(parts[0]) * 10, 1, 1), datetime.date(int(parts[0]) * 10 + 9, 12, 31)
        if len(parts[0]) != 4 or not parts[0].isdigit():
            return None
        year = int(parts[0])
        if len(parts) == 1:
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        second = parts[1]
        if second in SEASON_MONTHS:
            first_month, last_month = SEASON_MONTHS[second]
            end_year = year + 1 if last_month < first_month else year
            return datetime.date(year, first_month, 1), _month_end(end_year, last_month)
        if second.startswith("Q"):
            quarter = int(second[1:])
            return datetime.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
        if second.startswith("W"):
            monday = datetime.date.fromisocalendar(year, int(second[1:]), 1)
            if len(parts) == 3 and parts[2] == "WE":
                return monday + datetime.timedelta(days=5), monday + datetime.timedelta(days=6)
            return monday, monday + datetime.timedelta(days=6)
        month = int(second)
        if len(parts) == 2:
            return datetime.date(year, month, 1), _month_end(year, month)
        day = datetime.date(year, month, int(parts[2]))
        return day, day
    except (ValueError, OverflowError):  # no such date; a week or season that ends after 9999
        return None


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])
