"""Batch results built in code, for the corpus map's tests: the ``places`` and ``documents`` tables
of a batch run (one row per document and place; one row per document), small and deterministic.

- :func:`small_corpus`: five documents, one with an error, one whose title, URL, label and
  sentence are hostile markup, and a place that shares Berlin's coordinates (so that only
  spiderfying tells them apart);
- :func:`world_corpus`: a few hundred documents over real cities, countries and seas (the README's
  screenshot);
- :func:`synthetic_corpus`: as many documents and places as a large batch run (timings, sizes).
"""

from __future__ import annotations

import random
from typing import Any

import pandas as pd

from tests.stories import PAYLOAD

# markup, a template literal, and Jinja syntax (branca compiles each rendered script as a template again)
HOSTILE = (
    PAYLOAD + " {{ 7*7 }} {{ 'jinja' ~ 'ran' }} {% if false %}KEPT-UNLESS-RUN{% endif %} {# COMMENT-KEPT #} "
    "${window.__xss='template'}"
)

# id, name, lat, lon, country, kind, population (GeoNames)
BERLIN = ("geonames:2950159", "Berlin", 52.52437, 13.41053, "DE", "city", 3426354)
LAND_BERLIN = ("geonames:2950157", "Land Berlin", 52.52437, 13.41053, "DE", "region", 3442675)
VIENNA = ("geonames:2761369", "Vienna", 48.20849, 16.37208, "AT", "city", 1691468)
GERMANY = ("geonames:2921044", "Germany", 51.5, 10.5, "DE", "country", 82927922)
PYONGYANG = ("geonames:1871859", "Pyongyang", 39.03385, 125.75432, "KP", "city", 3222000)
ANADYR = ("geonames:2127202", "Anadyr", 64.73424, 177.5103, "RU", "city", 11329)
NOME = ("geonames:5870133", "Nome", 64.5011, -165.40639, "US", "city", 3788)

WORLD = [
    BERLIN,
    VIENNA,
    GERMANY,
    PYONGYANG,
    ANADYR,
    NOME,
    ("geonames:2867714", "Munich", 48.13743, 11.57549, "DE", "city", 1260391),
    ("geonames:2911298", "Hamburg", 53.57532, 10.01534, "DE", "city", 1739117),
    ("geonames:2925533", "Frankfurt am Main", 50.11552, 8.68417, "DE", "city", 650000),
    ("geonames:2844588", "Rostock", 54.0887, 12.14049, "DE", "city", 198293),
    ("geonames:2988507", "Paris", 48.85341, 2.3488, "FR", "city", 2138551),
    ("geonames:2643743", "London", 51.50853, -0.12574, "GB", "city", 8961989),
    ("geonames:2800866", "Brussels", 50.85045, 4.34878, "BE", "city", 1019022),
    ("geonames:756135", "Warsaw", 52.22977, 21.01178, "PL", "city", 1702139),
    ("geonames:703448", "Kyiv", 50.45466, 30.5238, "UA", "city", 2797553),
    ("geonames:524901", "Moscow", 55.75222, 37.61556, "RU", "city", 10381222),
    ("geonames:3169070", "Rome", 41.89193, 12.51133, "IT", "city", 2318895),
    ("geonames:3117735", "Madrid", 40.4165, -3.70256, "ES", "city", 3255944),
    ("geonames:745044", "Istanbul", 41.01384, 28.94966, "TR", "city", 14804116),
    ("geonames:281133", "Gaza", 31.50161, 34.46672, "PS", "city", 410000),
    ("geonames:281184", "Jerusalem", 31.76904, 35.21633, "IL", "city", 801000),
    ("geonames:360630", "Cairo", 30.06263, 31.24967, "EG", "city", 9606916),
    ("geonames:2013348", "Vladivostok", 43.10562, 131.87353, "RU", "city", 604901),
    ("geonames:1816670", "Beijing", 39.9075, 116.39723, "CN", "city", 18960744),
    ("geonames:1835848", "Seoul", 37.566, 126.9784, "KR", "city", 10349312),
    ("geonames:1850147", "Tokyo", 35.6895, 139.69171, "JP", "city", 8336599),
    ("geonames:1273294", "Delhi", 28.65195, 77.23149, "IN", "city", 10927986),
    ("geonames:184745", "Nairobi", -1.28333, 36.81667, "KE", "city", 2750547),
    ("geonames:2332459", "Lagos", 6.45407, 3.39467, "NG", "city", 9000000),
    ("geonames:5128581", "New York City", 40.71427, -74.00597, "US", "city", 8804190),
    ("geonames:4140963", "Washington", 38.89511, -77.03637, "US", "city", 689545),
    ("geonames:3530597", "Mexico City", 19.42847, -99.12766, "MX", "city", 12294193),
    ("geonames:3448439", "São Paulo", -23.5475, -46.63611, "BR", "city", 10021295),
    ("geonames:2147714", "Sydney", -33.86785, 151.20732, "AU", "city", 4627345),
    ("geonames:3017382", "France", 46.0, 2.0, "FR", "country", 64768389),
    ("geonames:2017370", "Russia", 60.0, 100.0, "RU", "country", 144478050),
    ("geonames:690791", "Ukraine", 49.0, 32.0, "UA", "country", 44622516),
    ("geonames:1873107", "North Korea", 40.0, 127.0, "KP", "country", 25549819),
    ("geonames:6252001", "United States", 39.76, -98.5, "US", "country", 310232863),
    ("geonames:2929567", "Oder", 53.53, 14.62, None, "water", 0),
    ("geonames:2633321", "Baltic Sea", 57.0, 19.0, None, "water", 0),
    ("geonames:6255148", "Europe", 48.69096, 9.14062, None, "continent", 0),
    ("geonames:2643741", "Tower Bridge", 51.5055, -0.07535, "GB", "landmark", 0),
]


