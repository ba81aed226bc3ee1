"""The data model and its JSON form."""

from __future__ import annotations

import json

import pytest

from geo.model import (
    STORY_SCHEMA,
    Candidate,
    Claim,
    DocumentInfo,
    Event,
    Leg,
    Mention,
    Place,
    Route,
    Story,
    story_from_dict,
    story_problem,
)
from tests.conftest import SHARED


def a_story() -> Story:
    place = Place(
        "geonames:1871859",
        "Pyongyang",
        "Pjöngjang",
        39.03385,
        125.75432,
        "KP",
        "city",
        0.97,
        (Mention(10, 19, "Pjöngjang"),),
        (Candidate("geonames:1871859", "Pyongyang", 39.03385, 125.75432, "KP", "city", 3222000, score=0.97),),
        3222000,
        ("In Pjöngjang.",),
    )
    event = Event(
        "Im April 2019", 0, 13, "2019-04", "2019-04-01", "2019-04-30", "Im April 2019 ...", ("geonames:1871859",)
    )
    leg = Leg(
        "geonames:1871859",
        "geonames:2013348",
        684.5,
        "rail",
        "Die Anreise ...",
        20,
        40,
        ((39.03385, 125.75432), (43.10562, 131.87353)),
        Route(1155.0, ((39.03385, 125.75432), (43.10562, 131.87353)), "scgraph:world_railways", "ODbL"),
    )
    claim = Claim(
        "rund 6500 Kilometer",
        6500.0,
        "geonames:2013348",
        "geonames:524901",
        6434.3,
        "consistent",
        50,
        69,
        "distance",
        "km",
        "approx",
        "straight",
        5850.0,
        7150.0,
        "geodesic",
        None,
        "Nach Moskau ...",
        "the map gives 6,434 km (geodesic), within the bounds",
    )
    return Story("seed", DocumentInfo("de", "2023-09-12", 4069, "dateline"), (place,), (event,), (leg,), (claim,))


def test_json_round_trip():
    story = a_story()
    data = json.loads(json.dumps(story.to_dict()))
    assert story_from_dict(data) == story


def test_contract_fields_are_present():
    data = a_story().to_dict()
    assert set(data) >= {"id", "document", "places", "events", "legs", "claims"}
    assert set(data["document"]) >= {"language", "published", "chars"}
    place = data["places"][0]
    assert set(place) >= {
        "id",
        "name",
        "label",
        "lat",
        "lon",
        "country",
        "kind",
        "confidence",
        "mentions",
        "candidates",
    }
    assert set(place["candidates"][0]) >= {"id", "name", "lat", "lon", "country", "score"}
    assert set(data["events"][0]) >= {"text", "start_char", "end_char", "value", "start", "end", "sentence", "places"}


def test_story_finds_a_place_by_id():
    story = a_story()
    assert story.place("geonames:1871859").label == "Pjöngjang"
    assert story.place("geonames:1") is None


def test_a_story_json_file_reads_back_and_a_bad_one_is_one_story_error(tmp_path):
    import pytest

    from geo.errors import StoryError
    from geo.model import read_story

    path = tmp_path / "story.json"
    path.write_text(json.dumps(a_story().to_dict()), encoding="utf-8")
    assert read_story(path) == a_story()
    for text, message in [
        ("{not json", "not a Story JSON file"),
        ('{"id": "x"}', "expected an object with id"),
        (json.dumps({**a_story().to_dict(), "places": [{"id": 1}]}), r"places\[0\]\.name is missing"),
        (json.dumps(a_story().to_dict()).replace("39.03385", "NaN", 1), "not a finite number"),
    ]:
        path.write_text(text, encoding="utf-8")
        with pytest.raises(StoryError, match=message) as caught:
            read_story(path)
        assert str(caught.value).startswith(f"{path}: ") and "\n" not in str(caught.value)
    with pytest.raises(StoryError, match="missing.json: "):
        read_story(tmp_path / "missing.json")


# -- a Story JSON file is checked on the way in (issue 23) -------------------------------------------

CONTRACT = json.loads((SHARED / "contract" / "story.schema.json").read_text(encoding="utf-8"))


def _contract_words(schema: dict, where: str = "") -> list[tuple[str, str, object]]:
    """Every word of a JSON Schema as (where, keyword, value): where a contract and a schema can be compared."""
    words = []
    for keyword, value in schema.items():
        if keyword == "properties":
            for name, sub in value.items():
                words += _contract_words(sub, f"{where}.{name}")
        elif keyword == "items":
            words += _contract_words(value, f"{where}[]")
        elif keyword not in ("$schema", "$id", "title", "description"):
            words.append((where, keyword, value))
    return words


