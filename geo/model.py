"""The data model: frozen value objects that keep their evidence, and their JSON form.

A :class:`Story` is what ``analyse()`` returns and what ``python -m geo extract`` prints. Its JSON
is a public contract (``shared/contract/story.schema.json``): fields may be added, none removed
or renamed. Kilometres are the only distance unit. Offsets are Python string offsets into the
analysed text, so ``text[start:end] == mention.text`` always holds.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.errors import STORY_MESSAGES, StoryError

PLACE_KINDS = ("city", "country", "region", "water", "landmark", "continent")
TRAVEL_MODES = ("rail", "air", "sea", "road", "unknown")
VERDICTS = ("consistent", "inconsistent", "unverifiable")
POINT_KINDS = frozenset({"city", "landmark"})
LITERAL, MODIFIER, METONYM = "literal", "modifier", "metonym"  # a mention's role
MENTION_ROLES = (LITERAL, MODIFIER, METONYM)
ASSOCIATIVE = "associative"  # a place none of whose mentions is literal
"""Kinds of place that stand for a point: distances, legs and claims join only these (a country's
centre is no place anyone travels to)."""


@dataclass(frozen=True)
class Mention:
    """One occurrence of a place name in the text, and its role there: ``literal`` (the story
    happens there), ``modifier`` ("U.S.-backed", "Russia-led": the name only qualifies a word) or
    ``metonym`` ("Moscow warned": the place stands for its government)."""

    start: int
    end: int
    text: str
    role: str = "literal"

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "role": self.role}


@dataclass(frozen=True)
class Candidate:
    """One gazetteer entry a name could refer to, with the resolver's score for it."""

    id: str
    name: str
    lat: float
    lon: float
    country: str | None
    kind: str
    population: int = 0
    admin1: str | None = None
    score: float = 0.0

    def scored(self, score: float) -> Candidate:
        """This candidate with a score (``dataclasses.replace`` costs five times more, per candidate
        of every name of every article)."""
        return Candidate(
            self.id, self.name, self.lat, self.lon, self.country, self.kind, self.population, self.admin1, score
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "country": self.country,
            "kind": self.kind,
            "population": self.population,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class Place:
    """A resolved place: the chosen entry, every mention of it, and the evidence for the choice."""

    id: str
    name: str
    label: str
    lat: float
    lon: float
    country: str | None
    kind: str
    confidence: float
    mentions: tuple[Mention, ...]
    candidates: tuple[Candidate, ...] = ()
    population: int = 0
    sentences: tuple[str, ...] = ()

    @property
    def role(self) -> str:
        """``literal`` where some mention is (a stop on the story's map), else ``associative``: a place
        named only as a modifier or a metonym, which the map does not fit and the timeline does not link."""
        return LITERAL if any(m.role == LITERAL for m in self.mentions) else ASSOCIATIVE

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "label": self.label,
            "role": self.role,
            "lat": self.lat,
            "lon": self.lon,
            "country": self.country,
            "kind": self.kind,
            "confidence": round(self.confidence, 4),
            "population": self.population,
            "mentions": [m.to_dict() for m in self.mentions],
            "sentences": list(self.sentences),
            "candidates": [c.to_dict() for c in self.candidates],
        }


@dataclass(frozen=True)
class Event:
    """A dated expression on the timeline, with its sentence and the places of that sentence."""

    text: str
    start_char: int
    end_char: int
    value: str
    start: str | None
    end: str | None
    sentence: str
    places: tuple[str, ...] = ()
    type: str = "DATE"
    mod: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start_char": self.start_char,
            "end_char": self.end_char,
            "value": self.value,
            "start": self.start,
            "end": self.end,
            "sentence": self.sentence,
            "places": list(self.places),
            "type": self.type,
            "mod": self.mod,
        }


LatLon = tuple[float, float]


