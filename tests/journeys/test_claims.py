"""Claims: distances in the text, tied to their places and checked against the map."""

from __future__ import annotations

import doctest
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geo.journeys.claims
import geo.journeys.distances
from geo.errors import DistanceRulesError
from geo.journeys.claims import (
    APPROX_TOLERANCE,
    BARE_TOLERANCE,
    _Mention,
    _Points,
    check_claims,
    distance_rules,
    find_distances,
)
from geo.journeys.distances import read_distance_rules
from geo.journeys.geodesy import distance_km
from geo.model import Leg, Mention, Place
from geo.read.sentences import QUOTE_STEP

# Coordinates as in GeoNames.
CITIES = {
    "Pjöngjang": ("geonames:1871859", 39.03385, 125.75432, "city"),
    "Wladiwostok": ("geonames:2013348", 43.10562, 131.87353, "city"),
    "Moskau": ("geonames:524901", 55.75222, 37.61556, "city"),
    "Berlin": ("geonames:2950159", 52.52437, 13.41053, "city"),
    "Frankfurt (Oder)": ("geonames:2925535", 52.34714, 14.55062, "city"),
    "Kyiv": ("geonames:703448", 50.45466, 30.5238, "city"),
    "Kharkiv": ("geonames:706483", 49.98081, 36.25272, "city"),
    "Russland": ("geonames:2017370", 60.0, 100.0, "country"),
    "Russia": ("geonames:2017370", 60.0, 100.0, "country"),
}


def places_in(text: str) -> tuple[Place, ...]:
    """A Place for every name of CITIES in the text, with all its mentions."""
    found = []
    for name, (place_id, lat, lon, kind) in CITIES.items():
        mentions, start = [], text.find(name)
        while start >= 0:
            mentions.append(Mention(start, start + len(name), name))
            start = text.find(name, start + 1)
        if mentions:
            found.append(Place(place_id, name, name, lat, lon, None, kind, 1.0, tuple(mentions)))
    return tuple(found)


def sentences_of(text: str) -> tuple[tuple[int, int], ...]:
    spans, start = [], 0
    for index, char in enumerate(text):
        if char in ".!?" and (index + 1 == len(text) or text[index + 1] == " "):
            spans.append((start, index + 1))
            start = index + 2
    return tuple(spans)


def claims(text: str, language: str = "de", route=None):
    return check_claims(text, sentences_of(text), places_in(text), language, route)


def only(text: str, language: str = "de", route=None):
    found = claims(text, language, route)
    assert len(found) == 1, found
    return found[0]


def test_doctests():
    assert doctest.testmod(geo.journeys.claims).failed == 0


@pytest.mark.parametrize(
    "written, language, km",
    [
        ("6.500 Kilometer", "de", 6500.0),
        ("6,5 Kilometer", "de", 6.5),
        ("1.180 km", "de", 1180.0),
        ("33,7 Kilometer", "de", 33.7),
        ("1,200 miles", "en", 1931.2128),
        ("2.7 miles", "en", 4.3452288),
        ("170-kilometre", "en", 170.0),
        ("300 nautical miles", "en", 555.6),
        ("300 Seemeilen", "de", 555.6),
        ("10 000 km", "de", 10000.0),
        ("10\u202f000 km", "de", 10000.0),
    ],
)
def test_numbers_are_read_as_the_language_writes_them(written, language, km):
    found = find_distances(f"Es sind {written} bis dorthin.", language)
    assert found and found[-1].value_km == pytest.approx(km)


