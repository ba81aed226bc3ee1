"""Distances the article states, checked against the map.

Earth model: the WGS84 ellipsoid; a claim is compared with the geodesic distance between its two
places (``geopy.distance.geodesic`` via :func:`geo.journeys.geodesy.distance_km`), or, when the text measures
along a way ("auf der Schiene", "by sea") and a network gives a route, with that route's length.

A *claim* is a number with a unit of distance ("rund 6500 Kilometer", "1,200 miles",
"170-kilometre", "300 Seemeilen"). Units, hedge words and cue words are data
(``data/<lang>/distances.txt``); numbers are read as CLDR writes them for the language ("6.500" is
6500 in German, "6,5" is 6.5). The rules, in order:

* A speed ("60 Kilometer pro Stunde") or the length of one thing ("die 17 Kilometer lange Grenze",
  "82 km wide") is ``unverifiable``: it joins no two places.
* The two places: a place named right after the number ("east of Kyiv", "bis Malmö"); the points
  (cities, landmarks) of the number's clause, nearest first; then the nearest point elsewhere in
  the sentence; and last the place the sentence refers back to: the most recent point before the
  clause ("Nach Moskau wären es rund 6500 Kilometer" after a paragraph on Wladiwostok), or, for
  "von hier", the first point of the article (its dateline). A number measured from something that is not a point ("130 Kilometer
  von der Grenze", "30 km from Russia") is ``unverifiable``, never a guess.
* Bounds: a bare number allows +-5 %; about/rund/etwa +-10 %; gut/mehr als/more than make the
  number a lower bound and nur/knapp/only an upper bound (with the same slack); a range "50 bis 60"
  spans its two ends.
* Verdict: ``consistent`` when the map's distance lies within the bounds. A stated distance shorter
  than the straight line is ``inconsistent`` (no way is shorter). A longer one is ``inconsistent``
  when the text says straight line (Luftlinie, as the crow flies); when it says route (Strecke,
  by road), a route of the mode its words give (in the sentence, else the one before) is measured
  where a network has it (air: the geodesic); when no network gives the route, or says neither and is within ``MAX_DETOUR`` times the
  straight line, it may be a distance by road or rail: ``unverifiable``.

>>> from geo.model import Mention, Place
>>> text = "Von Pjöngjang bis Wladiwostok sind es rund 680 Kilometer Luftlinie."
>>> places = (Place("a", "Pyongyang", "Pjöngjang", 39.0339, 125.7543, "KP", "city", 1.0, (Mention(4, 13, "Pjöngjang"),)),
...           Place("b", "Vladivostok", "Wladiwostok", 43.1056, 131.8735, "RU", "city", 1.0, (Mention(18, 29, "Wladiwostok"),)))
>>> [(c.text, c.from_id, c.to_id, round(c.computed_km, 1), c.verdict) for c in check_claims(text, ((0, len(text)),), places, "de")]
[('rund 680 Kilometer', 'a', 'b', 684.5, 'consistent')]
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import regex
from babel.numbers import get_decimal_symbol, get_group_symbol

from geo.errors import DistanceRulesError
from geo.journeys.geodesy import distance_km
from geo.journeys.legs import ModeWords, travel_rules
from geo.lang.registry import cached_per_language, language_file
from geo.lang.rulefiles import forms_pattern, read_example, read_sections, read_table
from geo.model import POINT_KINDS, Claim, Place
from geo.read.document import sentence_index
from geo.read.sentences import Quotes

__all__ = [
    "check_claims",
    "find_distances",
    "distance_rules",
    "Distance",
    "DistanceRules",
    "RouteLookup",
    "DISTANCES_FILE",
    "BARE_TOLERANCE",
    "APPROX_TOLERANCE",
    "MAX_DETOUR",
]

DISTANCES_FILE = "distances.txt"
BARE_TOLERANCE = 0.05
"""A bare number ("630 Kilometer") is taken as right within 5 %: writers round, cities are not points."""
APPROX_TOLERANCE = 0.10
"""A hedged number ("rund", "about") is right within 10 %."""
MAX_DETOUR = 1.5
"""A distance that does not say straight line may be by road or rail; roads are rarely longer than
1.5 times the straight line (circuity factors of road networks lie around 1.2 to 1.4)."""
RESTATEMENT_AGREEMENT = 0.15
"""Two numbers joined by "or"/"(" are one claim in two units only if they agree this closely."""
HEDGE_REACH = 40
"""How far before a number its hedge words may begin ("nur rund", "a little over")."""
ANCHOR_WORDS = 6
"""How many words after "von"/"from" may hold the place a number is measured from."""

_SECTIONS = (
    "units",
    "speed_units",
    "speed_suffixes",
    "length_suffixes",
    "range_links",
    "hedges",
    "straight",
    "route",
    "directions",
    "skip",
    "anchors",
    "here",
    "restatements",
    "examples",
)
_HEDGES = ("approx", "at_least", "at_most")
_KINDS = ("distance", "length", "speed")
_BASES = ("straight", "route", "unspecified")
_CLAUSE_BREAK = regex.compile(r"[;:]|(?<!\d),|,(?!\d)")
_ANCHOR_WINDOW = regex.compile(rf"(?:\W*\w+){{0,{ANCHOR_WORDS}}}")

RouteLookup = Callable[[Place, Place, str], "tuple[float, str] | None"]
"""(from, to, mode) -> (km along a network, source), or None where no network has the route."""


@dataclass(frozen=True)
class Unit:
    km: float  # kilometres per unit
    symbol: str
    speed: bool


@dataclass(frozen=True)
class Distance:
    """A number with a unit of distance as the text states it (before any place is tied to it)."""

    start: int
    end: int
    text: str
    value: float  # in the stated unit
    value_km: float
    unit: str
    kind: str  # distance | length | speed
    hedge: str  # exact | approx | at_least | at_most | range
    low_km: float
    high_km: float | None


@dataclass(frozen=True)
class DistanceExample:
    line: int
    sentence: str
    start: int
    end: int
    positive: bool
    value_km: float | None = None
    kind: str | None = None
    hedge: str | None = None
    basis: str | None = None


@dataclass(frozen=True)
class DistanceRules:
    """The compiled distance language of one language."""

    language: str
    mention: regex.Pattern
    units: dict[str, Unit]  # case-folded, space-squeezed form -> unit
    hedges: dict[str, str]  # case-folded form -> approx | at_least | at_most
    hedge_words: regex.Pattern
    hedges_before: regex.Pattern  # the hedge words that end right before a number
    decimal: str
    groups: str
    straight: regex.Pattern
    route: regex.Pattern
    after: regex.Pattern  # skip and direction words after a number; group "direction"
    anchor: regex.Pattern
    here: regex.Pattern
    restatement: regex.Pattern
    examples: tuple[DistanceExample, ...]

    def basis(self, sentence: str) -> str:
        """What the sentence measures: a straight line, a route, or it does not say."""
        if self.straight.search(sentence):
            return "straight"
        return "route" if self.route.search(sentence) else "unspecified"


@cached_per_language
def distance_rules(language: str) -> DistanceRules:
    """The distance rules of a language; one without its own file uses a fallback language's
    (:func:`geo.lang.language_file`), numbers written as that language writes them."""
    owner, path = language_file(language, DISTANCES_FILE)
    return read_distance_rules(path, owner)


def read_distance_rules(path: Path, language: str) -> DistanceRules:
    """Parse, validate and compile one distance rule file."""
    sections = read_sections(path, _SECTIONS, DistanceRulesError)
    tables = {
        name: read_table(path, sections.get(name, []), DistanceRulesError) for name in _SECTIONS if name != "examples"
    }
    units = {**_units(path, tables["units"], speed=False), **_units(path, tables["speed_units"], speed=True)}
    for form, hedge in tables["hedges"].items():
        if hedge not in _HEDGES:
            raise DistanceRulesError(f"{path}: hedge {form!r} is {hedge!r} (expected one of {_HEDGES})")
    decimal, group = get_decimal_symbol(language), get_group_symbol(language)
    groups = group + " \u00a0\u202f"  # and spaces: "10 000 km"
    number = (
        rf"\d{{1,3}}(?:[{regex.escape(groups)}]\d{{3}})+(?:{regex.escape(decimal)}\d+)?"
        rf"|\d+(?:{regex.escape(decimal)}\d+)?"
    )
    hedge = forms_pattern(tables["hedges"])
    mention = (
        rf"(?<![\d.,])(?P<number>{number})(?:\s*(?P<link>{forms_pattern(tables['range_links'])})\s*"
        rf"(?P<number2>{number}))?(?![\d])"
        rf"(?:\s*|-)(?P<unit>{forms_pattern(units)})(?![\w²³]|/\w)"
        rf"(?P<speed>\s+{forms_pattern(tables['speed_suffixes'])})?"
        rf"(?P<length>(?:\s+|-){forms_pattern(tables['length_suffixes'])})?"
    )
    after_words = forms_pattern({**tables["skip"], **tables["directions"]})
    return DistanceRules(
        language=language,
        mention=regex.compile(mention, regex.IGNORECASE),
        units={_fold(form): unit for form, unit in units.items()},
        hedges={_fold(form): value for form, value in tables["hedges"].items()},
        hedge_words=regex.compile(hedge, regex.IGNORECASE),
        hedges_before=regex.compile(rf"(?:{hedge}\s+)+\Z", regex.IGNORECASE),
        decimal=decimal,
        groups=groups,
        straight=regex.compile(forms_pattern(tables["straight"]), regex.IGNORECASE),
        route=regex.compile(forms_pattern(tables["route"]), regex.IGNORECASE),
        after=regex.compile(
            rf"(?:[\s)\-–—]+|(?P<direction>{forms_pattern(tables['directions'])})|{after_words})*", regex.IGNORECASE
        ),
        anchor=regex.compile(forms_pattern(tables["anchors"]), regex.IGNORECASE),
        here=regex.compile(forms_pattern(tables["here"]), regex.IGNORECASE),
        restatement=regex.compile(rf"[\s,]*(?:{forms_pattern(tables['restatements'])}[\s,]*)?", regex.IGNORECASE),
        examples=tuple(_distance_example(path, number, line) for number, line in sections.get("examples", [])),
    )


def _units(path: Path, table: dict[str, str], *, speed: bool) -> dict[str, Unit]:
    units = {}
    for form, value in table.items():
        km, _, symbol = value.partition(" ")
        try:
            units[form] = Unit(float(km), symbol.strip(), speed)
        except ValueError:
            raise DistanceRulesError(
                f"{path}: unit {form!r} has value {value!r} (expected '<kilometres per unit> <symbol>')"
            ) from None
    return units


def _fold(form: str) -> str:
    return " ".join(form.casefold().split())


_EXPECTED = regex.compile(r"(\S+)\s+(\w+)((?:\s+\w+=\w+)*)")


def _distance_example(path: Path, number: int, line: str) -> DistanceExample:
    """An example line (:func:`geo.lang.rulefiles.read_example`) with one marked span, whose
    expectation is ``<km> <kind> [hedge=H] [basis=B]`` ('-' examples have none)."""
    example = read_example(path, number, line, DistanceRulesError)
    if len(example.spans) != 1:
        raise DistanceRulesError(f"{path}:{number}: an example marks exactly one [span]")
    [(start, end)] = example.spans
    if not example.positive:
        if example.expected:
            raise DistanceRulesError(f"{path}:{number}: '-' examples expect nothing")
        return DistanceExample(number, example.text, start, end, False)
    expectation = _EXPECTED.fullmatch(example.expected)
    if not expectation or expectation[2] not in _KINDS:
        raise DistanceRulesError(f"{path}:{number}: expected '+ <sentence> => <km> <kind> [hedge=H] [basis=B]'")
    options = dict(option.split("=") for option in expectation[3].split())
    if set(options) - {"hedge", "basis"}:
        raise DistanceRulesError(f"{path}:{number}: unknown example option in {options}")
    return DistanceExample(
        number,
        example.text,
        start,
        end,
        True,
        float(expectation[1]),
        expectation[2],
        options.get("hedge"),
        options.get("basis"),
    )


# --------------------------------------------------------------------------- numbers in the text


def find_distances(text: str, language: str) -> list[Distance]:
    """Every number with a unit of distance or speed, a restatement in another unit ("100 miles (160
    km)") merged into the first, in text order."""
    rules = distance_rules(language)
    found = [_distance(rules, text, match) for match in rules.mention.finditer(text)]
    merged: list[Distance] = []
    for distance in found:
        if merged and _restates(rules, text, merged[-1], distance):
            last = merged[-1]
            end = distance.end + (
                1
                if text[last.end : distance.start].strip().startswith("(")
                and text[distance.end : distance.end + 1] == ")"
                else 0
            )
            merged[-1] = replace(last, end=end, text=text[last.start : end])
        else:
            merged.append(distance)
    return merged


