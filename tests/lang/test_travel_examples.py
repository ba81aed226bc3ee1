"""Every example in data/<lang>/travel.txt runs through find_legs with its marked names as places."""

import pytest

from geo.journeys.legs import TRAVEL_FILE, find_legs, travel_rules
from geo.lang.registry import languages_with
from geo.model import Mention, Place

CASES = [(lang, example) for lang in languages_with(TRAVEL_FILE) for example in travel_rules(lang).examples]


def places_of(text: str, spans) -> tuple[Place, ...]:
    """One city per distinct marked name, at made-up distinct coordinates."""
    names: dict[str, list[Mention]] = {}
    for start, end in spans:
        names.setdefault(text[start:end], []).append(Mention(start, end, text[start:end]))
    return tuple(
        Place(f"test:{i}", name, name, 10.0 + i, 20.0 + i, None, "city", 1.0, tuple(mentions))
        for i, (name, mentions) in enumerate(names.items())
    )


@pytest.mark.parametrize("case", CASES, ids=[f"{lang}:{example.line}" for lang, example in CASES])
def test_example(case):
    lang, example = case
    places = places_of(example.text, example.places)
    name = {place.id: place.label for place in places}
    sentences = _sentences(example.text)
    legs = find_legs(example.text, sentences, places, lang)
    found = [(name[leg.from_id], name[leg.to_id], leg.mode) for leg in legs]
    assert found == list(example.legs), f"data/{lang}/{TRAVEL_FILE}:{example.line}"
    for leg in legs:
        assert example.text[leg.start : leg.end] and leg.sentence in example.text


def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Sentences split at ". " (the examples are written so that this is enough)."""
    spans, start = [], 0
    for index, char in enumerate(text):
        if char == "." and (index + 1 == len(text) or text[index + 1] == " "):
            spans.append((start, index + 1))
            start = index + 2
    return tuple(spans) or ((0, len(text)),)


def test_every_language_has_positive_and_negative_examples():
    for lang in languages_with(TRAVEL_FILE):
        examples = travel_rules(lang).examples
        assert any(e.legs for e in examples) and any(not e.legs for e in examples), lang
