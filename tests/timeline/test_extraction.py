"""Extraction: spans found in one pass, and the tense of the clause that a weekday or month follows."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.timeline import extraction
from geo.timeline.events import tag_text
from geo.timeline.extraction import clause_starts, find_timexes
from geo.timeline.grammar import grammar_for
from tests.timeline.tagging import TUESDAY, values


@pytest.mark.parametrize(
    "sentence, value",
    [
        ("Am Dienstag hatte die Regierung gewarnt.", "2023-09-12"),  # the publication day itself
        ("Er war am Sonntag angekommen.", "2023-09-10"),
        ("Am Donnerstag wird der Präsident erwartet.", "2023-09-14"),
        ("Die Bahn streikt ab Mittwoch.", "2023-09-13"),
        ("Am Freitag ist Markttag.", "2023-09-15"),  # no tense: the nearer Friday
    ],
)
def test_weekdays_follow_the_tense(sentence, value):
    assert values(sentence)[0][1] == value


def test_a_huge_text_is_tagged_in_one_pass():
    text = "Am 4. Juli 1861 stimmte der Kongress zu. " * 5000
    found = tag_text(text, "de", TUESDAY)
    assert len(found) == 5000 and all(t.value == "1861-07-04" for t in found)


def test_spans_are_exact_and_in_text_order():
    text = "Seit 2019 fährt der Zug; am 12. September 2023 fuhr er zweimal, gestern nicht."
    found = find_timexes(text, "de")
    assert all(text[t.start : t.end] == t.text for t in found)
    assert [t.start for t in found] == sorted(t.start for t in found)
    assert found[0].text == "2019" and text[found[0].phrase_start : found[0].start] == "Seit "


# --------------------------------------------------------------------------- one endless sentence

_WORDS = ["blieb", "geplant", "soll", "damals", "gegangen", "bleiben", "und", "Tag", "x", "(", ")", ";", ", ", " - "]


def _after_or_before_a_state_verb(text, grammar, words, word):
    """A verb of a state right after the word, or one of the four words before it, with no comma,
    colon, semicolon or bracket between them."""
    at = next(i for i, w in enumerate(words) if w.start() == word.start())
    if at + 1 < len(words) and words[at + 1][0].casefold() in grammar.state_verbs:
        if not text[word.end() : words[at + 1].start()].strip():
            return True
    for before in words[max(0, at - 4) : at]:
        between = text[before.end() : word.start()]
        if before[0].casefold() in grammar.state_verbs and not any(mark in between for mark in ",;:()[]"):
            return True
    return False


def _nearest_cue_word_by_word(text, grammar, start, end, low, high):
    """The nearest cue the plain way: every word of the window, one by one; a participle only the
    cue pattern finds is none where a verb of a state stands a space before or after it."""
    best = None
    words = list(regex.finditer(r"\w+", text[:high], pos=low))
    sentence_words = list(regex.finditer(r"\w+", text))
    for word in words:
        cue = extraction._cue_tense(grammar, word[0])
        if cue is None or start <= word.start() < end:
            continue
        tense, by_pattern = cue
        if by_pattern and _after_or_before_a_state_verb(text, grammar, sentence_words, word):
            continue
        distance = min(abs(word.start() - end), abs(start - word.end()))
        if best is None or distance < best[0]:
            best = (distance, tense)
    return best[1] if best else None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=40), st.data())
def test_the_nearest_cue_is_found_as_a_word_by_word_search_finds_it(words, data):
    text = " ".join(words)
    grammar = grammar_for("de")
    facts = extraction._SentenceFacts(text, grammar, ((0, len(text)),), {})
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    between_words = [i for i in range(len(text) + 1) if not (0 < i < len(text) and text[i - 1 : i + 1].isalnum())]
    low = data.draw(st.sampled_from(between_words))  # a clause or a sentence never starts or ends inside a word
    high = data.draw(st.sampled_from([i for i in between_words if i >= low]))
    expected = _nearest_cue_word_by_word(text, grammar, start, end, low, high)
    assert facts.nearest_cue(start, end, low, high) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab1é .-\n", max_size=30), st.data())
def test_the_words_between_any_bounds_are_those_a_search_between_them_finds(text, data):
    """The words of a text are found once (start index and tense cues share them); a sentence's are
    those a search between its bounds finds, even where a bound cuts a word."""
    low = data.draw(st.integers(0, len(text)))
    high = data.draw(st.integers(low, len(text)))
    words = extraction._Words(text)
    assert [w.span() for w in words.all] == [w.span() for w in regex.finditer(r"\w+", text)]
    expected = [w.span() for w in regex.finditer(r"\w+", text, pos=low, endpos=high)]
    assert [w.span() for w in words.between(low, high)] == expected


def test_an_endless_sentence_of_relative_dates_is_read_once(monkeypatch):
    text = "am Dienstag darauf kam sie nach Hamburg, zwei Tage später nach Berlin, " * 400
    calls = []
    monkeypatch.setattr(extraction, "clause_starts", lambda *args: calls.append(args) or clause_starts(*args))
    found = tag_text(text, "de", TUESDAY, sentences=((0, len(text)),))
    assert len(found) == 800 and len(calls) == 1
    assert found[0].value == "2023-09-12" and found[1].value == "2023-09-14"


def test_a_year_in_brackets_or_named_by_a_word_does_not_set_the_time():
    found = find_timexes("Im Mai 2019 (nach dem Krieg 1870) kam er, im Krieg 1870 auch, 1871 nicht.", "de")
    assert [(t.text, t.sets_time) for t in found] == [
        ("Mai 2019", True),
        ("1870", False),
        ("1870", False),
        ("1871", True),
    ]


@pytest.mark.parametrize(
    "sentence, value",
    [
        ("Officials said on Thursday that the strikes could harm relations.", "2023-09-07"),
        ("The minister will decide on Thursday which talks were useful.", "2023-09-14"),
    ],
)
def test_a_word_that_opens_a_clause_keeps_its_tense_from_the_date_before_it(sentence, value):
    """English writes the verb of a date first and a "that" clause with its own tense after it."""
    assert values(sentence, "en")[0][1] == value
