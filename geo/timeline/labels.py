"""Labels: a TIMEX3 value in words, at its own precision, in the article's language, for readers.

A reader should see "2019", not "2019-01-01"; "April 2019", not "2019-04"; "in the past", not
"PAST_REF". Dates are worded by CLDR through babel (skeletons "y", "yMMMM", "yMMMd", "MMMd", the
locale's date-time pattern); what CLDR has no pattern for (decades, centuries, seasons, weeks, the
vague references, the modifiers "early"/"late") comes from the ``[labels]`` table of
``data/<lang>/timex.txt``, whose phrases fill ``{date}``, ``{year}``, ``{n}``, ``{c}`` and ``{label}``. A value
this module cannot read is shown as the article wrote it, never as a code.

>>> value_label("2019-04", "en"), value_label("2019", "de"), value_label("PAST_REF", "en")
('April 2019', '2019', 'in the past')
>>> value_label("2023-09-12", "de"), value_label("XXXX-WXX-1", "en"), value_label("199", "en")
('12. Sept. 2023', 'Monday', 'the 1990s')
"""

from __future__ import annotations

import datetime
import re

from babel.dates import format_date, format_skeleton, format_time, get_datetime_format

from geo.lang.registry import language
from geo.model import Event
from geo.timeline.grammar import grammar_for
from geo.timeline.values import year_text

__all__ = ["LABEL_KEYS", "calendar_value", "event_label", "value_label"]

# The keys every [labels] table must give (tests/timeline/test_labels.py checks each language).
LABEL_KEYS = (
    "PAST_REF",
    "PRESENT_REF",
    "FUTURE_REF",
    "decade",
    "century",
    "bc",
    "quarter",
    "half",
    "week",
    "weekend",
    "SP",
    "SU",
    "FA",
    "WI",
    "MO",
    "MI",
    "AF",
    "EV",
    "NI",
    "DT",
    "START",
    "MID",
    "END",
    "APPROX",
)
_VALUE = re.compile(
    r"(?P<bc>BC)?(?P<year>\d{4}|XXXX)"
    r"(?:-(?:(?P<month>\d\d|XX)(?:-(?P<day>\d\d|XX))?|Q(?P<quarter>[1-4])|H(?P<half>[12])|(?P<season>SP|SU|FA|WI)"
    r"|W(?P<week>\d\d|XX)(?:-(?P<weekday>[1-7])|-(?P<weekend>WE))?))?"
    r"(?:T(?:(?P<hour>\d\d):(?P<minute>\d\d)|(?P<part>MO|MI|AF|EV|NI|DT)))?$"
)
_ISO = re.compile(r"\d{4}(?:-\d\d(?:-\d\d(?:T\d\d:\d\d)?)?)?$")
_DECADE_OR_CENTURY = re.compile(r"(?P<bc>BC)?(?P<digits>\d{2,3})$")
_PERIOD = re.compile(r"(?:\d{4}|XXXX)(?:-\d\d|-(?:SP|SU|FA|WI|Q[1-4]|H[12]))?$")  # what "early" can qualify


def value_label(value: str, lang: str, mod: str | None = None, text: str = "") -> str:
    """``value`` in words ("April 2019"), with its modifier ("early April 2019"); ``text`` (the
    article's words) when the value is not one this module can word."""
    words = _labels(lang)
    try:
        label = _words(value, lang, words)
    except (ValueError, KeyError):  # a week 53 the year lacks, a label the language does not give
        label = None
    if label is None:
        return text or value
    if mod in ("START", "MID", "END", "APPROX") and mod in words and _PERIOD.match(value):
        label = words[mod].format(label=label)  # "early April 2019"; a day or a week keeps its own label
    return label


def event_label(event: Event, lang: str) -> str:
    """What a reader is shown of an event's date: its ``label``, else (a Story from before labels)
    its value in words now."""
    return event.label or value_label(event.value, lang, event.mod, event.text)


def calendar_value(value: str) -> str:
    """The value when it is a plain ISO 8601 date at its own precision ("2019", "2019-04",
    "2023-09-12", "2023-09-12T14:30"), for tables that sort by it; "" for a TIMEX3 code.

    >>> [calendar_value(v) for v in ("2019", "2023-09-12T14:30", "2023-W37", "PAST_REF", "XXXX-09")]
    ['2019', '2023-09-12T14:30', '', '', '']
    """
    return value if _ISO.match(value) else ""


