"""Resolution: candidates, evidence, confidence, merging."""

from __future__ import annotations

from collections import Counter

from geo.places.recognition import demonym_countries, find_toponyms
from geo.places.resolution import resolve_places
from geo.read.sentences import split_sentences


def resolve(text: str, gazetteer, language: str = "en"):
    toponyms = find_toponyms(text, split_sentences(text, language), language, gazetteer)
    return resolve_places(toponyms, demonym_countries(text, language), language)


def ids(places) -> dict[str, str]:
    return {p.mentions[0].text: p.id for p in places}


def test_population_and_prominence_decide_without_other_evidence(small_gazetteer):
    assert ids(resolve("Talks resumed in Paris on Monday.", small_gazetteer)) == {"Paris": "geonames:2988507"}


def test_a_qualifier_wins_and_holds_for_the_whole_article(small_gazetteer):
    text = "PARIS, Texas — The storm hit hard. Later, Paris counted the damage."
    places = resolve(text, small_gazetteer)
    paris = next(p for p in places if p.name == "Paris")
    assert paris.id == "geonames:4717560" and len(paris.mentions) == 2
    assert paris.confidence > 0.9


def test_the_articles_country_picks_the_state_or_the_country(small_gazetteer):
    us = resolve("The storm moved from Atlanta across Georgia. Ga. officials said Atlanta was hit.", small_gazetteer)
    assert ids(us)["Georgia"] == "geonames:4197000"
    caucasus = resolve("Georgia, the country, borders Russia; Tbilisi is its capital.", small_gazetteer)
    assert ids(caucasus)["Georgia"] == "geonames:614540"


def test_nearby_places_pull_an_ambiguous_name(small_gazetteer):
    text = "Das Hochwasser der Oder erreichte Frankfurt an der Oder. In Frankfurt stieg der Pegel."
    places = resolve(text, small_gazetteer, "de")
    frankfurt = [p for p in places if p.name.startswith("Frankfurt")]
    assert {p.id for p in frankfurt} == {"geonames:2925550"}


def test_candidates_are_listed_with_probabilities(small_gazetteer):
    (paris,) = resolve("They met in Paris.", small_gazetteer)
    scores = [c.score for c in paris.candidates]
    assert 1 < len(scores) <= 5 and scores == sorted(scores, reverse=True)
    assert abs(sum(scores) - 1) < 1e-6 and paris.confidence == scores[0]


def test_two_names_of_one_place_merge(small_gazetteer):
    places = resolve("Die USA und die Vereinigten ... Die U.S. Navy. Die USA.", small_gazetteer, "de")
    (usa,) = [p for p in places if p.country == "US"]
    assert [m.text for m in usa.mentions] == ["USA", "U.S.", "USA"]


def test_a_hamlet_known_only_by_an_alternate_name_is_dropped(small_gazetteer):
    places = resolve("Die Bauern aus Hamletta protestierten in Berlin.", small_gazetteer, "de")
    assert [p.id for p in places] == ["geonames:2950159"]


def test_demonyms_point_to_a_country(small_gazetteer):
    assert resolve("Die russische Regierung.", small_gazetteer, "de") == ()
    assert demonym_countries("Die russische Regierung.", "de") == Counter({"RU": 1})