def place_row(
    doc_id: str,
    place_index: int,
    place: tuple,
    *,
    label: str | None = None,
    mentions: int = 1,
    confidence: float = 0.9,
    sentence: str | None = None,
) -> dict[str, Any]:
    """One row of a batch run's ``places`` table: ``place`` (as above) named in ``doc_id``."""
    place_id, name, lat, lon, country, kind, population = place
    label = label or name
    return {
        "doc_id": doc_id,
        "place_index": place_index,
        "id": place_id,
        "name": name,
        "label": label,
        "lat": lat,
        "lon": lon,
        "country": country,
        "kind": kind,
        "confidence": confidence,
        "population": population,
        "mentions": mentions,
        "sentences": [sentence or f"News from {label} today."],
        "candidates": [{"id": place_id, "name": name, "score": confidence}],
    }


def document_row(
    doc_id: str,
    position: int,
    *,
    title: str | None = None,
    url: str | None = None,
    status: str = "ok",
    error: str | None = None,
    places: int = 0,
) -> dict[str, Any]:
    """One row of a batch run's ``documents`` table."""
    return {
        "doc_id": doc_id,
        "position": position,
        "source": f"articles/{doc_id}.txt",
        "url": url,
        "title": title,
        "language": "en",
        "published": "2024-05-03T08:00:00",
        "status": status,
        "error": error,
        "places": places,
        "events": 0,
    }


