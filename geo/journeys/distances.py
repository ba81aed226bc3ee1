"""Distances the article states: every number with a unit of distance or speed, read and given a kind.

A *distance* is a number with a unit ("rund 6500 Kilometer", "1,200 miles", "160km", "seven
kilometers", "an eighth of a mile", "170-kilometre", "300 Seemeilen"). Units, hedge words, number
words and the cues of each kind are data (``data/<lang>/distances.txt``); numbers in digits are read
as CLDR writes them for the language ("6.500" is 6500 in German, "6,5" is 6.5), numbers in words by
``text2num`` (English and German cardinals) with the file's own words for what it does not read
("eine", "half a", "anderthalb", fractions such as "an eighth of a").

Each distance gets one *kind*, read from the words around it (the rules, in order):

* ``speed``: a unit of speed, or a time after the unit or just before the number ("60 Kilometer pro
  Stunde", "50 miles a day", "am Tag durchschnittlich 30 Kilometer");
* ``length`` of one thing: a length word after the unit ("17 Kilometer lange Grenze", "82 km wide"),
  a thing right after the unit ("a 200km stretch", "8500 Meilen Schienen", any noun after a
  hyphenated unit: "the 130-mile river"), "of the trail" after it, a measure word before it ("eine
  Küste von", "auf einer Länge von") or a verb of extent in its clause ("meanders", "verläuft");
  unless the thing is a journey ("a 170-kilometre route", "Die Strecke ist 1200 Kilometer lang"):
  then it is a distance;
* ``radius`` of a zone or a threshold ("a three-kilometre exclusion zone", "within one kilometre
  of", "im Umkreis von");
* ``total`` travelled or advanced ("covered 527,121 miles", "rückte fast 70 Kilometer vor"): a
  distance only if its clause names where it went from and to (:mod:`geo.journeys.claims`);
* ``distance`` otherwise.

>>> [(d.text, round(d.value_km, 1), d.kind) for d in find_distances("Er fuhr sieben Kilometer, dann 50 km am Tag.", "de")]
[('sieben Kilometer', 7.0, 'total'), ('50 km am Tag', 50.0, 'speed')]
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import regex
from babel.numbers import get_decimal_symbol, get_group_symbol
from text_to_num import text2num

from geo.errors import DistanceRulesError
from geo.lang.registry import cached_per_language, language_file
from geo.lang.rulefiles import forms_pattern, read_example, read_sections, read_table

__all__ = [
    "find_distances",
    "located_distances",
    "distance_clauses",
    "distance_rules",
    "read_distance_rules",
    "Distance",
    "DistanceRules",
    "DISTANCES_FILE",
    "BARE_TOLERANCE",
    "APPROX_TOLERANCE",
    "KINDS",
]

DISTANCES_FILE = "distances.txt"
BARE_TOLERANCE = 0.05
"""A bare number ("630 Kilometer") is taken as right within 5 %: writers round, cities are not points."""
APPROX_TOLERANCE = 0.10
"""A hedged number ("rund", "about") is right within 10 %."""
RESTATEMENT_AGREEMENT = 0.15
"""Two numbers joined by "or"/"(" are one claim in two units only if they agree this closely."""
HEDGE_REACH = 40
"""How far before a number its hedge words may begin ("nur rund", "a little over")."""
NUMBER_WORDS = 6
"""How many words before a unit may spell its number ("five hundred and twenty-one miles")."""
NOUN_WORDS = 1
"""How many words after a unit may hold the thing it measures ("a 200km stretch"; "by road" is no thing)."""
PACE_WORDS = 2
"""How many words may stand between a time and the number it makes a pace ("am Tag durchschnittlich 30")."""

KINDS = ("distance", "length", "speed", "total", "radius")
_SECTIONS = (
    "units",
    "speed_units",
    "speed_suffixes",
    "length_suffixes",
    "range_links",
    "hedges",
    "number_words",
    "fractions",
    "fraction_links",
    "scales",
    "inserted",
    "vague",
    "numerators",
    "pace",
    "pace_before",
    "journeys",
    "things",
    "measures",
    "measure_links",
    "thing_links",
    "extent",
    "zones",
    "totals",
    "straight",
    "route",
    "route_verbs",
    "directions",
    "skip",
    "anchors",
    "capitals",
    "away",
    "here",
    "definite",
    "referents",
    "pair_referents",
    "located",
    "openers",
    "restatements",
    "examples",
)
_HEDGES = ("approx", "at_least", "at_most")
_BASES = ("straight", "route", "unspecified")
_CLAUSE_BREAK = regex.compile(r"[;:]|(?<!\d),|,(?!\d)")
_WORD = regex.compile(r"[^\W\d_]+")
_ENDS_IN_WORD = regex.compile(r"[^\W\d_]+(?:[-\s]+[^\W\d_]+)*[-\s]*\Z")


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
    kind: str  # one of KINDS
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
    mention: regex.Pattern  # a number in digits and its unit
    unit_only: regex.Pattern  # a unit after a word ("seven kilometers", "a half-mile")
    tail: regex.Pattern  # what may follow a unit: a speed or length suffix
    units: dict[str, Unit]  # case-folded, space-squeezed form -> unit
    hedges: dict[str, str]  # case-folded form -> approx | at_least | at_most
    hedge_words: regex.Pattern
    hedges_before: regex.Pattern  # the hedge words that end right before a number
    number_words: dict[str, float]  # case-folded phrase -> value ("eine", "half a")
    fractions: dict[str, int]  # case-folded word -> denominator ("eighth" -> 8)
    fraction_link: regex.Pattern  # "of a" between a fraction and its unit, at the end of a phrase
    scales: dict[str, float]  # "million" -> 1e6
    inserted: frozenset[str]  # words between a number and its unit ("2 more miles"), case-folded
    range_words: frozenset[str]  # words between two numbers of a range ("to", "bis"), case-folded
    numerators: dict[str, float]  # what may count a fraction besides a number ("an" eighth)
    vague: regex.Pattern  # words before a bare "hundert" that make it no number ("mehrere hundert")
    decimal: str
    groups: str
    pace_before: regex.Pattern
    journey: regex.Pattern
    thing_after: regex.Pattern  # group "journey", "zone" or "thing"
    of_thing: regex.Pattern
    measure_before: regex.Pattern  # group "journey" or "measure"
    measure: regex.Pattern
    extent: regex.Pattern
    thing: regex.Pattern  # a thing that is no point ("coast", "Grenze")
    zone: regex.Pattern
    total: regex.Pattern
    straight: regex.Pattern
    route: regex.Pattern
    route_verb: regex.Pattern
    after: regex.Pattern  # skip and direction words after a number; group "direction"
    anchor: regex.Pattern
    anchor_before: regex.Pattern  # an anchor word right before an offset
    capital: regex.Pattern  # "der Hauptstadt", "the capital": the capital of the country in question
    here: regex.Pattern
    away: regex.Pattern  # "away", "entfernt": measured from where the article stands
    journey_back: regex.Pattern  # "the route", "die gesamte Strecke": a journey told of before
    definite_before: regex.Pattern  # "the", "die rund" right before a number: "die rund 60 Kilometer lange Überfahrt"
    referent: regex.Pattern  # "the town", "die Stadt": a place named before
    pair_referent: regex.Pattern  # "the two cities", "zwischen den beiden Städten": two places named before
    located_thing: regex.Pattern  # "Das Plateau liegt": a definite thing placed, at a sentence's start
    opener: regex.Pattern  # words that open another clause ("while", "während")
    restatement: regex.Pattern
    examples: tuple[DistanceExample, ...]

    def basis(self, sentence: str, located: bool = False) -> str:
        """What the sentence measures: a straight line, a route, or it does not say. A verb of
        travel says route only where the number does not say where something lies (``located``:
        "fuhr 600 km von Füssen nach Venedig", not "marschierte ein und befand sich 400 km südlich")."""
        if self.straight.search(sentence):
            return "straight"
        if self.route.search(sentence) or not located and self.route_verb.search(sentence):
            return "route"
        return "unspecified"


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
    other_mark = "," if decimal == "." else "."  # "1,5 km" in English: a group of one or two digits is no group
    number = (
        rf"\d+/\d+"
        rf"|\d{{1,3}}(?:[{regex.escape(groups)}]\d{{3}})+(?:{regex.escape(decimal)}\d+)?(?!\d)"
        rf"|\d+{regex.escape(other_mark)}\d{{1,2}}(?!\d)"
        rf"|\d+(?:{regex.escape(decimal)}\d+)?"
    )
    scale = forms_pattern(tables["scales"])
    unit = _unit_pattern(units)
    tail = (
        rf"(?P<speed>\s+{forms_pattern({**tables['speed_suffixes'], **tables['pace']})})?"
        rf"(?P<length>(?:\s+|-){forms_pattern(tables['length_suffixes'])})?"
    )
    inserted = forms_pattern(tables["inserted"])
    mention = (
        rf"(?<![\d.,/])(?P<number>{number})(?:\s+(?P<scale>{scale}))?"
        rf"(?:\s*(?P<link>{forms_pattern(tables['range_links'])})\s*(?P<number2>{number})(?:\s+(?P<scale2>{scale}))?)?"
        rf"(?![\d])(?:\s+(?P<inserted>{inserted}))?(?:\s*|-)(?P<unit>{unit}){tail}"
    )
    hedge = forms_pattern(tables["hedges"])
    journeys, zones, things = tables["journeys"], tables["zones"], tables["things"]
    after_words = forms_pattern({**tables["skip"], **tables["directions"]})
    measure_links = forms_pattern(tables["measure_links"])
    noun_window = rf"(?:[\s\-‘’'\"“”„]+(?:[^\W\d_]+[\s\-]+){{0,{NOUN_WORDS - 1}}})"
    return DistanceRules(
        language=language,
        mention=regex.compile(mention, regex.IGNORECASE),
        unit_only=regex.compile(rf"(?<=[^\W\d_][\s-]+)(?P<unit>{unit})", regex.IGNORECASE),
        tail=regex.compile(tail, regex.IGNORECASE),
        units={_fold(form): unit for form, unit in units.items()},
        hedges={_fold(form): value for form, value in tables["hedges"].items()},
        hedge_words=regex.compile(hedge, regex.IGNORECASE),
        hedges_before=regex.compile(rf"(?:{hedge}\s+)+\Z", regex.IGNORECASE),
        number_words={_fold(form): _value(path, form, value) for form, value in tables["number_words"].items()},
        fractions={_fold(form): int(_value(path, form, value)) for form, value in tables["fractions"].items()},
        fraction_link=regex.compile(rf"(?:\s+{forms_pattern(tables['fraction_links'])})\Z", regex.IGNORECASE),
        scales={_fold(form): _value(path, form, value) for form, value in tables["scales"].items()},
        inserted=frozenset(_fold(form) for form in tables["inserted"]),
        range_words=frozenset(_fold(form) for form in tables["range_links"] if form.isalpha()),
        numerators={_fold(form): _value(path, form, value) for form, value in tables["numerators"].items()},
        vague=regex.compile(rf"{forms_pattern(tables['vague'])}\s+\Z", regex.IGNORECASE),
        decimal=decimal,
        groups=groups,
        pace_before=regex.compile(
            rf"{forms_pattern(tables['pace_before'])}(?:\s+[^\W\d_]+){{0,{PACE_WORDS}}}\s+\Z", regex.IGNORECASE
        ),
        journey=regex.compile(forms_pattern(journeys), regex.IGNORECASE),
        thing_after=regex.compile(
            rf"{noun_window}(?:(?P<zone>{forms_pattern(zones)})|(?P<journey>{forms_pattern(journeys)})"
            rf"|(?P<thing>{forms_pattern(things)}))",
            regex.IGNORECASE,
        ),
        of_thing=regex.compile(
            rf"\s+{forms_pattern(tables['thing_links'])}\s+(?:[^\W\d_]+\s+)?{forms_pattern(things)}", regex.IGNORECASE
        ),
        measure_before=regex.compile(
            rf"(?:(?P<journey>{forms_pattern(journeys)})|(?P<zone>{forms_pattern(zones)})"
            rf"|(?P<measure>{forms_pattern({**things, **tables['measures']})}))\s+{measure_links}\s+\Z",
            regex.IGNORECASE,
        ),
        measure=regex.compile(forms_pattern(tables["measures"]), regex.IGNORECASE),
        extent=regex.compile(forms_pattern(tables["extent"]), regex.IGNORECASE),
        thing=regex.compile(forms_pattern(things), regex.IGNORECASE),
        zone=regex.compile(forms_pattern(zones), regex.IGNORECASE),
        total=regex.compile(forms_pattern(tables["totals"]), regex.IGNORECASE),
        straight=regex.compile(forms_pattern(tables["straight"]), regex.IGNORECASE),
        route=regex.compile(forms_pattern(tables["route"]), regex.IGNORECASE),
        route_verb=regex.compile(forms_pattern(tables["route_verbs"]), regex.IGNORECASE),
        after=regex.compile(
            rf"(?:[\s)\-–—]+|(?P<direction>{forms_pattern(tables['directions'])})|{after_words})*", regex.IGNORECASE
        ),
        anchor=regex.compile(forms_pattern(tables["anchors"]), regex.IGNORECASE),
        anchor_before=regex.compile(rf"{forms_pattern(tables['anchors'])}\s+\Z", regex.IGNORECASE),
        capital=regex.compile(rf"\s*{forms_pattern(tables['capitals'])}(?!\w)", regex.IGNORECASE),
        here=regex.compile(forms_pattern(tables["here"]), regex.IGNORECASE),
        away=regex.compile(forms_pattern(tables["away"]), regex.IGNORECASE),
        journey_back=regex.compile(
            rf"{forms_pattern(tables['definite'])}\s+(?:[^\W\d_]+\s+)?{forms_pattern(journeys)}", regex.IGNORECASE
        ),
        definite_before=regex.compile(
            rf"(?<![^\W\d_]){forms_pattern(tables['definite'])}\s+(?:[^\W\d_]+\s+)?\Z", regex.IGNORECASE
        ),
        referent=regex.compile(forms_pattern(tables["referents"]), regex.IGNORECASE),
        pair_referent=regex.compile(forms_pattern(tables["pair_referents"]), regex.IGNORECASE),
        located_thing=regex.compile(
            rf"\W*{forms_pattern(tables['definite'])}\s+[^\W\d_]+(?:\s+[^\W\d_]+)?\s+{forms_pattern(tables['located'])}",
            regex.IGNORECASE,
        ),
        opener=regex.compile(forms_pattern(tables["openers"]), regex.IGNORECASE),
        restatement=regex.compile(rf"[\s,]*(?:{forms_pattern(tables['restatements'])}[\s,]*)?", regex.IGNORECASE),
        examples=tuple(_distance_example(path, number, line) for number, line in sections.get("examples", [])),
    )


def _unit_pattern(units: dict[str, Unit]) -> str:
    """The units as whole words, except that one may follow a digit ("160km", "20mph")."""
    return forms_pattern(units).replace(r"(?<!\w)", r"(?<![^\W\d_])") + r"(?![\w²³]|/\w)"


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


def _value(path: Path, form: str, value: str) -> float:
    try:
        return float(Fraction(value))
    except (ValueError, ZeroDivisionError):
        raise DistanceRulesError(f"{path}: {form!r} has value {value!r} (expected a number)") from None


def _fold(form: str) -> str:
    return " ".join(form.casefold().replace("-", " ").split())


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
    if not expectation or expectation[2] not in KINDS:
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


@dataclass(frozen=True)
class _Number:
    """A number the text states before a unit: where it starts, its value(s) and the unit's match."""

    start: int
    first: float
    second: float | None
    unit: regex.Match


