"""Anchoring: the pure step that resolves relative expressions on a date (extract first, anchor second).

:func:`anchor_timexes` takes what extraction found, in text order, and resolves each
:class:`~geo.timeline.recipes.Pending` expression on the publication date (news) or on the date the
text last gave (narratives, and "zwei Tage später" in any text). Nothing here reads the clock:
without a publication date, relative expressions stay unanchored and say so (``anchored=False``, a
TIMEX3 placeholder value such as ``XXXX-08``). The layout flags extraction set (headings,
paragraphs, asides, ranges) decide which dates the story moves to.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, replace

from geo.errors import CalendarError
from geo.timeline.extraction import Timex
from geo.timeline.recipes import Pending
from geo.timeline.values import (
    SEASON_MONTHS,
    duration_value,
    format_date,
    format_fields,
    internal_interval,
    interval,
    shifted,
    time_suffix,
)

__all__ = ["anchor_timexes"]

GRANULARITIES = ("CE", "DE", "Y", "Q", "SE", "M", "W", "D")
RECENT_CHARS = 300  # about two sentences: "Im Juli 1997 ... Am 17. Juli" stays in 1997
PERIOD_CHARS = 1500  # a few paragraphs: how long a results story keeps speaking of its quarter


@dataclass(frozen=True)
class _Point:
    """A date the text or the reader gave, and how precisely: what relative expressions count from."""

    day: datetime.date
    unit: str

    def finer_than(self, unit: str) -> bool:
        return _rank(self.unit) >= _rank(unit)


def _rank(unit: str) -> int:
    unit = {"WE": "W", "H": "D", "MIN": "D", "S": "D"}.get(unit, unit)
    return GRANULARITIES.index(unit) if unit in GRANULARITIES else GRANULARITIES.index("D")


def anchor_timexes(
    timexes: Sequence[Timex], published: datetime.date | None, *, narrative: bool = False
) -> list[Timex]:
    """Resolve every pending expression, in text order, without side effects.

    News (``narrative=False``) counts "gestern", "am Dienstag", "vor vier Jahren" from the
    publication date; a narrative counts them from the date the text last gave. In both, "zwei
    Tage später" and "im selben Monat" count from the last date given, and a month without a year
    takes the year of a date given in the sentences just before it (``RECENT_CHARS``).
    """
    reference = _Point(published, "D") if published else None
    last: tuple[_Point, int] | None = None
    section: tuple[_Point, int] | None = None
    anchored: list[Timex] = []
    excursions = _excursions(timexes)
    resume: tuple[_Point, int] | None = None  # where the story was before an excursion
    period: tuple[_Point, int] | None = None  # the last quarter the text named ("third-quarter profit")
    stated: tuple[_Point, int] | None = None  # the last date the text gave with its year ("July 1997")
    for index, timex in enumerate(timexes):
        if resume is not None and (timex.new_paragraph or timex.start - last[1] > RECENT_CHARS):
            last, resume = resume, None
        if timex.after_heading and section is not None:
            last = section
        if timex.pending is None:
            done = timex
        elif timex.pending.kind == "vague":
            done = _vague(timex, timex.pending, narrative)
        else:
            borrowed = _range_year(timex, timexes[index + 1]) if index + 1 < len(timexes) else None
            compared = _compared_period(timex.pending, period, timex.start)
            if borrowed is not None or compared is not None:
                done = replace(timex, value=borrowed or compared, anchored=True, pending=None)
            else:
                base = _base(timex.pending, reference, last, timex.start, narrative, timex.attached, stated)
                done = _resolve(timex, base, timex.pending, narrative or base is not reference)
        anchored.append(done)
        named = _point_of(done)
        if named is not None and named.unit == "Q" and (timex.pending is None or timex.pending.kind == "partial"):
            period = (named, done.end)  # named, not counted: "a year earlier" twice is not two years
        point = named if done.sets_time else None
        if point is not None and (
            not done.aside or (narrative if last is None else point.day.year == last[0].day.year)
        ):
            if index in excursions:
                resume = resume or last
            else:
                resume = None
            last = (point, done.end)
            if timex.pending is None:
                stated = last
            if done.heading:
                section = last
    return anchored


def _compared_period(pending: Pending, period: tuple[_Point, int] | None, offset: int) -> str | None:
    """ "a year earlier", "the year-ago period", "the latest quarter" in a story about a quarter:
    that quarter (a year before it), as business news compares its results (TimeBank writes
    1988-Q3); None when the text named no quarter in the last ``PERIOD_CHARS`` characters."""
    if period is None or offset - period[1] > PERIOD_CHARS:
        return None
    if pending.kind == "latest" and pending.unit == "Q":  # "the 1988 quarter": the story's quarter, of 1988
        year = pending.field("year")
        day = period[0].day if year is None else period[0].day.replace(year=int(year))
        return format_date(day, "Q")
    if pending.kind in ("shift", "later") and pending.unit == "Y" and pending.amount == -1 and not pending.fields:
        try:
            return format_date(shifted(period[0].day, pending.amount, "Y"), "Q")
        except CalendarError:
            return None
    return None


def _excursions(timexes: Sequence[Timex]) -> set[int]:
    """Indexes of dates the story only glances at: a lone year among the years the text states
    ("1944 ... 1370 Landungsboote ... 1945", "1915 ... Wiederaufnahme im April 1917 ... 1915") that
    lies further from both neighbours than they lie from each other. What follows closely counts
    from it ("In 1987 ... Two years later"); after its paragraph the story is back where it was.
    """
    stated = []  # (index, year) of each date the text gives with its year, in text order
    for index, timex in enumerate(timexes):
        point = _point_of(timex) if timex.pending is None and timex.sets_time and not timex.aside else None
        if point is not None and point.finer_than("Y"):
            stated.append((index, point.day.year))
    excursions = set()
    for (_, before), (index, year), (_, after) in zip(stated, stated[1:], stated[2:]):
        spread = abs(before - after)
        if abs(year - before) > spread and abs(year - after) > spread:
            excursions.add(index)
    return excursions


def _range_year(timex: Timex, following: Timex) -> str | None:
    """The value of a yearless date that starts a range or pair whose other end gives the year
    ("vom 20. Februar bis zum 10. März 1905"; "Dezember bis Februar 1941" starts in 1940)."""
    if (
        timex.pending is None
        or timex.pending.kind != "partial"
        or not following.closes_range
        or following.pending is not None
    ):
        return None
    end = _point_of(following)
    if end is None or not end.finer_than("Y"):
        return None
    fields = dict(timex.pending.fields)
    for year in _years_around(end.day, (0, -1)):
        value = format_fields({**fields, "year": year})
        span = interval(value)
        if span is not None and span[0] <= end.day:
            return value
    return None


def _base(
    pending: Pending,
    reference: _Point | None,
    last: tuple[_Point, int] | None,
    offset: int,
    narrative: bool,
    attached: bool = False,
    stated: tuple[_Point, int] | None = None,
) -> _Point | None:
    """What a pending expression counts from (see :func:`anchor_timexes`). In news, a month without
    a year takes the year of a date given with its year just before ("In July 1997 ... on July
    17"), not that of one counted from the publication date ("payable Jan. 2 ... third-quarter")."""
    last_point = last[0] if last else None
    if pending.kind in ("later", "same") or narrative:
        return last_point or reference
    if (
        (attached or pending.field("hour") is not None)
        and pending.kind == "day"
        and not pending.amount
        and last_point
        and last_point.finer_than("D")
    ):
        return last_point  # "am 12. September um 14 Uhr"; "late Tuesday ... around 9:40 p.m."
    if (
        pending.kind == "partial"
        and stated
        and reference
        and offset - stated[1] <= RECENT_CHARS
        and stated[0].day.year != reference.day.year
        and stated[0].finer_than("M")
    ):
        return stated[0]
    return reference


def _point_of(timex: Timex) -> _Point | None:
    """The date a finished DATE/TIME value gives, for later expressions to count from."""
    if timex.type not in ("DATE", "TIME") or not timex.anchored:
        return None
    value = timex.value
    span = internal_interval(value)
    if span is None:
        return None
    head = value.split("T")[0].removeprefix("BC")
    parts = head.split("-")
    if len(parts[0]) != 4:
        return None
    unit = "Y"
    if len(parts) >= 2:
        unit = {"Q": "Q", "W": "W"}.get(parts[1][:1], "SE" if parts[1] in SEASON_MONTHS else "M")
    if len(parts) >= 3 and parts[2].isdigit():
        unit = "D"
    return _Point(span[0], unit)


def _resolve(timex: Timex, base: _Point | None, pending: Pending, narrative: bool) -> Timex:
    if base is None:
        return replace(timex, value=_placeholder(pending), anchored=False)
    resolver = {
        "partial": _partial,
        "shift": _shift,
        "later": _shift,
        "this": _this,
        "same": _same,
        "day": _day,
        "weekday": _weekday,
        "latest": _latest,
        "weekend": _weekend,
    }[pending.kind]
    try:
        value = resolver(pending, base, narrative)
    except CalendarError:  # "two years earlier" than AD 1: no value, and the warning says why
        return replace(timex, value=_placeholder(pending), anchored=False, off_calendar=True)
    if value is None:
        return replace(timex, value=_placeholder(pending), anchored=False)
    return replace(timex, value=value, anchored=True, pending=None)


def _vague(timex: Timex, pending: Pending, narrative: bool) -> Timex:
    """ "in den kommenden Tagen": the future as seen from the publication date (FUTURE_REF). In a
    narrative the coming or present days are the story's, not the reader's: some days (PXD)."""
    if narrative and (pending.amount or 0) >= 0:
        return replace(timex, type="DURATION", value=duration_value(None, pending.unit), pending=None, anchored=True)
    value = ("PAST_REF", "PRESENT_REF", "FUTURE_REF")[(pending.amount or 0) + 1]
    return replace(timex, value=value, pending=None, anchored=True)


def _placeholder(pending: Pending) -> str:
    """A TIMEX3 value that says as much as the text does without an anchor."""
    fields = dict(pending.fields)
    if pending.kind == "partial":
        return format_fields(fields)
    if pending.kind == "weekday":
        return f"XXXX-WXX-{fields['weekday']}" + time_suffix(fields)
    if pending.kind == "weekend":
        return "XXXX-WXX-WE"
    if pending.kind == "day":
        return "XXXX-XX-XX" + time_suffix(fields)
    if pending.unit in ("Y", "Q", "M", "W", "WE", "D"):
        return {"Y": "XXXX", "Q": "XXXX-QX", "M": "XXXX-XX", "W": "XXXX-WXX", "WE": "XXXX-WXX-WE", "D": "XXXX-XX-XX"}[
            pending.unit
        ]
    amount = pending.sign if pending.amount is None else pending.amount
    return "PAST_REF" if amount < 0 else "FUTURE_REF" if amount > 0 else "PRESENT_REF"


def _shift(pending: Pending, base: _Point, narrative: bool) -> str | None:
    """ "vor vier Jahren" at the unit's granularity (2019); "zwei Wochen später" at the granularity
    of the date it counts from (a day stays a day); "im März des folgenden Jahres" with its month."""
    if pending.amount is None:
        return None
    fields = dict(pending.fields)
    unit = pending.unit
    day = shifted(base.day, pending.amount, unit)
    if any(name in fields for name in ("month", "season", "quarter", "week")):
        return format_fields({**fields, "year": day.year})
    granularity = unit
    if pending.kind == "later" and not pending.period and _rank(unit) > _rank("Y"):
        granularity = base.unit  # "drei Monate später" after a day is a day
    if not base.finer_than(granularity):
        granularity = base.unit  # never more precise than what it counts from
    return format_date(day, granularity) + time_suffix(fields)


def _this(pending: Pending, base: _Point, narrative: bool) -> str | None:
    if not base.finer_than(pending.unit):
        return None
    if pending.unit == "WE" and pending.amount:  # the coming weekend may be this week's
        to_saturday = (6 - base.day.isoweekday()) % 7 - (7 if pending.amount < 0 else 0)
        return format_date(shifted(base.day, to_saturday, "D"), "WE")
    return format_date(shifted(base.day, pending.amount or 0, pending.unit), pending.unit)


def _same(pending: Pending, base: _Point, narrative: bool) -> str | None:
    fields = dict(pending.fields)
    if "month" in fields:  # "8. Mai desselben Jahres": the fields, in the base's year
        return format_fields({**fields, "year": base.day.year})
    unit = pending.unit if base.finer_than(pending.unit) else base.unit
    return format_date(base.day, unit) + (time_suffix(fields) if unit == "D" else "")


def _latest(pending: Pending, base: _Point, narrative: bool) -> str | None:
    """ "the latest quarter" with no quarter named before: the last whole one before the date
    ("the 1988 period": 1988)."""
    if pending.field("year") is not None:
        return format_fields(dict(pending.fields))
    if narrative:
        return format_date(base.day, pending.unit) if base.finer_than(pending.unit) else None
    return format_date(shifted(base.day, -1, pending.unit), pending.unit)


def _day(pending: Pending, base: _Point, narrative: bool) -> str | None:
    if narrative and pending.amount == 0 and not pending.fields:
        return "PRESENT_REF"  # "heute" in a narrative is nowadays, not the day the story is at
    if not base.finer_than("D"):
        return None
    return shifted(base.day, pending.amount or 0, "D").isoformat() + time_suffix(dict(pending.fields))


def _weekday(pending: Pending, base: _Point, narrative: bool) -> str | None:
    if not base.finer_than("D"):
        return None
    fields = dict(pending.fields)
    offset = _days_to(int(fields["weekday"]), base.day, pending, narrative)
    return shifted(base.day, offset + int(fields.get("shift", 0)), "D").isoformat() + time_suffix(fields)


def _weekend(pending: Pending, base: _Point, narrative: bool) -> str | None:
    """ "over the weekend": the weekend whose Saturday the tense picks, as for a weekday."""
    if not base.finer_than("D"):
        return None
    return format_date(shifted(base.day, _days_to(6, base.day, pending, narrative), "D"), "WE")


def _days_to(weekday: int, day: datetime.date, pending: Pending, narrative: bool) -> int:
    """Days from ``day`` to the ``weekday`` meant: "last"/"next" the one before/after; in news, the
    past tense this week's at or before the day, the future tense the coming one; else the nearest."""
    back = (day.isoweekday() - weekday) % 7
    forward = (weekday - day.isoweekday()) % 7
    direction = pending.amount or 0
    if direction < 0:
        return -(back or 7)
    if direction > 0:
        return forward or 7
    if pending.tense == "past" and not narrative:
        return -back
    if pending.tense == "future" and not narrative:
        return forward
    return -back if back <= forward else forward


def _partial(pending: Pending, base: _Point, from_text: bool) -> str | None:
    """A month, day, season, quarter or week without its year: the year that fits.

    Counting from a date the text gave (``from_text``), that date's year (moving to the next year
    when the month lies far behind measured worse on WikiWarsDE: stories also go back). From the
    publication date (news), the occurrence nearest to it: news tells of the weeks around its date
    ("payable Dec. 15" in a story of November). The tense pushes towards its side: an occurrence on
    the other side counts as ``TENSE_PUSH`` times as far ("in November", said in September, is
    the coming one only if the last one is more than three times as far away); without a tense,
    an occurrence in another year than the publication's does.
    """
    fields = dict(pending.fields)
    if from_text or pending.tense == "this" or ("quarter" in fields and pending.tense not in ("last", "next")):
        return format_fields({**fields, "year": base.day.year})  # "the third quarter": this year's
    if pending.tense in ("last", "next"):  # "last March": the latest begun; "next May": the first to come
        return _last_or_next(fields, base.day, pending.tense == "last")
    best: tuple[float, str] | None = None
    for year in _years_around(base.day, (-1, 0, 1)):
        value = format_fields({**fields, "year": year})
        span = interval(value)
        if span is None:
            continue
        distance = _distance(span, base.day, pending.tense) * (
            1 if pending.tense or year == base.day.year else TENSE_PUSH
        )
        if best is None or distance < best[0]:
            best = (distance, value)
    return best[1] if best else format_fields({**fields, "year": base.day.year})


TENSE_PUSH = 3
LAST_MONTH_GAP = datetime.timedelta(days=31)


def _last_or_next(fields: dict, day: datetime.date, last: bool) -> str:
    """The latest occurrence begun by ``day`` (``last``), else the first not begun by then. "last
    February" is never this month nor the one before it (that is "last month"): in a story of
    March, the February of a year before; "last spring" is never the spring that ``day`` is in
    (that is "this spring"): in a story of mid-March, the spring of a year before."""
    candidates = []
    for year in _years_around(day, (-2, -1, 0, 1)):
        value = format_fields({**fields, "year": year})
        span = interval(value)
        if span is not None:
            candidates.append((span, value))
    latest_end = None
    if "month" in fields and "day" not in fields:  # the gap never reaches before the calendar's first day
        latest_end = max(day, datetime.date.min + LAST_MONTH_GAP) - LAST_MONTH_GAP
    elif "season" in fields:
        latest_end = day
    fitting = [
        c
        for c in candidates
        if (c[0][0] <= day and (latest_end is None or c[0][1] < latest_end) if last else c[0][0] > day)
    ]
    if not fitting:
        return format_fields({**fields, "year": day.year})
    return max(fitting)[1] if last else min(fitting)[1]


def _distance(span: tuple[datetime.date, datetime.date], day: datetime.date, tense: str | None) -> float:
    """Days between ``day`` and an interval (0 inside it), ``TENSE_PUSH`` times as many on the side
    the tense speaks against (past: after ``day``; future: before it)."""
    if span[0] > day:
        return (span[0] - day).days * (TENSE_PUSH if tense == "past" else 1)
    if span[1] < day:
        return (day - span[1]).days * (TENSE_PUSH if tense == "future" else 1)
    return 0.0


def _years_around(day: datetime.date, offsets: Sequence[int]) -> list[int]:
    """The years ``offsets`` away from ``day``'s that are on the calendar (see
    :func:`~geo.timeline.values.shifted`): the year before AD 1 is none."""
    years = []
    for offset in offsets:
        try:
            years.append(shifted(day, offset, "Y").year)
        except CalendarError:
            continue
    return years
