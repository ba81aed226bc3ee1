"""Streets and squares an article names, placed at the town they are in.

Why: local news happens in streets ("in der Schwabacher Straße", "on Collins Avenue"), and a
reader counts them as places; the gazetteer holds towns, not streets. A street is known by its
word: one written after its name ("Main Street", "Potsdamer Platz"; data/<lang>/toponyms.txt:
``street_words``), the ending of a one-word German name ("Schwanitzstraße": ``street_endings``),
never a common noun so built ("Landstraße": ``street_nouns``), or a word before its name, as
Romance languages write them ("Via Roma", "Rue de la Paix": ``street_openers``; the town in the
name is then no mention of it). It is placed at the town the article names in its sentence, else
at the town the article names most (the bigger on a tie); an article that names no town leaves its
streets out, as nothing says where they are. The point is the town's, so the confidence is lower
than the town's, and the kind ``street`` keeps it out of legs and claims.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from geo.lang import registry
from geo.model import LITERAL, Candidate, Mention, Place
from geo.places.recognition import Toponym, inside
from geo.places.rules import Rules, rules_for
from geo.places.wordclasses import is_closed_class

STREET = "street"
MAX_NAME_WORDS = 4  # "Martin Luther King Jr. Boulevard"
SAME_SENTENCE_SHARE = 0.9  # of the town's confidence: the town named in the street's sentence
ARTICLE_TOWN_SHARE = 0.7  # the town the article names most
# A capitalised word, an abbreviation of at most three letters ("Jr.", "S.C.", "W."), or an ordinal.
_WORD = r"(?:\p{Lu}[\p{L}\p{M}'’\-]*|(?:\p{Lu}\p{Ll}{0,2}\.){1,3}|\d+(?:st|nd|rd|th))"
# The capitalised words (or ordinals) right before a street word, each followed by one space.
NAME_WORDS = regex.compile(rf"(?<![\p{{L}}\p{{N}}'’.\-])(?:{_WORD} ){{1,{MAX_NAME_WORDS}}}$")
INITIAL = regex.compile(r"\p{Lu}\.")
POSSESSIVE = regex.compile(r".*['’]s ")  # up to the last word with a possessive "'s" (and its space)
# A German place adjective before the street word: "Schwabacher Straße", "Potsdamer Platz".
SENTENCE_OPENERS = frozenset('.!?:;"„“”«»')  # after one of these, a capitalised word may be the sentence's
PLACE_ADJECTIVE = regex.compile(r"(?<![\p{L}\p{N}\-])\p{Lu}[\p{L}\p{M}\-]*er $")


@dataclass(frozen=True)
class Street:
    """A street's name as written, and the key its mentions share."""

    start: int
    end: int
    text: str
    key: str


def find_streets(text: str, language: str, organisations: Sequence[tuple[int, int]] = ()) -> list[Street]:
    """Every street name in the text, in text order; not one inside an organisation's name of the
    rules ("Downing Street" said). Linear: one pass of two patterns, a few words looked at each."""
    rules = rules_for(language)
    if not (rules.street_words or rules.street_endings or rules.street_openers):
        return []
    found: dict[int, Street] = {}
    if rules.street_openers:  # "Via Roma", "Rue de Rivoli": the word first, then the name
        for match in _opener_pattern(rules.street_openers, rules.street_particles).finditer(text):
            if not _opens_sentence(text, match.start()):
                found[match.start()] = _street(text, match.start(), match.end())
    nouns_capitalised = registry.language(language).capitalises_nouns  # "Gubener Straße Richtung Norden"
    for match in _word_pattern(rules.street_words).finditer(text) if rules.street_words else ():
        start = _name_start(text, match.start(), rules)
        if start is not None and (nouns_capitalised or _ends_well(text, match.end())):
            found.setdefault(start, _street(text, start, match.end()))
    endings = tuple(e for e in rules.street_endings if e in text or _after_hyphen(e) in text)
    for match in _ending_pattern(endings).finditer(text) if endings else ():
        if match.group().casefold() not in rules.street_nouns:
            found.setdefault(match.start(), _street(text, match.start(), match.end()))
    return [s for _, s in sorted(found.items()) if not inside(s.start, s.end, organisations)]


