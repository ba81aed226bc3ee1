"""The data model: frozen value objects that keep their evidence, and their JSON form.

A :class:`Story` is what ``analyse()`` returns and what ``python -m geo extract`` prints. Its JSON
is a public contract (``shared/contract/story.schema.json``): fields may be added, none removed
or renamed. Kilometres are the only distance unit. Offsets are Python string offsets into the
analysed text, so ``text[start:end] == mention.text`` always holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PLACE_KINDS = ("city", "country", "region", "water", "landmark", "continent")
TRAVEL_MODES = ("rail", "air", "sea", "road", "unknown")
VERDICTS = ("consistent", "inconsistent", "unverifiable")


@dataclass(frozen=True)
class Mention:
    """One occurrence of a place name in the text."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "label": self.label,
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


@dataclass(frozen=True)
class Leg:
    """One stage of a journey between two places, in kilometres on the WGS84 ellipsoid."""

    from_id: str
    to_id: str
    km: float
    mode: str = "unknown"
    sentence: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.from_id, "to": self.to_id, "km": round(self.km, 1),
                "mode": self.mode, "sentence": self.sentence}


@dataclass(frozen=True)
class Claim:
    """A distance stated in the text, beside the distance on the map."""

    text: str
    value_km: float
    from_id: str | None
    to_id: str | None
    computed_km: float | None
    verdict: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "value_km": self.value_km, "from": self.from_id,
                "to": self.to_id, "computed_km": self.computed_km, "verdict": self.verdict}


@dataclass(frozen=True)
class DocumentInfo:
    """What the Story says about its input document."""

    language: str
    published: str | None
    chars: int
    published_source: str = "none"
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"language": self.language, "published": self.published, "chars": self.chars,
                "published_source": self.published_source, "title": self.title}


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "document": self.document.to_dict(),
            "places": [p.to_dict() for p in self.places],
            "events": [e.to_dict() for e in self.events],
            "legs": [leg.to_dict() for leg in self.legs],
            "claims": [c.to_dict() for c in self.claims],
            "warnings": list(self.warnings),
        }

    def place(self, place_id: str) -> Place | None:
        """The place with this id, or None."""
        return next((p for p in self.places if p.id == place_id), None)


def story_from_dict(data: dict[str, Any]) -> Story:
    """Rebuild a Story from its JSON form (the inverse of :meth:`Story.to_dict`)."""
    doc = data["document"]
    return Story(
        id=data["id"],
        document=DocumentInfo(doc["language"], doc.get("published"), doc["chars"],
                              doc.get("published_source", "none"), doc.get("title")),
        places=tuple(_place_from_dict(p) for p in data.get("places", [])),
        events=tuple(_event_from_dict(e) for e in data.get("events", [])),
        legs=tuple(Leg(g["from"], g["to"], g["km"], g.get("mode", "unknown"), g.get("sentence", ""))
                   for g in data.get("legs", [])),
        claims=tuple(Claim(c["text"], c["value_km"], c.get("from"), c.get("to"),
                           c.get("computed_km"), c["verdict"]) for c in data.get("claims", [])),
        warnings=tuple(data.get("warnings", [])),
    )


def _place_from_dict(p: dict[str, Any]) -> Place:
    return Place(
        id=p["id"], name=p["name"], label=p["label"], lat=p["lat"], lon=p["lon"],
        country=p.get("country"), kind=p["kind"], confidence=p["confidence"],
        mentions=tuple(Mention(m["start"], m["end"], m["text"]) for m in p["mentions"]),
        candidates=tuple(
            Candidate(c["id"], c["name"], c["lat"], c["lon"], c.get("country"),
                      c.get("kind", "city"), c.get("population", 0), score=c.get("score", 0.0))
            for c in p.get("candidates", [])),
        population=p.get("population", 0),
        sentences=tuple(p.get("sentences", [])),
    )


def _event_from_dict(e: dict[str, Any]) -> Event:
    return Event(e["text"], e["start_char"], e["end_char"], e["value"], e.get("start"),
                 e.get("end"), e.get("sentence", ""), tuple(e.get("places", [])),
                 e.get("type", "DATE"), e.get("mod"))
