"""Labels: every event's value in words at its own precision, in the article's language."""

from __future__ import annotations

import datetime

import pytest

from geo.lang.registry import languages_with
from geo.model import Event
from geo.timeline.events import events_of, tag_text
from geo.timeline.grammar import TIMEX_FILE, grammar_for
from geo.timeline.labels import LABEL_KEYS, calendar_value, event_label, value_label

CODES = ("PAST_REF", "PRESENT_REF", "FUTURE_REF", "XXXX", "-W", "TMO", "TEV", "TNI")


@pytest.mark.parametrize("language", languages_with(TIMEX_FILE))
def test_every_language_words_every_kind_of_value(language):
    labels = grammar_for(language).tables["labels"]
    assert set(LABEL_KEYS) <= set(labels), (
        f"data/{language}/{TIMEX_FILE}: [labels] lacks {set(LABEL_KEYS) - set(labels)}"
    )


@pytest.mark.parametrize(
    ("value", "mod", "english", "german"),
    [
        ("2019", None, "2019", "2019"),
        ("2019-04", None, "April 2019", "April 2019"),
        ("2023-09-12", None, "Sep 12, 2023", "12. Sept. 2023"),
        ("2023-09-12T14:30", None, "Sep 12, 2023, 2:30\u202fPM", "12. Sept. 2023, 14:30"),
        ("2023-09-12TEV", None, "Sep 12, 2023, evening", "12. Sept. 2023, abends"),
        ("2023-Q3", None, "Q3 2023", "3. Quartal 2023"),
        ("2022-SP", None, "spring 2022", "Frühjahr 2022"),
        ("2023-W37", None, "the week of Sep 11, 2023", "die Woche vom 11. Sept. 2023"),
        ("199", None, "the 1990s", "die 1990er-Jahre"),
        ("19", None, "the 1900s", "das 20. Jahrhundert"),
        ("BC0044", None, "44 BC", "44 v. Chr."),
        ("2019-04", "START", "early April 2019", "Anfang April 2019"),
        ("PAST_REF", None, "in the past", "früher"),
        ("FUTURE_REF", None, "in the future", "künftig"),
        ("XXXX-WXX-1", None, "Monday", "Montag"),
        ("XXXX-09", None, "September", "September"),
    ],
)
def test_values_in_words_at_their_own_precision(value, mod, english, german):
    assert value_label(value, "en", mod) == english
    assert value_label(value, "de", mod) == german


def test_a_value_without_words_shows_the_article_words_never_a_code():
    assert value_label("XXXX-XX-XX", "en", text="the next day") == "the next day"
    assert value_label("2023-WXX", "de", text="in einer Woche") == "in einer Woche"


def test_events_carry_their_label_and_never_an_invented_day():
    text = "Im April 2019 kam er an. Damals war alles anders. Am Montag reist er ab."
    timexes = tag_text(text, "de", None)
    labels = {event.text: event.label for event in events_of(text, timexes, [(0, len(text))], [])}
    assert labels["Im April 2019"] == "April 2019"
    assert labels["Damals"] == "früher"
    assert labels["Am Montag"] == "Montag"  # no publication date: the weekday as the text gives it
    english = tag_text("The plant closed in 2019.", "en", datetime.date(2023, 9, 12))
    (event,) = events_of("The plant closed in 2019.", english, [(0, 25)], [])
    assert event.label == "2019" and event.start == "2019-01-01"  # the interval stays data, the label says 2019
    assert not any(code in event.label for code in CODES)


def test_a_story_from_before_labels_is_worded_when_shown():
    event = Event("years ago", 0, 9, "PAST_REF", None, None, "It was years ago.")
    assert event_label(event, "en") == "in the past"
    assert event_label(Event("x", 0, 1, "2019", "2019-01-01", "2019-12-31", "x", label="2019"), "de") == "2019"


def test_only_plain_iso_dates_are_kept_as_sortable_values():
    assert [calendar_value(v) for v in ("2019", "2019-04", "2023-09-12", "2023-W37", "FUTURE_REF")] == [
        "2019",
        "2019-04",
        "2023-09-12",
        "",
        "",
    ]