def find_distances(text: str, language: str, sentences: Sequence[tuple[int, int]] = ()) -> list[Distance]:
    """Every number with a unit of distance or speed, in digits or words, a restatement in another
    unit ("100 miles (160 km)") merged into the first, each with its kind, in text order.
    ``sentences`` (start, end) bound the words read for the kind (default: the whole text)."""
    return located_distances(text, language, sentences)[0]


def located_distances(
    text: str, language: str, sentences: Sequence[tuple[int, int]] = ()
) -> tuple[list[Distance], list[int], list[tuple[int, int]]]:
    """:func:`find_distances`, with the index of each one's sentence and its clause (read once)."""
    rules = distance_rules(language)
    numbers = _numbers(rules, text)
    found = [_distance(rules, text, number) for number in numbers]
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
    if not merged:
        return merged, [], []
    sentences = tuple(sentences) or ((0, len(text)),)
    starts = [start for start, _ in sentences]
    indices = [max(0, bisect.bisect_right(starts, d.start) - 1) for d in merged]
    clauses = distance_clauses(text, sentences, indices, merged)
    return [replace(d, kind=_kind(rules, text, d, clause)) for d, clause in zip(merged, clauses)], indices, clauses


def _numbers(rules: DistanceRules, text: str) -> list[_Number]:
    """The numbers before a unit: in digits, then in words where no digits are, in text order."""
    numbers = []
    for match in rules.mention.finditer(text):
        first = _number(rules, match["number"]) * _scale(rules, match["scale"])
        second = _number(rules, match["number2"]) * _scale(rules, match["scale2"]) if match["number2"] else None
        numbers.append(_Number(match.start(), first, second, match))
    starts = [n.start for n in numbers]
    reach = list(itertools.accumulate((n.unit.end() for n in numbers), max))
    for match in rules.unit_only.finditer(text):
        last = bisect.bisect_right(starts, match.start()) - 1
        if last >= 0 and reach[last] > match.start():
            continue  # the unit of a number in digits
        spelled = _spelled(rules, text, match.start())
        if spelled and _a_name(text, spelled[0], match.start()):
            continue  # "Seven Mile Beach", "Three Mile Island"
        if spelled:
            start, value, second, inserted = spelled
            tail = rules.tail.match(text, match.end())
            numbers.append(_Number(start, value, second, _UnitMatch(match, tail, inserted)))
    return sorted(numbers, key=lambda n: n.start)


