"""Journeys in the text: ordered legs between places, each with a travel mode.

Why: a reader of "Abreise vom Bahnhof in Pjöngjang ... Anreise ins russische Wladiwostok" sees one
journey by train; the map should draw it. Travel language is data (``data/<lang>/travel.txt``): the
patterns run over each sentence with every place name replaced by a placeholder, so that a pattern
speaks of "{P} nach {P}" and never of a particular name. A start without an end ("verließ Basel",
"left Nome") waits a few sentences for its arrival. The mode is the nearest mode word outside place
names: in the words of the journey, else its sentence, else the sentence of its start, else the
sentences before and after it. Legs join points only (cities, landmarks); their kilometres are geodesic on WGS84
(:func:`geo.journeys.geodesy.distance_km`).

>>> from geo.model import Mention, Place
>>> text = "Der Sonderzug fuhr von Pjöngjang nach Wladiwostok."
>>> places = (Place("a", "Pyongyang", "Pjöngjang", 39.0339, 125.7543, "KP", "city", 1.0, (Mention(23, 32, "Pjöngjang"),)),
...           Place("b", "Vladivostok", "Wladiwostok", 43.1056, 131.8735, "RU", "city", 1.0, (Mention(38, 49, "Wladiwostok"),)))
>>> [(leg.from_id, leg.to_id, round(leg.km, 1), leg.mode) for leg in find_legs(text, ((0, len(text)),), places, "de")]
[('a', 'b', 684.5, 'rail')]
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import regex

from geo.errors import TravelRulesError
from geo.journeys.geodesy import distance_km
from geo.lang.registry import cached_per_language, language_file
from geo.lang.rulefiles import forms_pattern, read_example, read_sections, read_table
from geo.model import POINT_KINDS, TRAVEL_MODES, Leg, Place
from geo.read.sentences import Quotes

__all__ = ["find_legs", "travel_rules", "TravelRules", "TRAVEL_FILE", "PENDING_SENTENCES"]

TRAVEL_FILE = "travel.txt"
PENDING_SENTENCES = 4
"""How many sentences a start without an end ("verließ Basel") waits for its arrival."""
TRAVEL_REACH = 25
"""How close (in characters) a travel word must stand to a journey that needs one."""
_SECTIONS = ("modes", "travel", "patterns", "examples")
_NEEDS = ("always", "travel")
_PLACE = "\x02{}\x03"  # a place name in the skeleton of a sentence
_PLACE_TOKEN = regex.compile(r"\x02(\d+)\x03")


@dataclass(frozen=True)
class LegPattern:
    name: str
    pattern: regex.Pattern
    needs_travel: bool
    line: int


@dataclass(frozen=True)
class TravelExample:
    line: int
    text: str  # with the place names unmarked
    places: tuple[tuple[int, int], ...]  # spans of the marked place names
    legs: tuple[tuple[str, str, str], ...]  # (from name, to name, mode); empty for a negative example


@dataclass(frozen=True)
class TravelRules:
    """The compiled travel language of one language."""

    language: str
    modes: regex.Pattern  # one group per mode
    travel: regex.Pattern
    patterns: tuple[LegPattern, ...]
    examples: tuple[TravelExample, ...]

    def mode_near(self, skeleton: str, where: int) -> str | None:
        """The mode of the mode word nearest to ``where`` in a skeleton (place names hidden)."""
        return self.mode_words(skeleton).near(where)

    def mode_words(self, skeleton: str) -> ModeWords:
        """The mode words of a skeleton, for a caller that asks about it more than once."""
        return ModeWords(self.modes, skeleton)


class ModeWords:
    """Where each mode word of a text stands: the one nearest a position is found by bisection, so
    a sentence with thousands of journeys is searched once, not once per journey."""

    def __init__(self, modes: regex.Pattern, text: str) -> None:
        self._found = [(match.start(), match.lastgroup) for match in modes.finditer(text)]
        self._starts = [start for start, _ in self._found]

    def near(self, where: int) -> str | None:
        """The mode of the word nearest ``where`` (on a tie, the first mode by name)."""
        after = bisect.bisect_left(self._starts, where)
        nearest = [(abs(start - where), mode) for start, mode in self._found[max(after - 1, 0) : after + 1]]
        return min(nearest)[1] if nearest else None


@cached_per_language
def travel_rules(language: str) -> TravelRules:
    """The travel rules of a language; one without its own file uses a fallback language's
    (:func:`geo.lang.language_file`)."""
    _owner, path = language_file(language, TRAVEL_FILE)
    return read_travel_rules(path, language)


def read_travel_rules(path: Path, language: str) -> TravelRules:
    """Parse, validate and compile one travel rule file."""
    sections = read_sections(path, _SECTIONS, TravelRulesError)
    modes = read_table(path, sections.get("modes", []), TravelRulesError)
    for form, mode in modes.items():
        if mode not in TRAVEL_MODES or mode == "unknown":
            raise TravelRulesError(f"{path}: unknown mode {mode!r} for {form!r} (expected one of {TRAVEL_MODES[:-1]})")
    by_mode = {mode: [form for form, value in modes.items() if value == mode] for mode in set(modes.values())}
    mode_pattern = "|".join(f"(?P<{mode}>{forms_pattern(forms)})" for mode, forms in sorted(by_mode.items()))
    travel_words = list(read_table(path, sections.get("travel", []), TravelRulesError)) + list(modes)
    return TravelRules(
        language=language,
        modes=regex.compile(mode_pattern or "(?!)", regex.IGNORECASE),
        travel=regex.compile(forms_pattern(travel_words), regex.IGNORECASE),
        patterns=tuple(_leg_pattern(path, number, line) for number, line in sections.get("patterns", [])),
        examples=tuple(_travel_example(path, number, line) for number, line in sections.get("examples", [])),
    )


def _leg_pattern(path: Path, number: int, line: str) -> LegPattern:
    parts = line.split("\t")
    if len(parts) != 3 or parts[2] not in _NEEDS:
        raise TravelRulesError(f"{path}:{number}: bad line {line!r} (expected <name><TAB><template><TAB>always|travel)")
    name, template, needs = parts
    source = template.replace(" ", r"\s+").replace("{P}", r"\x02\d+\x03").replace("{gap}", r"(?:[^\s\x02]+\s+){0,3}?")
    try:
        pattern = regex.compile(r"(?<!\w)" + source, regex.IGNORECASE)
    except regex.error as error:
        raise TravelRulesError(f"{path}:{number}: pattern {name!r} does not compile ({error})") from None
    groups = set(pattern.groupindex)
    if not groups & {"to", "depart"} or not groups <= {"from", "to", "via", "depart"}:
        raise TravelRulesError(
            f"{path}:{number}: pattern {name!r} needs a 'to' or 'depart' group and no groups but from/to/via/depart"
        )
    return LegPattern(name, pattern, needs == "travel", number)


_EXAMPLE_LEG = regex.compile(r"\s*(.+?)\s+>\s+(.+?)\s+(\w+)\s*")


def _travel_example(path: Path, number: int, line: str) -> TravelExample:
    """An example line (:func:`geo.lang.rulefiles.read_example`) whose expectation is the legs,
    ``<from> > <to> <mode>`` separated by ";"."""
    example = read_example(path, number, line, TravelRulesError)
    if example.positive != bool(example.expected):
        raise TravelRulesError(f"{path}:{number}: '+' examples need '=> legs', '-' examples none")
    legs = []
    for item in example.expected.split(";") if example.expected else ():
        match = _EXAMPLE_LEG.fullmatch(item)
        if not match or match[3] not in TRAVEL_MODES:
            raise TravelRulesError(f"{path}:{number}: bad expected leg {item!r} (expected '<from> > <to> <mode>')")
        legs.append((match[1], match[2], match[3]))
    return TravelExample(number, example.text, example.spans, tuple(legs))


# --------------------------------------------------------------------------- finding legs


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    skeleton: str  # the sentence with every place name as \x02<index>\x03
    offsets: tuple[int, ...]  # text offset of each skeleton character (and one past the end)


@dataclass
class _Start:
    place: int  # index into the mention list
    sentence: int
    mode: str | None


def find_legs(
    text: str, sentences: Sequence[tuple[int, int]], places: Sequence[Place], language: str
) -> tuple[Leg, ...]:
    """Every leg the text's travel language gives, in text order, without repeats."""
    rules = travel_rules(language)
    mentions = sorted(((m.start, m.end, place) for place in places for m in place.named), key=lambda m: m[:2])
    starts = [m[0] for m in mentions]
    parsed = [_skeleton(text, start, end, mentions, bisect.bisect_left(starts, start)) for start, end in sentences]
    modes = _SentenceModes(rules, parsed)
    quote = Quotes(text)
    legs: list[Leg] = []
    pending: _Start | None = None
    for index, sentence in enumerate(parsed):
        if pending and index - pending.sentence > PENDING_SENTENCES:
            pending = None
        if not _PLACE_TOKEN.search(sentence.skeleton):
            continue
        for stops, evidence, depart in _journeys(rules, sentence.skeleton):
            if depart is not None:
                pending = _Start(depart, index, modes[index].near(evidence[0]))
                continue
            if len(stops) == 1:
                if pending is None or pending.place == stops[0]:
                    continue
                stops = [pending.place, *stops]
            mode = _mode(rules, modes, index, evidence, pending)
            pending = None
            span = (sentence.offsets[evidence[0]], sentence.offsets[evidence[1]])
            quoted = quote((sentence.start, sentence.end), span[0])
            legs.extend(_legs_between([mentions[i][2] for i in stops], mode, quoted, span))
    return tuple(_without_repeats(legs))