def _distance(rules: DistanceRules, text: str, match: regex.Match) -> Distance:
    unit = rules.units[_fold(match["unit"])]
    before = rules.hedges_before.search(text, max(0, match.start() - HEDGE_REACH), match.start())
    start = before.start() if before else match.start()
    first = _number(rules, match["number"])
    second = _number(rules, match["number2"]) if match["number2"] else None
    value = (first + second) / 2 if second is not None else first
    hedges = {rules.hedges[_fold(word)] for word in rules.hedge_words.findall(before[0] if before else "")}
    tolerance = APPROX_TOLERANCE if "approx" in hedges else BARE_TOLERANCE
    if second is not None:
        hedge = "range"
    elif {"at_least", "at_most"} <= hedges:
        hedge = "approx"
    else:
        hedge = next((h for h in ("at_least", "at_most", "approx") if h in hedges), "exact")
    low, high = _bounds(first * unit.km, (second or first) * unit.km, hedge, tolerance)
    kind = "speed" if unit.speed or match["speed"] else "length" if match["length"] else "distance"
    return Distance(
        start,
        match.end(),
        text[start : match.end()],
        value,
        value * unit.km,
        unit.symbol + ("/h" if match["speed"] and not unit.speed else ""),
        kind,
        hedge,
        low,
        high,
    )


