"""The data model and its JSON form."""

from __future__ import annotations

import json

from geo.model import Candidate, DocumentInfo, Event, Mention, Place, Story, story_from_dict


def a_story() -> Story:
    place = Place("geonames:1871859", "Pyongyang", "Pjöngjang", 39.03385, 125.75432, "KP", "city", 0.97,
                  (Mention(10, 19, "Pjöngjang"),),
                  (Candidate("geonames:1871859", "Pyongyang", 39.03385, 125.75432, "KP", "city", 3222000,
                             score=0.97),), 3222000, ("In Pjöngjang.",))
    event = Event("Im April 2019", 0, 13, "2019-04", "2019-04-01", "2019-04-30", "Im April 2019 ...",
                  ("geonames:1871859",))
    return Story("seed", DocumentInfo("de", "2023-09-12", 4069, "dateline"), (place,), (event,))


def test_json_round_trip():
    story = a_story()
    data = json.loads(json.dumps(story.to_dict()))
    assert story_from_dict(data) == story


def test_contract_fields_are_present():
    data = a_story().to_dict()
    assert set(data) >= {"id", "document", "places", "events", "legs", "claims"}
    assert set(data["document"]) >= {"language", "published", "chars"}
    place = data["places"][0]
    assert set(place) >= {"id", "name", "label", "lat", "lon", "country", "kind", "confidence", "mentions",
                          "candidates"}
    assert set(place["candidates"][0]) >= {"id", "name", "lat", "lon", "country", "score"}
    assert set(data["events"][0]) >= {"text", "start_char", "end_char", "value", "start", "end", "sentence",
                                      "places"}


def test_story_finds_a_place_by_id():
    story = a_story()
    assert story.place("geonames:1871859").label == "Pjöngjang"
    assert story.place("geonames:1") is None
