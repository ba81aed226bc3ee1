"""The data model: frozen value objects that keep their evidence, and their JSON form.

A :class:`Story` is what ``analyse()`` returns and what ``python -m geo extract`` prints. Its JSON
is a public contract (``shared/contract/story.schema.json``): fields may be added, none removed
or renamed. Kilometres are the only distance unit. Offsets are Python string offsets into the
analysed text, so ``text[start:end] == mention.text`` always holds.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.errors import STORY_MESSAGES, StoryError

PLACE_KINDS = ("city", "country", "region", "water", "landmark", "continent", "street")
TRAVEL_MODES = ("rail", "air", "sea", "road", "unknown")
VERDICTS = ("consistent", "inconsistent", "unverifiable")
POINT_KINDS = frozenset({"city", "landmark"})
LITERAL, MODIFIER, METONYM = "literal", "modifier", "metonym"  # a mention's role
DEMONYM = "demonym"  # "Russian", "russische": a country named by its people's word, never a stop on the map
MENTION_ROLES = (LITERAL, MODIFIER, METONYM, DEMONYM)
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
        named only as a modifier, a metonym or by a demonym, which the map does not fit and the timeline
        does not link."""
        return LITERAL if any(m.role == LITERAL for m in self.mentions) else ASSOCIATIVE

    @property
    def named(self) -> tuple[Mention, ...]:
        """The mentions that name the place in the sentence ("nach Russland"), not a demonym that only
        implies it ("ins russische Wladiwostok"): what the rules of legs and claims read."""
        return tuple(m for m in self.mentions if m.role != DEMONYM)

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
    label: str | None = None  # the value in words, at its own precision ("April 2019"), for readers

    def in_sentence(self) -> tuple[int, int] | None:
        """Where the event's words stand in its sentence, to mark them (their first occurrence: the
        sentence is quoted text, without its offset in the article); None if they are not in it."""
        at = self.sentence.find(self.text) if self.text else -1
        return (at, at + len(self.text)) if at >= 0 else None

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
            "label": self.label,
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
    lange Grenze"), speed (or a pace: "50 miles a day"), total (travelled: "covered 527 miles") or
    radius (of a zone: "within one kilometre of"); only distances between two points get a verdict
    other than unverifiable. ``low_km``/``high_km`` are the bounds the hedge words allow (None: no
    upper bound), ``basis`` says what the text measures (straight, route, unspecified), ``reading``
    what the number was judged as (straight: the geodesic; route: a way along a network; detour: a
    way by road or rail up to 1.5 times the straight line, where no network gives it), ``linked_by``
    how its two places were found (named, referent, here, journey: see geo/journeys/claims.py), and
    ``reason`` says in one line why the verdict is what it is.
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
    reading: str | None = None
    linked_by: str | None = None

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
            "reading": self.reading,
            "linked_by": self.linked_by,
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


# -- reading a Story JSON file back (``map`` and ``export`` take one) -------------------------------

MAX_STORY_BYTES = 5_000_000
MAX_STORY_PLACES = 1_000
MAX_STORY_EVENTS = 2_000
MAX_STORY_LEGS = 50
MAX_STORY_CLAIMS = 50
MAX_PATH_POINTS = 10_000
"""What a Story JSON file read by ``map`` and ``export`` may hold: a map of a Story at every limit
at once takes seconds (folium costs about a millisecond per place, leg and claim drawn, and a few
microseconds per point of a path), where 50,000 places took a minute and 2.5 GB. The largest Story
of the sample corpora is 323 KB, with 215 places, 350 events, 4 legs and 8 claims. A file beyond a
limit is refused with a message that names it."""
MAX_SAFE_INTEGER = 2**53 - 1  # JSON numbers that every reader (JavaScript's too) takes exactly
PATH_LONGITUDE = 540  # a path's longitudes are unrolled from a place's (see geo.journeys.geodesy)