def _number(rules: DistanceRules, written: str) -> float:
    """A number as the language writes it: "6.500" -> 6500 and "6,5" -> 6.5 in German."""
    digits = "".join(ch for ch in written if ch not in rules.groups)
    return float(digits.replace(rules.decimal, "."))


def _bounds(low_value: float, high_value: float, hedge: str, tolerance: float) -> tuple[float, float | None]:
    """The distances a hedged number allows, in kilometres (None: no upper bound)."""
    if hedge == "at_least":
        return low_value * (1 - tolerance), None
    if hedge == "at_most":
        return 0.0, high_value * (1 + tolerance)
    return low_value * (1 - tolerance), high_value * (1 + tolerance)


def _restates(rules: DistanceRules, text: str, first: Distance, second: Distance) -> bool:
    """Whether ``second`` is ``first`` again in another unit ("82 km, roughly 51 miles")."""
    gap = text[first.end : second.start]
    if not rules.restatement.fullmatch(gap) or second.kind not in (first.kind, "distance"):
        return False
    return abs(first.value_km - second.value_km) <= RESTATEMENT_AGREEMENT * max(first.value_km, second.value_km)


# --------------------------------------------------------------------------- tying numbers to places


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    place: Place


_NOT_A_POINT = "not a point"


def check_claims(
    text: str,
    sentences: Sequence[tuple[int, int]],
    places: Sequence[Place],
    language: str,
    route: RouteLookup | None = None,
) -> tuple[Claim, ...]:
    """Every distance the text states, tied to its two places where it has two, and checked."""
    rules = distance_rules(language)
    distances = find_distances(text, language)
    if not distances:
        return ()
    sentences = tuple(sentences) or ((0, len(text)),)
    indices = [sentence_index(sentences, d.start) for d in distances]
    clauses = _clauses(text, sentences, indices, distances)
    context = _Context(text, sentences, places, language, indices, clauses)
    claims = []
    for distance, at, clause in zip(distances, indices, clauses):
        ends, why = _endpoints(rules, text, distance, clause, at, context)
        mode = context.travel_mode(at, distance.start) if ends else None
        basis = context.basis(rules, at) if distance.kind == "distance" else "unspecified"
        claims.append(_judge(distance, context.quote(sentences[at], distance.start), basis, ends, why, mode, route))
    return tuple(claims)


