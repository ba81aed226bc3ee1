"""Distances the article states, tied to the places they join and checked against the map.

Earth model: the WGS84 ellipsoid; a claim is compared with the geodesic distance between its two
places (``geopy.distance.geodesic`` via :func:`geo.journeys.geodesy.distance_km`), or, when the text
measures along a way ("auf der Schiene", "by sea") and a network gives a route, with that route's
length. The numbers and their kinds come from :mod:`geo.journeys.distances`.

Which two places, read as a fact-checker reads the discourse (rules in order):

* Only a ``distance`` joins two places; a length, speed or radius joins none, and a total travelled
  ("covered 109 miles") only the two its clause names as where it went from and to.
* The place named right after the number ("east of Kyiv", "bis Malmö", "from Füssen to Venice"); if
  those words name something that is not a point ("130 Kilometer von der Grenze", "30 km from
  Russia"), the claim is measured to a non-point and unverifiable, never a guess.
* Else the points of the number's clause ("Zwischen Gaza und Dschenin liegen ..."), nearest first.
* The subject: the nearest point before the number in its sentence, unless another clause opens in
  between ("Salina, while winds reached ... five miles south of Manhattan") or it is measured by
  another number ("six miles northeast of Gilroy and 30 miles southeast from San Jose").
* A place said before: for a number with no place after it ("Nach Moskau wären es rund 6500
  Kilometer", "Centreville, 12 miles away") or words that refer back ("the town", "die Stadt"), the
  most recent point before the clause; for "von hier" / "from here", the article's first point (its
  dateline).
* A journey referred back to ("The route covers ...", "Die Strecke ist ... lang", "the entire 1,500
  miles"): the two ends of the most recent leg before the number.
* Otherwise one end is not named ("about two miles east of Brandon", from an unnamed crash site):
  unverifiable.

The verdict: a bare number allows +-5 %; about/rund/etwa +-10 %; gut/mehr als/more than make the number
a lower bound and nur/knapp/only an upper bound (with the same slack); a range spans its two ends.
``consistent`` when the map's distance lies within the bounds. A stated distance shorter than the
straight line is ``inconsistent`` (no way is shorter). A longer one is ``inconsistent`` unless the
text measures along a way (road, drive, train, Strecke, Fahrt): then a route of the mode its words
give is measured where a network has it (air: the geodesic), and where none has it a way up to
``MAX_DETOUR`` times the straight line is ``consistent`` (roads are rarely longer) and a longer one
``unverifiable`` (one journey may well have gone round). Each claim says
which reading was judged (``reading``) and how its places were found (``linked_by``).

>>> from geo.model import Mention, Place
>>> text = "Von Pjöngjang bis Wladiwostok sind es rund 680 Kilometer Luftlinie."
>>> places = (Place("a", "Pyongyang", "Pjöngjang", 39.0339, 125.7543, "KP", "city", 1.0, (Mention(4, 13, "Pjöngjang"),)),
...           Place("b", "Vladivostok", "Wladiwostok", 43.1056, 131.8735, "RU", "city", 1.0, (Mention(18, 29, "Wladiwostok"),)))
>>> [(c.text, c.from_id, c.to_id, round(c.computed_km, 1), c.verdict) for c in check_claims(text, ((0, len(text)),), places, "de")]
[('rund 680 Kilometer', 'a', 'b', 684.5, 'consistent')]
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import regex

from geo.journeys.distances import (
    APPROX_TOLERANCE,
    BARE_TOLERANCE,
    DISTANCES_FILE,
    Distance,
    DistanceRules,
    distance_rules,
    find_distances,
    located_distances,
)
from geo.journeys.geodesy import distance_km
from geo.journeys.legs import ModeWords, travel_rules
from geo.model import POINT_KINDS, Claim, Leg, Place
from geo.places.gazetteer import capital_names
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
    "LINKS",
]

MAX_DETOUR = 1.5
"""A distance measured along a way may be up to 1.5 times the straight line where no network gives
the route (circuity factors of road networks lie around 1.2 to 1.4)."""
ANCHOR_WORDS = 6
"""How many words after "von"/"from" may hold the place a number is measured from."""
SUBJECT_WORDS = 25
"""How many words may lie between a place and a number that measures from it ("Acapulco, population
over 600,000, is a city ... 300 miles southwest from Mexico City")."""
LOOK_AROUND = 200
"""How far before and after a number its discourse words are read ("the town", "von hier", "the
route"): as far as a clause usually reaches, and no further in a sentence of a million characters."""
SUBJECT_CHARS = 12 * SUBJECT_WORDS
"""The same bound in characters, asked first, before the words between are read."""
LINKS = ("named", "referent", "here", "journey")
"""How a claim's two places were found: both named around the number, one said before, the
article's dateline, or the ends of a journey the text refers back to."""

_ANCHOR_WINDOW = regex.compile(rf"(?:\W*\w+){{0,{ANCHOR_WORDS}}}")
_WORDS = regex.compile(r"\w+")

RouteLookup = Callable[[Place, Place, str], "tuple[float, str] | None"]
"""(from, to, mode) -> (km along a network, source), or None where no network has the route."""


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
    legs: Sequence[Leg] = (),
) -> tuple[Claim, ...]:
    """Every distance the text states, tied to its two places where it has two, and checked;
    ``legs``: the article's journeys, which "the route" and "die Strecke" refer back to."""
    rules = distance_rules(language)
    sentences = tuple(sentences) or ((0, len(text)),)
    distances, indices, clauses = located_distances(text, language, sentences)
    if not distances:
        return ()
    context = _Context(text, sentences, places, language, indices, clauses, legs)
    anchors = [_anchor(rules, text, d, clause, context) for d, clause in zip(distances, clauses)]
    context.measured = {ends[0].start for ends in anchors if isinstance(ends, list) and ends}
    claims = []
    for distance, at, clause, anchor in zip(distances, indices, clauses, anchors):
        ends, linked, why = _endpoints(rules, text, distance, clause, at, anchor, context)
        mode = context.travel_mode(at, distance.start) if len(ends) == 2 else None
        located = bool(rules.after.match(text, distance.end, clause[1])["direction"])
        basis = context.basis(rules, at, located) if distance.kind in ("distance", "total") else "unspecified"
        if linked == "journey" and basis == "unspecified":  # "the entire 1,500 miles" of a ride
            leg = context.last_leg_before(distance.start)
            mode = mode or (leg.mode if leg and leg.mode != "unknown" else None)
            basis = "route" if mode and mode != "air" else basis
        if distance.kind == "total" and len(ends) == 2:
            basis = "route" if basis == "unspecified" else basis  # "drove 600 km from Füssen to Venice"
        quote = context.quote(sentences[at], distance.start)
        claims.append(_judge(distance, quote, basis, ends, linked, why, mode, route))
    return tuple(claims)


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

    def first(self, skip: str | None) -> _Mention | None:
        """The first point that is not of the place ``skip``."""
        index = self._step(0, skip, self._next_other)
        return self.items[index] if index < len(self.items) else None

    def last_before(self, offset: int, skip: str | None) -> _Mention | None:
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
        legs: Sequence[Leg],
    ) -> None:
        self.text, self.sentences, self.language = text, sentences, language
        self.mentions = sorted(
            (_Mention(m.start, m.end, place) for place in places for m in place.named),
            key=lambda m: (m.start, m.end),
        )
        self.starts = [m.start for m in self.mentions]
        self.points = _Points(self.mentions)
        self.by_id = {place.id: place for place in places}
        self.legs = sorted((leg for leg in legs if leg.start >= 0), key=lambda leg: leg.start)
        self.leg_starts = [leg.start for leg in self.legs]
        self.quote = Quotes(text)
        self.measured: set[int] = set()  # the starts of the places numbers are measured from
        self.last_subject: tuple[int, _Mention | None] = (-1, None)  # (sentence, subject) of the last distance
        self._capitals: dict[str, _Mention] | None = None
        self._clauses_of: dict[int, list[tuple[int, int]]] = {}
        for at, clause in zip(indices, clauses):
            self._clauses_of.setdefault(at, []).append(clause)
        self._clause_points: dict[tuple[int, int], _Points] = {}
        self._sentence_points: dict[int, _Points] = {}
        self._modes: dict[int, ModeWords] = {}
        self._bases: dict[tuple[int, bool], str] = {}

    def between(self, start: int, end: int) -> list[_Mention]:
        return self.mentions[bisect.bisect_left(self.starts, start) : bisect.bisect_left(self.starts, end)]

    def clause_points(self, clause: tuple[int, int]) -> _Points:
        if clause not in self._clause_points:
            self._clause_points[clause] = _Points(self.between(*clause))
        return self._clause_points[clause]

    def sentence_points(self, at: int) -> _Points:
        if at not in self._sentence_points:
            self._sentence_points[at] = _Points(self.between(*self.sentences[at]))
        return self._sentence_points[at]

    def dateline(self) -> _Mention | None:
        """The article's dateline place: a point that opens one of its first lines and is followed on
        that line by an agency or a dash ("ALLIANCE, Neb. (AP) --", "BERLIN (dpa) –")."""
        for mention in self.points.items:
            if mention.start >= DATELINE_CHARS:
                return None
            line_start = self.text.rfind("\n", 0, mention.start) + 1
            if not self.text[line_start : mention.start].strip() and _DATELINE_AFTER.match(self.text, mention.end):
                return mention
        return None

    def capital_before(self, offset: int) -> _Mention | None:
        """The capital of the country of the last point before ``offset``, if the article names it."""
        last = self.points.last_before(offset, None)
        return self._named_capitals().get(last.place.country or "") if last else None

    def _named_capitals(self) -> dict[str, _Mention]:
        """Country code -> the first mention of its capital, among the points the article names."""
        if self._capitals is None:
            names = capital_names()
            self._capitals = {}
            for mention in self.points.items:
                country = mention.place.country or ""
                if names.get(country) == mention.place.name:
                    self._capitals.setdefault(country, mention)
        return self._capitals

    def last_leg_before(self, offset: int) -> Leg | None:
        index = bisect.bisect_left(self.leg_starts, offset) - 1
        return self.legs[index] if index >= 0 else None

    def basis(self, rules: DistanceRules, at: int, located: bool) -> str:
        """What the ``at``-th sentence measures (:meth:`DistanceRules.basis`)."""
        if (at, located) not in self._bases:
            start, end = self.sentences[at]
            self._bases[at, located] = rules.basis(self.text[start:end], located)
        return self._bases[at, located]

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