def test_the_reference_distances():
    text = (
        "Wladiwostok ist für Kim praktisch. Die Stadt liegt an Russlands Pazifikküste und ist nur 130 "
        "Kilometer von der 17 Kilometer langen Grenze entfernt. Nach Moskau wären es rund 6500 Kilometer "
        "– Luftlinie, wohlgemerkt. Der Zug fährt maximal 60 Kilometer pro Stunde."
    )
    found = {claim.text: claim for claim in claims(text)}
    assert set(found) == {"nur 130 Kilometer", "17 Kilometer langen", "rund 6500 Kilometer", "60 Kilometer pro Stunde"}
    moscow = found["rund 6500 Kilometer"]
    assert (moscow.from_id, moscow.to_id) == ("geonames:2013348", "geonames:524901")  # the sentence refers back
    assert moscow.computed_km == pytest.approx(6434.3, abs=0.1) and moscow.verdict == "consistent"
    assert moscow.basis == "straight" and moscow.hedge == "approx"
    assert moscow.low_km == pytest.approx(5850.0) and moscow.high_km == pytest.approx(7150.0)
    for text_of, kind in (
        ("17 Kilometer langen", "length"),
        ("60 Kilometer pro Stunde", "speed"),
        ("nur 130 Kilometer", "distance"),
    ):
        claim = found[text_of]
        assert claim.kind == kind and claim.verdict == "unverifiable" and claim.computed_km is None
        assert claim.reason
    assert found["60 Kilometer pro Stunde"].unit == "km/h"


@pytest.mark.parametrize(
    "hedge, factor, verdict",
    [
        ("rund", 1 + APPROX_TOLERANCE * 0.9, "consistent"),
        ("rund", 1 - APPROX_TOLERANCE * 0.9, "consistent"),
        ("rund", 1 - APPROX_TOLERANCE * 1.2, "inconsistent"),  # the map's distance is more than 10 % longer
        ("", 1 - BARE_TOLERANCE * 0.8, "consistent"),
        ("", 1 - BARE_TOLERANCE * 1.5, "inconsistent"),
        ("gut", 0.9, "consistent"),  # at least: a longer map distance is fine
        ("gut", 1.5, "inconsistent"),
        ("nur", 2.0, "consistent"),  # at most: a much shorter map distance is fine
        ("nur", 0.5, "inconsistent"),
        ("mehr als", 1.2, "inconsistent"),
    ],
)
def test_hedge_words_set_the_bounds(hedge, factor, verdict):
    true_km = distance_km(CITIES["Pjöngjang"][1:3], CITIES["Moskau"][1:3])
    stated = round(true_km * factor)
    claim = only(f"Von Pjöngjang bis Moskau sind es {hedge} {stated} Kilometer Luftlinie.".replace("  ", " "))
    assert claim.verdict == verdict, (claim.text, claim.low_km, claim.high_km, claim.computed_km)


def test_gut_means_at_least():
    claim = only("Die Hauptstadt Moskau liegt von Wladiwostok gut 6400 Kilometer entfernt.")
    assert claim.hedge == "at_least" and claim.high_km is None and claim.verdict == "consistent"


def test_a_distance_to_something_that_is_not_a_point_is_unverifiable():
    assert only("Kyiv lies about 30 km from the border.", "en").verdict == "unverifiable"
    claim = only("Kharkiv lies about 30 km from Russia.", "en")
    assert claim.verdict == "unverifiable" and "not a point" in claim.reason


def test_an_anchor_place_and_the_referent():
    claim = only("Kharkiv was shelled again. The city lies about 410 km east of Kyiv.", "en")
    assert {claim.from_id, claim.to_id} == {"geonames:706483", "geonames:703448"}
    assert claim.verdict == "consistent"


def test_here_is_the_first_place_of_the_article():
    text = (
        "Frankfurt (Oder) – Das Wasser steigt. In Moskau und Kyiv sieht man das gelassen. "
        "Rund 80 Kilometer sind es von hier nach Berlin."
    )
    claim = claims(text)[-1]
    assert {claim.from_id, claim.to_id} == {"geonames:2925535", "geonames:2950159"}
    assert claim.verdict == "consistent"


def test_a_stated_distance_shorter_than_the_straight_line_is_inconsistent_whatever_the_basis():
    assert only("Von Berlin bis Moskau sind es auf der Straße nur 900 Kilometer.").verdict == "inconsistent"


