"""Events: DATE and TIME expressions on the timeline with their interval, sentence and places."""

from __future__ import annotations

import bisect

from hypothesis import given, settings
from hypothesis import strategies as st

import geo.timeline.events
from geo.model import Mention, Place
from geo.timeline.events import events_of, tag_text, timeline_order, unanchored_warning
from geo.timeline.extraction import Timex, clause_starts, sentence_bounds
from geo.timeline.values import interval
from tests.timeline.tagging import TUESDAY


def test_without_a_publication_date_relative_expressions_stay_unanchored():
    found = tag_text("Am Dienstag kam er an, im August reiste er ab, vor vier Jahren war er hier.", "de", None)
    assert [(t.value, t.anchored) for t in found] == [("XXXX-WXX-2", False), ("XXXX-08", False), ("XXXX", False)]
    assert unanchored_warning(found, None).startswith("3 relative date(s)")


def place(place_id: str, *spans: tuple[int, int]) -> Place:
    return Place(
        id=place_id,
        name=place_id,
        label=place_id,
        lat=0.0,
        lon=0.0,
        country=None,
        kind="city",
        confidence=1.0,
        mentions=tuple(Mention(s, e, "x") for s, e in spans),
    )


def test_events_carry_the_phrase_interval_sentence_and_places_of_their_clause():
    text = "Im April 2019 war er in Wladiwostok, im August 2023 in Pjöngjang. Seit zwei Wochen regnet es in Berlin."
    sentences = ((0, 65), (66, len(text)))
    places = [place("wl", (23, 34)), place("pj", (54, 63)), place("be", (96, 102))]
    events = events_of(text, tag_text(text, "de", TUESDAY, sentences=sentences), sentences, places)
    assert [(e.text, e.value, e.start, e.end, e.places) for e in events] == [
        ("Im April 2019", "2019-04", "2019-04-01", "2019-04-30", ("wl",)),
        ("im August 2023", "2023-08", "2023-08-01", "2023-08-31", ("pj",)),
    ]  # "zwei Wochen" is a duration: not on the timeline
    for event in events:
        assert text[event.start_char : event.end_char] == event.text
        assert event.sentence == text[0:65]


def test_an_event_links_the_places_it_happens_in_not_those_named_in_passing():
    text = "Am 3. Mai 2024 warnte Moskau, und in Kiew fielen Raketen."
    sentences = ((0, len(text)),)
    moscow = place("mo", (22, 28))
    moscow = Place(**{**moscow.__dict__, "mentions": (Mention(22, 28, "Moskau", "metonym"),)})
    events = events_of(
        text, tag_text(text, "de", TUESDAY, sentences=sentences), sentences, [moscow, place("ki", (38, 42))]
    )
    assert [e.places for e in events] == [("ki",)]


def test_where_a_sentence_names_no_place_literally_its_other_mentions_place_the_event():
    """ "a meeting with Russia's president in the coming days": the event happens nowhere the
    sentence names literally; the country whose president it is says more than no place. A demonym
    says whose people, not where: "Russian troops attacked on Monday" stays without a place."""
    text = "In den kommenden Tagen trifft er Russlands Präsidenten. Russische Truppen griffen am Montag an."
    sentences = ((0, 55), (56, len(text)))
    russia = place("ru", (33, 42), (56, 65))
    russia = Place(
        **{
            **russia.__dict__,
            "mentions": (Mention(33, 42, "Russlands", "modifier"), Mention(56, 65, "Russische", "demonym")),
        }
    )
    events = events_of(text, tag_text(text, "de", TUESDAY, sentences=sentences), sentences, [russia])
    assert [(e.text, e.places) for e in events] == [("am Montag", ()), ("In den kommenden Tagen", ("ru",))]


def test_timeline_order_puts_dated_events_first_in_calendar_order():
    text = "Damals war alles anders. Im August kam er, im April 2019 war er schon einmal da."
    events = events_of(text, tag_text(text, "de", TUESDAY), ((0, 24), (25, len(text))), [])
    assert [e.value for e in events] == ["2019-04", "2023-08", "PAST_REF"]
    assert timeline_order(reversed(events)) == events


# --------------------------------------------------------------------------- many dates in one sentence

_DATES = {"d": "2020-05-03", "v": "PAST_REF"}  # a calendar date, and a vague one (off the calendar)


def _layout(tokens: list[str]) -> tuple[str, list[Timex], list[Place], tuple[tuple[int, int], ...]]:
    """A text from tokens: "d"/"v" a date, "A".."C" a place, "," a clause break, "." a sentence end."""
    text, timexes, mentions, sentences, sentence_start = "", [], {}, [], 0
    for token in tokens:
        start = len(text)
        if token in _DATES:
            text += "am Tag "
            timexes.append(Timex(start + 3, start + 6, "Tag", "DATE", _DATES[token]))
        elif token in "ABC":
            text += f"in {token}stadt "
            mentions.setdefault(token, []).append((start + 3, start + 9))
        elif token == ",":
            text = text.rstrip() + ", "
        else:
            text = text.rstrip() + ". "
            sentences.append((sentence_start, len(text) - 1))
            sentence_start = len(text)
    sentences.append((sentence_start, len(text)))
    return text, timexes, [place(pid, *spans) for pid, spans in mentions.items()], tuple(sentences)


def _places_by_the_rule(text, timexes, sentences, places) -> list[tuple[int, tuple[str, ...]]]:
    """The rule of events_of spelt out plainly: every date against every date and place."""
    mentions = sorted((m.start, p.id) for p in places for m in p.mentions)
    found = []
    for timex in timexes:
        low, high = sentence_bounds(timex.start, len(text), sentences)
        in_sentence = [(start, pid) for start, pid in mentions if low <= start < high]
        dated = [t for t in timexes if low <= t.start < high and interval(t.value)] if interval(timex.value) else []
        if len(dated) > 1:
            clauses = clause_starts(text, low, high)

            def clause(offset, clauses=clauses):
                return bisect.bisect_right(clauses, offset) - 1

            def owner(offset, dated=dated, clause=clause):
                same = [t for t in dated if clause(t.start) == clause(offset)]
                if same:
                    return min(same, key=lambda t: abs(t.start - offset))
                before = [t for t in dated if t.start < offset]
                return before[-1] if before else dated[0]

            in_sentence = [(start, pid) for start, pid in in_sentence if owner(start) is timex]
        found.append((timex.start, tuple(dict.fromkeys(pid for _, pid in in_sentence))))
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["d", "d", "v", "A", "B", "C", ",", "."]), max_size=40))
def test_each_date_gets_the_places_of_its_clause_however_many_share_the_sentence(tokens):
    text, timexes, places, sentences = _layout(tokens)
    events = events_of(text, timexes, sentences, places)
    assert sorted((e.start_char, e.places) for e in events) == _places_by_the_rule(text, timexes, sentences, places)


def test_a_sentence_with_many_dates_is_cut_into_clauses_once(monkeypatch):
    text, timexes, places, sentences = _layout(["d", "A", "B", ","] * 300)
    calls = []
    monkeypatch.setattr(geo.timeline.events, "clause_starts", lambda *args: calls.append(args) or clause_starts(*args))
    events = events_of(text, timexes, sentences, places)
    assert len(events) == 300 and len(calls) == 1
    assert all(e.places == ("A", "B") for e in events)