def _anchor(
    rules: DistanceRules, text: str, distance: Distance, clause: tuple[int, int], context: _Context
) -> list[_Mention] | str | None:
    """The places named right after the number ("östlich von Kiew", "from Füssen to Venice"),
    _NOT_A_POINT when those words name something else ("von der Grenze"), None when there are none."""
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
    if not found and rules.capital.match(text, position, clause[1]):
        capital = context.capital_before(distance.start)  # "südöstlich der Hauptstadt"
        return [capital] if capital else _NOT_A_POINT
    if not found or found[0].place.kind not in POINT_KINDS:
        return _NOT_A_POINT
    if rules.thing.search(text, position, found[0].start):
        return _NOT_A_POINT  # "vor der Küste ... bei Gudauta", "from the border with Russia"
    first = found[0]
    then = rules.anchor.match(text, _skip_space_and_commas(text, first.end), clause[1])  # "from X to Y"
    if then:
        window = _ANCHOR_WINDOW.match(text, then.end(), clause[1])
        second = next((m for m in context.between(then.end(), window.end()) if m.place.id != first.place.id), None)
        if second and second.place.kind in POINT_KINDS:
            return [first, second]
    return [first]


def _skip_space_and_commas(text: str, at: int) -> int:
    while at < len(text) and text[at] in " ,\t\n":
        at += 1
    return at