class _SentenceModes(dict):
    """The mode words of each sentence's skeleton (by the sentence's index), found on first use."""

    def __init__(self, rules: TravelRules, parsed: list[_Sentence]) -> None:
        super().__init__()
        self.rules, self.parsed = rules, parsed

    def __missing__(self, index: int) -> ModeWords:
        self[index] = self.rules.mode_words(self.parsed[index].skeleton)
        return self[index]


def _skeleton(text: str, start: int, end: int, mentions: list[tuple[int, int, Place]], first: int) -> _Sentence:
    """The sentence with each place name inside it (from mention ``first`` on) replaced by a
    placeholder, and an offset map; a sentence without places keeps its text and no map."""
    if first >= len(mentions) or mentions[first][0] >= end:
        return _Sentence(start, end, text[start:end], ())
    pieces: list[str] = []
    offsets: list[int] = []
    position = start
    for index in range(first, len(mentions)):
        m_start, m_end, _ = mentions[index]
        if m_start >= end:
            break
        if m_start < position:
            continue
        if (
            index > first
            and position == mentions[index - 1][1]
            and _qualifies(text, mentions[index - 1], mentions[index])
        ):
            # "from Norman, Okla., to Washington, D.C.": the state only says which Norman; the
            # skeleton reads "from {P} to {P}"
            position = _QUALIFIER_COMMA.match(text, m_end, end).end()
            continue
        pieces.append(text[position:m_start])
        offsets.extend(range(position, m_start))
        token = _PLACE.format(index)
        pieces.append(token)
        offsets.extend([m_start] + [m_end] * (len(token) - 1))
        position = m_end
    pieces.append(text[position:end])
    offsets.extend(range(position, end + 1))
    return _Sentence(start, end, "".join(pieces), tuple(offsets))