class _UnitMatch:
    """A unit found after words, with its suffixes: answers like a match of ``DistanceRules.mention``."""

    def __init__(self, unit: regex.Match, tail: regex.Match, inserted: str | None) -> None:
        self._groups = {"unit": unit["unit"], "speed": tail["speed"], "length": tail["length"], "inserted": inserted}
        self._end = tail.end()

    def __getitem__(self, group: str) -> str | None:
        return self._groups.get(group)

    def end(self) -> int:
        return self._end


_OPENING = regex.compile(r"(?:\A|[.!?:;\"“”„«»(\[\n–—-])\s*\Z")


def _a_name(text: str, start: int, unit_start: int) -> bool:
    """Whether a spelled-out number and its unit are capitalised inside a sentence: a name."""
    if not (text[start].isupper() and text[unit_start].isupper()):
        return False
    return _OPENING.search(text, max(0, start - 3), start) is None


def _spelled(rules: DistanceRules, text: str, unit_start: int) -> tuple[int, float, float | None, str | None] | None:
    """(start, value, the range's second value, the word inserted before the unit) of the number
    spelled out in the words right before a unit ("five thousand", "eine", "an eighth of a", "two
    more", "zwei bis drei"), or None. The longest reading wins."""
    window = text[max(0, unit_start - 80) : unit_start]
    offset = unit_start - len(window)
    run = _ENDS_IN_WORD.search(window)
    if not run:
        return None
    words = list(_WORD.finditer(window, run.start(), run.end()))
    inserted = words.pop()[0] if words and _fold(words[-1][0]) in rules.inserted else None  # "two more miles"
    words = words[-NUMBER_WORDS:]
    for first in range(len(words)):
        phrase = window[words[first].start() : words[-1].end()]
        value = _phrase_value(rules, phrase)
        if value is not None:
            if rules.vague.search(window, 0, words[first].start()):
                return None  # "mehrere hundert Kilometer", "a few hundred miles"
            if first >= 2 and _fold(words[first - 1][0]) in rules.range_words:  # "zwei bis drei Kilometer"
                low = _phrase_value(rules, words[first - 2][0])
                if low is not None and low < value:
                    return offset + words[first - 2].start(), low, value, inserted
            return offset + words[first].start(), value, None, inserted
    return None