def without_streets(toponyms: list[Toponym], streets: list[Street]) -> list[Toponym]:
    """The toponyms that are no part of a street's name ("Washington" in "Washington Avenue")."""
    if not streets:
        return toponyms
    spans = [(s.start, s.end) for s in streets]
    starts = [start for start, _ in spans]
    kept = []
    for toponym in toponyms:
        i = bisect.bisect_right(starts, toponym.start)
        overlaps = i > 0 and spans[i - 1][1] > toponym.start or i < len(spans) and spans[i][0] < toponym.end
        if not overlaps:
            kept.append(toponym)
    return kept


@cache
def _word_pattern(words: tuple[str, ...]) -> regex.Pattern:
    body = "|".join(regex.escape(w) for w in words)
    return regex.compile(rf"(?<= )(?:{body})(?![\p{{L}}\p{{N}}])")


@cache
def _opener_pattern(openers: tuple[str, ...], particles: tuple[str, ...]) -> regex.Pattern:
    """An opener and the name after it: capitalised words, or a number before one ("Rue du 4
    Septembre"; not a house's: "Rue de la Paix 3"), at most MAX_NAME_WORDS, with the particles
    between them ("Rue de la Paix"); an elided one is written onto its word ("Rue d’Enghien")."""
    elided = "|".join(regex.escape(p) for p in particles if p[-1:] in "'’")
    spaced = "|".join(regex.escape(p) for p in particles if p[-1:] not in "'’")
    part = rf"(?:(?:{spaced}) )*(?:{elided})?(?:\p{{Lu}}[\p{{L}}\p{{M}}'’\-]*|\d+(?= \p{{Lu}}))"
    body = "|".join(regex.escape(w) for w in openers)
    return regex.compile(
        rf"(?<![\p{{L}}\p{{N}}])(?:{body}) {part}(?: {part}){{0,{MAX_NAME_WORDS - 1}}}(?![\p{{L}}\p{{N}}])"
    )


def _opens_sentence(text: str, start: int) -> bool:
    """Does a sentence (or a quotation, or the text) open at ``start``? There an opener may be a word
    of the sentence ("Via Rome, he went"), not a street's."""
    at = start - 1
    while at >= 0 and text[at].isspace():  # the spaces before it only: linear over all matches
        at -= 1
    return at < 0 or text[at] in SENTENCE_OPENERS


@lru_cache(maxsize=1 << 8)
def _ending_pattern(endings: tuple[str, ...]) -> regex.Pattern:
    """A capitalised word that ends in one of the endings, or in one after a hyphen, capitalised
    ("Schwanitzstraße", "Friedrich-Engels-Straße"). Made of the endings a text holds, as only they
    can match there: that of all the endings took 0.25 ms per 4 KB of German, that of a few a tenth."""
    forms = [*endings, *(_after_hyphen(e) for e in endings)]
    body = "|".join(regex.escape(form) for form in forms)
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}\-])\p{{Lu}}[\p{{L}}\p{{M}}\-]*?(?:{body})(?![\p{{L}}\p{{N}}])")


def _after_hyphen(ending: str) -> str:
    """ "straße" -> "-Straße": the ending as the last part of a hyphenated name."""
    return f"-{ending[:1].upper()}{ending[1:]}"


def _name_start(text: str, word_start: int, rules: Rules) -> int | None:
    """Where the name before a street word begins: the capitalised words (or ordinals) right before
    it, at most MAX_NAME_WORDS, without the closed-class words that open it ("The Main Street shop"
    is Main Street). Where nouns are capitalised, one place adjective ("die Gubener Straße")."""
    window = max(0, word_start - 100)
    if registry.language(rules.language).capitalises_nouns:
        adjective = PLACE_ADJECTIVE.search(text, window, word_start)
        if adjective is None or is_closed_class(adjective.group().strip(), rules.language):
            return None  # "Unter Straße", "Jeder Weg"
        return adjective.start()
    words = NAME_WORDS.search(text, window, word_start)
    if words is None or INITIAL.fullmatch(words.group().split()[-1]):
        return None  # "Virginia L. Lane": a person's initial, then the surname
    start = words.start()
    owner = POSSESSIVE.search(words.group())
    if owner is not None and owner.end() < len(words.group()):
        start += owner.end()  # "Rock Hill's Main Street": the town's street; not "St. Peter's Square"
    for word in words.group()[start - words.start() :].split():
        if not is_closed_class(word.rstrip("."), rules.language):
            return start
        start += len(word) + 1
    return None


