"""Extraction: every temporal expression of a text found as a TIMEX3 span, not yet anchored.

Extract first, anchor second (as HeidelTime does). :func:`find_timexes` tries the patterns of
``data/<lang>/timex.txt`` (see :mod:`geo.timeline.grammar`) and turns each match, through its
recipe (:mod:`geo.timeline.recipes`), into a span with a TIMEX3 type and either a finished value
("2019-04", "P3D", "PAST_REF") or a :class:`~geo.timeline.recipes.Pending` recipe ("vor vier
Jahren": four years before the reference), which :mod:`geo.timeline.anchoring` resolves. It also
marks what anchoring needs to know of the layout: governing prepositions, the tense of the clause,
headings, paragraphs, asides and ranges.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import compress, repeat

import regex

from geo.lang.registry import cached_per_language
from geo.timeline.grammar import Grammar, Rule, grammar_for
from geo.timeline.recipes import RECIPES, Pending
from geo.timeline.starts import Walk
from geo.timeline.templates import SENTENCE_START

__all__ = ["Timex", "clause_starts", "find_timexes", "sentence_bounds"]

MATCH_WINDOW = 400  # no temporal expression (with its look-ahead) is longer
_MERIDIEM_HOURS = {"am_hour": 0, "pm_hour": 12}  # a 12-hour clock group -> hours to add
_WORD = regex.compile(r"\w+")
_CLAUSE_BREAK = regex.compile(r"[;:–—(]|,\s|\s-\s")
CUES_KEPT = 65536


@dataclass(frozen=True)
class Timex:
    """One temporal expression: its exact TIMEX3 extent, type, value and modifier.

    ``start``/``end`` follow TimeML: a governing preposition ("im", "seit", "on") is not part of
    the extent; ``phrase_start`` is where the phrase with that preposition starts (the timeline
    shows "seit 2019", which means something else than "2019").
    ``anchored`` is False for a relative expression that had nothing to anchor on; its ``value``
    is then a placeholder such as ``XXXX-08`` or ``PAST_REF``. ``off_calendar``: unanchored because
    counting from its anchor leaves the calendar (:func:`~geo.timeline.values.shifted`).
    ``sets_time`` is False for a date that later expressions should not count from: one in
    parentheses, a bare year that names something ("Krieg 1870"), or a step back ("ein Jahr
    zuvor", "im vorigen Jahr"). ``aside``: after "bis", "seit", "vom"; such a date moves the story
    only within its year ("vom 11. bis 15. September" does, "der Plan vom 8. Dezember 1912" does
    not). The layout flags below are set by :func:`find_timexes` for
    :func:`~geo.timeline.anchoring.anchor_timexes`.
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
    rule: str = ""  # the pattern that found it (data/<lang>/timex.txt), for error analysis
    sets_time: bool = True
    aside: bool = False
    heading: bool = False  # the whole of a heading line ("1862"): it dates its section
    after_heading: bool = False  # a heading stands between this and the expression before it
    new_paragraph: bool = False  # a blank line stands between this and the expression before it
    attached: bool = False  # only its preposition or a comma stands between this and the one before
    closes_range: bool = False  # a range word ("bis", "und", "auf den") joins it to the one before
    off_calendar: bool = False
    language: str = ""  # the code of the rule file that found it: the language of its label


@dataclass
class _Seen:
    """What the tagger learnt about the words of one grammar, kept from text to text (news repeats
    its words) and out of the frozen :class:`Grammar`: each word's walk of the start index (see
    :meth:`~geo.timeline.starts.StartIndex.positions`) and the tense it is a cue of ("future" or
    "past", whether only the cue pattern says so) or None (bounded: cleared at CUES_KEPT words);
    and every word its rules require, so that a text is searched once for each (a dozen rules
    require "year", "the" or "later")."""

    required: frozenset[str]  # see Rule.required
    walks: dict[str, Walk] = field(default_factory=dict)
    tenses: dict[str, tuple[str, bool] | None] = field(default_factory=dict)


@cached_per_language
def _seen(language: str) -> _Seen:
    """The words seen with the grammar of ``language`` (the code of its rule file:
    ``grammar_for(code).language``), cleared with the grammars when the data roots change."""
    return _Seen(frozenset(word for rule in grammar_for(language).rules for word in rule.required))


def find_timexes(text: str, language: str, sentences: Sequence[tuple[int, int]] | None = None) -> list[Timex]:
    """Every temporal expression of ``text``, in text order, not yet anchored.

    Overlapping matches: the longer wins, then the earlier pattern of the rule file.
    """
    grammar = grammar_for(language)
    seen = _seen(grammar.language)
    lowered = text.lower()
    present = {word for word in seen.required if word in lowered}  # each word looked for once
    words = _Words(text)
    starts = _Starts(words, grammar, seen.walks)
    matches = []
    for order, rule in enumerate(grammar.rules):
        if rule.required and present.isdisjoint(rule.required):
            continue  # "Quartal" is nowhere in the text: no quarter to find
        for match in _rule_matches(rule, text, starts):
            start, end = match.span("t") if "t" in rule.pattern.groupindex and match["t"] else match.span()
            if end > start:
                matches.append((-(end - start), order, start, end, rule, match))
    taken = bytearray(len(text))
    facts = _SentenceFacts(text, grammar, sentences, seen.tenses, words)
    found: list[Timex] = []
    for _, _, start, end, rule, match in sorted(matches, key=lambda m: (m[0], m[1], m[2])):
        if any(taken[start:end]):
            continue
        timex = _timex(text, grammar, rule, match, start, end, facts)
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
        if (index == 0 or not lines[index - 1][1].strip()) and (
            index + 1 == len(lines) or not lines[index + 1][1].strip()
        ):
            start = offset + len(line) - len(line.lstrip())
            found.append((start, start + len(stripped)))
    return found


def _mark_layout(text: str, found: list[Timex], range_links: frozenset[str]) -> list[Timex]:
    """Mark headings (a paragraph of one short line without final punctuation), paragraph breaks and
    expressions attached to the one before: a heading that is a date dates its section, after any
    heading a story returns to its section's date, a new paragraph ends an excursion (see
    :mod:`geo.timeline.anchoring`), and an attached clock time is on the day just given ("am 1.
    September 1939 um 4.45 Uhr": two TIMEX3, since an extent holds no preposition)."""
    headings = _headings(text)
    starts = [start for start, _ in headings]
    marked, previous_end = [], 0
    for timex in found:
        index = bisect.bisect_right(starts, timex.start) - 1
        inside = index >= 0 and headings[index][0] <= timex.start < headings[index][1]
        heading = inside and (timex.start, timex.end) == headings[index]
        after = any(previous_end <= start < timex.start for start in starts[max(index - 1, 0) : index + 1])
        paragraph = previous_end > 0 and _PARAGRAPH_BREAK.search(text, previous_end, timex.start) is not None
        phrase_start = timex.start if timex.phrase_start is None else timex.phrase_start
        attached = previous_end > 0 and previous_end <= phrase_start and not text[previous_end:phrase_start].strip(" ,")
        closes_range = previous_end > 0 and " ".join(text[previous_end : timex.start].split()) in range_links
        if heading or after or paragraph or attached or closes_range:
            timex = replace(
                timex,
                heading=heading,
                after_heading=after,
                new_paragraph=paragraph,
                attached=attached,
                closes_range=closes_range,
            )
        marked.append(timex)
        previous_end = timex.end
    return marked


class _Words:
    """The words (``\\w+`` runs) of one text, found on first use and once: the start index reads
    them all, the tense cues those of each sentence with a relative expression."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._all: list[regex.Match] | None = None

    @property
    def all(self) -> list[regex.Match]:
        if self._all is None:
            self._all = list(_WORD.finditer(self.text))
        return self._all

    def between(self, low: int, high: int) -> Sequence[regex.Match]:
        """The words of ``text[low:high]``, as ``_WORD.finditer(text, low, high)`` finds them: a
        word that the bounds cut (never at a sentence's bounds, but a caller may give any) is
        looked for again."""
        words = self.all
        first = bisect.bisect_right(words, low, key=regex.Match.end)
        after = bisect.bisect_right(words, high, key=regex.Match.end)  # the first word ending after high
        if (first < len(words) and words[first].start() < low) or (after < len(words) and words[after].start() < high):
            return list(_WORD.finditer(self.text, low, high))
        return words[first:after]


class _Starts(dict):
    """Where each macro can start a match in the text of ``words`` (see
    :class:`~geo.timeline.starts.StartIndex`), found on first use: a short text whose patterns all
    lack their required words is never scanned. One per text; ``walks`` is the caller's cache of the
    index's walks, kept between texts."""

    def __init__(self, words: _Words, grammar: Grammar, walks: dict[str, Walk]):
        super().__init__()
        self.words, self.grammar, self.walks = words, grammar, walks
        self.text = words.text
        self.tried: dict[tuple[tuple[str, ...], int], tuple[list[int], list[int]]] = {}

    def __missing__(self, macro: str) -> list[int]:
        self.update(self.grammar.starts.positions(self.text, self.walks, self.words.all))
        return self[macro]

    def windows(self, rule: Rule) -> tuple[list[int], list[int]]:
        """Where ``rule`` is tried and how far each try may look, shared by the rules that start
        alike (a dozen start with "the", as many with a number)."""
        return self._windows(rule.first_macros, rule.lead_words, rule.gate)

    def _windows(
        self, first_macros: tuple[str, ...], lead_words: int, gate: regex.Pattern | None
    ) -> tuple[list[int], list[int]]:
        key = (first_macros, lead_words, gate)
        if key not in self.tried:
            if gate is not None:  # where none of the rules of the gate matches, none is tried
                positions, ends = self._windows(first_macros, lead_words, None)
                passed = list(map(gate.compile().match, repeat(self.text), positions, ends))
                self.tried[key] = list(compress(positions, passed)), list(compress(ends, passed))
                return self.tried[key]
            positions = (
                self[first_macros[0]]
                if len(first_macros) == 1
                else sorted(set().union(*(self[macro] for macro in first_macros)))
            )
            if lead_words:
                positions = sorted(set(positions).union(*(_words_before(self.text, p, lead_words) for p in positions)))
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
    if not positions:
        return []  # never compiled: most texts need about half of the rules
    return list(filter(None, map(rule.pattern.compile().match, repeat(text), positions, ends)))


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


def _timex(
    text: str,
    grammar: Grammar,
    rule: Rule,
    match: regex.Match,
    start: int,
    end: int,
    facts: _SentenceFacts,
) -> Timex | None:
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
        tense = "future" if preposition in grammar.future_prepositions else _tense(facts, start, end)
        pending = replace(pending, tense=tense)
    if pending is not None:
        if timex_type == "DATE" and (pending.field("part") or pending.field("hour") is not None):
            timex_type = "TIME"
    elif timex_type == "DATE" and "T" in value and value[:1].isdigit():
        timex_type = "TIME"
    sets_time = _sets_time(text, start, value, pending, facts)
    aside = phrase_start is not None and " ".join(text[phrase_start:start].split()) in grammar.digressions
    return Timex(
        start,
        end,
        text[start:end],
        timex_type,
        value or "",
        mod,
        pending is None,
        phrase_start,
        pending,
        rule.name,
        sets_time,
        aside,
        language=grammar.language,
    )


def _sets_time(text: str, start: int, value: str | None, pending: Pending | None, facts: _SentenceFacts) -> bool:
    """Whether a narrative moves to this date (see :attr:`Timex.sets_time`)."""
    low, _ = facts.bounds(start)
    if facts.open_brackets(low, start) > 0:
        return False
    if pending is not None and pending.kind in ("shift", "later", "this") and (pending.amount or pending.sign) < 0:
        return False
    if not text[start : start + 4].isdigit() or not value or len(value) != 4:
        return True
    last_word, earlier_word = _last_words(text, low, start)  # a bare year right after a capitalised
    return not earlier_word or not last_word[:1].isupper()  # word names it, unless that word is first


def _last_words(text: str, low: int, end: int) -> tuple[str, bool]:
    """The last word of ``text[low:end]`` (split at white space; "" if none) and whether another
    word stands before it: looked for from the end, so a long sentence is not read for each year."""
    word_end = end
    while word_end > low and text[word_end - 1].isspace():
        word_end -= 1
    word_start = word_end
    while word_start > low and not text[word_start - 1].isspace():
        word_start -= 1
    return text[word_start:word_end], any(not char.isspace() for char in _backwards(text, low, word_start))


def _backwards(text: str, low: int, end: int):
    """The characters of ``text[low:end]`` from the last to the first, without copying them."""
    return (text[index] for index in range(end - 1, low - 1, -1))


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
    window = text[max(0, start - 20) : start]
    match = grammar.prepositions.search(window)
    return start - len(window) + match.start() if match else None


def _tense(facts: _SentenceFacts, start: int, end: int) -> str | None:
    """Past or future from the cue word nearest the expression in its clause, else in its sentence;
    None if no cue. A word that is a cue of both (German "geplant") counts as future: a plan."""
    low, high = facts.bounds(start)
    clauses = facts.tense_clauses(low, high)
    index = bisect.bisect_right(clauses, start) - 1
    following = bisect.bisect_left(clauses, end, index + 1)
    clause_end = clauses[following] if following < len(clauses) else high
    return facts.nearest_cue(start, end, clauses[index], clause_end) or facts.nearest_cue(start, end, low, high)


class _SentenceFacts:
    """What the expressions of one text ask about their sentence (its bounds, its clauses, its tense
    cue words, its open brackets), each sentence's worked out once: a sentence of a million
    characters with thousands of dates in it is read once, not once per date.
    ``tenses``: the caller's cache of the tense each word is a cue of (see :class:`_Seen`);
    ``words``: the text's words, if the caller has found them."""

    def __init__(
        self,
        text: str,
        grammar: Grammar,
        sentences: Sequence[tuple[int, int]] | None,
        tenses: dict[str, str | None],
        words: _Words | None = None,
    ) -> None:
        self.text, self.grammar, self.sentences, self.tenses = text, grammar, sentences, tenses
        self.words = _Words(text) if words is None else words
        self._clauses: dict[tuple[int, int], list[int]] = {}
        self._tense_clauses: dict[tuple[int, int], list[int]] = {}
        self._cues: dict[tuple[int, int], tuple[list[int], list[tuple[int, int, str]]]] = {}
        self._opening, self._closing = _positions(text, "("), _positions(text, ")")

    def bounds(self, offset: int) -> tuple[int, int]:
        return sentence_bounds(offset, len(self.text), self.sentences)

    def clauses(self, low: int, high: int) -> list[int]:
        if (low, high) not in self._clauses:
            self._clauses[low, high] = clause_starts(self.text, low, high)
        return self._clauses[low, high]

    def tense_clauses(self, low: int, high: int) -> list[int]:
        """Where each clause of the sentence starts, for the tense: after punctuation and after a
        word that opens a clause ("said Thursday that it would": "would" is another clause's)."""
        if (low, high) not in self._tense_clauses:
            openers = self.grammar.clause_openers
            words = [m.end() for m in openers.finditer(self.text, low, high)] if openers is not None else []
            self._tense_clauses[low, high] = sorted(self.clauses(low, high) + words)
        return self._tense_clauses[low, high]

    def open_brackets(self, low: int, offset: int) -> int:
        """How many more "(" than ")" stand in ``text[low:offset]``."""
        return _count_between(self._opening, low, offset) - _count_between(self._closing, low, offset)

    def nearest_cue(self, start: int, end: int, low: int, high: int) -> str | None:
        """The tense of the cue word nearest the expression ``text[start:end]`` among the words
        starting in ``text[low:high]`` (a clause or the sentence of ``start``); the earlier on a tie.
        Cue words are non-overlapping and in order, so the nearest is one of the last two that start
        before the expression (the last may reach into it) or the first that starts after it."""
        starts, cues = self._sentence_cues(*self.bounds(start))
        first, last = bisect.bisect_left(starts, low), bisect.bisect_left(starts, high)
        before = bisect.bisect_left(starts, start, first, last)
        after = bisect.bisect_left(starts, end, before, last)
        best: tuple[int, str] | None = None
        for word_start, word_end, tense in cues[max(first, before - 2) : before] + cues[after : min(after + 1, last)]:
            distance = min(abs(word_start - end), abs(start - word_end))
            if best is None or distance < best[0]:
                best = (distance, tense)
        return best[1] if best else None

    def _sentence_cues(self, low: int, high: int) -> tuple[list[int], list[tuple[int, int, str]]]:
        """(start, end, tense) of every cue word of the sentence ``text[low:high]``, and their starts."""
        if (low, high) not in self._cues:
            if len(self.tenses) > CUES_KEPT:
                self.tenses.clear()
            cues = []
            words = self.words.between(low, high)
            for index, word in enumerate(words):
                token = word[0]
                if token not in self.tenses:
                    self.tenses[token] = _cue_tense(self.grammar, token)
                cue = self.tenses[token]
                if cue is not None and not (cue[1] and self._beside_state_verb(words, index)):
                    cues.append((word.start(), word.end(), cue[0]))
            self._cues[low, high] = ([start for start, _, _ in cues], cues)
        return self._cues[low, high]

    def _beside_state_verb(self, words: Sequence[regex.Match], index: int) -> bool:
        """Is ``words[index]`` a participle that a verb of a state makes an adjective: the verb right
        after it ("geschlossen bleiben") or up to STATE_VERB_REACH words before it in its clause
        ("will stay closed", "bleibt bis Freitagfrüh gesperrt")?"""
        states, word = self.grammar.state_verbs, words[index]
        following = words[index + 1] if index + 1 < len(words) else None
        if following and following[0].casefold() in states and self.text[word.end() : following.start()].isspace():
            return True
        for before in reversed(words[max(0, index - STATE_VERB_REACH) : index]):
            if _CLAUSE_MARK.search(self.text, before.end(), word.start()):
                return False
            if before[0].casefold() in states:
                return True
        return False


STATE_VERB_REACH = 4  # words between a verb of a state and its participle ("bleibt bis Freitag gesperrt")
_CLAUSE_MARK = regex.compile(r"[,;:()\[\]]")


def _positions(text: str, char: str) -> list[int]:
    """Every offset of ``char`` in ``text``, in order."""
    found, at = [], text.find(char)
    while at >= 0:
        found.append(at)
        at = text.find(char, at + 1)
    return found


def _count_between(positions: list[int], low: int, high: int) -> int:
    """How many of the sorted ``positions`` lie in [low, high)."""
    return max(0, bisect.bisect_left(positions, high) - bisect.bisect_left(positions, low))


def _cue_tense(grammar: Grammar, token: str) -> tuple[str, bool] | None:
    """The tense a word is a cue of, and whether only the cue pattern says so (a participle); kept per
    grammar by the caller: the words of a sentence recur."""
    folded = token.casefold()
    for tense, (words, pattern) in (("future", grammar.future_cues), ("past", grammar.past_cues)):
        if folded in words:
            return tense, False  # a cue of both is future
        if pattern is not None and pattern.fullmatch(token):
            return tense, True
    return None


def sentence_bounds(offset: int, length: int, sentences: Sequence[tuple[int, int]] | None) -> tuple[int, int]:
    """(start, end) of the sentence around ``offset``; the whole text without sentences."""
    if not sentences:
        return 0, length
    index = max(bisect.bisect_right(sentences, (offset, length + 1)) - 1, 0)
    return sentences[index]


def clause_starts(text: str, low: int, high: int) -> list[int]:
    """Where each clause of the sentence ``text[low:high]`` starts (after ";", ":", a dash, a comma...)."""
    return [low] + [m.end() for m in _CLAUSE_BREAK.finditer(text, low, high)]