def _clauses(
    text: str, sentences: Sequence[tuple[int, int]], indices: list[int], distances: list[Distance]
) -> list[tuple[int, int]]:
    """The clause of each distance: the part of its sentence between the punctuation around the
    number (never inside a number). Each sentence's punctuation is read once, for all its numbers."""
    spans = sorted((d.start, d.end) for d in distances)
    starts = [start for start, _ in spans]
    reach = list(itertools.accumulate((end for _, end in spans), max))  # furthest end up to each start

    def inside_a_number(at: int) -> bool:
        last = bisect.bisect_right(starts, at) - 1
        return last >= 0 and reach[last] > at

    breaks: dict[int, list[int]] = {}
    clauses = []
    for distance, at in zip(distances, indices):
        start, end = sentences[at]
        if at not in breaks:
            found = (match.start() for match in _CLAUSE_BREAK.finditer(text, start, end))
            breaks[at] = [position for position in found if not inside_a_number(position)]
        before = bisect.bisect_left(breaks[at], distance.start)
        after = bisect.bisect_left(breaks[at], distance.end)
        clauses.append(
            (breaks[at][before - 1] + 1 if before else start, breaks[at][after] if after < len(breaks[at]) else end)
        )
    return clauses


class _Points:
    """Point mentions (cities, landmarks) in text order, for the questions the claim rules ask of
    them: the first, the last before an offset, the nearest to an offset, each but one place. Each
    is answered by bisection and a jump over a run of that one place, so a clause that names one
    city a thousand times is not walked for each of its numbers."""

    def __init__(self, mentions: Sequence[_Mention]) -> None:
        self.items = [m for m in mentions if m.place.kind in POINT_KINDS]
        self.starts = [m.start for m in self.items]
        self.ids = [m.place.id for m in self.items]
        count = len(self.items)
        self._previous_other = [-1] * count  # the last item before each of another place
        self._next_other = [count] * count  # the first item after each of another place
        for i in range(1, count):
            self._previous_other[i] = i - 1 if self.ids[i - 1] != self.ids[i] else self._previous_other[i - 1]
        for i in range(count - 2, -1, -1):
            self._next_other[i] = i + 1 if self.ids[i + 1] != self.ids[i] else self._next_other[i + 1]

    def first(self, skip: str) -> _Mention | None:
        """The first point that is not of the place ``skip``."""
        index = self._step(0, skip, self._next_other)
        return self.items[index] if index < len(self.items) else None

    def last_before(self, offset: int, skip: str) -> _Mention | None:
        """The last point starting before ``offset`` that is not of the place ``skip``."""
        index = self._step(bisect.bisect_left(self.starts, offset) - 1, skip, self._previous_other)
        return self.items[index] if index >= 0 else None

    def nearest(self, offset: int, skip: str | None) -> _Mention | None:
        """The point nearest ``offset`` that is not of the place ``skip``; on a tie the first in text order."""
        right = bisect.bisect_right(self.starts, offset)
        left = self._step(right - 1, skip, self._previous_other)
        right = self._step(right, skip, self._next_other)
        if right < len(self.items) and (left < 0 or self.starts[right] - offset < offset - self.starts[left]):
            return self.items[right]
        if left < 0:
            return None
        first = bisect.bisect_left(self.starts, self.starts[left])  # mentions starting alike: the first
        return next(self.items[i] for i in range(first, left + 1) if self.ids[i] != skip)

    def _step(self, index: int, skip: str | None, jumps: list[int]) -> int:
        """``index``, or past the run of place ``skip`` it is in."""
        if skip is not None and 0 <= index < len(self.items) and self.ids[index] == skip:
            return jumps[index]
        return index


