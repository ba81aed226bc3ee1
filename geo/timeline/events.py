"""Events: the timeline stage the pipeline calls: every temporal expression found and anchored
(:func:`tag_text`), each DATE and TIME placed on the timeline with its interval and the places of
its clause (:func:`events_of`), in timeline order, and the warning for what stayed unanchored.
"""

from __future__ import annotations

import bisect
import datetime
import math
from collections.abc import Sequence

from geo.model import LITERAL, METONYM, MODIFIER, Event, Place
from geo.read.sentences import Quotes
from geo.timeline.anchoring import anchor_timexes
from geo.timeline.extraction import Timex, clause_starts, find_timexes, sentence_bounds
from geo.timeline.labels import value_label
from geo.timeline.values import interval

__all__ = ["events_of", "tag_text", "timeline_order", "unanchored_warning"]

OFF_CALENDAR_WHY = "counting them leaves the calendar (3000 BC to AD 6999)"


def tag_text(
    text: str,
    language: str,
    published: datetime.date | None = None,
    *,
    narrative: bool = False,
    sentences: Sequence[tuple[int, int]] | None = None,
) -> list[Timex]:
    """Find and anchor every temporal expression of ``text`` (in text order).

    ``narrative``: relative expressions anchor on the date the text last gave (history, Wikipedia)
    rather than on the publication date (news).
    """
    if sentences is None:
        from geo.read.sentences import split_sentences

        sentences = split_sentences(text, language)
    return anchor_timexes(find_timexes(text, language, sentences), published, narrative=narrative)


def events_of(
    text: str, timexes: Sequence[Timex], sentences: Sequence[tuple[int, int]], places: Sequence[Place]
) -> tuple[Event, ...]:
    """Every DATE and TIME as an event with its interval and the places of its clause, in timeline
    order. Durations and sets are not points in time and stay off the timeline. ``timexes`` are in
    text order, as :func:`tag_text` gives them."""
    places_near = _PlacesNear(text, timexes, places)
    quote = Quotes(text)
    events = []
    for index, timex in enumerate(timexes):
        if timex.type not in ("DATE", "TIME"):
            continue
        low, high = sentence_bounds(timex.start, len(text), sentences)
        span = interval(timex.value, timex.mod) if timex.anchored else None
        start = timex.phrase_start if timex.phrase_start is not None else timex.start
        events.append(
            Event(
                text=text[start : timex.end],
                start_char=start,
                end_char=timex.end,
                value=timex.value,
                start=span[0].isoformat() if span else None,
                end=span[1].isoformat() if span else None,
                sentence=quote((low, high), start),
                places=places_near.of(index, low, high, by_clause=span is not None),
                type=timex.type,
                mod=timex.mod,
                label=_label(timex, text[start : timex.end]),
            )
        )
    return timeline_order(events)


def _label(timex: Timex, phrase: str) -> str:
    """The value in words for readers ("April 2019"); an expression left unanchored keeps the
    article's words ("im März"), since its value says no more than they do."""
    if not timex.anchored or not timex.language:
        return timex.text
    return value_label(timex.value, timex.language, timex.mod, timex.text)