def _ends_well(text: str, end: int) -> bool:
    """A street word ends a street's name only where no other name or number follows: "Main St."
    but not "St. Louis", "Highway 19" (a route) or "Florida Highway Patrol" (an organisation).
    Not asked where nouns are capitalised."""
    after = text[end : end + 2]
    return not (after[:1] == " " and (after[1:2].isupper() or after[1:2].isdigit()))


def _street(text: str, start: int, end: int) -> Street:
    written = text[start:end]
    return Street(start, end, written, _street_key(written))


def _street_key(name: str) -> str:
    """The key one street's mentions share: case, accents and the abbreviated word aside."""
    folded = unicodedata.normalize("NFKC", name).casefold().replace("strasse", "straße")
    for short, full in (
        ("st.", "street"),
        ("ave.", "avenue"),
        ("rd.", "road"),
        ("blvd.", "boulevard"),
        ("str.", "straße"),
    ):
        if folded.endswith(short):
            folded = folded[: -len(short)] + full
    return " ".join(folded.split())


def with_streets(places: tuple[Place, ...], streets: list[Street], sentence_of=None) -> tuple[Place, ...]:
    """The places and, after them, each street placed at its town (see the module): the town named
    in the sentence of its first mention, nearest to it, else the town the article names most (the
    bigger on a tie)."""
    towns = [p for p in places if p.kind == "city" and p.role == LITERAL]
    if not streets or not towns:
        return places
    by_key: dict[str, list[Street]] = {}
    for street in streets:
        by_key.setdefault(street.key, []).append(street)
    busiest = max(towns, key=_most_named)
    named = sorted((m.start, i) for i, town in enumerate(towns) for m in town.mentions if m.role == LITERAL)
    placed = []
    for mentions in by_key.values():
        first = mentions[0]
        town, share = _town_in_sentence(first, towns, named, sentence_of), SAME_SENTENCE_SHARE
        if town is None:
            town, share = busiest, ARTICLE_TOWN_SHARE
        placed.append(_street_place(mentions, town, share, sentence_of))
    return places + tuple(placed)


def _most_named(town: Place) -> tuple[int, int, int]:
    """What makes a town the article's own: its literal mentions, then its size (a street of an
    article that names New Orleans and Lafayette once each is likelier New Orleans'), then the
    earlier."""
    return sum(m.role == LITERAL for m in town.mentions), town.population, -town.mentions[0].start


def _town_in_sentence(street: Street, towns: list[Place], named: list[tuple[int, int]], sentence_of) -> Place | None:
    """The town whose literal mention (``named``: (start, town index), in text order) is nearest to
    the street, before or after it, in its sentence: two look-ups, whatever the article's length."""
    if sentence_of is None:
        return None
    sentence = sentence_of(street.start)
    i = bisect.bisect_left(named, (street.start,))
    near = [
        (abs(start - street.start), index)
        for start, index in named[max(0, i - 1) : i + 1]
        if sentence_of(start) == sentence
    ]
    return towns[min(near)[1]] if near else None


def _street_place(mentions: list[Street], town: Place, share: float, sentence_of) -> Place:
    name = mentions[0].text
    confidence = round(town.confidence * share, 4)
    place_id = f"{STREET}:{'-'.join(mentions[0].key.split())}@{town.id}"
    return Place(
        id=place_id,
        name=name,
        label=f"{name}, {town.label}",
        lat=town.lat,
        lon=town.lon,
        country=town.country,
        kind=STREET,
        confidence=confidence,
        mentions=tuple(Mention(s.start, s.end, s.text, LITERAL) for s in mentions),
        candidates=(Candidate(place_id, name, town.lat, town.lon, town.country, STREET, 0, None, confidence),),
        sentences=tuple(dict.fromkeys(sentence_of(s.start) for s in mentions)) if sentence_of else (),
    )