def small_corpus() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Five documents: Berlin in three (as "Berlin" twice, once as hostile markup), Vienna as
    "Wien", Germany as "Deutschland", Pyongyang, and Land Berlin only in the hostile document, at
    Berlin's very coordinates; the fifth document failed."""
    rows = [
        place_row("d1", 0, BERLIN, mentions=2, sentence="Trains from Berlin to Wien ran late."),
        place_row("d1", 1, VIENNA, label="Wien", sentence="Trains from Berlin to Wien ran late."),
        place_row("d2", 0, BERLIN, confidence=0.7),
        place_row("d2", 1, GERMANY, label="Deutschland", mentions=3, confidence=0.5),
        place_row("d3", 0, BERLIN, label=f"Berlin {HOSTILE}", confidence=0.8, sentence=f"In Berlin {HOSTILE}."),
        place_row("d3", 1, LAND_BERLIN, label=HOSTILE, sentence=f"Then {HOSTILE} again."),
        place_row("d4", 0, PYONGYANG, label="Pjöngjang", confidence=0.6),
    ]
    documents = [
        document_row("d1", 0, title="Rail strike", url="https://news.example.org/rail", places=2),
        document_row("d2", 1, title=None, places=2),
        document_row("d3", 2, title=HOSTILE, url=f"javascript:window.__xss='link' {HOSTILE}", places=2),
        document_row("d4", 3, title="Pyongyang", places=1),
        document_row("d5", 4, title="Unreadable", status="error", error=f"could not fetch {HOSTILE}"),
    ]
    return pd.DataFrame(rows), pd.DataFrame(documents)


def world_corpus(documents: int = 300, *, seed: int = 8) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``documents`` news items over :data:`WORLD`, the big cities and the countries named most."""
    rng = random.Random(seed)
    weights = [place[6] ** 0.5 + 300 for place in WORLD]
    rows, docs = [], []
    for number in range(documents):
        doc_id = f"news-{number:04d}"
        failed = number % 40 == 39
        chosen = [] if failed else sorted(set(rng.choices(range(len(WORLD)), weights, k=rng.randint(1, 6))))
        rows += [
            place_row(doc_id, index, WORLD[place], mentions=rng.randint(1, 5), confidence=rng.uniform(0.4, 1.0))
            for index, place in enumerate(chosen)
        ]
        docs.append(
            document_row(
                doc_id,
                number,
                title=f"News item {number}",
                url=f"https://news.example.org/{number}",
                status="error" if failed else "ok",
                error="timed out" if failed else None,
                places=len(chosen),
            )
        )
    return pd.DataFrame(rows), pd.DataFrame(docs)


def synthetic_corpus(
    documents: int = 10_000, places: int = 5_000, *, per_document: int = 5, seed: int = 8
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A large batch run: ``documents`` documents naming up to ``per_document`` of ``places``
    invented places each (a few named very often, most rarely), with news-sized titles and sentences."""
    rng = random.Random(seed)
    kinds = ["city"] * 5 + ["country", "region", "water", "landmark"]
    gazetteer = [
        (
            f"geonames:{100_000 + n}",
            f"Place {n}",
            round(rng.uniform(-50, 70), 5),
            round(rng.uniform(-180, 180), 5),
            rng.choice(["DE", "FR", "US", None]),
            rng.choice(kinds),
            rng.randrange(0, 10**6),
        )
        for n in range(places)
    ]
    weights = [1 / (n + 1) ** 0.8 for n in range(places)]
    rows, docs = [], []
    for number in range(documents):
        doc_id = f"doc-{number:05d}"
        chosen = sorted(set(rng.choices(range(places), weights, k=per_document)))
        for index, place in enumerate(chosen):
            name = gazetteer[place][1]
            label = name if rng.random() < 0.8 else name.upper()
            sentence = f"Officials in {label} said on Tuesday that talks over the {number} proposals would resume."
            rows.append(
                place_row(
                    doc_id,
                    index,
                    gazetteer[place],
                    label=label,
                    mentions=rng.randint(1, 5),
                    confidence=rng.random(),
                    sentence=sentence,
                )
            )
        docs.append(
            document_row(
                doc_id,
                number,
                title=f"Talks resume after {number} proposals, officials say",
                url=f"https://news.example.org/world/2024/05/03/talks-resume-{number}",
                places=len(chosen),
            )
        )
    return pd.DataFrame(rows), pd.DataFrame(docs)
