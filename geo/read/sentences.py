"""Sentence boundaries: (start, end) spans of the text, from line breaks, punctuation and a
language's abbreviations; and what a Story quotes of a sentence (:class:`Quotes`).

Why spans, not strings: every later stage keeps offsets into ``Document.text``. Language knowledge
(abbreviations, whether "12." is an ordinal) lives in ``data/<lang>/abbreviations.txt``, loaded by
:mod:`geo.lang.rulefiles`; this module only knows the shapes of sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from geo.lang.registry import cached_per_language
from geo.lang.rulefiles import Abbreviations, load_abbreviations

__all__ = ["QUOTE_STEP", "QUOTE_WHOLE_CHARS", "Quotes", "split_sentences"]

_BREAK_CHARS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_LINE = re.compile(f"[^{_BREAK_CHARS}]+")
_BREAK = re.compile(f"\r\n|[{_BREAK_CHARS}]")
_OPENERS = "\"'„“”‚‘’»«([{¿¡"
_QUOTES = "\"'”’“»«"
_CLOSERS = _QUOTES + ")]}"
_TERMINATOR = re.compile(r"(?P<punct>[.!?…]+)(?P<close>[" + re.escape(_CLOSERS) + r"]*)(?=\s|\Z)")
_MARKER_LINE = re.compile(r"[-*•–—+#>]|\d{1,3}[.)]\s")
_MIN_WRAP, _MAX_WRAP = 40, 120  # widths (characters) at which plain text is plausibly hard-wrapped


QUOTE_WHOLE_CHARS = 2_000
"""The longest sentence a Story quotes whole (an event's, a leg's, a claim's, a place's sentence)."""
QUOTE_STEP = 200
"""Of a longer sentence (a list, a transcript without punctuation) a Story quotes the stretch around
the mention: the mention's block of QUOTE_STEP characters and QUOTE_STEP on either side."""
QUOTE_CUT_REACH = 40  # an excerpt's ends move up to this far to fall between words


class Quotes:
    """What a Story quotes of the sentence around an offset: the sentence, or of one longer than
    QUOTE_WHOLE_CHARS an excerpt ("… words around it …") that is the same for every offset of the
    same block. So a Story's quotes grow with the text, not with its mentions times the length of
    their sentence, and each distinct quote is one string however many mentions share it."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._quoted: dict[tuple[int, int], str] = {}

    def __call__(self, sentence: tuple[int, int], offset: int) -> str:
        """The quote of ``sentence`` (start, end) for a mention at ``offset``."""
        span = self._span(sentence, offset)
        if span not in self._quoted:
            self._quoted[span] = self._excerpt(span, sentence)
        return self._quoted[span]

    @staticmethod
    def _span(sentence: tuple[int, int], offset: int) -> tuple[int, int]:
        start, end = sentence
        if end - start <= QUOTE_WHOLE_CHARS:
            return sentence
        block = start + max(0, offset - start) // QUOTE_STEP * QUOTE_STEP
        low = max(start, min(block - QUOTE_STEP, end - 3 * QUOTE_STEP))
        return low, low + 3 * QUOTE_STEP

    def _excerpt(self, span: tuple[int, int], sentence: tuple[int, int]) -> str:
        low, high = span
        if span == sentence:
            return self._text[low:high]
        text = self._text
        if low > sentence[0]:
            space = text.find(" ", low, low + QUOTE_CUT_REACH)
            low = space + 1 if space >= 0 else low
        if high < sentence[1]:
            space = text.rfind(" ", high - QUOTE_CUT_REACH, high)
            high = space if space >= 0 else high
        opening = "… " if low > sentence[0] else ""
        closing = " …" if high < sentence[1] else ""
        return opening + text[low:high].strip() + closing


def split_sentences(text: str, language: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence, in order, each without surrounding whitespace.

    Paragraphs (blank lines) and separate lines (headlines, list items) always split; lines of a
    hard-wrapped paragraph are joined. Inside, . ! ? (and closing quotes or brackets) split before
    a capitalised word, a digit or an opening quote, unless the period belongs to an abbreviation,
    an initial, an ordinal or a date; abbreviations come from data/<lang>/abbreviations.txt.
    """
    rules = _abbreviation_rules(language)
    spans: list[tuple[int, int]] = []
    for start, end in _segments(text):
        spans.extend(_split_segment(text, start, end, rules))
    return tuple(spans)