def test_longer_than_the_straight_line_is_wrong_unless_the_text_speaks_of_a_way():
    straight = distance_km(CITIES["Berlin"][1:3], CITIES["Moskau"][1:3])
    bare = only(f"Von Berlin bis Moskau sind es {round(straight * 1.3)} Kilometer.")
    assert (bare.verdict, bare.reading) == ("inconsistent", "straight") and "names no road" in bare.reason
    assert only(f"Von Berlin bis Moskau sind es {round(straight * 1.3)} Kilometer Luftlinie.").verdict == "inconsistent"
    by_road = only(f"Die Fahrt von Berlin bis Moskau ist {round(straight * 1.3)} Kilometer lang.")
    assert (by_road.verdict, by_road.reading, by_road.basis) == ("consistent", "detour", "route")
    assert "1.5x" in by_road.reason
    far = only(f"Die Fahrt von Berlin bis Moskau ist {round(straight * 3)} Kilometer lang.")
    assert (far.verdict, far.reading) == ("unverifiable", "detour")
    assert only(f"Von Berlin bis Moskau sind es {round(straight * 0.5)} Kilometer.").verdict == "inconsistent"


def test_a_route_claim_is_checked_against_the_network_of_its_mode():
    asked = []

    def route(first, second, mode):
        asked.append((first.label, second.label, mode))
        return 1180.0, "test-rail"

    claim = only("Auf der Schiene misst die Strecke von Pjöngjang bis Wladiwostok rund 1180 Kilometer.", route=route)
    assert asked == [("Pjöngjang", "Wladiwostok", "rail")]
    assert claim.basis == "route" and claim.computed_by == "test-rail" and claim.computed_km == 1180.0
    assert claim.verdict == "consistent"
    no_network = only("Auf der Schiene misst die Strecke von Pjöngjang bis Wladiwostok rund 1180 Kilometer.")
    assert (no_network.verdict, no_network.computed_by, no_network.reading) == ("unverifiable", "geodesic", "detour")


def test_a_number_shorter_than_a_networks_way_is_wrong_only_if_shorter_than_the_straight_line():
    """A network may lack the direct way (a ferry's lane): a number that matches the straight line
    is consistent, one between the line and the network's way unverifiable, one below the line wrong."""
    straight = distance_km(CITIES["Berlin"][1:3], CITIES["Moskau"][1:3])

    def detour(first, second, mode):
        return straight * 2.2, "test-rail"

    def claim(km: float):
        return only(f"Auf der Schiene misst die Strecke von Berlin bis Moskau rund {km:.0f} Kilometer.", route=detour)

    line = claim(straight)
    assert (line.verdict, line.reading) == ("consistent", "straight") and "straight line" in line.reason
    assert claim(straight * 1.6).verdict == "unverifiable"
    assert (claim(straight * 0.6).verdict, claim(straight * 0.6).reading) == ("inconsistent", "straight")
    assert claim(straight * 2.2).verdict == "consistent"


def test_a_journey_word_after_a_length_refers_back_to_the_journey():
    """ "Die rund 1600 Kilometer lange Fahrt" measures the journey told of before, not one thing."""
    text = "Der Zug fuhr von Berlin nach Moskau. Die rund 1600 Kilometer lange Fahrt dauerte zwei Tage."
    legs = (Leg("geonames:2950159", "geonames:524901", 1609.0, "rail", "", 10, 35),)
    found = check_claims(text, sentences_of(text), places_in(text), "de", None, legs)
    assert len(found) == 1 and found[0].kind == "distance" and found[0].linked_by == "journey"
    assert found[0].verdict == "consistent"


def test_a_flight_route_is_the_geodesic():
    claim = only("Flights between Berlin and Moskau cover a route of about 1,610 km.", "en")
    assert claim.computed_by == "geodesic (air)" and claim.verdict == "consistent"


