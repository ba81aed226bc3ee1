"""Corrections: choosing another entry, removing, adding; kept per document and replayed; and the
store and the imports read as untrusted input."""

from __future__ import annotations

import dataclasses
import json
import math
import random
import sqlite3
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.corrections import (
    Correction,
    CorrectionError,
    CorrectionStore,
    apply_corrections,
    corrections_of,
    is_private_key,
    private_key,
    read_corrections,
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
    key = private_key()
    CorrectionStore(tmp_path / "c.sqlite").save(key, TEXT, steps)
    again = CorrectionStore(tmp_path / "c.sqlite")  # a restart
    assert again.load(key) == steps and again.text(key) == TEXT
    again.save(key, TEXT, steps[:1])
    assert again.load(key) == steps[:1]
    assert again.load(text_key(TEXT)) == [] and again.text(text_key(TEXT)) is None  # the text does not find it
    assert again.load(text_key("other")) == [] and again.text("nope") is None


def test_a_text_without_corrections_is_not_kept_and_forgetting_leaves_no_trace(tmp_path):
    path = tmp_path / "c.sqlite"
    store = CorrectionStore(path)
    key = private_key()
    store.save(key, TEXT, [])
    assert store.text(key) is None and TEXT.encode() not in path.read_bytes()
    store.save(key, TEXT, [Correction("remove", BERLIN.id)])
    assert store.text(key) == TEXT and TEXT.encode() in path.read_bytes()
    store.save(key, TEXT, [])  # forget: the row goes, and its text is overwritten in the file
    assert store.text(key) is None and TEXT.encode() not in path.read_bytes()


def test_private_keys_are_random_and_told_from_text_keys():
    first, second = private_key(), private_key()
    assert first != second and is_private_key(first) and is_private_key(second)
    assert not is_private_key(text_key(TEXT)) and not is_private_key(first + "x") and not is_private_key("private-")


def _stored(store: CorrectionStore, record: str) -> str:
    """Put ``record`` in the store as the corrections of TEXT, as anyone who can write the file could."""
    key = text_key(TEXT)
    with sqlite3.connect(store.path) as connection:
        connection.execute("PRAGMA synchronous = OFF")  # a test's file: no need to wait for the disk
        connection.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, ?, 'now')", (key, TEXT, record))
    connection.close()
    return key


@pytest.mark.parametrize("record", ["{not json", "[" * 100_000, "1" * 5000, "null", '{"action": "remove"}', "3.5"])
def test_a_stored_record_that_is_no_list_of_corrections_is_left_out_and_reported(tmp_path, record):
    store = CorrectionStore(tmp_path / "c.sqlite")
    key = _stored(store, record)
    corrections, problems = store.load_report(key)
    assert corrections == [] and len(problems) == 1 and "\n" not in problems[0]
    assert store.load(key) == [] and store.text(key) == TEXT


def _entry(**changes) -> dict:
    return {**dataclasses.asdict(PARIS_TX), **changes}