_TEXT = {"type": "string"}
_OPTIONAL_TEXT = {"type": ["string", "null"]}
_TEXTS = {"type": "array", "items": _TEXT}
_OFFSET = {"type": "integer", "minimum": -1}  # -1: no offset
_COUNT = {"type": "integer", "minimum": 0}
_KM = {"type": "number", "minimum": 0}
_OPTIONAL_KM = {"type": ["number", "null"]}
_LAT = {"type": "number", "minimum": -90, "maximum": 90}
_LON = {"type": "number", "minimum": -180, "maximum": 180}
_POINT = {
    "type": "array",
    "minItems": 2,
    "maxItems": 2,
    "prefixItems": [_LAT, {"type": "number", "minimum": -PATH_LONGITUDE, "maximum": PATH_LONGITUDE}],
}
_PATH = {"type": "array", "maxItems": MAX_PATH_POINTS, "items": _POINT}
_MENTION = {
    "type": "object",
    "required": ["start", "end", "text"],
    "properties": {
        "start": _COUNT,
        "end": _COUNT,
        "text": {"type": "string", "minLength": 1},
        "role": {"enum": list(MENTION_ROLES)},
    },
}
_CANDIDATE = {
    "type": "object",
    "required": ["id", "name", "lat", "lon", "country", "score"],
    "properties": {
        "id": _TEXT,
        "name": _TEXT,
        "lat": _LAT,
        "lon": _LON,
        "country": _OPTIONAL_TEXT,
        "kind": _TEXT,
        "population": _COUNT,
        "score": {"type": "number"},
    },
}
_PLACE = {
    "type": "object",
    "required": ["id", "name", "label", "lat", "lon", "country", "kind", "confidence", "mentions", "candidates"],
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z]+:.+$"},
        "name": _TEXT,
        "label": _TEXT,
        "lat": _LAT,
        "lon": _LON,
        "country": _OPTIONAL_TEXT,
        "kind": _TEXT,
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "population": _COUNT,
        "role": {"enum": [LITERAL, ASSOCIATIVE]},
        "mentions": {"type": "array", "minItems": 1, "items": _MENTION},
        "sentences": _TEXTS,
        "candidates": {"type": "array", "items": _CANDIDATE},
    },
}
_EVENT = {
    "type": "object",
    "required": ["text", "start_char", "end_char", "value", "start", "end", "sentence", "places"],
    "properties": {
        "text": {"type": "string", "minLength": 1},
        "start_char": _COUNT,
        "end_char": _COUNT,
        "value": {"type": "string", "minLength": 1},
        "start": _OPTIONAL_TEXT,
        "end": _OPTIONAL_TEXT,
        "sentence": _TEXT,
        "places": _TEXTS,
        "type": _TEXT,
        "mod": _OPTIONAL_TEXT,
        "label": _OPTIONAL_TEXT,
    },
}
_ROUTE = {
    "type": ["object", "null"],
    "required": ["km", "source"],
    "properties": {"km": _KM, "source": _TEXT, "credit": _TEXT, "path": _PATH},
}
_LEG = {
    "type": "object",
    "required": ["from", "to", "km", "mode"],
    "properties": {
        "from": _TEXT,
        "to": _TEXT,
        "km": _KM,
        "mode": _TEXT,
        "sentence": _TEXT,
        "start": _OFFSET,
        "end": _OFFSET,
        "path": _PATH,
        "route": _ROUTE,
    },
}
_CLAIM = {
    "type": "object",
    "required": ["text", "value_km", "from", "to", "computed_km", "verdict"],
    "properties": {
        "text": _TEXT,
        "value_km": {"type": "number"},
        "from": _OPTIONAL_TEXT,
        "to": _OPTIONAL_TEXT,
        "computed_km": _OPTIONAL_KM,
        "verdict": {"enum": list(VERDICTS)},
        **{name: _OFFSET for name in ("start", "end")},
        **{name: _TEXT for name in ("kind", "unit", "hedge", "basis", "sentence", "reason")},
        **{name: _OPTIONAL_KM for name in ("low_km", "high_km")},
        **{name: _OPTIONAL_TEXT for name in ("computed_by", "mode", "reading", "linked_by")},
    },
}
STORY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "document", "places", "events", "legs", "claims"],
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "document": {
            "type": "object",
            "required": ["language", "published", "chars"],
            "properties": {
                "language": {"type": "string", "pattern": "^[a-z]{2}$"},
                "published": {"type": ["string", "null"], "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                "chars": _COUNT,
                "published_source": _TEXT,
                "title": _OPTIONAL_TEXT,
            },
        },
        "places": {"type": "array", "maxItems": MAX_STORY_PLACES, "items": _PLACE},
        "events": {"type": "array", "maxItems": MAX_STORY_EVENTS, "items": _EVENT},
        "legs": {"type": "array", "maxItems": MAX_STORY_LEGS, "items": _LEG},
        "claims": {"type": "array", "maxItems": MAX_STORY_CLAIMS, "items": _CLAIM},
        "warnings": _TEXTS,
        "notes": _TEXTS,
    },
}
"""A Story's JSON form as :func:`read_story` checks it: the public contract
(``shared/contract/story.schema.json``; a test checks that this holds all of it) in the same JSON
Schema words, plus what the contract leaves open (every field :func:`story_from_dict` reads,
coordinates of candidates and paths, the limits above). Beyond the words: every number is finite,
every integer within ``MAX_SAFE_INTEGER``, and no string holds a lone surrogate (no UTF-8 writes one)."""