def test_a_restatement_in_another_unit_is_one_claim():
    found = claims("Kharkiv lies some 256 miles (412 km) east of Kyiv.", "en")
    assert [c.text for c in found] == ["some 256 miles (412 km)"] and found[0].verdict == "consistent"


def test_areas_and_other_units_are_no_claims():
    assert claims("Die Fläche von Berlin beträgt 891 Quadratkilometer, in Moskau 2511 km².") == ()
    assert claims("The ice in Kyiv was 40 centimeters thick.", "en") == ()


def test_claims_follow_the_places():
    text = "Von Berlin bis Moskau sind es rund 1600 Kilometer."
    right = claims(text)[0]
    wrong_moscow = tuple(
        p if p.label != "Moskau" else Place(p.id, p.name, p.label, 56.13, 40.40, None, "city", 1.0, p.mentions)
        for p in places_in(text)
    )
    moved = check_claims(text, sentences_of(text), wrong_moscow, "de")[0]
    assert right.verdict == "consistent" and moved.computed_km != right.computed_km


def test_no_numbers_no_claims():
    assert claims("Berlin und Moskau.") == ()


def test_a_bad_rule_file_names_file_and_line(tmp_path):
    path = tmp_path / "distances.txt"
    path.write_text("[units]\nKilometer\tone km\n", encoding="utf-8")
    with pytest.raises(DistanceRulesError, match="distances.txt.*Kilometer"):
        read_distance_rules(path, "de")
    path.write_text("[hedges]\nrund\tabout\n", encoding="utf-8")
    with pytest.raises(DistanceRulesError, match="hedge 'rund'"):
        read_distance_rules(path, "de")
    path.write_text("[nonsense]\n", encoding="utf-8")
    with pytest.raises(DistanceRulesError, match=":1: unknown section"):
        read_distance_rules(path, "de")


@pytest.mark.parametrize(
    "example, message",
    [
        ("  + Es sind [6500 Kilometer].", "expected '\\+ <sentence> => <km> <kind>"),
        ("  + Es sind [6500 Kilometer]. => 6500 furlongs", "expected '\\+ <sentence> => <km> <kind>"),
        ("  + Von [A] bis [B] sind es 6500 km. => 6500 distance", "exactly one \\[span\\]"),
        ("  - Es sind [6500 Kilometer]. => 6500 distance", "'-' examples expect nothing"),
        ("  + Es sind [6500 Kilometer. => 6500 distance", "unbalanced"),
        ("  + Es sind [6500 Kilometer]. => 6500 distance colour=red", "unknown example option"),
    ],
)
def test_a_bad_example_names_file_and_line(tmp_path, example, message):
    path = tmp_path / "distances.txt"
    path.write_text(f"[examples]\n{example}\n", encoding="utf-8")
    with pytest.raises(DistanceRulesError, match=f"distances.txt:2: .*{message}"):
        read_distance_rules(path, "de")


def test_a_language_without_distance_rules_reads_a_fallback_languages_numbers_and_all():
    rules = distance_rules("xx-none")
    assert rules.language == "en" and (rules.decimal, rules.groups[0]) == (".", ",")
    assert distance_rules("de").language == "de" and distance_rules("de").decimal == ","


# --------------------------------------------------------------------------- many numbers in one sentence


class _Counting:
    """A pattern that counts its finditer calls."""

    def __init__(self, pattern):
        self.pattern, self.calls = pattern, 0

    def finditer(self, *args):
        self.calls += 1
        return self.pattern.finditer(*args)


