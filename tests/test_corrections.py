"""Corrections: choosing another entry, removing, adding; kept per document and replayed."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace

import pytest

from geo.corrections import (
    Correction,
    CorrectionError,
    CorrectionStore,
    apply_corrections,
    corrections_of,
    text_key,
    with_corrections,
)
from geo.model import Candidate, Mention
from geo.pipeline import with_places
from geo.read.document import read_document
from tests.conftest import REFERENCE_ARTICLE
from tests.stories import place

TEXT = "Paris is far from Berlin. In Paris, Texas, nobody asked about Berlin or Lyon."
PARIS_FR = place("geonames:2988507", "Paris", 48.85341, 2.3488)
BERLIN = place("geonames:2950159", "Berlin", 52.52437, 13.41053)
PARIS_TX = Candidate("geonames:4717560", "Paris", 33.66094, -95.55551, "US", "city", 24782, "TX")
LYON = Candidate("geonames:2996944", "Lyon", 45.74846, 4.84671, "FR", "city", 472317)


def places():
    return [replace(PARIS_FR, mentions=(Mention(0, 5, "Paris"),)), BERLIN]


def test_choose_another_entry_keeps_the_mentions_and_the_label():
    result, skipped = apply_corrections(places(), [Correction("choose", PARIS_FR.id, PARIS_TX)], TEXT)
    paris = result[0]
    assert skipped == [] and (paris.id, paris.country, paris.label) == (PARIS_TX.id, "US", "Paris")
    assert (paris.lat, paris.lon) == (PARIS_TX.lat, PARIS_TX.lon) and paris.confidence == 1.0
    assert paris.mentions == places()[0].mentions and paris.candidates[0] == PARIS_TX


def test_choosing_an_entry_that_is_already_a_place_merges_the_two():
    berlin_as_paris = Candidate(BERLIN.id, "Berlin", BERLIN.lat, BERLIN.lon, "DE", "city")
    result, _ = apply_corrections(places(), [Correction("choose", PARIS_FR.id, berlin_as_paris)], TEXT)
    assert [p.id for p in result] == [BERLIN.id]
    assert len(result[0].mentions) == 2


def test_remove_and_a_correction_whose_place_is_gone_is_skipped():
    later = Correction("choose", BERLIN.id, PARIS_TX)
    result, skipped = apply_corrections(places(), [Correction("remove", BERLIN.id), later], TEXT)
    assert [p.id for p in result] == [PARIS_FR.id] and skipped == [later]


def test_corrections_apply_in_order():
    steps = [Correction("choose", PARIS_FR.id, PARIS_TX), Correction("remove", PARIS_TX.id)]
    result, skipped = apply_corrections(places(), steps, TEXT)
    assert [p.id for p in result] == [BERLIN.id] and skipped == []


def test_add_marks_every_whole_word_occurrence_and_takes_them_from_other_places():
    sentences = lambda offset: "the sentence"  # noqa: E731
    result, _ = apply_corrections(places(), [Correction("add", words="Lyon", entry=LYON)], TEXT, sentences)
    lyon = next(p for p in result if p.id == LYON.id)
    assert [(m.start, m.end) for m in lyon.mentions] == [(TEXT.index("Lyon"), TEXT.index("Lyon") + 4)]
    assert lyon.label == "Lyon" and lyon.sentences == ("the sentence",) and lyon.confidence == 1.0
    assert [p.id for p in result] == [PARIS_FR.id, BERLIN.id, LYON.id]  # in text order
    texas = Correction("add", words="Paris, Texas", entry=PARIS_TX)
    first_paris = apply_corrections(places(), [Correction("add", words="Paris", entry=PARIS_TX)], TEXT)[0]
    assert [p.id for p in first_paris] == [PARIS_TX.id, BERLIN.id]  # it took "Paris" at 0, Paris, France's only mention
    result, _ = apply_corrections(places(), [texas], TEXT)
    assert [p.id for p in result] == [PARIS_FR.id, BERLIN.id, PARIS_TX.id]
    assert next(p for p in result if p.id == PARIS_TX.id).mentions[0].text == "Paris, Texas"


def test_adding_words_the_text_does_not_hold_is_skipped():
    missing = Correction("add", words="Lyons", entry=LYON)
    assert apply_corrections(places(), [missing], TEXT) == (tuple(places()), [missing])


def test_incomplete_corrections_are_refused():
    for bad in (dict(action="choose", place="x"), dict(action="add", words="x"), dict(action="rename", place="x")):
        with pytest.raises(CorrectionError):
            Correction(**bad)
    with pytest.raises(CorrectionError):
        Correction.from_dict({"place": "x"})


def test_the_story_follows_a_correction(reference_story, full_gazetteer):
    """Removing Moskau takes its claim's pair away; choosing another Wladiwostok changes the leg."""
    document = read_document(REFERENCE_ARTICLE)
    moscow = next(p for p in reference_story.places if p.name == "Moscow")
    vladivostok = next(p for p in reference_story.places if p.name == "Vladivostok")
    removed, _ = apply_corrections(reference_story.places, [Correction("remove", moscow.id)], document.text)
    story = with_places(reference_story, document, removed)
    assert moscow.id not in {c.to_id for c in story.claims} | {c.from_id for c in story.claims}
    assert all(moscow.id not in e.places for e in story.events)
    vladimir = full_gazetteer.lookup("Wladimir")[0].candidate  # a reader's (wrong) choice, on purpose
    chosen, _ = apply_corrections(
        reference_story.places, [Correction("choose", vladivostok.id, vladimir)], document.text
    )
    story = with_places(reference_story, document, chosen)
    assert [leg.to_id for leg in story.legs] == [vladimir.id]
    assert abs(story.legs[0].km - reference_story.legs[0].km) > 1000


def test_the_store_keeps_text_and_corrections_across_instances(tmp_path):
    steps = [Correction("choose", PARIS_FR.id, PARIS_TX), Correction("add", words="Lyon", entry=LYON)]
    key = CorrectionStore(tmp_path / "c.sqlite").save(TEXT, steps)
    again = CorrectionStore(tmp_path / "c.sqlite")  # a restart
    assert key == text_key(TEXT) and again.load(key) == steps and again.text(key) == TEXT
    again.save(TEXT, steps[:1])
    assert again.load(key) == steps[:1]
    assert again.load(text_key("other")) == [] and again.text("nope") is None


def test_a_damaged_store_record_is_a_clear_error(tmp_path):
    store = CorrectionStore(tmp_path / "c.sqlite")
    key = store.save(TEXT, [])
    with sqlite3.connect(store.path) as connection:
        connection.execute("UPDATE documents SET corrections = '{not json' WHERE key = ?", (key,))
    with pytest.raises(CorrectionError, match="not JSON"):
        store.load(key)


def test_the_default_store_lives_in_the_user_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DATELINE_DATA_DIR", str(tmp_path / "data"))
    assert CorrectionStore().path == tmp_path / "data" / "corrections.sqlite"


def test_corrections_travel_with_the_story_json(reference_story):
    steps = [Correction("remove", reference_story.places[0].id)]
    data = json.loads(json.dumps(with_corrections(reference_story.to_dict(), TEXT, steps)))
    assert corrections_of(data) == (text_key(TEXT), steps)
    assert corrections_of(reference_story.to_dict()) == (None, [])
    with pytest.raises(CorrectionError):
        corrections_of({"corrections": {"edits": "x"}})