def test_the_schema_read_story_checks_holds_every_word_of_the_contract():
    ours = {(where, keyword): value for where, keyword, value in _contract_words(STORY_SCHEMA)}
    for where, keyword, value in _contract_words(CONTRACT):
        if keyword == "required":
            assert set(value) <= set(ours[where, keyword]), where
        elif keyword in ("minimum", "minItems", "minLength"):
            assert ours[where, keyword] >= value, (where, keyword)
        elif keyword in ("maximum", "maxItems"):
            assert ours[where, keyword] <= value, (where, keyword)
        else:
            assert ours.get((where, keyword)) == value, (where, keyword)


def test_every_field_story_from_dict_reads_is_checked():
    """A field the reader takes but the schema does not know would reach it unchecked."""
    story = a_story().to_dict()
    known = {where for where, _, _ in _contract_words(STORY_SCHEMA)}
    fields = {f"{where}" for where in _json_fields(story)}
    assert fields <= known, sorted(fields - known)


def _json_fields(value, where: str = ""):
    if isinstance(value, dict):
        for name, child in value.items():
            yield f"{where}.{name}"
            yield from _json_fields(child, f"{where}.{name}")
    elif isinstance(value, list) and value and not isinstance(value[0], (int, float)):
        for child in value:
            yield from _json_fields(child, f"{where}[]")


@pytest.mark.parametrize(
    "change, problem",
    [
        ({"id": ""}, ("id", "is empty")),
        ({"places": "none"}, ("places", 'is "none", not a list')),
        ({"legs": [{"from": "a", "to": "b", "km": -1, "mode": "rail"}]}, ("legs[0].km", "is -1, below 0")),
        ({"events": [None]}, ("events[0]", "is null, not an object")),
        ({"claims": [{}]}, ("claims[0].text", "is missing")),
    ],
)
def test_a_story_problem_names_the_field_and_what_is_wrong(change, problem):
    assert story_problem({**a_story().to_dict(), **change}) == problem


def test_numbers_are_finite_integers_safe_and_booleans_no_numbers():
    data = a_story().to_dict()
    for value, shown in [(float("nan"), "NaN"), (True, "true"), (2**53, str(2**53)), (1.5, "1.5")]:
        data["document"]["chars"] = value
        field, problem = story_problem(data)
        assert field == "document.chars" and problem.startswith(f"is {shown},"), problem
    assert story_problem({**a_story().to_dict(), "id": "x" * 1000}) is None


def test_a_lone_surrogate_anywhere_is_named():
    data = a_story().to_dict()
    data["claims"][0]["reason"] = "fine \udfff"
    assert story_problem(data) == ("claims[0].reason", "holds a lone surrogate (U+DFFF), which is no character")


def test_a_story_json_file_with_a_byte_order_mark_reads_back(tmp_path):
    from geo.model import read_story

    path = tmp_path / "story.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(a_story().to_dict()).encode("utf-8"))  # as Notepad saves it
    assert read_story(path) == a_story()


def test_a_mention_keeps_its_role_and_a_place_is_associative_when_no_mention_is_literal():
    mentions = (Mention(0, 6, "Moscow", "metonym"), Mention(30, 36, "Moscow", "modifier"))
    moscow = Place("geonames:524901", "Moscow", "Moscow", 55.75, 37.62, "RU", "city", 0.9, mentions)
    data = moscow.to_dict()
    assert data["role"] == "associative" and [m["role"] for m in data["mentions"]] == ["metonym", "modifier"]
    story = Story("s", DocumentInfo("en", None, 40), (moscow,), (), (), ())
    again = story_from_dict(json.loads(json.dumps(story.to_dict()))).places[0]
    assert again.mentions == mentions and again.role == "associative"
    for mention in data["mentions"]:
        del mention["role"]  # a Story written before roles: every mention literal
    older = story_from_dict({**story.to_dict(), "places": [data]}).places[0]
    assert older.role == "literal"


def test_a_role_outside_the_roles_is_refused_with_its_field():
    data = a_story().to_dict()
    data["places"][0]["mentions"][0]["role"] = "decorative"
    assert story_problem(data) == (
        "places[0].mentions[0].role",
        'is "decorative", not one of literal, modifier, metonym, demonym',
    )
