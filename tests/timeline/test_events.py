"""Events: DATE and TIME expressions on the timeline with their interval, sentence and places."""

from __future__ import annotations

from geo.model import Mention, Place
from geo.timeline.events import events_of, tag_text, timeline_order, unanchored_warning
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


def test_timeline_order_puts_dated_events_first_in_calendar_order():
    text = "Damals war alles anders. Im August kam er, im April 2019 war er schon einmal da."
    events = events_of(text, tag_text(text, "de", TUESDAY), ((0, 24), (25, len(text))), [])
    assert [e.value for e in events] == ["2019-04", "2023-08", "PAST_REF"]
    assert timeline_order(reversed(events)) == events
