"""The data model and its JSON form."""

from __future__ import annotations

import json

from geo.model import Candidate, Claim, DocumentInfo, Event, Leg, Mention, Place, Route, Story, story_from_dict


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
        (json.dumps({**a_story().to_dict(), "places": [{"id": 1}]}), "missing or malformed"),
        (json.dumps(a_story().to_dict()).replace("39.03385", "NaN", 1), "not a finite number"),
    ]:
        path.write_text(text, encoding="utf-8")
        with pytest.raises(StoryError, match=message) as caught:
            read_story(path)
        assert str(caught.value).startswith(f"{path}: ") and "\n" not in str(caught.value)
    with pytest.raises(StoryError, match="missing.json: "):
        read_story(tmp_path / "missing.json")


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