_QUALIFIER_GAP = regex.compile(r"\s*,\s*")
_QUALIFIER_COMMA = regex.compile(r"(?:\s*,(?=\s))?")


def _qualifies(text: str, point: tuple[int, int, Place], region: tuple[int, int, Place]) -> bool:
    """Whether ``region`` right after ``point`` ("Norman, Okla.", "Kyiv, Ukraine") only says where
    the point is: a state or country of the point's own country, after a comma."""
    return (
        point[2].kind in POINT_KINDS
        and region[2].kind not in POINT_KINDS
        and region[2].country is not None
        and region[2].country == point[2].country
        and _QUALIFIER_GAP.fullmatch(text, point[1], region[0]) is not None
    )


def _journeys(rules: TravelRules, skeleton: str) -> Iterator[tuple[list[int], tuple[int, int], int | None]]:
    """(stops as mention indices, (start, end) in the skeleton, departure index or None) of every
    journey pattern in the sentence, in text order, none overlapping an earlier one."""
    found = []
    for leg_pattern in rules.patterns:
        for match in leg_pattern.pattern.finditer(skeleton):
            if leg_pattern.needs_travel and not _travel_near(rules, skeleton, match):
                continue
            found.append((match.start(), -match.end(), leg_pattern.line, match))
    taken_end = -1  # the journeys taken start in order: one overlaps a later one only if it ends after its start
    for start, negative_end, _, match in sorted(found):
        end = -negative_end
        if start < taken_end:
            continue
        taken_end = end
        groups = match.groupdict()
        if groups.get("depart"):
            yield [], (start, end), _indices(groups["depart"])[0]
            continue
        stops = [*_indices(groups.get("from")), *_indices(groups.get("via")), *_indices(groups.get("to"))]
        yield stops, (start, end), None


def _travel_near(rules: TravelRules, skeleton: str, match: regex.Match) -> bool:
    """Whether a travel or mode word stands in the journey's words or within TRAVEL_REACH characters
    of them ("Flüge zwischen A und B", "the train between A and B", "A to B by ferry")."""
    start, end = max(0, match.start() - TRAVEL_REACH), min(len(skeleton), match.end() + TRAVEL_REACH)
    return bool(rules.travel.search(skeleton, start, end))


def _indices(group: str | None) -> list[int]:
    return [int(index) for index in _PLACE_TOKEN.findall(group or "")]


def _mode(
    rules: TravelRules, modes: _SentenceModes, index: int, evidence: tuple[int, int], pending: _Start | None
) -> str:
    """The mode nearest the journey's words, else in its sentence, its start's sentence, the sentence
    before and the sentence after."""
    skeleton = modes.parsed[index].skeleton
    inside = rules.mode_near(skeleton[evidence[0] : evidence[1]], 0)
    if inside:
        return inside
    around = [i for i in (index - 1, index + 1) if 0 <= i < len(modes.parsed)]
    for candidate in (
        modes[index].near(evidence[0]),
        pending.mode if pending else None,
        *(modes[i].near(0) for i in around),
    ):
        if candidate:
            return candidate
    return "unknown"


def _legs_between(stops: list[Place], mode: str, sentence: str, span: tuple[int, int]) -> list[Leg]:
    legs = []
    for first, second in zip(stops, stops[1:]):
        if first.id == second.id or first.kind not in POINT_KINDS or second.kind not in POINT_KINDS:
            continue
        km = distance_km((first.lat, first.lon), (second.lat, second.lon))
        legs.append(Leg(first.id, second.id, km, mode, sentence, span[0], span[1]))
    return legs


def _without_repeats(legs: list[Leg]) -> list[Leg]:
    """The first leg of each (from, to) pair; a later "fly from A to B" repeats an earlier route."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for leg in legs:
        if (leg.from_id, leg.to_id) not in seen:
            seen.add((leg.from_id, leg.to_id))
            kept.append(leg)
    return kept
