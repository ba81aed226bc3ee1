"""The words of a text and the n-grams among them that could be place names.

Why this is cheap and wide: recall comes first. Every capitalised word starts a candidate, joined
with the capitalised words (and the rules' connectors: "Halle an der Saale"; the Arabic article:
"Sharm el-Sheikh", "Deir al-Balah", looked up with "el-" too) that follow it, each
also without an abbreviation dot, without a genitive ending ("Russlands" -> "Russland") and with a
leading adjective's other endings ("Schwarzen Meer" -> "Schwarzes Meer"); capitalised parts of a
hyphenated word ("US-Präsident") are candidates too. Recognition looks them all up at once and
then filters by context (:mod:`geo.places.recognition`).
"""

from __future__ import annotations

from functools import lru_cache, partial
from itertools import compress
from typing import NamedTuple

import regex

from geo.lang.registry import language
from geo.places.rules import Rules

MAX_NAME_TOKENS = 6

TOKEN = regex.compile(
    r"\(\p{Lu}[\p{L}\p{M}]*(?:[ .\-][\p{L}\p{M}]+)*\)"  # a parenthesised qualifier: (Oder)
    r"|[\p{L}\p{M}\p{N}]+(?:[.'’\-&][\p{L}\p{M}\p{N}]+)*"  # a word, with inner . ' - &
    r"(?:\.(?=[\s,;:?!)\]\"»«“”„]|$)|['’](?=\s|$))?"
)  # a trailing abbreviation dot or apostrophe


# The Arabic article as transliterations write it, joined by a hyphen to the capitalised word it
# goes with ("Sharm el-Sheikh", "Deir ez-Zor", "Ras al-Khaimah"): such a word goes on a name,
# though it starts in lower case; it never starts one.
ARTICLE_PARTICLE = regex.compile(r"(?:a[dlnrstz]|ash|e[dlnrstz]|u[dlr])-\p{Lu}")
# The article's two common spellings: a name is looked up in the other too ("Deir al-Balah" is
# GeoNames' "Deir el-Balah").
_ARTICLE_SPELLINGS = (" al-", " el-")

# A hyphen and a space inside a name: the hyphen of "Mecklenburg-Vorpommern" at a line's end, the
# line joined again; "⸗" is the Fraktur hyphen of old print ("Heſſen⸗ Naſſau").
BROKEN_HYPHENS = ("- ", "\u2e17 ")


class Token(NamedTuple):
    """A word and its offsets (a tuple: an article has thousands, made afresh for each)."""

    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    """Words with their offsets (abbreviation dots and genitive apostrophes stay on the word)."""
    return list(_tokens(text))


@lru_cache(maxsize=2)
def _tokens(text: str) -> tuple[Token, ...]:
    """:func:`tokenize`, kept for the article at hand: the place names and the demonyms both read
    its words. Tuples made in C (a Token's own constructor is Python, a third of the time), from
    offsets and words read from the matches in C too (a Python loop over them costs a tenth more)."""
    found = list(TOKEN.finditer(text))
    offsets_and_words = zip(map(regex.Match.start, found), map(regex.Match.end, found), map(regex.Match.group, found))
    return tuple(map(_new_token, offsets_and_words))


_new_token = partial(tuple.__new__, Token)