def test_a_sentence_with_many_distances_is_read_once(monkeypatch):
    text = "rund 1.600 Kilometer von Berlin nach Moskau, " * 300 + "so weit."
    counting = _Counting(geo.journeys.distances._CLAUSE_BREAK)
    monkeypatch.setattr(geo.journeys.distances, "_CLAUSE_BREAK", counting)
    found = claims(text)
    assert len(found) == 300 and counting.calls == 1
    assert {(c.from_id, c.to_id, c.verdict) for c in found} == {
        (CITIES["Berlin"][0], CITIES["Moskau"][0], "consistent")
    }
    assert len({c.sentence for c in found}) < 300 // 10 and all(len(c.sentence) <= 3 * QUOTE_STEP + 4 for c in found)


def _mention(start: int, place_id: str, kind: str) -> _Mention:
    return _Mention(start, start + 3, Place(place_id, place_id, place_id, 0.0, 0.0, None, kind, 1.0, ()))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 60), st.sampled_from("ABC"), st.sampled_from(["city", "country"])), max_size=25),
    st.integers(0, 60),
    st.sampled_from([None, "A", "B"]),
)
def test_the_nearest_first_and_last_points_are_those_a_walk_over_all_finds(spans, offset, skip):
    mentions = sorted((_mention(start, pid, kind) for start, pid, kind in spans), key=lambda m: (m.start, m.end))
    points = _Points(mentions)
    eligible = [m for m in mentions if m.place.kind == "city" and m.place.id != skip]
    by_nearness = sorted(eligible, key=lambda m: abs(m.start - offset))  # stable: the first on a tie
    assert points.nearest(offset, skip) == (by_nearness[0] if by_nearness else None)
    if skip is not None:
        assert points.first(skip) == (eligible[0] if eligible else None)
        before = [m for m in eligible if m.start < offset]
        assert points.last_before(offset, skip) == (before[-1] if before else None)


# --------------------------------------------------------------------------- reading the discourse (issue 20)


def test_a_place_named_after_the_number_and_one_before_it_are_the_pair():
    claim = only("Kharkiv lies seven hundred kilometers east of Kyiv.", "en")
    assert (claim.from_id, claim.to_id, claim.linked_by) == (CITIES["Kharkiv"][0], CITIES["Kyiv"][0], "named")
    assert claim.value_km == 700 and claim.reading == "straight"


def test_an_unnamed_end_is_not_filled_with_another_place():
    text = "Kyiv was calm. The crash happened about two miles east of Kharkiv."
    claim = only(text, "en")
    assert (claim.from_id, claim.to_id, claim.verdict) == (CITIES["Kharkiv"][0], None, "unverifiable")
    assert claim.reason == "one end is not named in the text"


def test_another_clause_before_the_number_is_no_subject():
    claim = only("Winds were strong in Kyiv, while a farm about 20 miles south of Kharkiv lost its roof.", "en")
    assert claim.to_id is None


def test_a_second_number_keeps_the_first_numbers_subject():
    found = claims("It was centred about six miles north of Kyiv and 250 miles west of Kharkiv.", "en")
    assert [(c.from_id, c.to_id) for c in found] == [(CITIES["Kyiv"][0], None), (CITIES["Kharkiv"][0], None)]
    found = claims("Kharkiv lies 410 km east of Kyiv and 1,450 km from Berlin.", "en")
    assert {(c.from_id, c.to_id) for c in found} == {
        (CITIES["Kharkiv"][0], CITIES["Kyiv"][0]),
        (CITIES["Kharkiv"][0], CITIES["Berlin"][0]),
    }


def test_the_route_refers_back_to_the_journey_told_before():
    text = "The train ran from Berlin to Moskau. The route covers roughly 1,800 km."
    leg = Leg(CITIES["Berlin"][0], CITIES["Moskau"][0], 1610.0, "rail", start=10, end=35)
    [claim] = check_claims(text, sentences_of(text), places_in(text), "en", None, (leg,))
    assert (claim.from_id, claim.to_id, claim.linked_by) == (CITIES["Berlin"][0], CITIES["Moskau"][0], "journey")
    assert (claim.basis, claim.reading, claim.verdict) == ("route", "detour", "consistent")
    [alone] = check_claims(text, sentences_of(text), places_in(text), "en")
    assert alone.to_id is None and alone.verdict == "unverifiable"