class _Context:
    """What the claims of one text ask about its sentences and clauses, each worked out once for all
    the numbers in it: a sentence of a million characters with thousands of distances in it is read
    once, not once per distance."""

    def __init__(
        self,
        text: str,
        sentences: tuple[tuple[int, int], ...],
        places: Sequence[Place],
        language: str,
        indices: list[int],
        clauses: list[tuple[int, int]],
    ) -> None:
        self.text, self.sentences, self.language = text, sentences, language
        self.mentions = sorted(
            (_Mention(m.start, m.end, place) for place in places for m in place.mentions),
            key=lambda m: (m.start, m.end),
        )
        self.starts = [m.start for m in self.mentions]
        self.points = _Points(self.mentions)
        self.quote = Quotes(text)
        self._clauses_of: dict[int, list[tuple[int, int]]] = {}
        for at, clause in zip(indices, clauses):
            self._clauses_of.setdefault(at, []).append(clause)
        self._clause_points: dict[tuple[int, int], _Points] = {}
        self._outside: dict[int, _Points] = {}
        self._here: dict[tuple[int, int], bool] = {}
        self._modes: dict[int, ModeWords] = {}
        self._bases: dict[int, str] = {}

    def between(self, start: int, end: int) -> list[_Mention]:
        return self.mentions[bisect.bisect_left(self.starts, start) : bisect.bisect_left(self.starts, end)]

    def clause_points(self, clause: tuple[int, int]) -> _Points:
        if clause not in self._clause_points:
            self._clause_points[clause] = _Points(self.between(*clause))
        return self._clause_points[clause]

    def outside_points(self, at: int) -> _Points:
        """The points of the ``at``-th sentence outside the clause of every number in it."""
        if at not in self._outside:
            starts, ends = _union(self._clauses_of[at])
            mentions = self.between(*self.sentences[at])
            outside = [m for m in mentions if not (i := bisect.bisect_right(starts, m.start)) or ends[i - 1] <= m.start]
            self._outside[at] = _Points(outside)
        return self._outside[at]

    def says_here(self, rules: DistanceRules, clause: tuple[int, int]) -> bool:
        """Whether the clause says "hier"/"here"."""
        if clause not in self._here:
            self._here[clause] = rules.here.search(self.text, *clause) is not None
        return self._here[clause]

    def basis(self, rules: DistanceRules, at: int) -> str:
        """What the ``at``-th sentence measures (:meth:`DistanceRules.basis`)."""
        if at not in self._bases:
            start, end = self.sentences[at]
            self._bases[at] = rules.basis(self.text[start:end])
        return self._bases[at]

    def travel_mode(self, at: int, where: int) -> str | None:
        """The mode word nearest the number at ``where`` in its sentence (the ``at``-th), else in the
        sentence before; place names are hidden first, so that the town of Zug is no train."""
        for index in range(at, max(at - 1, 0) - 1, -1):
            mode = self._mode_words(index).near(where - self.sentences[index][0])
            if mode:
                return mode
        return None

    def _mode_words(self, at: int) -> ModeWords:
        if at not in self._modes:
            start, end = self.sentences[at]
            masked = list(self.text[start:end])
            for mention in self.between(start, end):
                masked[mention.start - start : mention.end - start] = " " * (mention.end - mention.start)
            self._modes[at] = travel_rules(self.language).mode_words("".join(masked))
        return self._modes[at]


