"""Tests for geo.places.people: people named like towns, in German and English."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from geo.places import people
from geo.places.candidates import tokenize
from geo.places.people import (
    GIVEN_NAMES_FILE,
    SURNAMES_FILE,
    People,
    given_names,
    is_given_name,
    is_surname,
    people_in,
    surnames,
)
from geo.places.recognition import find_toponyms
from geo.places.rules import rules_for
from geo.read.sentences import split_sentences

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def names(text: str, gazetteer, language: str) -> list[str]:
    return [t.text for t in find_toponyms(text, split_sentences(text, language), language, gazetteer)]


def found_people(text: str, language: str, not_surnames: set[int] = frozenset(), prominent=frozenset()) -> People:
    return people_in(text, tokenize(text), rules_for(language), set(not_surnames), set(prominent))


def full_names(text: str, language: str) -> list[str]:
    return [text[start:end] for start, end in found_people(text, language).full_names]


# --- the lexicon ------------------------------------------------------------------------------


def test_given_names_file_is_sorted_and_keeps_people_not_big_places():
    lines = GIVEN_NAMES_FILE.read_text(encoding="utf-8").splitlines()
    entries = [line for line in lines if not line.startswith("#")]
    assert lines[0].startswith("# ") and any("FORMAT" in line for line in lines if line.startswith("#"))
    assert entries == sorted(set(entries)) and all(entry.strip() == entry and entry for entry in entries)
    assert {"Paul", "Herbert", "Laura", "Andreas", "Robert"} <= given_names()
    assert not {"Paris", "Jordan", "Georgia", "Sydney"} & given_names()  # first of all places


def test_a_given_name_that_is_a_word_of_the_language_is_a_word_there():
    assert is_given_name("Paul", rules_for("en")) and is_given_name("Paul", rules_for("de"))
    assert not is_given_name("Will", rules_for("en"))  # "Will Rome fall?"
    assert not is_given_name("Von", rules_for("de"))  # "Von Odessa aus ..."
    assert is_given_name("Sebastian", rules_for("de"))  # the German tagger's guess is not asked


@pytest.mark.skipif(importlib.util.find_spec("faker") is None, reason="faker (a test requirement) is not installed")
def test_name_files_are_regenerated_identically(full_gazetteer):
    sys.path.insert(0, str(SCRIPTS))
    try:
        import build_names
    finally:
        sys.path.remove(str(SCRIPTS))
    for name_list in (build_names.GIVEN_NAMES, build_names.SURNAMES):
        committed = name_list.path.read_text(encoding="utf-8")
        assert committed == build_names.generate(full_gazetteer, name_list), "run: python scripts/build_names.py"


def test_surnames_file_keeps_surnames_not_big_places_or_words_of_position():
    lines = SURNAMES_FILE.read_text(encoding="utf-8").splitlines()
    entries = [line for line in lines if not line.startswith("#")]
    assert entries == sorted(set(entries)) and any("FORMAT" in line for line in lines if line.startswith("#"))
    assert {"Crosby", "Welch", "Weber", "Levy"} <= surnames()
    assert not {"Houston", "Washington", "Paris"} & surnames()  # first of all places
    assert is_surname("Crosby", rules_for("de")) and is_surname("Welch", rules_for("en"))
    assert "West" in surnames() and not is_surname("West", rules_for("en"))  # "the West"


def test_a_small_town_named_like_a_common_surname_needs_a_place_cue(full_gazetteer):
    assert names("Bei den Dreharbeiten führte Crosby die Kamera.", full_gazetteer, "de") == []
    assert names("Der Umzug nach Crosby dauerte eine Woche.", full_gazetteer, "de") == ["Crosby"]
    assert names("The vote was close, Welch conceded on Tuesday.", full_gazetteer, "en") == []
    assert names("The family moved to Welch last spring.", full_gazetteer, "en") == ["Welch"]
    assert names("Dickinson police closed the road.", full_gazetteer, "en") == ["Dickinson"]  # a known town


# --- who is a person --------------------------------------------------------------------------


def test_a_given_name_before_a_capitalised_word_is_a_full_name():
    assert full_names("Trainer Robert Schörgenhofer lobte das Team.", "de") == ["Robert Schörgenhofer"]
    assert full_names("Herbert Stein kam, Paul blieb.", "de") == ["Herbert Stein"]
    assert full_names("George W. Bush met Hans Peter Meier.", "en") == ["George W. Bush", "Hans Peter Meier"]
    assert full_names("Zusammen mit H. Dietz beschrieb er das Verfahren.", "de") == ["H. Dietz"]


def test_no_full_name_across_a_full_stop_a_country_or_an_abbreviation():
    assert full_names("Er traf Paul. Berlin war kalt.", "de") == []
    assert full_names("Städte wie z. B. Ulm wachsen.", "de") == []
    text = "Paul Frankreich"
    assert found_people(text, "de", not_surnames={text.index("Frankreich")}).full_names == ()


def test_the_surname_comes_back_alone_and_a_lone_given_name_is_a_person():
    text = "Andreas Weber kam. Später sprach Weber, und Laura nickte."
    found = found_people(text, "de")
    assert "weber" in found.surnames
    weber = text.rindex("Weber")
    assert found.hides(weber, weber + 5, "weber", place_cue=False, strong=False)
    assert not found.hides(weber, weber + 5, "weber", place_cue=True, strong=False)  # "nach Weber"
    laura = text.index("Laura")
    assert found.hides(laura, laura + 5, "laura", place_cue=False, strong=False)
    assert not found.hides(laura, laura + 5, "laura", place_cue=False, strong=True)  # "Florence"


def test_a_capital_after_a_given_name_is_hidden_there_but_not_elsewhere():
    text = "Jack London schrieb viel. In London regnete es."
    london = text.index("London")
    found = found_people(text, "de", prominent={london})
    assert found.hides(london, london + 6, "london", place_cue=False, strong=True)
    assert "london" not in found.surnames


def test_a_multiword_place_that_is_the_whole_name_stays_a_place():
    text = "Tourists flew to Charlotte Amalie."
    found = found_people(text, "en")
    start = text.index("Charlotte")
    assert found.hides(start, start + len("Charlotte"), "charlotte", place_cue=True, strong=False)
    assert not found.hides(start, start + len("Charlotte Amalie"), "charlotte amalie", place_cue=True, strong=False)


def test_an_article_without_given_names_has_no_people(monkeypatch):
    monkeypatch.setattr(people, "given_names", lambda: frozenset())
    assert found_people("Herbert Stein kam nach Wien.", "de") == People()


# --- in recognition, against the real gazetteer -----------------------------------------------


def test_people_named_like_towns_are_not_places(full_gazetteer):
    assert names("Trainer Robert Schörgenhofer lobte das Team in Graz.", full_gazetteer, "de") == ["Graz"]
    assert names("Herbert Stein besuchte Paul in Wien.", full_gazetteer, "de") == ["Wien"]
    assert names("Paul said the ferry to Seattle was late.", full_gazetteer, "en") == ["Seattle"]


def test_a_surname_later_in_the_article_is_the_same_person(full_gazetteer):
    text = "Kommissar Thomas Bush ermittelt. Am Abend fuhr Bush nach Hause."
    assert names(text, full_gazetteer, "de") == []
    text = "Die Sängerin Laura Bergen trat auf. Danach dankte Bergen dem Publikum."
    assert names(text, full_gazetteer, "de") == []


def test_a_surname_that_is_also_a_given_name_comes_back_as_the_person(full_gazetteer):
    """A full name of two given names is a given name and a surname ("Marcus Austin"): Austin alone
    is the pastor, big city or not; after a place cue it is the city. Two given names that are no
    surnames are one person's given names ("Anna Maria"), and name no surname."""
    text = "Pastor Marcus Austin spoke first. Austin said the plan cost too much, and he flew to Austin."
    found = find_toponyms(text, split_sentences(text, "en"), "en", full_gazetteer)
    assert [t.start for t in found] == [text.rindex("Austin")]
    assert "maria" not in found_people("Anna Maria kam.", "de").surnames


def test_a_place_cue_keeps_a_place(full_gazetteer):
    assert names("Kommissar Thomas Bush ermittelt. Am Abend fuhr er nach Bush.", full_gazetteer, "de") == ["Bush"]
    assert names("Laura blieb, die Fähre fuhr nach Laura.", full_gazetteer, "de") == ["Laura"]
    assert names("Tourists flew to Charlotte Amalie and Santa Monica.", full_gazetteer, "en") == [
        "Charlotte Amalie",
        "Santa Monica",
    ]
