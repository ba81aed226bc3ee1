"""Small Stories built in code, for the map and export tests: places across the antimeridian and an
article whose every string is hostile markup."""

from __future__ import annotations

from geo.journeys.geodesy import distance_km, geodesic_path
from geo.model import Candidate, Claim, DocumentInfo, Event, Leg, Mention, Place, Route, Story

PAYLOAD = "</script><script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\"> `${window.__xss=3}` 'q'"


def place(pid: str, label: str, lat: float, lon: float, kind: str = "city", sentence: str = "") -> Place:
    sentence = sentence or f"They went to {label}."
    at = sentence.find(label)
    return Place(
        pid,
        label,
        label,
        lat,
        lon,
        "XX",
        kind,
        0.9,
        (Mention(at, at + len(label), label),),
        (
            Candidate(pid, label, lat, lon, "XX", kind, score=0.9),
            Candidate(pid + "0", label + " (other)", 0.0, 0.0, "YY", kind, score=0.1),
        ),
        sentences=(sentence,),
    )


def story_of(*places: Place, legs=(), claims=(), events=(), title=None, warnings=()) -> Story:
    return Story(
        "test.txt",
        DocumentInfo("en", "2024-05-03", 100, title=title),
        tuple(places),
        tuple(events),
        tuple(legs),
        tuple(claims),
        tuple(warnings),
    )


def leg(first: Place, second: Place, mode: str = "air", sentence: str = "", route: Route | None = None) -> Leg:
    a, b = (first.lat, first.lon), (second.lat, second.lon)
    return Leg(first.id, second.id, distance_km(a, b), mode, sentence, path=tuple(geodesic_path(a, b)), route=route)


ANADYR = place("geonames:2127202", "Anadyr", 64.73424, 177.5103)
NOME = place("geonames:5870133", "Nome", 64.5011, -165.40639)


def hostile_story() -> Story:
    sentence = f"From Berlin {PAYLOAD} to Munich, about 500 km {PAYLOAD}."
    berlin = place("geonames:2950159", "Berlin", 52.52437, 13.41053, sentence=sentence)
    munich = place("geonames:2867714", "Munich", 48.13743, 11.57549, sentence=sentence)
    claim = Claim(
        f"about 500 km {PAYLOAD}",
        500.0,
        berlin.id,
        munich.id,
        504.2,
        "consistent",
        low_km=450,
        high_km=550,
        sentence=sentence,
        reason=PAYLOAD,
    )
    event = Event(f"3 May {PAYLOAD}", 0, 5, "2024-05-03", "2024-05-03", "2024-05-03", sentence, (berlin.id,))
    route = Route(600.0, ((52.5, 13.4), (48.1, 11.6)), "osm:test", PAYLOAD)
    return story_of(
        berlin,
        munich,
        legs=[leg(berlin, munich, "rail", sentence, route)],
        claims=[claim],
        events=[event],
        title=PAYLOAD,
        warnings=[PAYLOAD],
    )
