"""The timeline: temporal expressions found (TIMEX3), anchored, and turned into dated events.

Extract first, anchor second (as HeidelTime does). :func:`find_timexes` turns the patterns of
``data/<lang>/timex.txt`` into spans with a TIMEX3 type and either a finished value ("2019-04",
"P3D", "PAST_REF") or a :class:`Pending` recipe ("vor vier Jahren": four years before the
reference). :func:`anchor_timexes` is a separate pure step that resolves the recipes on the
publication date (news) or on the date the text last gave (narratives, and "zwei Tage später" in
any text). Nothing here reads the clock: without a publication date, relative expressions stay
unanchored and say so (``anchored=False``, a TIMEX3 placeholder value such as ``XXXX-08``).
:func:`events_of` then places every DATE and TIME on the timeline with its interval and the places
of its clause.

Intervals use the proleptic Gregorian calendar; seasons are meteorological (spring = March to
May); a START, MID or END modifier narrows an interval to its first, middle or last third.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Sequence
from itertools import repeat
from dataclasses import dataclass, replace

import regex
from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from geo.model import Event, Place
from geo.timeline.grammar import CUES_KEPT, SENTENCE_START, TIMEX_TYPES, Grammar, Rule, grammar_for

__all__ = ["TIMEX_TYPES", "Timex", "Pending", "find_timexes", "anchor_timexes", "tag_text", "interval",
           "events_of", "timeline_order", "unanchored_warning"]

GRANULARITIES = ("CE", "DE", "Y", "Q", "SE", "M", "W", "D")
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
PARTS_OF_DAY = ("MO", "MI", "AF", "EV", "NI")
_TIME_UNITS = {"H", "MIN", "S"}
BC_OFFSET, LAST_AD_YEAR = 10000, 6999
MATCH_WINDOW = 400  # no temporal expression (with its look-ahead) is longer
RECENT_CHARS = 300  # about two sentences: "Im Juli 1997 ... Am 17. Juli" stays in 1997
_MERIDIEM_HOURS = {"am_hour": 0, "pm_hour": 12}  # a 12-hour clock group -> hours to add
_WORD = regex.compile(r"\w+")
_CLAUSE_BREAK = regex.compile(r"[;:–—(]|,\s|\s-\s")


@dataclass(frozen=True)
class Pending:
    """A relative expression before anchoring: what to count from, by how much, at which granularity.

    ``kind``: partial (a month or day without its year), shift (from the reference date: "vor vier
    Jahren"), later (from the last date the text gave: "zwei Tage später"), this ("vergangene
    Woche"), same ("im selben Monat"), day ("gestern"), weekday ("am Dienstag"), vague ("in den
    kommenden Tagen": FUTURE_REF in news, some days after the story's date in a narrative).
    """

    kind: str
    unit: str = "D"
    amount: int | None = 0
    fields: tuple[tuple[str, int | str], ...] = ()
    tense: str | None = None
    sign: int = 1  # the direction of a shift whose amount is unknown ("wenige Tage später")
    period: bool = False  # names a whole period ("im Vorjahr"), not a point some time later

    def field(self, name: str) -> int | str | None:
        return dict(self.fields).get(name)


@dataclass(frozen=True)
class Timex:
    """One temporal expression: its exact TIMEX3 extent, type, value and modifier.

    ``start``/``end`` follow TimeML: a governing preposition ("im", "seit", "on") is not part of
    the extent; ``phrase_start`` is where the phrase with that preposition starts (the timeline
    shows "seit 2019", which means something else than "2019").
    ``anchored`` is False for a relative expression that had nothing to anchor on; its ``value``
    is then a placeholder such as ``XXXX-08`` or ``PAST_REF``.
    ``sets_time`` is False for a date that later expressions should not count from: one in
    parentheses, a bare year that names something ("Krieg 1870"), or a step back ("ein Jahr
    zuvor", "im vorigen Jahr"). ``aside``: after "bis", "seit", "vom"; such a date moves the story
    only within its year ("vom 11. bis 15. September" does, "der Plan vom 8. Dezember 1912" does
    not). The layout flags below are set by :func:`find_timexes` for :func:`anchor_timexes`.
    """

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None
    anchored: bool = True
    phrase_start: int | None = None
    pending: Pending | None = None
    rule: str = ""               # the pattern that found it (data/<lang>/timex.txt), for error analysis
    sets_time: bool = True
    aside: bool = False
    heading: bool = False        # the whole of a heading line ("1862"): it dates its section
    after_heading: bool = False  # a heading stands between this and the expression before it
    new_paragraph: bool = False  # a blank line stands between this and the expression before it
    attached: bool = False       # only its preposition or a comma stands between this and the one before
    closes_range: bool = False   # a range word ("bis", "und", "auf den") joins it to the one before


# =========================================================================== extraction


def find_timexes(text: str, language: str, sentences: Sequence[tuple[int, int]] | None = None) -> list[Timex]:
    """Every temporal expression of ``text``, in text order, not yet anchored.

    Overlapping matches: the longer wins, then the earlier pattern of the rule file.
    """
    grammar = grammar_for(language)
    lowered = text.lower()
    starts = _Starts(text, grammar)
    matches = []
    for order, rule in enumerate(grammar.rules):
        if rule.required and not any(word in lowered for word in rule.required):
            continue  # "Quartal" is nowhere in the text: no quarter to find
        for match in _rule_matches(rule, text, starts):
            start, end = match.span("t") if "t" in rule.pattern.groupindex and match["t"] else match.span()
            if end > start:
                matches.append((-(end - start), order, start, end, rule, match))
    taken = bytearray(len(text))
    found: list[Timex] = []
    for _, _, start, end, rule, match in sorted(matches, key=lambda m: (m[0], m[1], m[2])):
        if any(taken[start:end]):
            continue
        timex = _timex(text, grammar, rule, match, start, end, sentences)
        if timex is not None:
            taken[start:end] = b"\x01" * (end - start)
            found.append(timex)
    return _mark_layout(text, sorted(found, key=lambda t: t.start), grammar.range_links)


_PARAGRAPH_BREAK = regex.compile(r"\n[^\S\n]*\n")
_HEADING_END = ".!?:;,\"“”'»«)"  # a line ending in one of these is a sentence, not a heading


def _headings(text: str) -> list[tuple[int, int]]:
    """(start, end) of each heading: a line of 1 to 80 characters, without final punctuation, with a
    blank line (or the start or end of the text) on both sides."""
    lines, offset = [], 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    found = []
    for index, (offset, line) in enumerate(lines):
        stripped = line.strip()
        if not stripped or len(stripped) > 80 or stripped[-1] in _HEADING_END:
            continue
        if (index == 0 or not lines[index - 1][1].strip()) and \
                (index + 1 == len(lines) or not lines[index + 1][1].strip()):
            start = offset + len(line) - len(line.lstrip())
            found.append((start, start + len(stripped)))
    return found


def _mark_layout(text: str, found: list[Timex], range_links: frozenset[str]) -> list[Timex]:
    """Mark headings (a paragraph of one short line without final punctuation), paragraph breaks and
    expressions attached to the one before: a heading that is a date dates its section, after any
    heading a story returns to its section's date, a new paragraph ends an excursion (see
    :func:`_excursions`), and an attached clock time is on the day just given ("am 1. September
    1939 um 4.45 Uhr": two TIMEX3, since an extent holds no preposition)."""
    headings = _headings(text)
    starts = [start for start, _ in headings]
    marked, previous_end = [], 0
    for timex in found:
        index = bisect.bisect_right(starts, timex.start) - 1
        inside = index >= 0 and headings[index][0] <= timex.start < headings[index][1]
        heading = inside and (timex.start, timex.end) == headings[index]
        after = any(previous_end <= start < timex.start for start in starts[max(index - 1, 0):index + 1])
        paragraph = previous_end > 0 and _PARAGRAPH_BREAK.search(text, previous_end, timex.start) is not None
        phrase_start = timex.start if timex.phrase_start is None else timex.phrase_start
        attached = previous_end > 0 and previous_end <= phrase_start \
            and not text[previous_end:phrase_start].strip(" ,")
        closes_range = previous_end > 0 and " ".join(text[previous_end:timex.start].split()) in range_links
        if heading or after or paragraph or attached or closes_range:
            timex = replace(timex, heading=heading, after_heading=after, new_paragraph=paragraph,
                            attached=attached, closes_range=closes_range)
        marked.append(timex)
        previous_end = timex.end
    return marked


class _Starts(dict):
    """Where each macro can start a match in ``text`` (see :class:`StartIndex`), found on first use:
    a short text whose patterns all lack their required words is never scanned."""

    def __init__(self, text: str, grammar: Grammar):
        super().__init__()
        self.text, self.grammar = text, grammar
        self.tried: dict[tuple[tuple[str, ...], int], tuple[list[int], list[int]]] = {}

    def __missing__(self, macro: str) -> list[int]:
        self.update(self.grammar.starts.positions(self.text))
        return self[macro]

    def windows(self, rule: Rule) -> tuple[list[int], list[int]]:
        """Where ``rule`` is tried and how far each try may look, shared by the rules that start
        alike (a dozen start with "the", as many with a number)."""
        return self._windows(rule.first_macros, rule.lead_words, rule.gate)

    def _windows(self, first_macros: tuple[str, ...], lead_words: int,
                 gate: regex.Pattern | None) -> tuple[list[int], list[int]]:
        key = (first_macros, lead_words, gate)
        if key not in self.tried:
            if gate is not None:  # where none of the rules of the gate matches, none is tried
                positions, ends = self._windows(first_macros, lead_words, None)
                passed = map(gate.match, repeat(self.text), positions, ends)
                self.tried[key] = tuple(map(list, zip(*[(p, e) for p, e, m in zip(positions, ends, passed) if m]))) \
                    or ([], [])
                return self.tried[key]
            positions = self[first_macros[0]] if len(first_macros) == 1 else \
                sorted(set().union(*(self[macro] for macro in first_macros)))
            if lead_words:
                positions = sorted(set(positions).union(
                    *(_words_before(self.text, p, lead_words) for p in positions)))
            # a bounded window: regex looks for a pattern's required literal ("Quartal") up to
            # endpos, which without one is the end of the text, at every position
            self.tried[key] = positions, [position + MATCH_WINDOW for position in positions]
        return self.tried[key]


def _rule_matches(rule: Rule, text: str, starts: _Starts) -> list[regex.Match]:
    """Matches of one rule: tried only where one of its first macros matched (or up to
    ``rule.lead_words`` words before), if it starts with macros; else across the text."""
    if not rule.first_macros:
        return list(rule.pattern.finditer(text))
    positions, ends = starts.windows(rule)
    return [match for match in map(rule.pattern.match, repeat(text), positions, ends) if match]


def _words_before(text: str, position: int, count: int) -> list[int]:
    """Where each of the ``count`` words before ``position`` starts (on the same line)."""
    found = []
    for _ in range(count):
        index = position
        while index > 0 and text[index - 1] in " \t\xa0":
            index -= 1
        if index == position:
            break
        while index > 0 and text[index - 1].isalnum():
            index -= 1
        found.append(index)
        position = index
    return found


def _timex(text: str, grammar: Grammar, rule: Rule, match: regex.Match, start: int, end: int,
           sentences: Sequence[tuple[int, int]] | None) -> Timex | None:
    groups = _groups(text, grammar, match)
    if groups is None:
        return None
    made = RECIPES[rule.recipe](groups, rule.args)
    if made is None:
        return None
    value, pending = made
    mod = groups.get("mod") or groups.get("approx") if rule.mod in ("{mod}", "{approx}") else rule.mod
    timex_type = rule.type
    phrase_start = _phrase_start(text, grammar, start)
    if pending is not None and pending.tense is None:
        preposition = " ".join(text[phrase_start:start].split()) if phrase_start is not None else ""
        tense = "future" if preposition in grammar.future_prepositions else \
            _tense(text, grammar, start, end, sentences)
        pending = replace(pending, tense=tense)
    if pending is not None:
        if timex_type == "DATE" and (pending.field("part") or pending.field("hour") is not None):
            timex_type = "TIME"
    elif timex_type == "DATE" and "T" in value and value[:1].isdigit():
        timex_type = "TIME"
    sets_time = _sets_time(text, start, value, pending, sentences)
    aside = phrase_start is not None and " ".join(text[phrase_start:start].split()) in grammar.digressions
    return Timex(start, end, text[start:end], timex_type, value or "", mod, pending is None,
                 phrase_start, pending, rule.name, sets_time, aside)


def _sets_time(text: str, start: int, value: str | None, pending: Pending | None,
               sentences: Sequence[tuple[int, int]] | None) -> bool:
    """Whether a narrative moves to this date (see :attr:`Timex.sets_time`)."""
    low, _ = _sentence_bounds(start, len(text), sentences)
    before = text[low:start]
    if before.count("(") > before.count(")"):
        return False
    if pending is not None and pending.kind in ("shift", "later", "this") and (pending.amount or pending.sign) < 0:
        return False
    if not text[start:start + 4].isdigit() or not value or len(value) != 4:
        return True
    words = before.split()  # a bare year right after a capitalised word names it, unless first
    return len(words) < 2 or not words[-1][:1].isupper()


def _groups(text: str, grammar: Grammar, match: regex.Match) -> dict[str, int | str] | None:
    """Captured parts as numbers or table codes; None when a part has no meaning (a bad date, or a
    capitalised "Morgen" that is not at a sentence start and so not "morgen")."""
    groups: dict[str, int | str] = {}
    for name, captured in match.groupdict().items():
        if captured is None or name == "t":
            continue
        if name in _MERIDIEM_HOURS:
            groups["hour"] = int(captured) % 12 + _MERIDIEM_HOURS[name]
            continue
        if captured[:1].isdigit():
            groups[name] = int(captured.rstrip(".")) if name not in ("decade",) else captured
            continue
        code, exact = grammar.table_value(name, captured)
        if code is None:
            return None
        if not exact:
            position = match.start(name)
            if not SENTENCE_START.search(text, max(0, position - 12), position):
                return None
        groups[name] = int(code) if code.lstrip("-").isdigit() else code
    return groups


def _phrase_start(text: str, grammar: Grammar, start: int) -> int | None:
    """Where a governing preposition right before the extent starts ("seit 2019"), if there is one."""
    window = text[max(0, start - 20):start]
    match = grammar.prepositions.search(window)
    return start - len(window) + match.start() if match else None


def _tense(text: str, grammar: Grammar, start: int, end: int,
           sentences: Sequence[tuple[int, int]] | None) -> str | None:
    """Past or future from the cue word nearest the expression in its clause, else in its sentence;
    None if no cue. A word that is a cue of both (German "geplant") counts as future: a plan."""
    low, high = _sentence_bounds(start, len(text), sentences)
    clause_starts = _clause_starts(text, low, high)
    index = bisect.bisect_right(clause_starts, start) - 1
    clause_end = clause_starts[index + 1] if index + 1 < len(clause_starts) else high
    return _nearest_cue(text, grammar, start, end, clause_starts[index], clause_end) or \
        _nearest_cue(text, grammar, start, end, low, high)


def _nearest_cue(text: str, grammar: Grammar, start: int, end: int, low: int, high: int) -> str | None:
    best: tuple[int, str] | None = None
    tenses = grammar.cue_tenses
    if len(tenses) > CUES_KEPT:
        tenses.clear()
    for word in _WORD.finditer(text, low, high):
        token = word[0]
        tense = tenses[token] if token in tenses else tenses.setdefault(token, _cue_tense(grammar, token))
        if tense is None or start <= word.start() < end:
            continue
        distance = min(abs(word.start() - end), abs(start - word.end()))
        if best is None or distance < best[0]:
            best = (distance, tense)
    return best[1] if best else None


def _cue_tense(grammar: Grammar, token: str) -> str | None:
    """The tense a word is a cue of (kept per grammar: the words of a sentence recur)."""
    folded = token.casefold()
    for tense, (words, pattern) in (("future", grammar.future_cues), ("past", grammar.past_cues)):
        if folded in words or (pattern is not None and pattern.fullmatch(token)):
            return tense  # a cue of both is future
    return None


def _sentence_bounds(offset: int, length: int, sentences: Sequence[tuple[int, int]] | None) -> tuple[int, int]:
    if not sentences:
        return 0, length
    index = max(bisect.bisect_right(sentences, (offset, length + 1)) - 1, 0)
    return sentences[index]


# --------------------------------------------------------------------------- recipes
# Each recipe turns the captured parts of a match into (finished value, None) or (None, Pending).

Made = tuple[str | None, Pending | None] | None
_DATE_FIELDS = ("year", "month", "day", "season", "quarter", "week", "part", "hour", "minute", "holiday")


def _fields(groups: dict[str, int | str]) -> tuple[tuple[str, int | str], ...]:
    fields = {name: groups[name] for name in _DATE_FIELDS if name in groups}
    if "ordinal" in groups and "quarter" not in fields:
        fields["quarter"] = groups["ordinal"]
    return tuple(fields.items())


def _date_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    if "decade" in groups:
        digits = str(groups["decade"])
        return (digits[:3] if len(digits) == 4 else "19" + digits[0]), None
    if "decade_word" in groups:
        return f"19{groups['decade_word']}", None
    if "bc_year" in groups:
        groups = {**groups, "year": BC_OFFSET - int(groups["bc_year"])}
    if "ordinal" in groups and "century" in args:
        return ("BC" if "bc" in args else "") + f"{int(groups['ordinal']) - 1:02d}", None
    fields = dict(_fields(groups))
    if not _valid_fields(fields):
        return None
    if "year" in fields:
        return format_fields(fields), None
    tense = {-1: "past", 0: "this", 1: "future"}.get(int(groups["direction"])) if "direction" in groups else None
    return None, Pending("partial", fields=tuple(fields.items()), tense=tense)


def _valid_fields(fields: dict[str, int | str]) -> bool:
    if "day" in fields and "month" not in fields:
        return False
    if "quarter" in fields and not 1 <= int(fields["quarter"]) <= 4:
        return False
    if "day" in fields and "month" in fields:
        try:
            datetime.date(int(fields.get("year", 2000)), int(fields["month"]), int(fields["day"]))
        except ValueError:
            return False
    return True


def _signed(args: tuple[str, ...], default: int) -> int:
    return int(args[0]) if args and args[0].lstrip("+-").isdigit() else default


def _amount_unit(groups: dict[str, int | str], default_unit: str = "D") -> tuple[int | None, str]:
    """Number and unit, a unit like "6M" (half a year) multiplying the number; None for "mehrere"."""
    unit = str(groups.get("unit", default_unit))
    number = groups.get("number", 1)
    multiple = 1
    if unit[:1].isdigit():
        digits = len(unit) - len(unit.lstrip("0123456789"))
        multiple, unit = int(unit[:digits]), unit[digits:]
    return (None if number == "X" else int(number) * multiple), unit


def _shift_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    return _shifted("shift", groups, args)


def _later_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    return _shifted("later", groups, args)


def _shifted(kind: str, groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    amount, unit = _amount_unit(groups, args[1] if len(args) > 1 else "D")
    sign = _signed(args, 1)
    return None, Pending(kind, unit, None if amount is None else amount * sign, _fields(groups), sign=sign,
                         period=len(args) > 1)


def _this_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    unit = str(groups.get("unit", args[0] if args else "Y"))
    return None, Pending("this", unit, int(groups.get("direction", 0)), _fields(groups))


def _same_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    unit = str(groups.get("unit", args[0] if args else "D"))
    return None, Pending("same", unit, 0, _fields(groups))


def _day_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    offset = int(groups.get("day_word", _signed(args, 0)))
    return None, Pending("day", "D", offset, _fields(groups))


def _weekday_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    fields = _fields(groups) + (("weekday", int(groups["weekday"])), ("shift", _signed(args, 0)))
    return None, Pending("weekday", "D", int(groups.get("direction", 0)), fields)


def _ref_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    return str(groups["reference"]), None


def _vague_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    _, unit = _amount_unit(groups)
    return None, Pending("vague", unit, int(groups.get("direction", 0)))


def _duration_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    if "vague_duration" in groups:
        return str(groups["vague_duration"]), None
    if args == ("X",):
        groups = {**groups, "number": "X"}
    amount, unit = _amount_unit(groups)
    return duration_value(amount, unit), None


def _set_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    if "set_word" in groups:
        return str(groups["set_word"]), None
    if "weekday" in groups:
        return f"XXXX-WXX-{groups['weekday']}", None
    if "part" in groups:
        return f"XXXX-XX-XXT{groups['part']}", None
    amount, unit = _amount_unit(groups)
    return duration_value(amount, unit), None


def _constant_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    return args[0], None


RECIPES = {
    "date": _date_recipe, "shift": _shift_recipe, "later": _later_recipe, "this": _this_recipe,
    "same": _same_recipe, "day": _day_recipe, "weekday": _weekday_recipe, "ref": _ref_recipe,
    "vague": _vague_recipe, "duration": _duration_recipe, "set": _set_recipe, "=": _constant_recipe,
}


def duration_value(amount: int | None, unit: str) -> str:
    """A TIMEX3 duration: ``P3D``, ``PT2H``, ``PXW`` (an unknown number of weeks).

    >>> duration_value(3, "D"), duration_value(2, "H"), duration_value(None, "W"), duration_value(6, "M")
    ('P3D', 'PT2H', 'PXW', 'P6M')
    """
    number = "X" if amount is None else str(amount)
    if unit in _TIME_UNITS:
        return f"PT{number}{'M' if unit == 'MIN' else unit}"
    return f"P{number}{unit}"


# =========================================================================== values


def format_fields(fields: dict[str, int | str]) -> str:
    """TIMEX3 value of calendar fields at the granularity given.

    >>> format_fields({"year": 2019, "month": 4})
    '2019-04'
    >>> format_fields({"year": 2023, "month": 9, "day": 12, "hour": 14, "minute": 30})
    '2023-09-12T14:30'
    >>> format_fields({"year": 2022, "season": "SP"}), format_fields({"year": 2023, "week": 37})
    ('2022-SP', '2023-W37')
    """
    year = fields.get("year")
    if "holiday" in fields:
        fields = {**fields, **_holiday(str(fields["holiday"]), None if year is None else int(year))}
    value = "XXXX" if year is None else year_text(int(year))
    if "season" in fields:
        return f"{value}-{fields['season']}"
    if "quarter" in fields:
        return f"{value}-Q{fields['quarter']}"
    if "week" in fields:
        return f"{value}-W{int(fields['week']):02d}"
    if "month" in fields:
        value += f"-{int(fields['month']):02d}"
        if "day" in fields:
            value += f"-{int(fields['day']):02d}"
    return value + _time_suffix(fields)


def _holiday(rule: str, year: int | None) -> dict[str, int]:
    """Month and day of a holiday: fixed ("12-25") or counted from Easter Sunday ("E+1", via dateutil)."""
    if rule.startswith("E"):
        if year is None or year > LAST_AD_YEAR:
            return {}
        day = easter(year) + datetime.timedelta(days=int(rule[1:]))
        return {"month": day.month, "day": day.day}
    month, day = rule.split("-")
    return {"month": int(month), "day": int(day)}


def _time_suffix(fields: dict[str, int | str]) -> str:
    if fields.get("hour") is not None:
        return f"T{int(fields['hour']):02d}:{int(fields.get('minute', 0)):02d}"
    if fields.get("part"):
        return f"T{fields['part']}"
    return ""


def format_date(day: datetime.date, unit: str) -> str:
    """The value of the period of ``unit`` that contains ``day``.

    >>> [format_date(datetime.date(2023, 9, 12), u) for u in ("Y", "Q", "M", "W", "D", "DE", "CE", "WE")]
    ['2023', '2023-Q3', '2023-09', '2023-W37', '2023-09-12', '202', '20', '2023-W37-WE']
    """
    if unit == "CE":
        return f"{day.year // 100:02d}"
    if unit == "DE":
        return f"{day.year // 10:03d}"
    year = year_text(day.year)
    if unit == "Q":
        return f"{year}-Q{(day.month - 1) // 3 + 1}"
    if unit in ("W", "WE"):
        iso_year, week, _ = day.isocalendar()
        return f"{year_text(iso_year)}-W{week:02d}" + ("-WE" if unit == "WE" else "")
    if unit == "M":
        return f"{year}-{day.month:02d}"
    if unit in ("D", "H", "MIN", "S"):
        return f"{year}-{day.month:02d}-{day.day:02d}"
    return year


def year_text(year: int) -> str:
    """A year as TIMEX3 writes it; years before Christ are kept internally as ``BC_OFFSET - n`` so
    that calendar arithmetic runs forward ("ein Jahr später" after BC0202 is BC0201).

    >>> year_text(2023), year_text(BC_OFFSET - 218)
    ('2023', 'BC0218')
    """
    return f"BC{BC_OFFSET - year:04d}" if year > LAST_AD_YEAR else f"{year:04d}"


def _step(unit: str, amount: int) -> relativedelta:
    """``amount`` units as calendar arithmetic (months and years keep the day where they can)."""
    sizes = {"CE": relativedelta(years=100), "DE": relativedelta(years=10), "Y": relativedelta(years=1),
             "Q": relativedelta(months=3), "M": relativedelta(months=1), "W": relativedelta(weeks=1),
             "WE": relativedelta(weeks=1), "D": relativedelta(days=1), "H": relativedelta(hours=1),
             "MIN": relativedelta(minutes=1), "S": relativedelta(seconds=1)}
    return sizes.get(unit, relativedelta(days=1)) * amount


def interval(value: str, mod: str | None = None) -> tuple[datetime.date, datetime.date] | None:
    """First and last day of a value on the calendar (None before Christ: Python dates start at 1)."""
    return None if value.startswith("BC") else _interval(value, mod)


def _interval(value: str, mod: str | None = None) -> tuple[datetime.date, datetime.date] | None:
    """First and last day a DATE/TIME value covers, narrowed by a START/MID/END modifier; None for
    values that are not on the calendar (PAST_REF, durations, placeholders).

    >>> interval("2019-04")
    (datetime.date(2019, 4, 1), datetime.date(2019, 4, 30))
    >>> interval("2022-SP")
    (datetime.date(2022, 3, 1), datetime.date(2022, 5, 31))
    >>> interval("2025", "END")
    (datetime.date(2025, 9, 1), datetime.date(2025, 12, 31))
    >>> interval("PAST_REF") is None
    True
    """
    if value.startswith("BC") and value[2:6].isdigit():
        value = f"{BC_OFFSET - int(value[2:6]):04d}{value[6:]}"
    span = _plain_interval(value.split("T")[0] if "T" in value[4:] else value)
    if span is None or mod not in ("START", "MID", "END"):
        return span
    first, last = span
    third = (last - first).days // 3
    if third == 0:
        return span
    if mod == "START":
        return first, first + datetime.timedelta(days=third)
    if mod == "END":
        return last - datetime.timedelta(days=third), last
    return first + datetime.timedelta(days=third), last - datetime.timedelta(days=third)


def _plain_interval(value: str) -> tuple[datetime.date, datetime.date] | None:
    parts = value.split("-")
    try:
        if len(parts[0]) == 2 and parts[0].isdigit() and len(parts) == 1:  # century "19"
            return datetime.date(int(parts[0]) * 100, 1, 1), datetime.date(int(parts[0]) * 100 + 99, 12, 31)
        if len(parts[0]) == 3 and parts[0].isdigit() and len(parts) == 1:  # decade "199"
            return datetime.date(int(parts[0]) * 10, 1, 1), datetime.date(int(parts[0]) * 10 + 9, 12, 31)
        if len(parts[0]) != 4 or not parts[0].isdigit():
            return None
        year = int(parts[0])
        if len(parts) == 1:
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        second = parts[1]
        if second in SEASON_MONTHS:
            first_month, last_month = SEASON_MONTHS[second]
            end_year = year + 1 if last_month < first_month else year
            return datetime.date(year, first_month, 1), _month_end(end_year, last_month)
        if second.startswith("Q"):
            quarter = int(second[1:])
            return datetime.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
        if second.startswith("W"):
            monday = datetime.date.fromisocalendar(year, int(second[1:]), 1)
            if len(parts) == 3 and parts[2] == "WE":
                return monday + datetime.timedelta(days=5), monday + datetime.timedelta(days=6)
            return monday, monday + datetime.timedelta(days=6)
        month = int(second)
        if len(parts) == 2:
            return datetime.date(year, month, 1), _month_end(year, month)
        day = datetime.date(year, month, int(parts[2]))
        return day, day
    except ValueError:
        return None


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 1) + relativedelta(months=1, days=-1)


# =========================================================================== anchoring


@dataclass(frozen=True)
class _Point:
    """A date the text or the reader gave, and how precisely: what relative expressions count from."""

    day: datetime.date
    unit: str

    def finer_than(self, unit: str) -> bool:
        return _rank(self.unit) >= _rank(unit)


def _rank(unit: str) -> int:
    unit = {"WE": "W", "H": "D", "MIN": "D", "S": "D"}.get(unit, unit)
    return GRANULARITIES.index(unit) if unit in GRANULARITIES else GRANULARITIES.index("D")


def anchor_timexes(timexes: Sequence[Timex], published: datetime.date | None, *,
                   narrative: bool = False) -> list[Timex]:
    """Resolve every pending expression, in text order, without side effects.

    News (``narrative=False``) counts "gestern", "am Dienstag", "vor vier Jahren" from the
    publication date; a narrative counts them from the date the text last gave. In both, "zwei
    Tage später" and "im selben Monat" count from the last date given, and a month without a year
    takes the year of a date given in the sentences just before it (``RECENT_CHARS``).
    """
    reference = _Point(published, "D") if published else None
    last: tuple[_Point, int] | None = None
    section: tuple[_Point, int] | None = None
    anchored: list[Timex] = []
    excursions = _excursions(timexes)
    resume: tuple[_Point, int] | None = None  # where the story was before an excursion
    for index, timex in enumerate(timexes):
        if resume is not None and (timex.new_paragraph or timex.start - last[1] > RECENT_CHARS):
            last, resume = resume, None
        if timex.after_heading and section is not None:
            last = section
        if timex.pending is None:
            done = timex
        elif timex.pending.kind == "vague":
            done = _vague(timex, timex.pending, narrative)
        else:
            borrowed = _range_year(timex, timexes[index + 1]) if index + 1 < len(timexes) else None
            if borrowed is not None:
                done = replace(timex, value=borrowed, anchored=True, pending=None)
            else:
                base = _base(timex.pending, reference, last, timex.start, narrative, timex.attached)
                done = _resolve(timex, base, timex.pending, narrative or base is not reference)
        anchored.append(done)
        point = _point_of(done) if done.sets_time else None
        if point is not None and (not done.aside or last is None or point.day.year == last[0].day.year):
            if index in excursions:
                resume = resume or last
            else:
                resume = None
            last = (point, done.end)
            if done.heading:
                section = last
    return anchored


def _excursions(timexes: Sequence[Timex]) -> set[int]:
    """Indexes of dates the story only glances at: a lone year among the years the text states
    ("1944 ... 1370 Landungsboote ... 1945", "1915 ... Wiederaufnahme im April 1917 ... 1915") that
    lies further from both neighbours than they lie from each other. What follows closely counts
    from it ("In 1987 ... Two years later"); after its paragraph the story is back where it was.
    """
    stated = []  # (index, year) of each date the text gives with its year, in text order
    for index, timex in enumerate(timexes):
        point = _point_of(timex) if timex.pending is None and timex.sets_time and not timex.aside else None
        if point is not None and point.finer_than("Y"):
            stated.append((index, point.day.year))
    excursions = set()
    for (_, before), (index, year), (_, after) in zip(stated, stated[1:], stated[2:]):
        spread = abs(before - after)
        if abs(year - before) > spread and abs(year - after) > spread:
            excursions.add(index)
    return excursions


def _range_year(timex: Timex, following: Timex) -> str | None:
    """The value of a yearless date that starts a range or pair whose other end gives the year
    ("vom 20. Februar bis zum 10. März 1905"; "Dezember bis Februar 1941" starts in 1940)."""
    if timex.pending is None or timex.pending.kind != "partial" or not following.closes_range \
            or following.pending is not None:
        return None
    end = _point_of(following)
    if end is None or not end.finer_than("Y"):
        return None
    fields = dict(timex.pending.fields)
    for year in (end.day.year, end.day.year - 1):
        value = format_fields({**fields, "year": year})
        span = interval(value)
        if span is not None and span[0] <= end.day:
            return value
    return None


def _base(pending: Pending, reference: _Point | None, last: tuple[_Point, int] | None, offset: int,
          narrative: bool, attached: bool = False) -> _Point | None:
    """What a pending expression counts from (see :func:`anchor_timexes`)."""
    last_point = last[0] if last else None
    if pending.kind in ("later", "same") or narrative:
        return last_point or reference
    if attached and pending.kind == "day" and not pending.amount and last_point and last_point.finer_than("D"):
        return last_point  # "am 12. September um 14 Uhr"
    if pending.kind == "partial" and last and reference and offset - last[1] <= RECENT_CHARS \
            and last_point.day.year != reference.day.year and last_point.finer_than("M"):
        return last_point
    return reference


def _point_of(timex: Timex) -> _Point | None:
    """The date a finished DATE/TIME value gives, for later expressions to count from."""
    if timex.type not in ("DATE", "TIME") or not timex.anchored:
        return None
    value = timex.value
    span = _interval(value)
    if span is None:
        return None
    head = value.split("T")[0].removeprefix("BC")
    parts = head.split("-")
    if len(parts[0]) != 4:
        return None
    unit = "Y"
    if len(parts) >= 2:
        unit = {"Q": "Q", "W": "W"}.get(parts[1][:1], "SE" if parts[1] in SEASON_MONTHS else "M")
    if len(parts) >= 3 and parts[2].isdigit():
        unit = "D"
    return _Point(span[0], unit)


def _resolve(timex: Timex, base: _Point | None, pending: Pending, narrative: bool) -> Timex:
    if base is None:
        return replace(timex, value=_placeholder(pending), anchored=False)
    resolver = {"partial": _partial, "shift": _shift, "later": _shift, "this": _this, "same": _same,
                "day": _day, "weekday": _weekday}[pending.kind]
    value = resolver(pending, base, narrative)
    if value is None:
        return replace(timex, value=_placeholder(pending), anchored=False)
    return replace(timex, value=value, anchored=True, pending=None)


def _vague(timex: Timex, pending: Pending, narrative: bool) -> Timex:
    """"in den kommenden Tagen": the future as seen from the publication date (FUTURE_REF). In a
    narrative the coming or present days are the story's, not the reader's: some days (PXD)."""
    if narrative and (pending.amount or 0) >= 0:
        return replace(timex, type="DURATION", value=duration_value(None, pending.unit), pending=None,
                       anchored=True)
    value = ("PAST_REF", "PRESENT_REF", "FUTURE_REF")[(pending.amount or 0) + 1]
    return replace(timex, value=value, pending=None, anchored=True)


def _placeholder(pending: Pending) -> str:
    """A TIMEX3 value that says as much as the text does without an anchor."""
    fields = dict(pending.fields)
    if pending.kind == "partial":
        return format_fields(fields)
    if pending.kind == "weekday":
        return f"XXXX-WXX-{fields['weekday']}" + _time_suffix(fields)
    if pending.kind == "day":
        return "XXXX-XX-XX" + _time_suffix(fields)
    if pending.unit in ("Y", "Q", "M", "W", "WE", "D"):
        return {"Y": "XXXX", "Q": "XXXX-QX", "M": "XXXX-XX", "W": "XXXX-WXX", "WE": "XXXX-WXX-WE",
                "D": "XXXX-XX-XX"}[pending.unit]
    amount = pending.sign if pending.amount is None else pending.amount
    return "PAST_REF" if amount < 0 else "FUTURE_REF" if amount > 0 else "PRESENT_REF"


def _shift(pending: Pending, base: _Point, narrative: bool) -> str | None:
    """"vor vier Jahren" at the unit's granularity (2019); "zwei Wochen später" at the granularity
    of the date it counts from (a day stays a day); "im März des folgenden Jahres" with its month."""
    if pending.amount is None:
        return None
    fields = dict(pending.fields)
    unit = pending.unit
    day = base.day + _step(unit, pending.amount)
    if any(name in fields for name in ("month", "season", "quarter", "week")):
        return format_fields({**fields, "year": day.year})
    granularity = unit
    if pending.kind == "later" and not pending.period and _rank(unit) > _rank("Y"):
        granularity = base.unit  # "drei Monate später" after a day is a day
    if not base.finer_than(granularity):
        granularity = base.unit  # never more precise than what it counts from
    return format_date(day, granularity) + _time_suffix(fields)


def _this(pending: Pending, base: _Point, narrative: bool) -> str | None:
    if not base.finer_than(pending.unit):
        return None
    if pending.unit == "WE" and pending.amount:  # the coming weekend may be this week's
        saturday = base.day + datetime.timedelta(days=(6 - base.day.isoweekday()) % 7)
        if pending.amount < 0:
            saturday -= datetime.timedelta(days=7)
        return format_date(saturday, "WE")
    return format_date(base.day + _step(pending.unit, pending.amount or 0), pending.unit)


def _same(pending: Pending, base: _Point, narrative: bool) -> str | None:
    fields = dict(pending.fields)
    if "month" in fields:  # "8. Mai desselben Jahres": the fields, in the base's year
        return format_fields({**fields, "year": base.day.year})
    unit = pending.unit if base.finer_than(pending.unit) else base.unit
    return format_date(base.day, unit) + (_time_suffix(fields) if unit == "D" else "")


def _day(pending: Pending, base: _Point, narrative: bool) -> str | None:
    if narrative and pending.amount == 0 and not pending.fields:
        return "PRESENT_REF"  # "heute" in a narrative is nowadays, not the day the story is at
    if not base.finer_than("D"):
        return None
    return (base.day + datetime.timedelta(days=pending.amount or 0)).isoformat() + _time_suffix(dict(pending.fields))


def _weekday(pending: Pending, base: _Point, narrative: bool) -> str | None:
    if not base.finer_than("D"):
        return None
    fields = dict(pending.fields)
    weekday = int(fields["weekday"])
    back = (base.day.isoweekday() - weekday) % 7
    forward = (weekday - base.day.isoweekday()) % 7
    direction = pending.amount or 0
    if direction < 0:
        offset = -(back or 7)
    elif direction > 0:
        offset = forward or 7
    elif pending.tense == "past" and not narrative:
        offset = -back
    elif pending.tense == "future" and not narrative:
        offset = forward
    else:
        offset = -back if back <= forward else forward
    return (base.day + datetime.timedelta(days=offset + int(fields.get("shift", 0)))).isoformat() \
        + _time_suffix(fields)


def _partial(pending: Pending, base: _Point, from_text: bool) -> str | None:
    """A month, day, season, quarter or week without its year: the year that fits.

    Counting from a date the text gave (``from_text``), that date's year (moving to the next year
    when the month lies far behind measured worse on WikiWarsDE: stories also go back). From the
    publication date, the tense decides: past takes the latest occurrence that has begun by then,
    future the first that has not ended; without a tense, the publication year (as HeidelTime).
    """
    fields = dict(pending.fields)
    if from_text or pending.tense in (None, "this"):
        return format_fields({**fields, "year": base.day.year})
    candidates = []
    for year in (base.day.year - 1, base.day.year, base.day.year + 1):
        value = format_fields({**fields, "year": year})
        span = interval(value)
        if span is not None:
            candidates.append((span, value))
    if pending.tense == "past":
        fitting = [c for c in candidates if c[0][0] <= base.day]
        return max(fitting)[1] if fitting else format_fields({**fields, "year": base.day.year})
    fitting = [c for c in candidates if c[0][1] >= base.day]
    return min(fitting)[1] if fitting else format_fields({**fields, "year": base.day.year})


# =========================================================================== together


def tag_text(text: str, language: str, published: datetime.date | None = None, *,
             narrative: bool = False, sentences: Sequence[tuple[int, int]] | None = None) -> list[Timex]:
    """Find and anchor every temporal expression of ``text`` (in text order).

    ``narrative``: relative expressions anchor on the date the text last gave (history, Wikipedia)
    rather than on the publication date (news).
    """
    if sentences is None:
        from geo.read.document import split_sentences
        sentences = split_sentences(text, language)
    return anchor_timexes(find_timexes(text, language, sentences), published, narrative=narrative)


def events_of(text: str, timexes: Sequence[Timex], sentences: Sequence[tuple[int, int]],
              places: Sequence[Place]) -> tuple[Event, ...]:
    """Every DATE and TIME as an event with its interval and the places of its clause, in timeline
    order. Durations and sets are not points in time and stay off the timeline."""
    mentions = sorted((m.start, place.id) for place in places for m in place.mentions)
    events = []
    for timex in timexes:
        if timex.type not in ("DATE", "TIME"):
            continue
        low, high = _sentence_bounds(timex.start, len(text), sentences)
        span = interval(timex.value, timex.mod) if timex.anchored else None
        dated = [t for t in timexes if t.type in ("DATE", "TIME") and low <= t.start < high and t.anchored
                 and interval(t.value)] if span else []
        ids = _places_near(text, timex, dated, mentions, low, high)
        start = timex.phrase_start if timex.phrase_start is not None else timex.start
        events.append(Event(
            text=text[start:timex.end], start_char=start, end_char=timex.end, value=timex.value,
            start=span[0].isoformat() if span else None, end=span[1].isoformat() if span else None,
            sentence=text[low:high], places=ids, type=timex.type, mod=timex.mod,
        ))
    return timeline_order(events)


def _places_near(text: str, timex: Timex, dated: list[Timex], mentions: list[tuple[int, str]],
                 low: int, high: int) -> tuple[str, ...]:
    """Places of the sentence; where the sentence gives several calendar dates (``dated``), those of
    the timex's clause (a place in a clause without a date goes with the nearest date before it,
    else after). A vague reference ("damals") shares the places of its whole sentence."""
    in_sentence = [(start, place_id) for start, place_id in mentions if low <= start < high]
    if len(dated) > 1:
        clauses = _clause_starts(text, low, high)
        owner = {}
        for start, place_id in in_sentence:
            owner[start] = _owner(start, dated, clauses)
        in_sentence = [(start, pid) for start, pid in in_sentence if owner[start] is timex]
    return tuple(dict.fromkeys(place_id for _, place_id in in_sentence))


def _clause_starts(text: str, low: int, high: int) -> list[int]:
    return [low] + [m.end() for m in _CLAUSE_BREAK.finditer(text, low, high)]


def _owner(offset: int, dated: list[Timex], clauses: list[int]) -> Timex:
    clause = bisect.bisect_right(clauses, offset) - 1
    same = [t for t in dated if bisect.bisect_right(clauses, t.start) - 1 == clause]
    if same:
        return min(same, key=lambda t: abs(t.start - offset))
    before = [t for t in dated if t.start < offset]
    return before[-1] if before else dated[0]


def unanchored_warning(timexes: Sequence[Timex], published: datetime.date | None) -> str | None:
    """The message for relative dates left unanchored, or None."""
    left = [t.text for t in timexes if not t.anchored]
    if not left:
        return None
    why = "the article gives no publication date (set one with --published)" if published is None \
        else "nothing in the text to count from"
    shown = ", ".join(f"“{text}”" for text in left[:5]) + (" ..." if len(left) > 5 else "")
    return f"{len(left)} relative date(s) not placed on the calendar, because {why}: {shown}"


def timeline_order(events: Sequence[Event]) -> tuple[Event, ...]:
    """Dated events by their start (then end, then position); undated ones after, in text order."""
    return tuple(sorted(events, key=lambda e: (e.start is None, e.start or "", e.end or "", e.start_char)))
