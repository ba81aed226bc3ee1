"""Legs: journeys in the text as ordered legs between points, each with a mode."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geo.journeys.legs
from geo.errors import TravelRulesError
from geo.journeys.legs import PENDING_SENTENCES, find_legs, read_travel_rules, travel_rules
from geo.lang import add_data_dir, remove_data_dir
from geo.model import DEMONYM, Mention, Place
from geo.read.sentences import QUOTE_STEP
from tests.journeys.test_claims import CITIES, places_in, sentences_of


def legs(text: str, language: str = "de"):
    names = {place.id: place.label for place in places_in(text)}
    return [
        (names[leg.from_id], names[leg.to_id], leg.mode)
        for leg in find_legs(text, sentences_of(text), places_in(text), language)
    ]


def test_doctests():
    assert doctest.testmod(geo.journeys.legs).failed == 0


def test_the_reference_journey_is_one_rail_leg_from_the_start_the_text_names():
    text = (
        "Schon bei seiner Abreise vom Bahnhof in Pjöngjang erregte Kims Zug Aufmerksamkeit. Zum ersten Mal "
        "seit Jahren hat er sein Land verlassen. Seine Anreise ins russische Wladiwostok war gemächlich."
    )
    found = find_legs(text, sentences_of(text), places_in(text), "de")
    assert [(leg.mode, round(leg.km, 1)) for leg in found] == [("rail", 684.5)]
    assert found[0].sentence == "Seine Anreise ins russische Wladiwostok war gemächlich."
    assert text[found[0].start : found[0].end] == "Anreise ins russische Wladiwostok"


def test_a_start_waits_only_a_few_sentences_for_its_arrival():
    filler = " ".join("Es war kalt." for _ in range(PENDING_SENTENCES + 1))
    assert legs(f"Der Zug verließ Pjöngjang. {filler} Die Anreise nach Wladiwostok dauerte.") == []


def test_via_gives_one_leg_per_stop_and_a_repeat_is_dropped():
    text = (
        "Der Sonderzug fuhr von Pjöngjang über Wladiwostok nach Moskau. "
        "Später fuhr der Zug noch einmal von Pjöngjang nach Wladiwostok."
    )
    assert legs(text) == [("Pjöngjang", "Wladiwostok", "rail"), ("Wladiwostok", "Moskau", "rail")]


def test_a_demonym_is_no_stop_between_the_ends_of_a_leg():
    text = "Der Zug fuhr von Moskau ins russische Wladiwostok."
    russia = Place(
        "geonames:2017370",
        "Russia",
        "Russland",
        60.0,
        100.0,
        "RU",
        "country",
        1.0,
        (Mention(28, 37, "russische", DEMONYM),),
    )
    places = places_in(text) + (russia,)
    found = find_legs(text, sentences_of(text), places, "de")
    assert [(leg.from_id, leg.to_id) for leg in found] == [("geonames:524901", "geonames:2013348")]


def test_countries_are_no_ends_of_a_leg():
    assert legs("Der Zug fuhr von Pjöngjang nach Russland.") == []


def test_the_mode_comes_from_the_words_around_the_journey():
    assert legs("Der Minister flog von Berlin nach Moskau.") == [("Berlin", "Moskau", "air")]
    assert legs("The convoy drove from Kyiv to Kharkiv.", "en") == [("Kyiv", "Kharkiv", "road")]
    assert legs("Die Fähre wartet. Die Reise ging von Berlin nach Moskau.") == [("Berlin", "Moskau", "sea")]
    assert legs("Die Reise ging von Berlin nach Moskau.") == [("Berlin", "Moskau", "unknown")]


def test_a_place_name_is_no_mode_word():
    # "Zug" the town must not make a journey by train: only the words outside place names count.
    for text, mode in (
        ("Die Reise ging von Berlin nach Zug.", "unknown"),
        ("Die Reise ging mit dem Zug von Berlin nach Zug.", "rail"),
    ):
        town = text.rindex("Zug")
        zug = Place(
            "geonames:2657908", "Zug", "Zug", 47.17242, 8.51745, "CH", "city", 1.0, (Mention(town, town + 3, "Zug"),)
        )
        found = find_legs(text, sentences_of(text), places_in(text) + (zug,), "de")
        assert [(leg.to_id, leg.mode) for leg in found] == [("geonames:2657908", mode)]


def test_a_bad_rule_file_names_file_and_line(tmp_path):
    path = tmp_path / "travel.txt"
    path.write_text("[modes]\nZug\ttrain\n", encoding="utf-8")
    with pytest.raises(TravelRulesError, match="unknown mode 'train'"):
        read_travel_rules(path, "de")
    path.write_text("[patterns]\nbad\tvon {P}\talways\n", encoding="utf-8")
    with pytest.raises(TravelRulesError, match="travel.txt:2: pattern 'bad' needs a 'to'"):
        read_travel_rules(path, "de")
    path.write_text("[patterns]\nbad\tvon (?P<to>{P}\talways\n", encoding="utf-8")
    with pytest.raises(TravelRulesError, match="does not compile"):
        read_travel_rules(path, "de")


@pytest.mark.parametrize(
    "example, message",
    [
        ("  + Von [Berlin] nach [Moskau].", "'\\+' examples need '=> legs'"),
        ("  - Von [Berlin] nach [Moskau]. => Berlin > Moskau air", "'-' examples none"),
        ("  + Von [Berlin] nach [Moskau]. => Berlin to Moskau air", "bad expected leg"),
        ("  + Von [Berlin] nach [Moskau]. => Berlin > Moskau bike", "bad expected leg"),
        ("  + Von [Berlin nach [Moskau]. => Berlin > Moskau air", "unbalanced"),
        ("  Von [Berlin] nach [Moskau].", "starts with '\\+ ' or '- '"),
    ],
)
def test_a_bad_example_names_file_and_line(tmp_path, example, message):
    path = tmp_path / "travel.txt"
    path.write_text(f"[examples]\n{example}\n", encoding="utf-8")
    with pytest.raises(TravelRulesError, match=f"travel.txt:2: .*{message}"):
        read_travel_rules(path, "de")


def test_a_language_reads_its_own_travel_file_else_a_fallback_languages(tmp_path):
    english = travel_rules("en")
    assert [p.name for p in travel_rules("xx-none").patterns] == [p.name for p in english.patterns]
    folder = tmp_path / "xx"
    folder.mkdir()
    (folder / "language.toml").write_text('name = "Test"\n', encoding="utf-8")
    (folder / "travel.txt").write_text(
        "[modes]\nvlak\trail\n[patterns]\nto\tdo (?P<to>{P})\talways\n", encoding="utf-8"
    )
    add_data_dir(tmp_path)
    try:
        assert [p.name for p in travel_rules("xx").patterns] == ["to"]
    finally:
        remove_data_dir(tmp_path)
    assert [p.name for p in travel_rules("xx").patterns] == [p.name for p in english.patterns]


# --------------------------------------------------------------------------- many journeys in one sentence


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["Zug", "Bahn", "flog", "Fähre", "Bus", "und", "x", "\x021\x03"]), max_size=30), st.data()
)
def test_the_nearest_mode_word_is_the_one_a_search_of_all_finds(words, data):
    skeleton = " ".join(words)
    where = data.draw(st.integers(0, len(skeleton)))
    rules = travel_rules("de")
    every = [(abs(match.start() - where), match.lastgroup) for match in rules.modes.finditer(skeleton)]
    assert rules.mode_words(skeleton).near(where) == (min(every)[1] if every else None)


def test_a_sentence_with_many_journeys_is_searched_for_mode_words_once(monkeypatch):
    text = "sie fuhr mit dem Zug von Berlin nach Moskau, dann flog sie von Moskau nach Kyiv, " * 200 + "zurück."
    calls = []
    original = geo.journeys.legs.TravelRules.mode_words
    monkeypatch.setattr(
        geo.journeys.legs.TravelRules, "mode_words", lambda self, s: calls.append(s) or original(self, s)
    )
    found = find_legs(text, sentences_of(text), places_in(text), "de")
    assert [(leg.from_id, leg.to_id, leg.mode) for leg in found] == [
        (CITIES["Berlin"][0], CITIES["Moskau"][0], "rail"),
        (CITIES["Moskau"][0], CITIES["Kyiv"][0], "air"),
    ]
    assert len([skeleton for skeleton in calls if len(skeleton) > 1000]) == 1  # the sentence, not each journey's words
    assert all(len(leg.sentence) <= 3 * QUOTE_STEP + 4 for leg in found)


def test_a_state_or_country_after_a_comma_only_says_which_town():
    from dataclasses import replace

    text = "The convoy drove from Kyiv, Ukraine, to Kharkiv."
    ukraine = Place(
        "geonames:690791", "Ukraine", "Ukraine", 49.0, 32.0, "UA", "country", 1.0, (Mention(28, 35, "Ukraine"),)
    )
    places = [replace(place, country="UA") for place in places_in(text)] + [ukraine]
    found = find_legs(text, sentences_of(text), places, "en")
    assert [(leg.from_id, leg.to_id, leg.mode) for leg in found] == [(CITIES["Kyiv"][0], CITIES["Kharkiv"][0], "road")]
    elsewhere = [replace(place, country="RU") for place in places_in(text)] + [ukraine]
    assert find_legs(text, sentences_of(text), elsewhere, "en") == ()  # not the town's own country: a stop