BAD_CORRECTIONS = {  # a stored correction -> the start of why it is left out
    "a string": ("just words", "a correction must be a JSON object, not str"),
    "an action that is a number": ({"action": 5, "place": "x"}, "action must be one of choose, remove, add (got 5)"),
    "latitude north": (
        {"action": "choose", "place": PARIS_FR.id, "entry": _entry(lat="north")},
        "entry.lat must be a number from -90 to 90 (got 'north')",
    ),
    "latitude 1e308": (
        {"action": "choose", "place": PARIS_FR.id, "entry": _entry(lat=1e308)},
        "entry.lat must be a number from -90 to 90 (got 1e+308)",
    ),
    "longitude NaN": ({"action": "choose", "place": PARIS_FR.id, "entry": _entry(lon=math.nan)}, "entry.lon must be"),
    "latitude of 400 digits": ({"action": "choose", "place": "x", "entry": _entry(lat=10**400)}, "entry.lat must be"),
    "score infinite": ({"action": "choose", "place": "x", "entry": _entry(score=math.inf)}, "entry.score must be"),
    "a number for words": ({"action": "add", "words": 42, "entry": _entry()}, "words must be text of 1 to 200"),
    "words too long": ({"action": "add", "words": "Lyon " * 100, "entry": _entry()}, "words must be text of 1 to 200"),
    "a lone surrogate": ({"action": "remove", "place": "\ud800"}, "place must be text"),
    "a population in words": (
        {"action": "choose", "place": PARIS_FR.id, "entry": _entry(population="many")},
        "entry.population must be a whole number",
    ),
    "a kind that is none": ({"action": "choose", "place": "x", "entry": _entry(kind="planet")}, "entry.kind must be"),
    "an unknown field": ({"action": "choose", "place": "x", "entry": _entry(elevation=3)}, "entry has no field"),
    "an entry that is a list": ({"action": "choose", "place": "x", "entry": [1, 2]}, "entry must be a JSON object"),
    "incomplete": ({"action": "choose", "place": PARIS_FR.id}, "an incomplete 'choose' correction"),
}


def test_each_stored_correction_that_cannot_be_read_is_left_out_and_the_others_applied(tmp_path):
    good = [Correction("choose", PARIS_FR.id, PARIS_TX), Correction("add", words="Lyon", entry=LYON)]
    bad = [record for record, _ in BAD_CORRECTIONS.values()]
    store = CorrectionStore(tmp_path / "c.sqlite")
    key = _stored(store, json.dumps([good[0].to_dict(), *bad, good[1].to_dict()]))
    corrections, problems = store.load_report(key)
    assert corrections == good
    assert [problem.split(": ", 1) for problem in problems] == [
        [f"correction {number}", problems[number - 2].split(": ", 1)[1]] for number in range(2, len(bad) + 2)
    ]
    for problem, (_, reason) in zip(problems, BAD_CORRECTIONS.values()):
        assert problem.split(": ", 1)[1].startswith(reason), problem
    result, skipped = apply_corrections(places(), corrections, TEXT)
    assert skipped == [] and {p.id for p in result} == {PARIS_TX.id, BERLIN.id, LYON.id}


@pytest.mark.parametrize("name", BAD_CORRECTIONS)
def test_an_imported_correction_that_cannot_be_read_refuses_the_import_naming_it(name):
    record, reason = BAD_CORRECTIONS[name]
    edits = [Correction("remove", BERLIN.id).to_dict(), record]
    with pytest.raises(CorrectionError) as error:
        corrections_of({"corrections": {"text_sha256": text_key(TEXT), "edits": edits}})
    assert str(error.value).startswith(f"correction 2: {reason}")


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"{not json", "the corrections are not JSON"),
        (b"[" * 100_000, "the corrections are not JSON"),
        (b'{"corrections": {"text_sha256": 7, "edits": []}}', "text_sha256 must be"),
        (b'{"corrections": {"edits": {}}}', "the Story JSON's corrections are malformed"),
        (b"[1, 2]", "a Story JSON must be a JSON object, not list"),
        (
            json.dumps({"corrections": {"edits": [{"action": "remove", "place": "x"}] * 1001}}).encode(),
            "more than 1,000",
        ),
    ],
)
def test_an_import_that_is_not_one_of_dateline_s_is_one_clear_error(content, reason):
    with pytest.raises(CorrectionError, match=reason):
        read_corrections(content)


def test_an_import_reads_the_story_json_it_was_given(reference_story):
    steps = [Correction("remove", reference_story.places[0].id)]
    content = json.dumps(with_corrections(reference_story.to_dict(), TEXT, steps)).encode()
    assert read_corrections(content) == (text_key(TEXT), steps)


# -- a store file that is no store --------------------------------------------------------------


def _random_bytes(path):
    path.write_bytes(random.Random(10).randbytes(5000))


def _another_database(path):
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE documents (id INTEGER, body BLOB)")
    connection.close()