def _segments(text: str) -> Iterator[tuple[int, int]]:
    """Stripped spans of text between hard line breaks."""
    block: list[tuple[int, int]] = []
    previous_end = 0
    for match in _LINE.finditer(text):
        start, end = _strip(text, match.start(), match.end())
        if start == end:
            continue
        if block and len(_BREAK.findall(text, previous_end, start)) > 1:
            yield from _block_segments(text, block)
            block = []
        block.append((start, end))
        previous_end = end
    yield from _block_segments(text, block)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _block_segments(text: str, lines: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Lines of one paragraph, joined where the paragraph looks hard-wrapped."""
    if not lines:
        return
    width = max(end - start for start, end in lines)
    segment_start = lines[0][0]
    for line, following in zip(lines, lines[1:]):
        if not _is_wrapped(text, line, following, width, len(lines)):
            yield segment_start, line[1]
            segment_start = following[0]
    yield segment_start, lines[-1][1]


def _is_wrapped(text: str, line: tuple[int, int], following: tuple[int, int], width: int, count: int) -> bool:
    """True if the break after ``line`` only wraps a long paragraph (the next word did not fit)."""
    if not _MIN_WRAP <= width <= _MAX_WRAP or _MARKER_LINE.match(text, following[0]):
        return False
    next_word = re.match(r"\S+", text[following[0] : following[1]])
    if (line[1] - line[0]) + 1 + len(next_word[0] if next_word else "") <= width:
        return False
    return count >= 3 or text[following[0]].islower() or text[line[1] - 1] in ",;-–"


def _split_segment(text: str, start: int, end: int, rules: _Rules) -> Iterator[tuple[int, int]]:
    sentence_start = start
    digits_end = _digits_end(text, sentence_start, end)
    for match in _TERMINATOR.finditer(text, start, end):
        if match.start() > sentence_start and _is_boundary(text, match, digits_end, end, rules):
            yield sentence_start, match.end()
            sentence_start = _skip_space(text, match.end(), end)
            digits_end = _digits_end(text, sentence_start, end)
    if sentence_start < end:
        yield sentence_start, end


def _digits_end(text: str, position: int, end: int) -> int:
    """Where the run of digits at ``position`` ends (``position`` itself if there is none): found
    once per sentence, not once per period in it (thousands of "3." in one sentence)."""
    while position < end and text[position].isdigit():
        position += 1
    return position


def _skip_space(text: str, position: int, end: int) -> int:
    while position < end and text[position].isspace():
        position += 1
    return position


def _is_boundary(text: str, match: re.Match[str], digits_end: int, end: int, rules: _Rules) -> bool:
    """Does the sentence end at this run of terminal punctuation? ``digits_end``: where the digits
    that open the sentence end."""
    if match.start() <= digits_end:
        return False  # "1." or "12." opening a sentence numbers a list item or is an ordinal
    following = _skip_space(text, match.end(), end)
    if following >= end:
        return True
    if text[match.start() - 1] in _OPENERS or not _starts_sentence(text, following, end):
        return False
    punct, close = match["punct"], match["close"]
    if "!" in punct or "?" in punct:
        return True
    if punct != ".":  # an ellipsis ends a sentence only where a quotation or bracket closes after it
        return bool(close)
    if close[:1] in _QUOTES and close:
        return True
    return not _period_continues(text, match.start(), following, rules)


def _starts_sentence(text: str, position: int, end: int) -> bool:
    """Capitalised (or caseless) letter or a digit, possibly after opening quotes or brackets."""
    while position < end - 1 and text[position] in _OPENERS:
        position += 1
    char = text[position]
    return char.isdigit() or (char.isalpha() and not char.islower())


_TOKEN_BEFORE = re.compile(r"[^\s" + re.escape(_OPENERS) + r"]*\Z")
_DOTTED_LETTERS = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")


def _period_continues(text: str, period: int, following: int, rules: _Rules) -> bool:
    """True if the period at ``period`` belongs to an abbreviation, initial, ordinal or date."""
    token = _TOKEN_BEFORE.search(text, max(0, period - 40), period)[0]
    if token[-1:].isdigit():
        return text[following].isdigit() or _is_ordinal(text, period - len(token), token, rules)
    if rules.abbreviation_end(text, period - len(token)) > period + 1:
        return True  # an inner period: "z." of "z. B."
    kind = rules.abbreviation_before(text, period + 1)
    if kind is not None:  # even "Art." (may end a sentence) continues in "Art. 3"
        return kind == "never" or text[following].isdigit()
    if len(token) == 1 and token.isalpha() and token.isupper():
        return True  # an initial: "George W. Bush"
    return _DOTTED_LETTERS.fullmatch(token) is not None  # "U.S", "e.g"


def _is_ordinal(text: str, token_start: int, token: str, rules: _Rules) -> bool:
    """A 1-3 digit number with a period, where the language has such ordinals.

    Not after an abbreviation: the 12 in "Nr. 12." is a cardinal that may end the sentence.
    """
    if not (rules.ordinals and token.isdigit() and len(token) <= 3):
        return False
    before = token_start
    while before > 0 and text[before - 1].isspace():
        before -= 1
    return before == token_start or rules.abbreviation_before(text, before) is None


@dataclass(frozen=True)
class _Rules:
    """Compiled abbreviation knowledge of one language."""

    pattern: re.Pattern[str] | None  # an abbreviation ending at endpos
    forward: re.Pattern[str] | None  # an abbreviation starting at pos
    longest: int
    ordinals: bool

    def abbreviation_end(self, text: str, start: int) -> int:
        """End of the longest abbreviation starting at ``start`` (-1 if none)."""
        match = self.forward.match(text, start) if self.forward is not None else None
        return match.end() if match is not None else -1

    def abbreviation_before(self, text: str, end: int) -> str | None:
        """'never' or 'may' if an abbreviation ends exactly at ``end``, else None."""
        if self.pattern is None:
            return None
        match = self.pattern.search(text, max(0, end - self.longest - 1), end)
        if match is None:
            return None
        return "may" if match["may"] is not None else "never"


@cached_per_language
def _abbreviation_rules(language: str) -> _Rules:
    """Compile the language's abbreviations (``abbreviations.txt``, through the registry) once."""
    return _compile_rules(load_abbreviations(language))


def _compile_rules(abbreviations: Abbreviations) -> _Rules:
    never = _with_capitals(abbreviations.never_end)
    may = _with_capitals(abbreviations.may_end) - never
    if not never and not may:
        return _Rules(None, None, 0, abbreviations.ordinals)
    before = r"(?<![^\s" + re.escape(_OPENERS + "/–—-") + r"])"
    body = f"(?P<may>{_alternation(may) or '(?!)'})|(?P<never>{_alternation(never) or '(?!)'})"
    longest = max(len(a) for a in never | may)
    forward = re.compile(f"(?:{_alternation(never | may)})")
    return _Rules(re.compile(f"{before}(?:{body})\\Z"), forward, longest, abbreviations.ordinals)


def _with_capitals(abbreviations: frozenset[str]) -> frozenset[str]:
    """Each abbreviation plus its capitalised form (it may open a sentence)."""
    return frozenset(abbreviations) | {a[0].upper() + a[1:] for a in abbreviations if a[0].islower()}


def _alternation(abbreviations: frozenset[str]) -> str:
    """Longest first; the space after each inner period is optional ("z. B." == "z.B.")."""

    def piece(abbreviation: str) -> str:
        parts = re.split(r"(?<=\.)\s*", abbreviation.strip())
        return r"\s?".join(re.escape(part) for part in parts if part)

    return "|".join(piece(a) for a in sorted(abbreviations, key=lambda a: (-len(a), a)))