def _endpoints(
    rules: DistanceRules, text: str, distance: Distance, clause: tuple[int, int], at: int, context: _Context
) -> tuple[list[_Mention], str]:
    """The two places a distance joins (text order), or fewer and the reason why not; ``at``: the
    index of its sentence."""
    if distance.kind != "distance":
        return [], f"a {distance.kind}, not a distance between two places"
    anchor = _anchor(rules, text, distance, clause, context)
    if anchor is _NOT_A_POINT:
        return [], "measured from something that is not a point on the map"
    chosen: list[_Mention] = [anchor] if anchor else []
    in_clause = context.clause_points(clause)
    if len(in_clause.items) < 2:
        wider = next((m for m in context.between(*clause) if m.place.kind not in POINT_KINDS), None)
        if wider:
            return [], f"measured to {wider.place.label}, which is not a point on the map"
    while len(chosen) < 2:  # the points of the clause, nearest first, one per place
        nearest = in_clause.nearest(distance.start, chosen[0].place.id if chosen else None)
        if nearest is None:
            break
        chosen.append(nearest)
    if len(chosen) < 2:  # the nearest point elsewhere in the sentence ("X, some 100 miles from Dallas, is")
        nearest = context.outside_points(at).nearest(distance.start, chosen[0].place.id if chosen else None)
        chosen.extend([nearest] if nearest else [])
    if len(chosen) == 1:
        taken = chosen[0].place.id
        here = context.says_here(rules, clause)
        referent = context.points.first(taken) if here else context.points.last_before(clause[0], taken)
        if referent:
            chosen.append(referent)
    if len(chosen) < 2:
        return chosen, "names fewer than two places on the map"
    return sorted(chosen[:2], key=lambda m: m.start), ""