def _phrase_value(rules: DistanceRules, phrase: str) -> float | None:
    """The value of a spelled-out number: a word or phrase of the file, a fraction ("an eighth of
    a", "one-third of a"), or a cardinal text2num reads."""
    link = rules.fraction_link.search(phrase)
    core = _fold(phrase[: link.start()] if link else phrase)
    if not core:
        return None
    if core in rules.number_words:
        return rules.number_words[core]
    head, _, last = core.rpartition(" ")
    if last in rules.fractions and head:
        numerator = rules.numerators.get(head, None) or _phrase_value(rules, head)
        return None if numerator is None else numerator / rules.fractions[last]
    if link or not all(word.isalpha() for word in core.split()):
        return None
    try:
        return float(text2num(core, rules.language))
    except ValueError:
        return None


def _distance(rules: DistanceRules, text: str, number: _Number) -> Distance:
    match = number.unit
    end = match.end()
    unit = rules.units[_fold(match["unit"])]
    before = rules.hedges_before.search(text, max(0, number.start - HEDGE_REACH), number.start)
    start = before.start() if before else number.start
    first, second = number.first, number.second
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
    kind = (
        "speed"
        if unit.speed or match["speed"]
        else "length"
        if match["length"]
        else "total"  # "2 more miles"
        if match["inserted"]
        else "distance"
    )
    return Distance(
        start,
        end,
        text[start:end],
        value,
        value * unit.km,
        unit.symbol + ("/h" if match["speed"] and not unit.speed else ""),
        kind,
        hedge,
        low,
        high,
    )