@dataclass(frozen=True)
class Route:
    """A way along a network (sea lanes, railways, roads) between two points, beside the geodesic."""

    km: float
    path: tuple[LatLon, ...]  # (lat, lon), longitudes unrolled like the geodesic path's
    source: str  # "searoute", "osm:world_railways", "osrm"
    credit: str = ""  # the network's attribution, shown on the map

    def to_dict(self) -> dict[str, Any]:
        return {
            "km": round(self.km, 1),
            "source": self.source,
            "credit": self.credit,
            "path": [[round(lat, 5), round(lon, 5)] for lat, lon in self.path],
        }


@dataclass(frozen=True)
class Leg:
    """One stage of a journey between two places, in kilometres on the WGS84 ellipsoid.

    ``path`` is the geodesic densified for drawing (longitudes unrolled across the antimeridian);
    ``route`` the way along a network where the mode has one offline (or through ``--router``).
    ``start``/``end`` are the offsets of the words that give the leg.
    """

    from_id: str
    to_id: str
    km: float
    mode: str = "unknown"
    sentence: str = ""
    start: int = -1
    end: int = -1
    path: tuple[LatLon, ...] = ()
    route: Route | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.from_id,
            "to": self.to_id,
            "km": round(self.km, 1),
            "mode": self.mode,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "path": [[round(lat, 5), round(lon, 5)] for lat, lon in self.path],
            "route": self.route.to_dict() if self.route else None,
        }


@dataclass(frozen=True)
class Claim:
    """A number the text states with a unit of distance, beside the distance on the map.

    ``kind`` is distance (between two places: checked), length (of one thing: "die 17 Kilometer
    lange Grenze") or speed; only distances between two points get a verdict other than
    unverifiable. ``low_km``/``high_km`` are the bounds the hedge words allow (None: no upper bound),
    ``basis`` says what the text measures (straight, route, unspecified), and ``reason`` says in
    one line why the verdict is what it is.
    """

    text: str
    value_km: float
    from_id: str | None
    to_id: str | None
    computed_km: float | None
    verdict: str
    start: int = -1
    end: int = -1
    kind: str = "distance"
    unit: str = "km"
    hedge: str = "exact"
    basis: str = "unspecified"
    low_km: float | None = None
    high_km: float | None = None
    computed_by: str | None = None
    mode: str | None = None
    sentence: str = ""
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "value_km": round(self.value_km, 3),
            "from": self.from_id,
            "to": self.to_id,
            "computed_km": _km(self.computed_km),
            "verdict": self.verdict,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "unit": self.unit,
            "hedge": self.hedge,
            "basis": self.basis,
            "low_km": _km(self.low_km),
            "high_km": _km(self.high_km),
            "computed_by": self.computed_by,
            "mode": self.mode,
            "sentence": self.sentence,
            "reason": self.reason,
        }


def _km(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@dataclass(frozen=True)
class DocumentInfo:
    """What the Story says about its input document."""

    language: str
    published: str | None
    chars: int
    published_source: str = "none"
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "published": self.published,
            "chars": self.chars,
            "published_source": self.published_source,
            "title": self.title,
        }


@dataclass(frozen=True)
class Story:
    """One analysed article: the output of ``analyse()`` and of ``python -m geo extract``."""

    id: str
    document: DocumentInfo
    places: tuple[Place, ...] = ()
    events: tuple[Event, ...] = ()
    legs: tuple[Leg, ...] = ()
    claims: tuple[Claim, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())  # how the analysis was made: an online service that failed

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "document": self.document.to_dict(),
            "places": [p.to_dict() for p in self.places],
            "events": [e.to_dict() for e in self.events],
            "legs": [leg.to_dict() for leg in self.legs],
            "claims": [c.to_dict() for c in self.claims],
            "warnings": list(self.warnings),
            "notes": list(self.notes),
        }

    def place(self, place_id: str) -> Place | None:
        """The place with this id, or None."""
        return next((p for p in self.places if p.id == place_id), None)


