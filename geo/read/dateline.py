"""The article's own date, from a dateline or author line near the start or end of the text.

Why only there: a date in running prose is an event's date, not the publication's. Month names
come from the language's ``months.tsv`` (loaded by :mod:`geo.lang.rulefiles`); this module only
knows the shapes of dates and datelines, and every date it returns is a real calendar date.
"""

from __future__ import annotations

import datetime
import re

from geo.lang.registry import cached_per_language
from geo.lang.rulefiles import load_months

__all__ = ["DATELINE_WINDOW", "find_dateline_date"]

DatePatterns = list[tuple[re.Pattern[str], dict[str, int]]]  # (pattern, month name -> number)

DATELINE_WINDOW = 400
"""Characters searched at the start and at the end of the text for a dateline."""

_PAREN = re.compile(r"\(([^()\n]{1,160})\)")
_AFTER_DATELINE = re.compile(
    r"[ \t]*(?:\Z|\n|[–—|/(·•-]|,?[ \t]*(?:[^\W\d_]{1,5}\.?[ \t]+)?\d{1,2}[:.]\d{2}(?!\d)|T\d{2}:\d{2})"
)
_MAX_PREFIX_CHARS, _MAX_PREFIX_WORDS = 60, 6
_TWO_DIGITS = re.compile(r"\d\d")  # as the patterns' \d read them (any decimal digit)


def find_dateline_date(text: str, language: str) -> datetime.date | None:
    """The article's own date from a dateline or author line near its start or end, validated.

    Order: the last parenthesised date near the end ("(Jo Beispiel aus Moskau, 12.9.2023)"), then
    the first dateline near the start ("BERLIN, 5. März 2024 –", "Stand: 14.02.2024",
    "Published June 9, 2025", "(dpa, 03.10.2024)"), then the last dateline line near the end.
    A date inside running prose ("Am 12. September 2023 traf ...") is not a dateline.
    """
    patterns = _date_patterns(language)
    tail_start = max(0, len(text) - DATELINE_WINDOW)
    head_end = min(len(text), DATELINE_WINDOW)
    tail_parens = [d for p, d in _paren_dates(text, tail_start, len(text), patterns)]
    if tail_parens:
        return tail_parens[-1]
    head = _paren_dates(text, 0, head_end, patterns) + _line_dates(text, 0, head_end, patterns)
    if head:
        return min(head, key=lambda found: found[0])[1]
    tail_lines = _line_dates(text, tail_start, len(text), patterns)
    return max(tail_lines, key=lambda found: found[0])[1] if tail_lines else None


def _paren_dates(text: str, start: int, end: int, patterns: DatePatterns) -> list[tuple[int, datetime.date]]:
    """(position, date) of each parenthesis whose content holds a valid date."""
    found = []
    for paren in _PAREN.finditer(text, start, end):
        dates = _dates_in(text, paren.start(1), paren.end(1), patterns)
        if dates:
            found.append((paren.start(), dates[0][2]))
    return found


def _line_dates(text: str, start: int, end: int, patterns: DatePatterns) -> list[tuple[int, datetime.date]]:
    """(position, date) of dates that stand as a dateline: short prefix, nothing but a dash or time after."""
    found = []
    for date_start, date_end, value in _dates_in(text, start, end, patterns):
        line_start = text.rfind("\n", 0, date_start) + 1
        prefix = text[line_start:date_start]
        if len(prefix) > _MAX_PREFIX_CHARS or len(prefix.split()) > _MAX_PREFIX_WORDS:
            continue
        if _AFTER_DATELINE.match(text, date_end):
            found.append((date_start, value))
    return found


def _dates_in(text: str, start: int, end: int, patterns: DatePatterns) -> list[tuple[int, int, datetime.date]]:
    """Every valid calendar date in text[start:end], in order, as (start, end, date). Each pattern
    has a year of two or four digits: a window without two digits in a row is not searched."""
    found = []
    if _TWO_DIGITS.search(text, start, end) is None:
        return found
    for pattern, month_names in patterns:
        for match in pattern.finditer(text, start, end):
            value = _to_date(match, month_names)
            if value is not None:
                found.append((match.start(), match.end(), value))
    return sorted(found, key=lambda item: item[0])


def _to_date(match: re.Match[str], month_names: dict[str, int]) -> datetime.date | None:
    """A real calendar date, two-digit years read as 1970-2069; else None (31.2. is refused)."""
    groups = match.groupdict()
    month = int(groups["m"]) if groups.get("m") else month_names.get(groups["name"].lower())
    year = int(groups["y"])
    if len(groups["y"]) == 2:
        year += 2000 if year < 70 else 1900
    try:
        return datetime.date(year, month, int(groups["d"]))
    except (TypeError, ValueError):
        return None


@cached_per_language
def _date_patterns(language: str) -> DatePatterns:
    """Numeric, ISO and month-name date patterns; month names from the language's ``months.tsv``."""
    return _compile_date_patterns(load_months(language))


def _compile_date_patterns(months: dict[str, int]) -> DatePatterns:
    names = "|".join(re.escape(name) for name in sorted(months, key=len, reverse=True))
    name = rf"(?P<name>{names})(?![^\W\d_])"
    day = r"(?P<d>[0-3]?\d)"
    sources = (
        rf"(?<![\d.]){day}\.[ \t]?(?P<m>[01]?\d)\.[ \t]?(?P<y>\d{{4}}|\d{{2}})(?![\d])",  # 12.9.2023, 12. 9. 23
        r"(?<![\d.-])(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)",  # 2025-06-09
        rf"(?<![\d.]){day}\.?[ \t]+{name}[ \t]+(?P<y>\d{{4}})(?!\d)",  # 11 January 2025, 5. März 2024
        rf"(?<![^\W\d_]){name}[ \t]+{day}(?:[^\W\d_]{{1,2}})?,?[ \t]+(?P<y>\d{{4}})(?!\d)",  # June 9, 2025
    )
    return [(re.compile(source, re.IGNORECASE), months) for source in sources]