def _number(rules: DistanceRules, written: str) -> float:
    """A number as the language writes it: "6.500" -> 6500 and "6,5" -> 6.5 in German; "1/2" -> 0.5;
    a mark followed by one or two digits is a decimal mark whatever the language ("1,5 km")."""
    if "/" in written:
        numerator, denominator = written.split("/")
        return int(numerator) / int(denominator) if int(denominator) else float(numerator)
    mark = regex.search(r"[.,](\d{1,2})\Z", written)
    if mark and mark[0][0] != rules.decimal and mark[0][0] in rules.groups:
        return float("".join(ch for ch in written[: mark.start()] if ch.isdigit()) + "." + mark[1])
    digits = "".join(ch for ch in written if ch not in rules.groups)
    return float(digits.replace(rules.decimal, ".").replace(",", "."))


def _scale(rules: DistanceRules, word: str | None) -> float:
    return rules.scales[_fold(word)] if word else 1.0


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


# --------------------------------------------------------------------------- the kind of a distance


def distance_clauses(
    text: str, sentences: Sequence[tuple[int, int]], indices: list[int], distances: Sequence[Distance]
) -> list[tuple[int, int]]:
    """The clause of each distance: the part of its sentence (the ``indices``-th) between the
    punctuation around the number (never inside a number). Each sentence's punctuation is read
    once, for all its numbers."""
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