def candidate_spans(text: str, tokens: list[Token], rules: Rules) -> list[tuple[int, int, list[str], bool]]:
    """(start, end, look-up keys, is a hyphen part) for every n-gram that could be a name."""
    capitalised = [word[0].isupper() or word[0] == "(" and word[1:2].isupper() for _s, _e, word in tokens]
    nouns_capitalised = language(rules.language).capitalises_nouns
    spans = []
    for i in compress(range(len(tokens)), capitalised):
        first = tokens[i]
        if first.text.startswith("("):
            spans.append((first.start + 1, first.end - 1, [first.text[1:-1]], False))
            if "-" in first.text:  # "(R-Texas)"
                spans.extend(_hyphen_parts(Token(first.start + 1, first.end - 1, first.text[1:-1])))
            continue
        spans.extend(_span_variants(text, first.start, first, rules))
        for j in range(i + 1, min(i + MAX_NAME_TOKENS, len(tokens))):
            last = tokens[j]
            name_part = capitalised[j] or ARTICLE_PARTICLE.match(last.text) is not None
            if not _joins(text, tokens[j - 1], last, name_part, rules):
                break
            if name_part or last.text.startswith("("):
                spans.extend(_span_variants(text, first.start, last, rules))
                if "-" in last.text:
                    spans.extend(_before_hyphen(text, first, last))
                if "-" in first.text and not nouns_capitalised:  # "US-Bundesstaat Washington": a noun
                    spans.extend(_after_hyphen(text, first, last))
        if "-" in first.text:
            spans.extend(_hyphen_parts(first))
    return spans


def _joins(text: str, previous: Token, token: Token, capitalised: bool, rules: Rules) -> bool:
    """May ``token`` (``capitalised``: it starts a name) continue a name that ``previous`` is part of?"""
    gap = text[previous.end : token.start]
    if gap in BROKEN_HYPHENS:  # "Mecklenburg- Vorpommern": a hyphenated name broken at a line's end, then joined
        return capitalised
    if gap != " ":
        return False
    return capitalised or token.text.casefold() in rules.connectors


def _span_variants(text: str, start: int, last: Token, rules: Rules) -> list[tuple[int, int, list[str], bool]]:
    """The n-gram as written, without an abbreviation dot, and without a genitive ending (as
    :func:`candidate_spans` gives them: no hyphen part). A name broken after its hyphen
    ("Mecklenburg- Vorpommern") is looked up as written whole; its spans keep the text's offsets."""
    surface = text[start : last.end]
    offset = start  # where the name's text would start if it were written whole: ends are counted from it
    for broken in BROKEN_HYPHENS:
        if broken in surface:
            offset += surface.count(broken)
            surface = surface.replace(broken, "-")
    variants = [(start, last.end, [surface, *_other_article_spelling(surface)], False)]
    if surface.endswith("."):
        variants.append((start, last.end - 1, [surface[:-1]], False))
        surface = surface[:-1]
    folded = surface.casefold()
    stripped = (
        [
            surface[: -len(suffix)]
            for suffix in rules.genitive_suffixes
            if folded.endswith(suffix) and len(surface) - len(suffix) >= 3
        ]
        if folded.endswith(rules.genitive_suffixes)
        else []
    )
    for base in stripped:
        # An apostrophe clitic is grammar, not name ("China's" -> "China"); a fused ending is
        # part of the word and of the mention ("Russlands").
        end = offset + len(base) if surface[len(base)] in "'’" else offset + len(surface)
        variants.append((start, end, [base], False))
    # Each n-gram is asked only what its language's rules can answer (English declines no adjective).
    if rules.adjective_endings and " " in surface:
        # "Schwarzen Meer", and in the genitive "des Schwarzen Meeres" (the noun's ending fused)
        fused = [base for base in stripped if base[-1:].isalpha() and surface[len(base)] not in "'’"]
        declined = [name for form in [surface, *fused] for name in _adjective_variants(form, rules.adjective_endings)]
        if declined:
            variants.append((start, offset + len(surface), declined, False))
    plural = rules.plural_datives.get(folded)
    if plural:  # "den Niederlanden"
        variants.append((start, offset + len(surface), [plural], False))
    modern = _modern_spelling(surface, rules.historic_spellings) if rules.historic_spellings else None
    if modern:  # "Oesterreich", "Jtalien"
        variants.append((start, offset + len(surface), [modern], False))
    return variants