def _labels(lang: str) -> dict[str, str]:
    return grammar_for(lang).tables.get("labels", {})


def _words(value: str, lang: str, words: dict[str, str]) -> str | None:
    if value in ("PAST_REF", "PRESENT_REF", "FUTURE_REF"):
        return words.get(value)
    short = _DECADE_OR_CENTURY.match(value)
    if short:
        return _decade_or_century(short, words)
    match = _VALUE.match(value)
    if match is None:
        return None
    parts = match.groupdict()
    if parts["bc"]:
        return words["bc"].format(year=int(parts["year"])) if parts["month"] is None else None
    return _calendar_words(parts, language(lang).cldr_locale, words)


def _decade_or_century(match: re.Match, words: dict[str, str]) -> str | None:
    digits = match["digits"]
    if match["bc"]:
        return None
    if len(digits) == 3:
        return words["decade"].format(n=digits)
    return words["century"].format(n=digits, c=int(digits) + 1)  # "the 1900s", "das 20. Jahrhundert"


def _calendar_words(parts: dict[str, str | None], locale: str, words: dict[str, str]) -> str | None:
    """The words of a calendar value (a year known or XXXX), in the locale's CLDR patterns."""
    known_year = parts["year"] != "XXXX"
    year = int(parts["year"]) if known_year else 2000  # 2000: a leap year, for "XXXX-02-29"
    year_words = year_text(year) if known_year else ""
    if parts["quarter"] or parts["half"] or parts["season"]:
        if not known_year:
            return None
        key = "quarter" if parts["quarter"] else "half" if parts["half"] else parts["season"]
        return words[key].format(n=parts["quarter"] or parts["half"], year=year_words)
    if parts["week"]:
        return _week_words(parts, year if known_year else None, locale, words)
    month, day = parts["month"], parts["day"]
    if month in (None, "XX"):
        return format_skeleton("y", datetime.date(year, 1, 1), locale=locale) if known_year else None
    if day in (None, "XX"):
        first = datetime.date(year, int(month), 1)
        return (
            format_skeleton("yMMMM", first, locale=locale) if known_year else format_date(first, "LLLL", locale=locale)
        )
    date = datetime.date(year, int(month), int(day))
    label = format_skeleton("yMMMd" if known_year else "MMMd", date, locale=locale)
    return _with_time(label, date, parts, locale, words)


def _week_words(parts: dict[str, str | None], year: int | None, locale: str, words: dict[str, str]) -> str | None:
    if parts["weekday"] and (year is None or parts["week"] == "XX"):
        name = format_date(datetime.date(2024, 1, int(parts["weekday"])), "EEEE", locale=locale)  # 2024-01-01: Monday
        return words[parts["part"]].format(date=name) if parts["part"] else name
    if year is None or parts["week"] == "XX":
        return None
    monday = datetime.date.fromisocalendar(year, int(parts["week"]), 1)
    if parts["weekend"]:
        return words["weekend"].format(
            date=format_skeleton("yMMMd", monday + datetime.timedelta(days=5), locale=locale)
        )
    if parts["weekday"]:
        day = datetime.date.fromisocalendar(year, int(parts["week"]), int(parts["weekday"]))
        return format_skeleton("yMMMd", day, locale=locale)
    return words["week"].format(n=int(parts["week"]), date=format_skeleton("yMMMd", monday, locale=locale))


def _with_time(
    label: str, date: datetime.date, parts: dict[str, str | None], locale: str, words: dict[str, str]
) -> str:
    """A day's label with its clock time (the locale's date-time pattern) or part of the day."""
    if parts["hour"] is not None:
        hour = int(parts["hour"])
        at = datetime.time.fromisoformat(f"{hour % 24:02d}:{parts['minute']}")
        clock = format_time(at, "short", locale=locale)
        return get_datetime_format("medium", locale=locale).replace("{1}", label).replace("{0}", clock)
    if parts["part"]:
        return words[parts["part"]].format(date=label)
    return label