def _kind(rules: DistanceRules, text: str, distance: Distance, clause: tuple[int, int]) -> str:
    """What the number measures, from the words around it (see the module's docstring)."""
    start, end = distance.start, distance.end
    opening = max(clause[0], start - 200)
    journey_before = rules.journey.search(text, opening, start) is not None
    if distance.kind == "speed" or rules.pace_before.search(text, max(opening, start - 60), start):
        return "speed"
    if distance.kind == "length":
        journey_after = rules.thing_after.match(text, end, clause[1])  # "die 60 Kilometer lange Überfahrt"
        if journey_after and journey_after["journey"]:
            return "distance"
        return "distance" if journey_before and not rules.measure.search(text, opening, start) else "length"
    if distance.kind == "total":
        return "total"
    named = rules.measure_before.search(text, max(opening, start - 60), start)
    if named and named["journey"]:
        return "distance"  # "a route of 1,610 km", "eine Strecke von 900 Kilometern"
    if named and named["zone"]:
        return "radius"
    if named:
        return "length"
    if rules.zone.search(text, opening, start):
        return "radius"  # "within five miles of the border"
    thing = rules.thing_after.match(text, end, clause[1])
    if thing and thing["zone"]:
        return "radius"
    if thing and thing["journey"]:
        return "distance"
    attributive = _hyphenated(text, distance) and _followed_by_word(rules, text, end)
    if thing or attributive or rules.of_thing.match(text, end, clause[1]):
        return "length"
    if rules.extent.search(text, opening, start) or rules.measure.search(text, opening, start):
        return "length"
    if journey_before:
        return "distance"
    if rules.zone.search(text, opening, min(clause[1], end + 40)):
        return "radius"
    if _total(rules, text, distance, clause) and not rules.after.match(text, end, clause[1])["direction"]:
        return "total"  # but "marschierte ein und stand 400 km südlich von Moskau" says where it stands
    return "distance"