def _other_article_spelling(surface: str) -> list[str]:
    """The name with the Arabic article in its other common spelling, if it has one ("Deir
    al-Balah" -> "Deir el-Balah")."""
    first, other = _ARTICLE_SPELLINGS
    if first in surface:
        return [surface.replace(first, other)]
    if other in surface:
        return [surface.replace(other, first)]
    return []


def _modern_spelling(surface: str, spellings: tuple[tuple[str, str], ...]) -> str | None:
    """The name with each word's old or plain-letter beginning written as today ("Oesterreich" ->
    "Österreich", "Aegypten" -> "Ägypten", "Jtalien" -> "Italien"), where one applies; a beginning
    counts only before a small letter ("OEL" and "Oe" stay)."""
    words = surface.split(" ")
    beginnings = _written_beginnings(spellings)
    changed = False
    for i, word in enumerate(words):
        if not word.startswith(beginnings):
            continue  # the most words: asked once, not of each spelling
        for written, today in spellings:
            rest = word[len(written) :]
            if word.startswith(written) and rest[:1].islower():
                words[i], changed = today + rest, True
                break
    return " ".join(words) if changed else None


@lru_cache(maxsize=8)
def _written_beginnings(spellings: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The old beginnings of the spellings ("Oe", "Jt"), for one ``startswith`` per word."""
    return tuple(written for written, _today in spellings)


def _adjective_variants(surface: str, endings: tuple[str, ...]) -> list[str]:
    """Other endings of the leading adjectives: "Schwarzen Meer" -> "Schwarzes Meer", "Schwarze
    Meer"; adjectives in a row take the same ending ("Heiligen Römischen Reich" -> "Heiliges
    Römisches Reich")."""
    first, space, rest = surface.partition(" ")
    if not space:
        return []
    folded = first.casefold()
    ending = next((e for e in endings if folded.endswith(e) and len(first) > len(e) + 2), None)
    if ending is None:
        return []
    words = surface.split(" ")
    leading = 1
    while leading < len(words) - 1 and words[leading].casefold().endswith(ending) and words[leading][:1].isupper():
        leading += 1
    stems = [word[: -len(ending)] for word in words[:leading]]
    tail = " ".join(words[leading:])
    return [" ".join(stem + other for stem in stems) + " " + tail for other in endings if other != ending]


def _before_hyphen(text: str, first: Token, last: Token) -> list[tuple[int, int, list[str], bool]]:
    """The name of several words before the first hyphen of its last word ("Rock Hill" of "Rock
    Hill-based", "New York" of "New York-New Jersey"), as a hyphen part; a single word before a
    hyphen is a part already (:func:`_hyphen_parts`)."""
    end = last.start + last.text.index("-")
    return [(first.start, end, [text[first.start : end]], True)] if end > last.start else []


def _after_hyphen(text: str, first: Token, last: Token) -> list[tuple[int, int, list[str], bool]]:
    """The name of several words after the last hyphen of a word ("Elbow Lake" of "R-Elbow Lake",
    "Henry County" of "Paris-Henry County"), as a hyphen part; a single word after a hyphen is a
    part already (:func:`_hyphen_parts`)."""
    start = first.start + first.text.rindex("-") + 1
    if not text[start : start + 1].isupper():
        return []
    return [(start, last.end, [text[start : last.end]], True)]


def _hyphen_parts(token: Token) -> list[tuple[int, int, list[str], bool]]:
    """Capitalised parts of a hyphenated word ("US-Präsident", "Russia-Ukraine"); one that ends in
    a dot also without it (the full stop of a sentence: "die Strecke Berlin-Hannover.")."""
    if "-" not in token.text:
        return []
    parts, offset = [], token.start
    for part in token.text.split("-"):
        if part[:1].isupper() and len(part) >= 2:
            parts.append((offset, offset + len(part), [part], True))
            if part.endswith(".") and len(part) >= 3:
                parts.append((offset, offset + len(part) - 1, [part[:-1]], True))
        offset += len(part) + 1
    return parts