def _anchor(rules: DistanceRules, text: str, distance: Distance, clause: tuple[int, int], context: _Context):
    """The place the number is measured from or to ("östlich von Kiew", "bis Malmö"), _NOT_A_POINT
    when those words name something else ("von der Grenze"), None when there are no such words."""
    after = rules.after.match(text, distance.end, clause[1])
    position = after.end()
    anchor = rules.anchor.match(text, position, clause[1])
    if anchor:
        position = anchor.end()
    elif not after["direction"]:
        return None
    window = _ANCHOR_WINDOW.match(text, position, clause[1])
    if not window[0].strip() and not anchor:
        return None  # a bare direction ("some 870 km to the southeast.")
    found = context.between(position, window.end())
    if not found:
        return _NOT_A_POINT
    return found[0] if found[0].place.kind in POINT_KINDS else _NOT_A_POINT


def _union(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The starts and ends of the disjoint spans that cover the same offsets as ``spans``."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(span for span in spans if span[0] < span[1]):
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


# --------------------------------------------------------------------------- the verdict


def _judge(
    distance: Distance,
    sentence: str,
    basis: str,
    ends: list[_Mention],
    why: str,
    mode: str | None,
    route: RouteLookup | None,
) -> Claim:
    """The claim of one distance, given what its sentence says (its quote) and measures."""
    fields = dict(
        text=distance.text,
        value_km=distance.value_km,
        start=distance.start,
        end=distance.end,
        kind=distance.kind,
        unit=distance.unit,
        hedge=distance.hedge,
        basis=basis,
        low_km=distance.low_km,
        high_km=distance.high_km,
        sentence=sentence,
    )
    if len(ends) < 2:
        ids = [m.place.id for m in ends]
        return Claim(
            from_id=ids[0] if ids else None, to_id=None, computed_km=None, verdict="unverifiable", reason=why, **fields
        )
    first, second = ends[0].place, ends[1].place
    straight = distance_km((first.lat, first.lon), (second.lat, second.lon))
    computed, computed_by = straight, "geodesic"
    if basis == "route" and mode == "air":
        computed_by = "geodesic (air)"
    elif basis == "route" and mode and route:
        found = route(first, second, mode)
        if found:
            computed, computed_by = found
    verdict, reason = _verdict(distance, basis, computed, computed_by)
    return Claim(
        from_id=first.id,
        to_id=second.id,
        computed_km=round(computed, 1),
        verdict=verdict,
        computed_by=computed_by,
        mode=mode,
        reason=reason,
        **fields,
    )


def _verdict(distance: Distance, basis: str, computed: float, computed_by: str) -> tuple[str, str]:
    low, high = distance.low_km, distance.high_km
    shown = f"{computed:,.0f} km ({computed_by})"
    if low <= computed and (high is None or computed <= high):
        if basis == "route" and computed_by == "geodesic":
            return (
                "unverifiable",
                f"within the bounds of the straight line, {shown}, but measured along a way no network here gives",
            )
        return "consistent", f"the map gives {shown}, within the bounds"
    if high is not None and high < computed:
        return "inconsistent", f"shorter than the map's {shown}; no way between them is shorter"
    if basis == "straight" or computed_by != "geodesic":
        return "inconsistent", f"longer than the map's {shown}"
    if basis == "route" or low <= computed * MAX_DETOUR:
        return "unverifiable", f"longer than the straight line, {shown}; it may be measured by road or rail"
    return "inconsistent", f"longer than the map's {shown}, more than any usual detour"