def _endpoints(
    rules: DistanceRules,
    text: str,
    distance: Distance,
    clause: tuple[int, int],
    at: int,
    anchor: list[_Mention] | str | None,
    context: _Context,
) -> tuple[list[_Mention], str, str]:
    """The two places a distance joins (text order) and how they were found, or fewer and the
    reason why not; ``at``: the index of its sentence."""
    if distance.kind in ("length", "speed"):
        return [], "", f"a {distance.kind}, not a distance between two places"
    if anchor is _NOT_A_POINT:
        return [], "", "measured from something that is not a point on the map"
    named: list[_Mention] = list(anchor) if isinstance(anchor, list) else []
    if distance.kind == "radius":
        return named[:1], "", "a radius around a place, not a distance between two places"
    if distance.kind == "total":
        if len(named) == 2:
            return named, "named", ""
        return [], "", "a total travelled, not a distance between two places"
    away = anchor is None and _from_here(rules, text, distance, clause)
    if anchor is None:
        in_clause = context.clause_points(clause)
        if len(in_clause.items) < 2:
            wider = next((m for m in context.between(*clause) if m.place.kind not in POINT_KINDS), None)
            if wider:
                return [], "", f"measured to {wider.place.label}, which is not a point on the map"
        while len(named) < 2:  # the points of the clause, nearest first, one per place
            nearest = in_clause.nearest(distance.start, named[0].place.id if named else None)
            if nearest is None or away and nearest.start > distance.start:
                break  # "found about 50 miles away close to Yuba City": where it is, not whence
            named.append(nearest)
    if len(named) < 2:
        subject = _subject(rules, text, distance, at, named, context)
        context.last_subject = (at, subject)
        named.extend([subject] if subject else [])
    if len(named) == 2:
        return sorted(named, key=lambda m: m.start), "named", ""
    sentence_start = context.sentences[at][0]
    near = max(sentence_start, distance.start - LOOK_AROUND)  # a sentence of a million characters stays linear
    referring = rules.referent.search(text, near, distance.start) or rules.located_thing.match(
        text, sentence_start, distance.start
    )
    says_here = (
        rules.here.search(
            text, max(clause[0], distance.start - LOOK_AROUND), min(clause[1], distance.end + LOOK_AROUND)
        )
        is not None
    )
    if len(named) == 1 and (anchor is None or referring or says_here):
        taken = named[0].place.id
        dateline = context.dateline() if away else None
        if dateline and dateline.place.id != taken:
            referent, linked = dateline, "here"
        elif says_here:
            referent, linked = context.points.first(taken), "here"
        else:
            referent, linked = context.points.last_before(clause[0], taken), "referent"
        if referent:
            return sorted([named[0], referent], key=lambda m: m.start), linked, ""
    if not named and rules.pair_referent.search(text, near, distance.start):
        last = context.points.last_before(sentence_start, None)
        before = context.points.last_before(last.start, last.place.id) if last else None
        if last and before:
            return [before, last], "referent", ""
    if not named and _journey_told_before(rules, text, distance, clause, near):
        leg = context.last_leg_before(distance.start)
        ends = [context.by_id.get(leg.from_id), context.by_id.get(leg.to_id)] if leg else []
        if all(ends) and len(ends) == 2:
            return [_Mention(leg.start, leg.start, ends[0]), _Mention(leg.end, leg.end, ends[1])], "journey", ""
    return named, "", "one end is not named in the text" if named else "names no place on the map"