class _PlacesNear:
    """The places of a sentence (those it names literally; where it names none so, those it names
    as a modifier or metonym); where the sentence gives several calendar dates, those of each date's
    clause (a place in a clause without a date goes with the nearest date before it, else after). A
    vague reference ("damals") shares the places of its whole sentence.

    Each sentence is worked out once, for all its dates, and dates and mentions are found by
    bisection: a sentence with thousands of dates and places costs their number times a logarithm,
    not their product."""

    def __init__(self, text: str, timexes: Sequence[Timex], places: Sequence[Place]) -> None:
        self._text = text
        # Where the story happens: "Moscow warned" or "U.S.-backed" place no event (Mention.role)
        # where the sentence names a place literally; where it names none ("a meeting with Russia's
        # president in the coming days"), its other mentions say where the event is.
        mentions = sorted((m.start, m.role, place.id) for place in places for m in place.mentions)
        self._mentions = [(start, place_id) for start, role, place_id in mentions if role == LITERAL]
        self._mention_starts = [start for start, _ in self._mentions]
        # not a demonym: "Russian troops attacked on Monday" says whose troops, not where
        self._others = [(start, place_id) for start, role, place_id in mentions if role in (MODIFIER, METONYM)]
        self._other_starts = [start for start, _ in self._others]
        self._dated = sorted(
            (timex.start, index)
            for index, timex in enumerate(timexes)
            if timex.type in ("DATE", "TIME") and timex.anchored and interval(timex.value)
        )
        self._dated_starts = [start for start, _ in self._dated]
        self._sentences: dict[tuple[int, int], tuple[tuple[str, ...], dict[int, tuple[str, ...]] | None]] = {}

    def of(self, index: int, low: int, high: int, *, by_clause: bool) -> tuple[str, ...]:
        """The places of the ``index``-th timex, whose sentence is ``text[low:high]``; ``by_clause``
        False (a date not on the calendar): those of the whole sentence."""
        if (low, high) not in self._sentences:
            self._sentences[low, high] = self._sentence(low, high)
        everything, by_owner = self._sentences[low, high]
        return by_owner.get(index, ()) if by_clause and by_owner is not None else everything

    def _sentence(self, low: int, high: int) -> tuple[tuple[str, ...], dict[int, tuple[str, ...]] | None]:
        """Every place of the sentence, and (with two dates or more) the places of each date's clause."""
        mentions = (
            self._mentions[
                bisect.bisect_left(self._mention_starts, low) : bisect.bisect_left(self._mention_starts, high)
            ]
            or self._others[bisect.bisect_left(self._other_starts, low) : bisect.bisect_left(self._other_starts, high)]
        )
        everything = tuple(dict.fromkeys(place_id for _, place_id in mentions))
        dated = self._dated[bisect.bisect_left(self._dated_starts, low) : bisect.bisect_left(self._dated_starts, high)]
        if len(dated) < 2:
            return everything, None
        owner_of = _Owners(dated, clause_starts(self._text, low, high))
        by_owner: dict[int, list[str]] = {}
        for start, place_id in mentions:
            by_owner.setdefault(owner_of(start), []).append(place_id)
        return everything, {index: tuple(dict.fromkeys(ids)) for index, ids in by_owner.items()}


class _Owners:
    """The date a place at an offset goes with: the nearest date of its clause (the earlier on a
    tie), else the last date before it, else the first date of the sentence."""

    def __init__(self, dated: list[tuple[int, int]], clauses: list[int]) -> None:
        self._dated = dated  # (start, timex index), in text order
        self._clauses = clauses
        self._by_clause: dict[int, list[tuple[int, int]]] = {}
        for start, index in dated:
            self._by_clause.setdefault(self._clause(start), []).append((start, index))

    def _clause(self, offset: int) -> int:
        return bisect.bisect_right(self._clauses, offset) - 1

    def __call__(self, offset: int) -> int:
        same = self._by_clause.get(self._clause(offset))
        if same:
            after = bisect.bisect_right(same, (offset, math.inf))
            if after == 0:
                return same[0][1]
            if after == len(same) or offset - same[after - 1][0] <= same[after][0] - offset:
                return same[after - 1][1]
            return same[after][1]
        before = bisect.bisect_left(self._dated, (offset, -1))
        return self._dated[before - 1][1] if before else self._dated[0][1]


def unanchored_warning(timexes: Sequence[Timex], published: datetime.date | None) -> str | None:
    """The message for relative dates left unanchored, or None: those that had nothing to count
    from, and those that counting carried off the calendar ("two years earlier" than AD 1)."""
    why = (
        "the article gives no publication date (give one: the date field in the dashboard, --published on the command line)"
        if published is None
        else "nothing in the text to count from"
    )
    parts = [
        _unanchored_part([t.text for t in timexes if not t.anchored and not t.off_calendar], why),
        _unanchored_part([t.text for t in timexes if t.off_calendar], OFF_CALENDAR_WHY),
    ]
    return "; ".join(part for part in parts if part) or None


def _unanchored_part(left: list[str], why: str) -> str:
    if not left:
        return ""
    shown = ", ".join(f"“{text}”" for text in left[:5]) + (" ..." if len(left) > 5 else "")
    return f"{len(left)} relative date(s) not placed on the calendar, because {why}: {shown}"


def timeline_order(events: Sequence[Event]) -> tuple[Event, ...]:
    """Dated events by their start (then end, then position); undated ones after, in text order."""
    return tuple(sorted(events, key=timeline_key))


def timeline_key(event: Event) -> tuple[bool, str, str, int]:
    """Where an event stands on the timeline (see :func:`timeline_order`)."""
    return (event.start is None, event.start or "", event.end or "", event.start_char)