def read_story(path: str | Path) -> Story:
    """The Story in a Story JSON file (as ``python -m geo extract`` prints it, or as the dashboard
    exports it corrected), checked: a file that is no Story, or holds a coordinate or a distance that
    is no finite number, raises :class:`~geo.errors.StoryError` with a one-line message."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise StoryError(STORY_MESSAGES["unreadable"].format(path=path, reason=exc.strerror or exc)) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoryError(STORY_MESSAGES["not_json"].format(path=path, reason=exc)) from exc
    if not isinstance(data, dict) or not {"id", "document", "places"} <= data.keys():
        raise StoryError(STORY_MESSAGES["not_story"].format(path=path))
    try:
        story = story_from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise StoryError(STORY_MESSAGES["malformed"].format(path=path, reason=exc)) from exc
    numbers = [("lat", p.lat) for p in story.places] + [("lon", p.lon) for p in story.places]
    numbers += [("km", leg.km) for leg in story.legs] + [("value_km", c.value_km) for c in story.claims]
    numbers += [(name, value) for leg in story.legs for point in leg.path for name, value in zip(("lat", "lon"), point)]
    bad = next(((name, value) for name, value in numbers if not _finite_number(value)), None)
    if bad:
        raise StoryError(STORY_MESSAGES["not_finite"].format(path=path, field=bad[0], value=bad[1]))
    return story


def _finite_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def story_from_dict(data: dict[str, Any]) -> Story:
    """Rebuild a Story from its JSON form (the inverse of :meth:`Story.to_dict`)."""
    doc = data["document"]
    return Story(
        id=data["id"],
        document=DocumentInfo(
            doc["language"], doc.get("published"), doc["chars"], doc.get("published_source", "none"), doc.get("title")
        ),
        places=tuple(_place_from_dict(p) for p in data.get("places", [])),
        events=tuple(_event_from_dict(e) for e in data.get("events", [])),
        legs=tuple(_leg_from_dict(g) for g in data.get("legs", [])),
        claims=tuple(_claim_from_dict(c) for c in data.get("claims", [])),
        warnings=tuple(data.get("warnings", [])),
        notes=tuple(data.get("notes", [])),
    )


def _place_from_dict(p: dict[str, Any]) -> Place:
    return Place(
        id=p["id"],
        name=p["name"],
        label=p["label"],
        lat=p["lat"],
        lon=p["lon"],
        country=p.get("country"),
        kind=p["kind"],
        confidence=p["confidence"],
        mentions=tuple(Mention(m["start"], m["end"], m["text"], m.get("role", LITERAL)) for m in p["mentions"]),
        candidates=tuple(
            Candidate(
                c["id"],
                c["name"],
                c["lat"],
                c["lon"],
                c.get("country"),
                c.get("kind", "city"),
                c.get("population", 0),
                score=c.get("score", 0.0),
            )
            for c in p.get("candidates", [])
        ),
        population=p.get("population", 0),
        sentences=tuple(p.get("sentences", [])),
    )


def _event_from_dict(e: dict[str, Any]) -> Event:
    return Event(
        e["text"],
        e["start_char"],
        e["end_char"],
        e["value"],
        e.get("start"),
        e.get("end"),
        e.get("sentence", ""),
        tuple(e.get("places", [])),
        e.get("type", "DATE"),
        e.get("mod"),
    )


def _leg_from_dict(g: dict[str, Any]) -> Leg:
    route = g.get("route")
    return Leg(
        g["from"],
        g["to"],
        g["km"],
        g.get("mode", "unknown"),
        g.get("sentence", ""),
        g.get("start", -1),
        g.get("end", -1),
        tuple((lat, lon) for lat, lon in g.get("path", [])),
        Route(
            route["km"],
            tuple((lat, lon) for lat, lon in route.get("path", [])),
            route["source"],
            route.get("credit", ""),
        )
        if route
        else None,
    )


def _claim_from_dict(c: dict[str, Any]) -> Claim:
    extras = {
        name: c[name]
        for name in (
            "start",
            "end",
            "kind",
            "unit",
            "hedge",
            "basis",
            "low_km",
            "high_km",
            "computed_by",
            "mode",
            "sentence",
            "reason",
        )
        if name in c
    }
    return Claim(c["text"], c["value_km"], c.get("from"), c.get("to"), c.get("computed_km"), c["verdict"], **extras)