def _journey_told_before(
    rules: DistanceRules, text: str, distance: Distance, clause: tuple[int, int], near: int
) -> bool:
    """Does the number measure a journey the article told of before: a definite journey word before
    it ("the route", "die gesamte Strecke") or around it ("die rund 60 Kilometer lange Überfahrt",
    "the 60-mile crossing")?"""
    if rules.journey_back.search(text, max(clause[0], near), distance.start):
        return True
    if not rules.definite_before.search(text, max(clause[0], near), distance.start):
        return False
    after = rules.thing_after.match(text, distance.end, clause[1])
    return after is not None and after["journey"] is not None


DATELINE_CHARS = 400
"""How far into the article its dateline may stand (after a headline)."""
_DATELINE_AFTER = regex.compile(r"[^\n]{0,40}?(?:\(|--|–|—)")


def _from_here(rules: DistanceRules, text: str, distance: Distance, clause: tuple[int, int]) -> bool:
    """Whether the number is measured from where the article is written: a bare direction or "away"
    after it and no place named after that ("the state capital some 330 miles to the east")."""
    after = rules.after.match(text, distance.end, clause[1])
    return bool(after["direction"]) or rules.away.search(text, distance.end, after.end()) is not None


def _subject(
    rules: DistanceRules, text: str, distance: Distance, at: int, named: list[_Mention], context: _Context
) -> _Mention | None:
    """The nearest point before the number in its sentence that the number measures from: not
    another number's place, and with no other clause opening in between."""
    skip = named[0].place.id if named else None
    candidate = context.sentence_points(at).last_before(distance.start, skip)
    if candidate is None or distance.start - candidate.end > SUBJECT_CHARS:
        return None  # read no further back than a subject may stand: a long sentence stays linear
    gap = text[candidate.end : distance.start]
    if candidate.start in context.measured or find_distances(gap, context.language):
        # "X lies 240 miles southeast of A and about 90 miles from B": the subject of the number before
        sentence, subject = context.last_subject
        return subject if sentence == at else None
    if "," not in gap and rules.anchor_before.search(text, max(0, candidate.start - 20), candidate.start):
        return None  # an end of "von Stettin bis Görlitz", not what the number locates (but "from X, 12 miles away")
    if rules.opener.search(gap) or len(_WORDS.findall(gap)) > SUBJECT_WORDS:
        return None
    return candidate