def _truncated_store(path):
    CorrectionStore(path).save(text_key(TEXT), TEXT * 200, [Correction("remove", BERLIN.id)])
    path.write_bytes(path.read_bytes()[:5000])


@pytest.mark.parametrize("spoil", [_random_bytes, _another_database, _truncated_store], ids=lambda f: f.__name__[1:])
def test_a_store_file_that_is_no_store_is_set_aside_and_a_new_one_started(tmp_path, spoil):
    path = tmp_path / "corrections.sqlite"
    spoil(path)
    spoiled = path.read_bytes()
    store = CorrectionStore(path)  # no exception
    assert store.load(text_key(TEXT)) == [] and store.text(text_key(TEXT)) is None
    assert store.problem.startswith(f"The corrections file {path} could not be read (")
    assert "corrections.sqlite.damaged" in store.problem
    assert (tmp_path / "corrections.sqlite.damaged").read_bytes() == spoiled  # kept, for whoever wants it
    steps = [Correction("remove", BERLIN.id)]
    store.save(text_key(TEXT), TEXT, steps)
    assert CorrectionStore(path).load(text_key(TEXT)) == steps


def test_a_store_damaged_while_in_use_is_set_aside_at_the_next_call(tmp_path):
    path = tmp_path / "corrections.sqlite"
    store = CorrectionStore(path)
    key = text_key(TEXT)
    store.save(key, TEXT, [Correction("remove", BERLIN.id)])
    path.write_bytes(bytes(path.stat().st_size))  # zeroed
    (tmp_path / "corrections.sqlite.damaged").write_text("an earlier one", encoding="utf-8")
    assert store.load(key) == [] and "corrections.sqlite.2.damaged" in store.problem
    store.save(key, TEXT, [Correction("remove", PARIS_FR.id)])
    assert store.load(key) == [Correction("remove", PARIS_FR.id)]


def test_a_store_in_a_folder_that_cannot_be_made_is_a_problem_not_an_error(tmp_path):
    (tmp_path / "file").write_text("a file, not a folder", encoding="utf-8")
    store = CorrectionStore(tmp_path / "file" / "corrections.sqlite")
    store.save(text_key(TEXT), TEXT, [Correction("remove", BERLIN.id)])
    assert store.load(text_key(TEXT)) == [] and store.text(text_key(TEXT)) is None
    assert store.problem.startswith("The corrections file") and "cannot be used now" in store.problem


def test_a_text_with_a_lone_surrogate_has_a_key_and_is_not_kept(tmp_path):
    store = CorrectionStore(tmp_path / "c.sqlite")
    text = "Paris\ud800"
    store.save(text_key(text), text, [Correction("remove", BERLIN.id)])
    assert store.text(text_key(text)) is None
    assert "lone surrogate" in store.problem


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=10,
)
CORRECTION_LIKE = st.fixed_dictionaries(
    {"action": st.sampled_from(["choose", "remove", "add", "x"])},
    optional={
        "place": st.sampled_from([PARIS_FR.id, BERLIN.id]) | JSON,
        "words": st.sampled_from(["Lyon", "Paris", "Berlin"]) | JSON,
        "entry": st.fixed_dictionaries({}, optional={k: JSON | st.just(v) for k, v in _entry().items()}) | JSON,
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(CORRECTION_LIKE | JSON, max_size=6))
def test_any_stored_json_loads_without_an_exception_and_applies(tmp_path, items):
    store = CorrectionStore(tmp_path / "fuzz.sqlite")
    key = _stored(store, json.dumps(items))
    corrections, problems = store.load_report(key)
    assert len(corrections) + len(problems) == len(items)
    places_after, _ = apply_corrections(places(), corrections, TEXT, lambda offset: "a sentence")
    for after in places_after:
        assert -90 <= after.lat <= 90 and -180 <= after.lon <= 180
        json.dumps(after.to_dict()).encode("utf-8")


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