def read_story(path: str | Path) -> Story:
    """The Story in a Story JSON file (as ``python -m geo extract`` prints it, or as the dashboard
    exports it corrected), checked against :data:`STORY_SCHEMA`: a file that is no Story, breaks
    it anywhere or is larger than ``MAX_STORY_BYTES`` raises :class:`~geo.errors.StoryError`, one
    line that names the file and the field ("places[3].lat is 91, above 90")."""
    data = _story_json(Path(path))
    if not isinstance(data, dict) or not {"id", "document", "places"} <= data.keys():
        raise StoryError(STORY_MESSAGES["not_story"].format(path=path))
    problem = story_problem(data)
    if problem:
        raise StoryError(STORY_MESSAGES["invalid"].format(path=path, field=problem[0], problem=problem[1]))
    return story_from_dict(data)


def _story_json(path: Path) -> Any:
    """The JSON value in ``path``, read no further than ``MAX_STORY_BYTES``."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_STORY_BYTES + 1)
    except OSError as exc:
        raise StoryError(STORY_MESSAGES["unreadable"].format(path=path, reason=exc.strerror or exc)) from exc
    if len(raw) > MAX_STORY_BYTES:
        raise StoryError(STORY_MESSAGES["too_big"].format(path=path, limit=MAX_STORY_BYTES / 1e6))
    try:
        return json.loads(raw.decode("utf-8-sig"))  # a byte-order mark, as Notepad writes one, is fine
    except RecursionError as exc:
        raise StoryError(STORY_MESSAGES["not_json"].format(path=path, reason="nested too deeply")) from exc
    except ValueError as exc:  # not UTF-8, not JSON, or an integer of thousands of digits
        raise StoryError(STORY_MESSAGES["not_json"].format(path=path, reason=exc)) from exc


def story_problem(data: Any) -> tuple[str, str] | None:
    """Where ``data`` (a Story's JSON form) first breaks :data:`STORY_SCHEMA`: the field as a path
    (``places[3].lat``) and what is wrong with it, or None for a Story :func:`story_from_dict` takes."""
    problem = _problem(data, STORY_SCHEMA)
    return None if problem is None else (problem[0].removeprefix("."), problem[1])


_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "null": (type(None),),
}
_TYPE_NAMES = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a finite number",
    "null": "null",
}
_LONE_SURROGATE = re.compile("[\\ud800-\\udfff]")


def _problem(value: Any, schema: dict[str, Any]) -> tuple[str, str] | None:
    """The first problem of ``value`` under ``schema`` (a subset of JSON Schema: type, required,
    properties, items, prefixItems, enum, pattern, minimum, maximum, minItems, maxItems, minLength),
    as the path to the field from ``value`` (".lat", "[3].lat", "" for ``value`` itself) and what is
    wrong. The path is built only for a problem: a Story has a million numbers that have none."""
    quick = _QUICK_CHECKS.get(id(schema))
    if quick is not None and quick(value):
        return None
    types = schema.get("type")
    if types is not None:
        names = (types,) if isinstance(types, str) else types
        if isinstance(value, bool) or not any(isinstance(value, _TYPES[name]) for name in names):
            return "", f"is {_shown(value)}, not {' or '.join(_TYPE_NAMES[name] for name in names)}"
    if "enum" in schema and value not in schema["enum"]:
        return "", f"is {_shown(value)}, not one of {', '.join(map(str, schema['enum']))}"
    if isinstance(value, str):
        return _string_problem(value, schema)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number_problem(value, schema)
    if isinstance(value, dict):
        return _object_problem(value, schema)
    if isinstance(value, list):
        return _array_problem(value, schema)
    return None


def _plain_point(value: Any) -> bool:
    if type(value) is not list or len(value) != 2:
        return False
    lat, lon = value
    return (
        type(lat) is float
        and type(lon) is float
        and -90 <= lat <= 90
        and -PATH_LONGITUDE <= lon <= PATH_LONGITUDE  # also False for NaN
    )


def _plain_mention(value: Any) -> bool:
    if type(value) is not dict:
        return False
    start, end, text = value.get("start"), value.get("end"), value.get("text")
    return (
        type(start) is int
        and type(end) is int
        and 0 <= start <= MAX_SAFE_INTEGER
        and 0 <= end <= MAX_SAFE_INTEGER
        and type(text) is str
        and text != ""
        and not _LONE_SURROGATE.search(text)
        and value.get("role", LITERAL) in MENTION_ROLES
    )


_QUICK_CHECKS: dict[int, Callable[[Any], bool]] = {id(_POINT): _plain_point, id(_MENTION): _plain_mention}
"""The schemas of what a Story holds by the hundred thousand (a path's points, a place's mentions),
each with a test that passes only what certainly keeps to it: the general check runs for the others,
to say what is wrong."""


def _string_problem(value: str, schema: dict[str, Any]) -> tuple[str, str] | None:
    surrogate = _LONE_SURROGATE.search(value)
    if surrogate:
        return "", f"holds a lone surrogate (U+{ord(surrogate[0]):04X}), which is no character"
    if len(value) < schema.get("minLength", 0):
        return "", "is empty"
    if "pattern" in schema and not re.search(schema["pattern"], value):
        return "", f"is {_shown(value)}, not of the form {schema['pattern']}"
    return None


def _number_problem(value: float, schema: dict[str, Any]) -> tuple[str, str] | None:
    if isinstance(value, float) and not math.isfinite(value):
        return "", f"is {_shown(value)}, not a finite number"
    low, high = schema.get("minimum"), schema.get("maximum")
    if isinstance(value, int):
        low = max(low, -MAX_SAFE_INTEGER) if low is not None else -MAX_SAFE_INTEGER
        high = min(high, MAX_SAFE_INTEGER) if high is not None else MAX_SAFE_INTEGER
    if low is not None and value < low:
        return "", f"is {_shown(value)}, below {low}"
    if high is not None and value > high:
        return "", f"is {_shown(value)}, above {high}"
    return None


def _object_problem(value: dict[str, Any], schema: dict[str, Any]) -> tuple[str, str] | None:
    missing = next((name for name in schema.get("required", ()) if name not in value), None)
    if missing:
        return f".{missing}", "is missing"
    for name, field_schema in schema.get("properties", {}).items():
        problem = _problem(value[name], field_schema) if name in value else None
        if problem:
            return f".{name}{problem[0]}", problem[1]
    return None


def _array_problem(value: list[Any], schema: dict[str, Any]) -> tuple[str, str] | None:
    if len(value) < schema.get("minItems", 0):
        return "", f"has {len(value):,} item(s), fewer than {schema['minItems']:,}"
    if len(value) > schema.get("maxItems", math.inf):
        return "", f"has {len(value):,} items, more than {schema['maxItems']:,}"
    leading, rest = schema.get("prefixItems", []), schema.get("items")
    for index, item in enumerate(value):
        item_schema = leading[index] if index < len(leading) else rest
        problem = _problem(item, item_schema) if item_schema else None
        if problem:
            return f"[{index}]{problem[0]}", problem[1]
    return None


def _shown(value: Any) -> str:
    """A value as the message shows it: JSON, cut short; a list or an object by its kind."""
    if isinstance(value, (dict, list)):
        return _TYPE_NAMES["object" if isinstance(value, dict) else "array"]
    if isinstance(value, str) and len(value) > 40:
        value = value[:40] + "..."
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value) if abs(value) < 10**40 else f"a number of {math.floor(math.log10(abs(value))) + 1:,} digits"
    return json.dumps(value)


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
        e.get("label"),
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
            "reading",
            "linked_by",
        )
        if name in c
    }
    return Claim(c["text"], c["value_km"], c.get("from"), c.get("to"), c.get("computed_km"), c["verdict"], **extras)