# --------------------------------------------------------------------------- the verdict


def _judge(
    distance: Distance,
    sentence: str,
    basis: str,
    ends: list[_Mention],
    linked: str,
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
    verdict, reading, reason = _verdict(distance, basis, computed, computed_by, straight)
    return Claim(
        from_id=first.id,
        to_id=second.id,
        computed_km=round(computed, 1),
        verdict=verdict,
        computed_by=computed_by,
        mode=mode,
        reason=reason,
        reading=reading,
        linked_by=linked,
        **fields,
    )


def _verdict(
    distance: Distance, basis: str, computed: float, computed_by: str, straight: float
) -> tuple[str, str, str]:
    """(verdict, reading, reason): the reading is what the number was judged as, the straight line,
    a way along a network, or a way up to MAX_DETOUR times the straight line. A number shorter than
    a network's way is wrong only if it is shorter than the straight line too: the network's data
    may lack the direct way (a ferry's lane, a new road), the straight line is the shortest there is."""
    low, high = distance.low_km, distance.high_km
    shown = f"{computed:,.0f} km ({computed_by})"
    along = computed_by not in ("geodesic", "geodesic (air)")
    reading = "route" if along else "straight"
    if low <= computed and (high is None or computed <= high):
        return "consistent", reading, f"the map gives {shown}, within the bounds"
    if along and high is not None and high < computed:
        line = f"{straight:,.0f} km (geodesic)"
        if high < straight:
            return "inconsistent", "straight", f"shorter than the straight line, {line}, and the map's {shown}"
        if low <= straight:
            return "consistent", "straight", f"the straight line is {line}, within the bounds; the map's way is {shown}"
        return (
            "unverifiable",
            reading,
            f"between the straight line, {line}, and the map's {shown}: a more direct way may exist",
        )
    if high is not None and high < computed:
        return "inconsistent", reading, f"shorter than the map's {shown}; no way between them is shorter"
    if basis == "route" and not along and computed_by == "geodesic":
        if low <= computed * MAX_DETOUR:
            return (
                "consistent",
                "detour",
                f"longer than the straight line, {shown}, within the {MAX_DETOUR:g}x a way by road or rail may take",
            )
        return (
            "unverifiable",
            "detour",
            f"more than {MAX_DETOUR:g}x the straight line, {shown}: the way it took is not on the map",
        )
    if basis == "route" or along:
        return "inconsistent", reading, f"longer than the map's {shown}"
    return "inconsistent", reading, f"longer than the straight line, {shown}; the text names no road or route"