TOTAL_REACH = 200
"""How far after a number its clause is read for a verb of travel ("legte ... zurück")."""
TOTAL_WORDS = 6
"""How many words before a number a verb of travel may stand to make it a total ("covered 527 miles",
"rückte das deutsche Heer fast 70 Kilometer vor"); after it, anywhere in its clause ("legt ... zurück")."""
_LAST_WORDS = regex.compile(rf"(?:\w+\W+){{0,{TOTAL_WORDS}}}\Z")


def _total(rules: DistanceRules, text: str, distance: Distance, clause: tuple[int, int]) -> bool:
    before = _LAST_WORDS.search(text, max(clause[0], distance.start - 120), distance.start)
    return bool(
        rules.total.search(text, before.start(), distance.start)
        or rules.total.search(text, distance.end, min(clause[1], distance.end + TOTAL_REACH))
    )


_UNIT_HYPHEN = regex.compile(r"[\d\w]-[^\W\d_]+\Z")


def _hyphenated(text: str, distance: Distance) -> bool:
    """Whether the unit is joined to its number by a hyphen ("130-mile", "seven-kilometre")."""
    return _UNIT_HYPHEN.search(text, distance.start, distance.end) is not None


_WORD_AFTER = regex.compile(r"[\s‘’'\"“”„]+(?:[^\W\d_]|\d)")


def _followed_by_word(rules: DistanceRules, text: str, end: int) -> bool:
    """Whether a word follows that is not a direction, a word such as "away" or a preposition such as
    "from": then the hyphenated unit is attributive ("a 130-mile river", not "a half-mile away")."""
    if _WORD_AFTER.match(text, end) is None:
        return False
    after = rules.after.match(text, end)
    return after.end() == end or not text[end : after.end()].strip() and not rules.anchor.match(text, after.end())
