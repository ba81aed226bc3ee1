"""Every example in data/<lang>/distances.txt runs through find_distances (and the basis rule)."""

import pytest

from geo.journeys.distances import DISTANCES_FILE, KINDS, distance_rules, find_distances
from geo.lang.registry import languages_with

CASES = [(lang, example) for lang in languages_with(DISTANCES_FILE) for example in distance_rules(lang).examples]


@pytest.mark.parametrize("case", CASES, ids=[f"{lang}:{example.line}" for lang, example in CASES])
def test_example(case):
    lang, example = case
    where = f"data/{lang}/{DISTANCES_FILE}:{example.line}"
    found = find_distances(example.sentence, lang)
    marked = example.sentence[example.start : example.end]
    overlapping = [d for d in found if d.start < example.end and example.start < d.end]
    described = [(d.text, d.value_km, d.kind, d.hedge) for d in found]
    if not example.positive:
        assert not overlapping, f"{where}: {marked!r} must not be a distance: {described}"
        return
    exact = [d for d in overlapping if (d.start, d.end) == (example.start, example.end)]
    assert exact, f"{where}: expected {marked!r}, found {described}"
    distance = exact[0]
    assert distance.value_km == pytest.approx(example.value_km, abs=1e-3), f"{where}: {distance.value_km}"
    assert distance.kind == example.kind, f"{where}: kind {distance.kind}"
    if example.hedge:
        assert distance.hedge == example.hedge, f"{where}: hedge {distance.hedge}"
    if example.basis:
        assert distance_rules(lang).basis(example.sentence) == example.basis, f"{where}: basis"


def test_every_language_has_examples_of_every_kind_and_traps():
    for lang in languages_with(DISTANCES_FILE):
        examples = distance_rules(lang).examples
        assert {e.kind for e in examples if e.positive} == set(KINDS), lang
        assert any(not e.positive for e in examples), lang