def test_the_two_cities_are_the_last_two_named():
    claim = only("Kyiv und Kharkiv sind Partner. Zwischen den beiden Städten liegen rund 410 Kilometer.")
    assert {claim.from_id, claim.to_id} == {CITIES["Kyiv"][0], CITIES["Kharkiv"][0]}
    assert claim.linked_by == "referent" and claim.verdict == "consistent"


def test_away_measures_from_the_dateline():
    text = "Berlin (dpa) - Die Messe beginnt. Nach Moskau, rund 1600 Kilometer entfernt, reist keiner."
    claim = only(text)
    assert {claim.from_id, claim.to_id} == {CITIES["Berlin"][0], CITIES["Moskau"][0]} and claim.linked_by == "here"


def test_totals_radii_and_paces_join_no_places_unless_from_and_to_are_named():
    kinds = {c.text: (c.kind, c.to_id) for c in claims("Kyiv liegt im Osten. Die Kolonne legte 900 Kilometer zurück.")}
    assert kinds == {"900 Kilometer": ("total", None)}
    trip = only("Er fuhr 1.700 Kilometer von Berlin nach Moskau.")
    assert (trip.kind, trip.basis, trip.from_id, trip.to_id) == (
        "total",
        "route",
        CITIES["Berlin"][0],
        CITIES["Moskau"][0],
    )
    zone = only("Around Kyiv, nobody may fish within one kilometre of the outlet.", "en")
    assert (zone.kind, zone.to_id, zone.verdict) == ("radius", None, "unverifiable")
    pace = only("Von Berlin aus schaffte er 50 Kilometer am Tag.")
    assert (pace.kind, pace.to_id) == ("speed", None)


def test_spelled_out_and_glued_numbers_are_read():
    found = {
        d.text: round(d.value_km, 3)
        for d in find_distances("Das sind sieben Kilometer, eine Seemeile und 160km.", "de")
    }
    assert found == {"sieben Kilometer": 7.0, "eine Seemeile": 1.852, "160km": 160.0}
    english = find_distances("Crowds on Seven Mile Beach saw it land a mere five thousand kilometres away.", "en")
    assert [(d.text, d.value_km) for d in english] == [("a mere five thousand kilometres", 5000.0)]


def test_a_verb_of_travel_measures_a_way_but_not_where_something_lies():
    straight = distance_km(CITIES["Berlin"][1:3], CITIES["Moskau"][1:3])
    ride = only(f"Er radelte {round(straight * 1.3)} Kilometer von Berlin nach Moskau.")
    assert (ride.basis, ride.reading, ride.verdict) == ("route", "detour", "consistent")
    lies = only(f"Die Armee marschierte in Berlin ein und stand {round(straight * 1.3)} Kilometer westlich von Moskau.")
    assert (lies.basis, lies.verdict) == ("unspecified", "inconsistent")


def test_the_capital_is_the_capital_of_the_country_in_question():
    text = "Moskau ist weit. Das Ziel ist Kharkiv, rund 1240 Kilometer südöstlich der Hauptstadt."
    places = [
        replace(place, country="RU" if place.label == "Moskau" else "UA" if place.label == "Kharkiv" else None)
        for place in places_in(text)
    ]
    [claim] = check_claims(text, sentences_of(text), places, "de")
    assert claim.to_id is None  # Kyiv, the capital of Ukraine, is not named: no guess
    named = "Kyiv ist weit. Das Ziel ist Kharkiv, rund 410 Kilometer östlich der Hauptstadt."
    ukrainian = [replace(p, country="UA") for p in places_in(named)]
    [claim] = check_claims(named, sentences_of(named), ukrainian, "de")
    assert {claim.from_id, claim.to_id} == {CITIES["Kyiv"][0], CITIES["Kharkiv"][0]} and claim.verdict == "consistent"
