"""Events: the timeline stage the pipeline calls: every temporal expression found and anchored
(:func:`tag_text`), each DATE and TIME placed on the timeline with its interval and the places of
its clause (:func:`events_of`), in timeline order, and the warning for what stayed unanchored.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Sequence

from geo.model import LITERAL, Event, Place
from geo.timeline.anchoring import anchor_timexes
from geo.timeline.extraction import Timex, clause_starts, find_timexes, sentence_bounds
from geo.timeline.values import interval

__all__ = ["events_of", "tag_text", "timeline_order", "unanchored_warning"]


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
    order. Durations and sets are not points in time and stay off the timeline."""
    # Only where the story happens: "Moscow warned" or "U.S.-backed" place no event (Mention.role).
    mentions = sorted((m.start, place.id) for place in places for m in place.mentions if m.role == LITERAL)
    events = []
    for timex in timexes:
        if timex.type not in ("DATE", "TIME"):
            continue
        low, high = sentence_bounds(timex.start, len(text), sentences)
        span = interval(timex.value, timex.mod) if timex.anchored else None
        dated = (
            [
                t
                for t in timexes
                if t.type in ("DATE", "TIME") and low <= t.start < high and t.anchored and interval(t.value)
            ]
            if span
            else []
        )
        ids = _places_near(text, timex, dated, mentions, low, high)
        start = timex.phrase_start if timex.phrase_start is not None else timex.start
        events.append(
            Event(
                text=text[start : timex.end],
                start_char=start,
                end_char=timex.end,
                value=timex.value,
                start=span[0].isoformat() if span else None,
                end=span[1].isoformat() if span else None,
                sentence=text[low:high],
                places=ids,
                type=timex.type,
                mod=timex.mod,
            )
        )
    return timeline_order(events)


def _places_near(
    text: str, timex: Timex, dated: list[Timex], mentions: list[tuple[int, str]], low: int, high: int
) -> tuple[str, ...]:
    """Places of the sentence; where the sentence gives several calendar dates (``dated``), those of
    the timex's clause (a place in a clause without a date goes with the nearest date before it,
    else after). A vague reference ("damals") shares the places of its whole sentence."""
    in_sentence = [(start, place_id) for start, place_id in mentions if low <= start < high]
    if len(dated) > 1:
        clauses = clause_starts(text, low, high)
        owner = {}
        for start, _place_id in in_sentence:
            owner[start] = _owner(start, dated, clauses)
        in_sentence = [(start, pid) for start, pid in in_sentence if owner[start] is timex]
    return tuple(dict.fromkeys(place_id for _, place_id in in_sentence))


def _owner(offset: int, dated: list[Timex], clauses: list[int]) -> Timex:
    clause = bisect.bisect_right(clauses, offset) - 1
    same = [t for t in dated if bisect.bisect_right(clauses, t.start) - 1 == clause]
    if same:
        return min(same, key=lambda t: abs(t.start - offset))
    before = [t for t in dated if t.start < offset]
    return before[-1] if before else dated[0]


def unanchored_warning(timexes: Sequence[Timex], published: datetime.date | None) -> str | None:
    """The message for relative dates left unanchored, or None."""
    left = [t.text for t in timexes if not t.anchored]
    if not left:
        return None
    why = (
        "the article gives no publication date (set one with --published)"
        if published is None
        else "nothing in the text to count from"
    )
    shown = ", ".join(f"“{text}”" for text in left[:5]) + (" ..." if len(left) > 5 else "")
    return f"{len(left)} relative date(s) not placed on the calendar, because {why}: {shown}"


def timeline_order(events: Sequence[Event]) -> tuple[Event, ...]:
    """Dated events by their start (then end, then position); undated ones after, in text order."""
    return tuple(sorted(events, key=lambda e: (e.start is None, e.start or "", e.end or "", e.start_char)))
