"""Finding place names in text: gazetteer look-ups on capitalised n-grams, then context filters.

Why this shape: a gazetteer of 235,000 towns names almost every capitalised word somewhere
("Zug", "Essen", "Kim", "Donald"), so recall is cheap and precision is the work. Each capitalised
n-gram of a sentence (with its genitive and abbreviation variants) is looked up exactly, in one
batch query; every hit then has to survive filters a reader would apply: not inside an
organisation's name, not a person's name, not a demonym, not a month, and, for a word that is
also a common word (German nouns are capitalised), a place cue such as a preposition
("nach Zug"), a dateline ("ZUG, 3. Mai –") or a qualifier. The n-grams come from
:mod:`geo.places.candidates`, the per-language words these filters use from ``data/<lang>/toponyms.txt``
(:mod:`geo.places.rules`), and what a word is (a common word, a name, a preposition) from
:mod:`geo.places.wordclasses`.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any

import regex

from geo.lang import registry
from geo.model import LITERAL, METONYM, MODIFIER
from geo.places.candidates import Token, candidate_spans, tokenize
from geo.places.gazetteer import CURATED, OWN_NAME, PRIMARY, Gazetteer, Match, normalise
from geo.places.people import People, is_given_name, is_surname, name_list, people_in, public_figure_keys
from geo.places.rules import NO_COUNTRY, Rules, home_countries, rules_for
from geo.places.wordclasses import (
    CACHED_WORDS,
    is_built_of_words,
    is_closed_class,
    is_common_word,
    is_compound,
    is_frequent_word,
    is_known_word,
    is_name_like,
)
from geo.timeline.extraction import find_timexes

# A capitalised word (a German noun) and the word after it, right before a name: "Werke von".
_NOUN_AND_WORD_BEFORE = regex.compile(r"(?<![\p{L}\p{M}])\p{Lu}[\p{Ll}\p{M}]+[ \t]+([\p{L}]+)[ \t]+$")
_NEXT_WORD = regex.compile(r"[ \t]+(\p{L}+)")  # the word after a name, on its line: "von Corea komponiert"
# An apposition after a name and its comma: up to the next punctuation, at most a line.
APPOSITION = regex.compile(r"[^\n,.;:!?()\[\]\"“”„–—]{1,80}")
MAX_APPOSITION_WORDS = 6
MAX_BYLINE_CHARS = 80  # a byline line at most ("By Jeffrey Collins and Hannah Schoenbaum, Associated Press")
MAX_APPOSITION_GAP = 60  # characters between a town and the region that an apposition puts it in
STRONG_POPULATION = 100_000
DATELINE = "dateline"  # the cue of a name in a dateline ("AUCKLAND, March 3 —")
KNOWN_TOWN_POPULATION = 10_000
# A known town's name that the tagger guesses a noun is the town's where wordfreq finds it rarer than
# this as a word ("Alfter" 2.5, "Modena" 2.9; not "Schlitz" 3.4, "Orion" 3.3, "Spring" 4.9 in English)
WORD_ZIPF_OF_A_TOWN_S_NAME = 3.0
MAX_WORDS_BEFORE_CLOSING = 2  # capitalised words between a name and an organisation's closing word
MAX_LIST_MEMBERS = 8  # how many names of a list are asked, each way, whether one is surely a place
LIST_REACH = 240  # characters before a name searched for the place noun that opens its list
BRANDS_FILE = "brands.txt"
NATION_KINDS = ("country", "continent", "water")  # never a person's name: "Russia Ukraine" is two places
# Before a dateline's place, from the start of its line (or, in capitals, of its sentence): quotes,
# brackets, and other dateline places with their slash ("KIEW/BERLIN (dpa)").
DATELINE_REACH = 200  # characters: the longest prefix of a dateline place ("KIEW/BERLIN/PARIS ...")
DATELINE_PREFIX = regex.compile(r"[\s\"„“(]*(?:[\p{Lu}][\p{Lu}\p{M} .'\-]*(?:/|\s&)\s*)*")
# After it: more places after a slash or "&" ("TIJUANA & SAN DIEGO"), then the dateline's punctuation:
# a comma ("CARTHAGE, N.C. —"), a colon ("WASHINGTON:"), an agency in brackets ("Chemnitz (ots)"), a
# dash ("BERLIN – ", "HUME -- "), also after the bracket that holds the place ("(NEW YORK) —").
DATELINE_AFTER = regex.compile(
    r"(?:\s*(?:/|&)\s*[\p{Lu}][\p{L}\p{M}.'\-]*(?: [\p{Lu}][\p{L}\p{M}.'\-]*)*)*"
    r"(?:\s*(?:[,:(]|[–—\x96\x97]|-+\s)|\)\s*(?:[–—\x96\x97]|-+\s))"  # \x96, \x97: Windows-1252's
)  # dashes in text that was read as Latin-1
# A dateline in capitals may lose its punctuation, not its capitals: "BOCHUM Der Intendant ...".
LOWER_WORD = regex.compile(r" \p{Ll}+(?= )")  # one lower-case word after a name ("Laconia police Capt.")
_QUOTE_OPENERS = frozenset("\"„“«‚‘'")  # a quotation's opening mark: what follows is speech, not a dateline
_NON_SPACE = regex.compile(r"\S+")
RESIDENT_WORDS = regex.compile(r"(\p{L}+)(?![\p{L}'’-])")  # a whole word: not "man's", "Man-made"
PERSON_AGE = regex.compile(r",\s*\d{1,3},$")  # "Darrell Ross, 29, of Columbia": an age between name and "of"
NAMED_PLACE_WORDS = 4  # words before a naming word that may say a place is named ("a small town called")
MIN_COMPOUND_TITLE = 6  # letters of a title that may end a compound ("-minister", "-trainer"; not "-frau")
DASHES = frozenset("-–—\x96\x97")
YEAR_BEFORE = regex.compile(r"\b1[89]\d\d\s+$|\b20\d\d\s+$")  # a byline's date right before a dateline
DATELINE_CAPS_AFTER = regex.compile(r" (?=\p{Lu}[\p{Ll}\p{M}])")
# A sports club's number: the year of its founding, written whole before the town ("TSV 1860
# München", "SG 01 Höchst") or in two digits after it ("Mainz 05", "Hannover 96"). After the town
# only a founding year of the club era (1880-1909: "80" to "99", "00" to "09") before punctuation
# or, where nouns are capitalised, a lower-case word ("Hannover 96 gewann"): not "Hamburg 96
# Prozent", "Berlin 20 Menschen", "Mainz 05.03.", "in Houston 90 people".
CLUB_NUMBER_BEFORE = regex.compile(r" (?:\d\d|1[89]\d\d) $")
CLUB_NUMBER_AFTER = regex.compile(r" (?:0\d|[89]\d)(?=[,;:!?)\"“”»«]|\.(?!\d)|$)")
CLUB_NUMBER_BEFORE_WORD = regex.compile(r" (?:0\d|[89]\d) \p{Ll}")


@dataclass(frozen=True)
class Toponym:
    """A place name found in the text, its gazetteer matches and the context that supports it."""

    start: int
    end: int
    text: str
    key: str
    matches: tuple[Match, ...]
    # "preposition", "origin", "place noun", "demonym", "dateline", "compound", "resident", "qualifier",
    # "apposition" or None
    cue: str | None = None
    qualifier: str | None = None  # the key of a qualifying name that follows ("Paris, Texas")
    role: str = LITERAL  # or MODIFIER ("Russia-backed"), METONYM ("Moscow warned"): geo.model.Mention


_key = lru_cache(maxsize=CACHED_WORDS)(normalise)
"""The gazetteer key of a name (cached: an article's names come back in every article)."""


def find_toponyms(
    text: str,
    sentences: tuple[tuple[int, int], ...],
    language: str,
    gazetteer: Gazetteer,
    *,
    dates: Sequence[tuple[int, int]] | None = None,
) -> list[Toponym]:
    """Every place name in the text, left to right, longest match first, filtered by context.

    A name inside a temporal expression is a word of the date ("bis Ende 2027", "Mitte März"; Ende
    is a town in Indonesia, Mitte a part of Berlin): ``dates`` are their (start, end) spans in text
    order, found here when not given (the pipeline tags the dates once, for the timeline too)."""
    rules = rules_for(language)
    tokens = tokenize(text)
    if dates is None:
        dates = [(timex.start, timex.end) for timex in find_timexes(text, language, sentences)]
    spans = [span for span in candidate_spans(text, tokens, rules) if not inside(span[0], span[1], dates)]
    compounds = _region_compounds(tokens, rules)
    features = _town_feature_phrases(text, tokens, rules)
    key_of = {name: _key(name) for _s, _e, names, _h in spans for name in names}
    key_of.update({name: _key(name) for _s, _e, names in compounds + features for name in names})
    modifiers = registry.language(language).compound_place_is_modifier
    heads = {end: _compound_head(text, end) for _s, end, _n, hyphen_part in spans if hyphen_part}
    matches = gazetteer.lookup_keys(set(key_of.values()) | {_key(head) for head in heads.values() if head})
    modifier_ends = {end for end, head in heads.items() if _modifier(head, language, matches)}
    paired = _paired_parts(tokens, key_of, matches)
    rivers = _river_chains(tokens, key_of, matches) if modifiers else set()
    keyed = [
        (start, end, key)
        for start, end, names, hyphen_part in spans
        for key in [next((key_of[n] for n in names if key_of[n] in matches), None)]
        if key
        and (
            not hyphen_part
            or (start, end) not in rivers
            and (
                (start, end) in paired
                or _prominent(matches[key])
                and not (modifiers and end in modifier_ends)
                or _compound_cue(text, start, end, rules)
            )
        )
    ]
    taken = {(start, end) for start, end, _key in keyed}
    regions = _compound_regions(compounds, taken, key_of, matches)
    if registry.language(language).district_compounds:
        regions.update(_district_compounds(tokens, taken, key_of, matches, rules))
    regions.update(_town_features(features, taken, key_of, matches))
    # In text order; a name's variants keep their order (the whole word before its genitive-less form).
    keyed = sorted(keyed + [(start, end, key) for (start, end), (key, _m) in regions.items()], key=lambda k: k[0])

    def matched(start: int, end: int, key: str) -> tuple[Match, ...]:
        return regions[start, end][1] if (start, end) in regions else matches[key]

    kinds = {start: {m.candidate.kind for m in matched(start, end, key)} for start, end, key in keyed}
    context = _Context(text, tokens, sentences, rules, organisation_spans(text, language), kinds)
    context.strong_starts = {start for start, end, key in keyed if _strong(matched(start, end, key))}
    prominent = {start for start, end, key in keyed if _prominent(matched(start, end, key))}
    context.people = people_in(text, tokens, rules, context.region_starts, prominent)
    for start, end, key in keyed:
        context.note_span(start, end, key, matched(start, end, key))
    context.span_at = {}
    for start, end, key in keyed:  # the longest name that starts at each place
        if end > context.span_at.get(start, (0,))[0]:
            context.span_at[start] = (end, matched(start, end, key))
    context.span_ending_at = {end: start for start, end, _key in reversed(keyed)}  # the longest name ending there
    found = []
    for start, end, key in keyed:
        toponym = context.accept(start, end, key, matched(start, end, key))
        if toponym:
            found.append(replace(toponym, role=MODIFIER) if end in modifier_ends else toponym)
    found = _with_listed_divisions(
        text, _with_divisions(text, _longest_non_overlapping(found), rules, gazetteer), rules, gazetteer
    )
    found = _with_elided_heads(text, found, rules, gazetteer)
    if registry.language(language).capitalises_nouns:
        found = _with_slashed_rivers(text, _with_river_abbreviations(text, found))
    return _with_qualifiers(text, _with_qualifier_forms(text, found, rules, gazetteer), rules)


def _region_compounds(tokens: list[Token], rules: Rules) -> list[tuple[int, int, list[str]]]:
    """(start, end, names) of single words that join a compass or position prefix and a name, as
    German writes them closed ("Süditalien", "Ostdeutschland", "Oberitaliens"): the names are the
    rest, capitalised, and it without a genitive ending. Not a direction ("Südosten")."""
    compounds: list[tuple[int, int, list[str]]] = []
    if not rules.region_prefixes:  # English writes "southern Italy"
        return compounds
    prefixes = rules.region_prefixes
    opening = [token for token in tokens if token.text[:1].isupper() and token.text.casefold().startswith(prefixes)]
    for start, _end, written in opening:  # few words open with a prefix: only they are read further
        word = written.rstrip(".")  # a full stop after the word ends the sentence
        folded = word.casefold()
        prefix = next((p for p in prefixes if folded.startswith(p)), None)
        rest = word[len(prefix) :] if prefix else ""
        if len(rest) < 4 or not rest.isalpha() or rest.casefold().startswith(rules.region_prefixes):
            continue  # "Südosten", "Nordwesten": a direction, not a region
        base = rest[0].upper() + rest[1:]
        names = [base] + [base[: -len(s)] for s in rules.genitive_suffixes if base.casefold().endswith(s)]
        compounds.append((start, start + len(word), names))
    return compounds


def _compound_regions(
    compounds: list[tuple[int, int, list[str]]],
    taken: set[tuple[int, int]],
    key_of: dict[str, str],
    matches: dict[str, tuple[Match, ...]],
) -> dict[tuple[int, int], tuple[str, tuple[Match, ...]]]:
    """The compounds whose rest names a country, region or sea (never a town: "Nordhausen" is no
    Hausen), keyed by span, with the key and the matches of that rest; not a word that is a name
    of its own (taken)."""

    def regions(readings: tuple[Match, ...]) -> tuple[Match, ...]:
        return tuple(m for m in readings if m.candidate.kind != "city")

    return _spans_read_as(compounds, taken, key_of, matches, regions)


def _spans_read_as(
    spans: list[tuple[int, int, list[str]]],
    taken: set[tuple[int, int]],
    key_of: dict[str, str],
    matches: dict[str, tuple[Match, ...]],
    kept: Callable[[tuple[Match, ...]], tuple[Match, ...]],
) -> dict[tuple[int, int], tuple[str, tuple[Match, ...]]]:
    """Each span that is no name of its own (``taken``), keyed by span, with the key of the first
    of its ``names`` whose readings ``kept`` keeps any of, and those readings."""
    found = {}
    for start, end, names in spans:
        if (start, end) in taken:
            continue
        for name in names:
            readings = kept(matches.get(key_of[name], ()))
            if readings:
                found[start, end] = (key_of[name], readings)
                break
    return found


def _paired_parts(
    tokens: list[Token], key_of: dict[str, str], matches: dict[str, tuple[Match, ...]]
) -> set[tuple[int, int]]:
    """The spans of the parts of hyphenated words whose every part is a known town or a bigger
    place: a route or a pair ("die Strecke Berlin-Hannover", "Köln-Bonn"), each part a mention."""
    return _parts_all(tokens, key_of, matches, lambda places: _known_town(places) or _strong(places))


def _river_chains(
    tokens: list[Token], key_of: dict[str, str], matches: dict[str, tuple[Match, ...]]
) -> set[tuple[int, int]]:
    """The spans of the parts of hyphenated words of rivers only ("Rhein-Main", "Rhein-Main-Neckar";
    a river's name that a small town shares too, as Ryn is "Rhein" in German): a region named after
    its rivers, where compounds are words (German), no mention of the rivers."""
    return _parts_all(
        tokens,
        key_of,
        matches,
        lambda places: any(m.candidate.kind == "water" for m in places) and not _known_town(places),
    )


def _parts_all(
    tokens: list[Token],
    key_of: dict[str, str],
    matches: dict[str, tuple[Match, ...]],
    test: Callable[[tuple[Match, ...]], bool],
) -> set[tuple[int, int]]:
    """The spans of the parts of hyphenated words of two or more parts, each a name whose gazetteer
    matches pass ``test``."""
    found: set[tuple[int, int]] = set()
    for start, _end, written in tokens:
        if "-" not in written:
            continue
        parts, offset, spans = written.rstrip(".").split("-"), start, []
        for part in parts:
            places = matches.get(key_of.get(part, ""), ()) or matches.get(key_of.get(part + ".", ""), ())
            if not places or not test(places):
                break
            spans.append((offset, offset + len(part)))
            offset += len(part) + 1
        else:
            if len(spans) > 1:
                found.update(spans)
    return found


def _district_compounds(
    tokens: list[Token],
    taken: set[tuple[int, int]],
    key_of: dict[str, str],
    matches: dict[str, tuple[Match, ...]],
    rules: Rules,
) -> dict[tuple[int, int], tuple[str, tuple[Match, ...]]]:
    """ "Düsseldorf-Gerresheim", "Moskau-Scheremetjewo": a hyphenated word that opens with a known
    town's name and goes on with names that are no word and no place of their own names a part of
    the town (a district, an airport). Keyed by the word's span, with the town's key and readings.
    Not a word the gazetteer knows whole ("Berlin-Kreuzberg"), not a pair of places
    ("Berlin-Hannover"), a town's modifier ("Köln-Marathon"), an adjective ("Hamburg-Mannheimer"),
    a brand ("Mercedes-Benz") or a given name's double ("Karl-Heinz"). Right after a bare place
    preposition a part may be a word too ("in Köln-Wahn"), unless a capitalised word follows that
    may go on with the name ("in Stuttgart-Bad Cannstatt")."""
    found = {}
    prepositions = frozenset(p for p in rules.place_prepositions if " " not in p)
    for index, (start, _end, written) in enumerate(tokens):
        word = written.rstrip(".")  # a full stop after the word ends the sentence
        end = start + len(word)
        if "-" not in word or (start, end) in taken:
            continue
        first, *rest = word.split("-")
        key = key_of.get(first)
        towns = tuple(m for m in matches.get(key, ()) if m.candidate.kind == "city")
        if not towns or not (_known_town(towns) or _strong(towns)) or key in brand_keys():
            continue
        # a compound noun takes an article ("beim Köln-Marathon"); after a bare place preposition
        # the word is a place, though its part is also a word ("in Köln-Wahn", "nach Berlin-Mitte")
        placed = (
            index > 0
            and tokens[index - 1].text.casefold() in prepositions
            and not _name_goes_on(tokens, index)  # "in Stuttgart-Bad Cannstatt": no "Stuttgart-Bad"
        )
        if is_given_name(first, rules) or not all(
            _district_name(part, key_of, matches, rules, word_allowed=placed) for part in rest
        ):
            continue
        found[start, end] = (key, towns)
    return found


def _town_feature_phrases(text: str, tokens: list[Token], rules: Rules) -> list[tuple[int, int, list[str]]]:
    """(start, end, names) of a town's adjective and a word of ``town_features`` after it, as German
    names a place at a town ("Frankfurter Flughafen", "des Hamburger Hafens", "Tegeler See"): the
    names the adjective can come from, which :func:`_town_features` looks up."""
    phrases: list[tuple[int, int, list[str]]] = []
    if not rules.town_features:
        return phrases
    for adjective, noun in zip(tokens, tokens[1:]):
        word = noun.text.rstrip(".")  # "Hbf.": the abbreviation's dot, or a full stop
        if word not in rules.town_features or text[adjective.end : noun.start] != " ":
            continue  # the rules hold each word with its genitive endings too ("Hafens")
        names = _adjective_towns(adjective.text)
        if names:
            phrases.append((adjective.start, noun.start + len(word), names))
    return phrases


def _adjective_towns(adjective: str) -> list[str]:
    """The names a town's adjective in -er can come from: "Frankfurter" Frankfurt, "Lehrter" Lehrte,
    "Bremer" Bremen, "Münchner" München, "Basler" Basel (the e the ending dropped, put back)."""
    if len(adjective) < 5 or not adjective.endswith("er") or not adjective[0].isupper() or not adjective.isalpha():
        return []
    stem = adjective[:-2]
    names = [stem, stem + "e", stem + "en"]
    if stem[-1] in "ln" and stem[-2] not in "aeiouäöü":
        names.append(stem[:-1] + "e" + stem[-1])
    return names


def _town_features(
    phrases: list[tuple[int, int, list[str]]],
    taken: set[tuple[int, int]],
    key_of: dict[str, str],
    matches: dict[str, tuple[Match, ...]],
) -> dict[tuple[int, int], tuple[str, tuple[Match, ...]]]:
    """The phrases of :func:`_town_feature_phrases` whose adjective comes from a known town, keyed
    by span, with the town's key and readings; not a phrase the gazetteer knows whole ("Starnberger
    See", a lake of its own)."""

    def known_towns(readings: tuple[Match, ...]) -> tuple[Match, ...]:
        towns = tuple(m for m in readings if m.candidate.kind == "city")
        return towns if towns and (_known_town(towns) or _strong(towns)) else ()

    return _spans_read_as(phrases, taken, key_of, matches, known_towns)


def _name_goes_on(tokens: list[Token], index: int) -> bool:
    """Does a capitalised word follow ``tokens[index]`` after one space, as the rest of its name may?"""
    if index + 1 >= len(tokens) or tokens[index].text.endswith("."):
        return False
    following = tokens[index + 1]
    return following.start == tokens[index].end + 1 and following.text[:1].isupper()


def _district_name(
    part: str,
    key_of: dict[str, str],
    matches: dict[str, tuple[Match, ...]],
    rules: Rules,
    *,
    word_allowed: bool = False,
) -> bool:
    """A part after a town's hyphen that names a district: capitalised letters, no common word (one
    the tagger only guesses a noun, rare in wordfreq and not built of known words, is a name:
    "Bremen-Hemelingen"; not "Köln-Marathon", "Barcelona-Sessels"; a word only where
    ``word_allowed``: a place preposition stands before, "in Köln-Wahn"), no adjective ("-er"), no
    given name, and no known town or region of its own ("Hannover")."""
    if len(part) < 3 or not part.isalpha() or not part[0].isupper() or part.endswith("er"):
        return False
    places = matches.get(key_of.get(part, ""), ())
    if places and (_known_town(places) or _strong(places)):
        return False
    if word_allowed:
        return not is_given_name(part, rules)
    language, rare = rules.language, WORD_ZIPF_OF_A_TOWN_S_NAME
    a_word = is_common_word(part, language) and (
        is_known_word(part, language, rare) or is_built_of_words(part, language, rare)
    )
    return not a_word and not is_given_name(part, rules)


_OPENING = frozenset(" \t\"'„“‚‘»«(-–—")  # what may stand before a sentence's first word
_ADJECTIVE_CUES = ("place_prepositions", "adjective_prepositions")  # before "im westfälischen Hagen"
MAX_UNKNOWN_TOKENS = 4
UNKNOWN_CUES = ("preposition", "origin", "place noun")


def unknown_names(
    text: str, sentences: tuple[tuple[int, int], ...], language: str, found: list[Toponym], gazetteer: Gazetteer
) -> list[tuple[int, int, str]]:
    """(start, end, name) of capitalised names that the text places ("nach Chassan", "in Tumangang")
    but the gazetteer does not know: questions for an online geocoder, never places by themselves.

    Only where a place preposition or place noun stands right before the name, outside every found
    name and organisation, past the same filters as a found name (person titles, calendar and rule
    words, demonyms); a name whose last word is a common word ("nach Angaben", "in Richtung Norden")
    is a phrase, not a name.
    """
    rules = rules_for(language)
    tokens = tokenize(text)
    taken = sorted((t.start, t.end) for t in found)
    context = _Context(text, tokens, sentences, rules, organisation_spans(text, language), {})
    context.people = people_in(text, tokens, rules, set(), set())  # "Nora Whitfield of Tumangang": an origin cue
    sentence_starts = {start for start, _end in sentences}
    names, i = [], 0
    while i < len(tokens):
        if not tokens[i].text[:1].isupper():
            i += 1
            continue
        last = i  # capitalised words in a row, within the sentence: no "and", no "on Friday"
        while (
            last + 1 < len(tokens)
            and last + 1 - i < MAX_UNKNOWN_TOKENS
            and tokens[last + 1].text[:1].isupper()
            and text[tokens[last].end : tokens[last + 1].start] == " "
            and tokens[last + 1].start not in sentence_starts
        ):
            last += 1
        while last > i and tokens[last].text.casefold().rstrip(".") in rules.calendar_words:
            last -= 1
        start, surface = tokens[i].start, _without_clitic(text[tokens[i].start : tokens[last].end].rstrip("."))
        end, i = start + len(surface), last + 1
        if _overlaps(taken, start, end) or context._cue(start, end) not in UNKNOWN_CUES:
            continue
        if context._rejected(start, end, surface, ()) or not _may_be_unknown_place(text, surface, rules):
            continue
        names.append((start, end, surface))
    known = gazetteer.lookup_keys({_key(surface) for _s, _e, surface in names})
    return [(start, end, surface) for start, end, surface in names if _key(surface) not in known]


def _may_be_unknown_place(text: str, surface: str, rules: Rules) -> bool:
    """No word of the name is a common word or a rule word ("Angaben der SBB", "Sen. Marko Liias"),
    and the name is nowhere a person's surname ("Außenminister Sergej Lawrow")."""
    words = [w for w in surface.split() if w[:1].isupper()]
    if any(
        w.casefold() in rules.function_words
        or w.casefold().rstrip(".") + "." in rules.function_words
        or is_known_word(w.rstrip("."), rules.language)
        for w in words
    ):
        return False
    before = regex.compile(r"\b(\p{Lu}[\p{Ll}\p{M}]+(?:-\p{Ll}+)?) " + regex.escape(surface) + r"\b")
    if any(
        is_name_like(m.group(1), rules.language) and m.group(1).casefold() not in rules.function_words
        for m in before.finditer(text)
    ):  # a first name before it; not "Dorf Chassan"
        return False
    if len(words) > 1:  # "James Baker ... Baker said": a surname comes back alone, a place's last word rarely
        first, surname = words[0], words[-1]
        alone = regex.compile(r"(?<!" + regex.escape(first) + r"\s)\b" + regex.escape(surname) + r"\b")
        return alone.search(text) is None
    return True


@registry.cached_per_language
def _loanword_org_suffixes(code: str) -> tuple[str, ...]:
    """The words that close an organisation's name in the languages whose words the language quotes
    (language.toml: loanword_languages): German news writes "das California Institute of
    Technology", "der Danish Refugee Council" in English."""
    own = set(rules_for(code).org_suffixes)
    return tuple(
        dict.fromkeys(
            word
            for other in registry.language(code).loanword_languages
            for word in rules_for(other).org_suffixes
            if word not in own
        )
    )


def _without_clitic(surface: str) -> str:
    """ "Dorset’s" -> "Dorset": the possessive is grammar, not part of the name."""
    for clitic in ("'s", "’s", "'", "’"):
        if surface.endswith(clitic) and len(surface) > len(clitic) + 2:
            return surface[: -len(clitic)]
    return surface


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Does [start, end) overlap one of ``spans`` (sorted, not overlapping each other)? Of the spans
    that start before ``end``, the last one reaches farthest."""
    i = bisect.bisect_left(spans, (end,))
    return i > 0 and spans[i - 1][1] > start


@registry.cached_per_language(maxsize=2)
def organisation_spans(text: str, language: str) -> tuple[tuple[int, int], ...]:
    """Where the language's listed organisations are named ("Downing Street", "Deutsche Bahn"), in
    text order. Kept for the article at hand: its place names, streets and demonyms all ask."""
    return tuple(_organisation_spans(text, rules_for(language)))


def _organisation_spans(text: str, rules: Rules) -> list[tuple[int, int]]:
    """Where the rules' organisations are named. A phrase matches only where the case-folded text
    holds it case-folded, so the pattern (case-insensitive) is made of those phrases alone, in their
    order: that of the whole list took 0.6 ms per 4 KB, that of the few an article names a hundredth."""
    folded = case_folded(text)
    named = tuple(p for p, f in zip(rules.organisations, _case_folded_all(rules.organisations)) if f in folded)
    return [(m.start(), m.end()) for m in _phrase_pattern(named).finditer(text)] if named else []


@cache
def _case_folded_all(phrases: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(case_folded(p) for p in phrases)


@lru_cache(maxsize=1 << 10)
def _phrase_pattern(phrases: tuple[str, ...]) -> regex.Pattern:
    """The phrases as one case-insensitive whole-word pattern (made for each set an article names)."""
    body = "|".join(regex.escape(p) for p in phrases)
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{body})(?![\p{{L}}\p{{N}}])", regex.IGNORECASE)


def case_folded(text: str) -> str:
    """``text`` case-folded as far as the regex module's IGNORECASE tells letters apart: it also takes
    "İ" (whose case folding is "i" and a combining dot) for "i". A case-insensitive match of a phrase
    in a text is always a match of the folded phrase in the folded text (tests/places/test_recognition.py)."""
    return text.casefold().replace("\u0307", "")


@cache
def _by_edge(phrases: tuple[str, ...], edge: int) -> dict[str, tuple[str, ...]]:
    """The phrases by their last (edge -1) or first (edge 0) character: a text can only end (or
    start) with the phrases filed under its own last (first) character."""
    index: dict[str, list[str]] = {}
    for phrase in phrases:
        index.setdefault(phrase[edge:][:1], []).append(phrase)
    return {char: tuple(group) for char, group in index.items()}


def _ends_with_phrase(tail: str, phrases: dict[str, tuple[str, ...]]) -> bool:
    """Does the text before a name, case-folded and without its trailing spaces (``tail``), end with
    one of the phrases (``_by_edge(.., -1)``; as whole words)?"""
    for phrase in phrases.get(tail[-1:], ()) + phrases.get("", ()):
        if tail.endswith(phrase) and (len(tail) == len(phrase) or not tail[-len(phrase) - 1].isalnum()):
            return True
    return False


def _starts_with_phrase(after: str, phrases: dict[str, tuple[str, ...]]) -> bool:
    """Does the text ``after`` a name start with a space and one of the phrases (``_by_edge(.., 0)``)?"""
    head = after[:40].casefold()
    return head.startswith(" ") and _opens_with_phrase(head[1:], phrases)


def _opens_with_phrase(head: str, phrases: dict[str, tuple[str, ...]]) -> bool:
    """Does the case-folded ``head`` start with one of the phrases (as whole words)?"""
    for phrase in phrases.get(head[:1], ()) + phrases.get("", ()):
        if head.startswith(phrase) and (len(head) == len(phrase) or not head[len(phrase)].isalnum()):
            return True
    return False


class _Context:
    """The context filters, applied to one candidate name at a time."""

    def __init__(
        self,
        text: str,
        tokens: list[Token],
        sentences,
        rules: Rules,
        organisations: Sequence[tuple[int, int]],
        kinds_at: dict[int, set[str]],
    ) -> None:
        self.text, self.tokens, self.rules = text, tokens, rules
        self.capitalises_nouns = registry.language(rules.language).capitalises_nouns
        self.loanword_languages = registry.language(rules.language).loanword_languages
        # Where a name of a country, region or sea begins (qualifiers: "Paris, Texas"), and where
        # one that is never a person's name begins ("Russia Ukraine" is two places).
        self.region_starts = {start for start, kinds in kinds_at.items() if kinds - {"city"}}
        self.nation_starts = {start for start, kinds in kinds_at.items() if kinds & set(NATION_KINDS)}
        self.spans_of: dict[str, list[tuple[int, int, tuple[Match, ...]]]] = {}
        self.token_starts = [t.start for t in tokens]
        self.sentence_starts = sorted({s for s, _e in sentences})
        self.sentence_start_set = frozenset(self.sentence_starts)
        self.organisations = organisations
        self._ends = {
            section: _by_edge(getattr(rules, section), -1)
            for section in (
                "person_titles",
                "speech_verbs",
                "org_prefixes",
                "place_prepositions",
                "origin_prepositions",
                "preposition_idioms",
                "noun_articles",
                "adjective_prepositions",
                "place_nouns",
                "facility_nouns",
                "naming_words",
                "authorship_prepositions",
            )
        }
        self._org_suffixes = _by_edge(
            rules.org_suffixes + rules.place_bodies + _loanword_org_suffixes(rules.language), 0
        )
        self._place_bodies = _by_edge(rules.place_bodies, 0)
        self._name_suffixes = _by_edge(rules.name_suffixes, 0)
        self._street_words = _by_edge(tuple(word.casefold() for word in rules.street_words), 0)
        self._person_titles = _by_edge(rules.person_titles, 0)
        # "Außenminister", "Bundestrainer": German writes a title as a compound's last part
        self._compound_titles = (
            tuple(t for t in rules.person_titles if len(t) >= MIN_COMPOUND_TITLE and t.isalpha())
            if self.capitalises_nouns
            else ()
        )
        # a place noun that a word links to its name ("republic of", "Bürgermeister von"): noun -> that word
        self._noun_linkers = dict(noun.rsplit(" ", 1) for noun in rules.place_nouns if " " in noun)
        self._division_nouns = frozenset(singular.casefold() for singular in rules.division_plurals.values())
        # "University of", "Bank of": a name that opens so is an organisation's, named after a place
        self._org_of_prefixes = _by_edge(tuple(p for p in rules.org_prefixes if p.endswith(" of")), 0)
        self.places_in_names = registry.language(rules.language).places_in_names
        self._speech_verbs = _by_edge(rules.speech_verbs, 0)
        self._person_relatives = _by_edge(rules.person_relatives, 0)
        self._place_nouns = _by_edge(rules.place_nouns, 0)
        self._memo: dict[tuple, Any] = {}
        self._tails: dict[int, str] = {}  # start -> the text before it, for _after
        self._heads: dict[int, str | None] = {}  # end -> the text after its space, for _followed_by
        self._neighbour_words: dict[tuple[int, int], tuple[str, ...]] = {}  # span -> _capitalised_neighbours
        self.people = People()  # who the article names (geo.places.people); find_toponyms sets it
        self.strong_starts: set[int] = set()  # where a big place's name begins; find_toponyms sets it
        self.span_at: dict[int, tuple[int, tuple[Match, ...]]] = {}  # start -> end, matches of its longest name; so too
        self.span_ending_at: dict[int, int] = {}  # end -> start of a name; set so too
        self._list_connectors = tuple(f" {word} " for word in rules.list_connectors) + (", ",)
        self._sports_text: bool | None = None  # does any sports word stand in the text, even inside a word?
        self._sports_sentences: dict[int, bool] = {}  # sentence index -> has a sports word

    def _memoised(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """``compute()``, once per key: the variants and n-grams of one name share their start and
        end, and both passes ask about each of them."""
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = compute()
        return found

    def _after(self, start: int, section: str) -> bool:
        """Does a phrase of the rules' ``section`` ("person_titles", ...) end right before ``start``?"""
        return _ends_with_phrase(self._tail(start), self._ends[section])

    def _by_author(self, start: int) -> bool:
        """Does an authorship preposition after a noun stand right before ``start`` ("Werke von",
        "ein Film von"; not "ging von": a journey's start)? Where nouns are capitalised."""
        found = _NOUN_AND_WORD_BEFORE.search(self.text, max(0, start - 60), start)
        return found is not None and found[1].casefold() in self.rules.authorship_prepositions

    def _author_of_work(self, start: int, end: int) -> bool:
        """Does an authorship preposition stand before the name and a participle of making or citing
        a work after it ("von Corea komponiert", "bei Homer erwähnt")? Then the name is the author's."""
        if not self.rules.work_participles or not self._after(start, "authorship_prepositions"):
            return False
        following = _NEXT_WORD.match(self.text, end)
        return following is not None and following[1].casefold() in self.rules.work_participles

    def _tail(self, start: int) -> str:
        """The 40 characters before ``start``, case-folded once for all that ask, without trailing spaces."""
        tail = self._tails.get(start)
        if tail is None:
            tail = self._tails[start] = self.text[max(0, start - 40) : start].casefold().rstrip()
        return tail

    def _after_title(self, start: int) -> bool:
        """Does a person's title stand right before ``start`` ("Präsident Putin")? Where nouns are
        capitalised, also as a compound's last part ("Außenminister Maas", "Bundestrainer Löw",
        "Ministerpräsident Kretschmer"): the title's word of at least MIN_COMPOUND_TITLE letters."""
        return self._after(start, "person_titles") or self._after_compound(start, self._compound_titles)

    def _after_compound(self, start: int, heads: tuple[str, ...]) -> bool:
        """Does a closed compound ending in one of the case-folded ``heads`` stand right before
        ``start`` ("Außenminister", "Realschule")?"""
        if not heads:
            return False
        tail = self._tail(start)
        word = tail.rsplit(None, 1)[-1] if tail else ""
        return word.endswith(heads) and word.isalpha()

    def note_span(self, start: int, end: int, key: str, matches: tuple[Match, ...]) -> None:
        """First pass: where each name is mentioned, for :meth:`_is_person`."""
        self.spans_of.setdefault(key, []).append((start, end, matches))

    def _cued_elsewhere(self, key: str) -> bool:
        """Does a place cue stand before some mention of the name in the article ("nach Kulikow"), or
        is one its dateline ("KULIKOW (dpa)")? Then its bare mentions are the place too ("Kulikow
        wurde beschossen")."""
        return self._memoised(
            ("cued", key),
            lambda: any(
                self._cue(start, end) in ("preposition", "origin", "place noun", DATELINE)
                for start, end, _m in self.spans_of[key]
            ),
        )

    def _is_person(self, key: str) -> bool:
        """A name seen as part of a person's name anywhere ("Kim Jong-un") stays a person's. Asked
        only of a mention that passed every other filter: the tagger's questions cost the most."""
        return self._memoised(
            ("person", key),
            lambda: any(self._reads_as_person(start, end, matches) for start, end, matches in self.spans_of[key]),
        )

    def _reads_as_person(self, start: int, end: int, matches: tuple[Match, ...]) -> bool:
        """Does this mention make the name a person's throughout the article? Not a small town's
        inside an organisation's name ("the Beverly Hills Police Department") or before a word that
        names a county or street after it ("Decatur Boulevard"), nor one beside a
        capitalised word that is no name ("DeKalb County", "the DeKalb Lowe's store"): that word
        makes it part of a longer name there, not a person's everywhere; nor a street's name ("Old
        Alton Edwardsville Road": Alton is no first name there), nor the place of a person a word
        after it names ("the Decatur Democrat said")."""
        if self._followed_by(end, self._street_words) or self._before_resident(start, end):
            return False
        return (
            self._after_title(start)
            or (
                not _strong(matches)
                and not self._in_organisation_name(start, end)
                and not self._followed_by(end, self._name_suffixes)
                and (self._beside_name_like(start, end, matches) or self._speaks(start, end))
            )
            or (
                not any(m.candidate.kind in NATION_KINDS for m in matches)
                and (
                    self._memoised(("surname", start, end), lambda: self._surname_position(start, end))
                    or self._followed_by_person_relative(start, end, matches)
                )
            )
        )

    def _speaks(self, start: int, end: int) -> bool:
        """Right after or before a word of saying ("sagte Winkler", "so Barth", "Gates said"): a
        town does not speak. Asked of small places only: "Moskau warnte" is a capital's metonym. A
        name after a place preposition or noun is not the one speaking ("growers around Telavi say",
        "a teacher from Altadena told", "a spokesman for the city of Sevierville said"), nor one
        that says where a person named before it is from ("John Thune of South Dakota said"), nor one
        before a person's title ("said Monroe Mayor Robert Routson", "said Laconia police Capt.
        William Clary": the one after it speaks)."""
        if self._after(start, "speech_verbs"):
            return not self._title_after(end)
        return (
            self._followed_by(end, self._speech_verbs)
            and not self._after(start, "place_prepositions")
            and not self._after(start, "place_nouns")  # "a spokesman for the city of Sevierville said"
            and not self._after_person_of(start)  # "Senator John Thune of South Dakota said"
        )

    def _followed_by(self, end: int, phrases: dict[str, tuple[str, ...]]) -> bool:
        """Does the text after a name start with a space and one of ``phrases`` (``_by_edge(.., 0)``)?
        (Not without the space: no character case-folds to one.) The 39 characters after the space
        are case-folded once per end, for the half-dozen lists a name's end is asked about."""
        if end in self._heads:
            head = self._heads[end]
        else:
            head = self._heads[end] = (
                self.text[end : end + 40].casefold()[1:] if self.text.startswith(" ", end) else None
            )
        return head is not None and _opens_with_phrase(head, phrases)

    def _in_byline(self, start: int) -> bool:
        """Is the name on a short line of names that opens with a byline word ("By Chad Weller",
        "Von Julia Hamburger", "By JEFFREY COLLINS Associated Press")? Such a line names the writer;
        a dateline ("BERLIN (dpa)") is on the next one. Not a sentence ("Von Berlin aus fuhr er"):
        its other words are capitalised, name particles or list connectors, and no full stop ends it."""
        low = max(0, start - MAX_BYLINE_CHARS)  # looked for within reach only: a long line is no byline
        line_start = self.text.rfind("\n", low, start) + 1
        if line_start == 0 and low > 0:
            return False
        line_end = self.text.find("\n", start, start + MAX_BYLINE_CHARS + 1)
        if line_end < 0 and start + MAX_BYLINE_CHARS < len(self.text):
            return False
        line = self.text[line_start : len(self.text) if line_end < 0 else line_end].strip()
        if len(line) > MAX_BYLINE_CHARS or line.endswith("."):
            return False
        first, *rest = line.split()
        small = (*self.rules.name_particles, *self.rules.list_connectors)
        return first in self.rules.byline_words and all(w[:1].isupper() or w.casefold() in small for w in rest)

    def _title_after(self, end: int) -> bool:
        """A person's title right after the name, or after one lower-case word that is no
        closed-class word ("Laconia police Capt."; not "Monroe and Mayor Smith")."""
        if self._followed_by(end, self._person_titles):
            return True
        word = LOWER_WORD.match(self.text, end, min(len(self.text), end + 40))
        return (
            word is not None
            and not is_closed_class(word.group().strip(), self.rules.language)
            and self._followed_by(word.end(), self._person_titles)
        )

    def _followed_by_person_relative(self, start: int, end: int, matches: tuple[Match, ...]) -> bool:
        """ "Bristol, who runs the port": a relative pronoun for people after a town's name and its
        comma. Not after a place preposition or a word of origin, where it stands for someone named
        before ("an importer based in Alexandria, who ...", "Dan Hale of Roswell, who"), nor after a
        region ("Alexandria, Va., who"), nor as the town that ends an address ("Patrick Byrne (19) of
        19 Main Street, Tipperary, who ...")."""
        return (
            self.text.startswith(",", end)
            and _starts_with_phrase(self.text[end + 1 : end + 12], self._person_relatives)
            and all(m.candidate.kind == "city" for m in matches)
            and not self._after(start, "place_prepositions")
            and not self._after(start, "origin_prepositions")
            and not self._ends_address(start)
        )

    def _ends_address(self, start: int) -> bool:
        """Does the name follow a street, a numbered house's or another place's name and its comma
        ("19 Main Street, Tipperary", "1 Carrowclough, Tipperary", "Cahir, Tipperary")?"""
        before = self.text[max(0, start - 60) : start]
        if not before.endswith(", "):
            return False
        words = before[:-2].split()
        if not words or not words[-1][:1].isupper():
            return False
        return (
            words[-1] in self.rules.street_words
            or len(words) > 1
            and words[-2].isdigit()
            or start - 2 in self.span_ending_at
        )

    def _surname_position(self, start: int, end: int) -> bool:
        """After a first name ("Abraham Lincoln"): the name is a person's throughout the article.
        Not after a big place's name that is no given name ("von Potsdam Berlin zurückkehren"); a
        big place's own name ("Jack London"; not "Genossen Krapka Wien, 5. Juli", where a line
        break was lost) and a name of several words (see :meth:`_capitalised_neighbours`) only
        after a given name."""
        previous, _ = self._neighbours(start, start)
        if previous is None or not is_name_like(previous.text, self.rules.language) or previous.text[-1:] in "'’s":
            return False
        if previous.start in self.strong_starts or start in self.strong_starts or " " in self.text[start:end]:
            return is_given_name(previous.text, self.rules)
        return True

    def accept(self, start: int, end: int, key: str, matches: tuple[Match, ...]) -> Toponym | None:
        surface = self.text[start:end]
        matches = self._case_compatible(surface, matches)
        if not matches or self._rejected(start, end, surface, matches):
            return None
        cue = self._cue(start, end)
        if cue is None and self._named_so(start, end):
            return None  # "the street was later called Lafayette": a name given, no place
        if key in brand_keys() and (cue not in ("preposition", "place noun") or self._by_author(start)):
            return None  # "Toyota meldete", "beim japanischen Toyota", "ein Versuch von Toyota": the company
        if cue == "preposition" and not _strong(matches) and self._author_of_work(start, end):
            return None  # "Alle Stücke wurden von Corea komponiert", "bei Homer erwähnt": the author
        if (
            cue is None
            and not self.places_in_names
            and _key(surface) == key
            and self._club_in_sports_report(start, matches)
        ):
            return None  # "Werder hat nur noch Chancen auf den Uefa-Cup": the club; "Bremens Stürmer" stays
        by_name = tuple(m for m in matches if m.flags & PRIMARY)
        # a given name alone is a place where a list names it beside a sure one ("Augusta and Salem"),
        # and where an organisation or public body is named after it, if the language counts such
        # places ("the Augusta Herald", "the Florence Police Department")
        placed = cue is not None or (
            (start, end) in self.people.lone_given_names
            and key not in public_figure_keys()
            and (
                self._listed_with_a_place(start, end, surface, key)
                or self.places_in_names
                and (self._in_organisation_name(start, end) or self._before_place_body(end))
            )
        )
        if cue == "preposition" and key in public_figure_keys() and self._by_author(start):
            placed = False  # "Werke von Bach": whose work, not where from
        if self.people.hides(
            start, end, key, place_cue=placed, strong=_strong(matches), strong_by_name=_strong(by_name)
        ):
            return None
        # The filters that ask the tagger come last, cheapest and most decisive first.
        if cue in (None, DATELINE) and self._capital_of_sentence(start, surface):
            return None
        if (
            cue is None
            and self._needs_cue(start, surface, key, matches)
            and not self._listed_with_a_place(start, end, surface, key)
        ):
            return None
        if cue == "preposition" and self._idiom_word(surface, key, matches) and not self._apposition_after(end):
            return None  # "in Brand gesetzt"; not "in Platten, einem Ortsteil von Wittlich"
        before_title = self._title_after(end)  # "Manila Archbishop Luis Antonio Tagle": the see, no name's part
        if not (
            before_title or cue == "resident" and self._opens_name(start) or self._before_place_body(end)
        ) and self._inside_personal_name(start, end, matches):
            return None  # nor where a word for a person of the place follows ("a Manhattan Democrat")
        if not (cue and _strong(matches) or cue == DATELINE) and self._is_person(key):
            return None  # a dateline's place is no person ("CARTHAGE, N.C. (AP)" beside "Carthage Police Chief")
        start = self._after_place_noun(start, surface)
        role = METONYM if _strong(matches) and self._speaks(start, end) else LITERAL  # "Moscow warned"
        if self.places_in_names and (before_title or self._in_organisation_name(start, end)):
            role = MODIFIER  # "the Dallas Police Department", "Monroe Mayor Robert Routson": named in passing
        elif self._whose_title(end, surface, key):
            role = MODIFIER  # "Russlands Präsident", "Russia's foreign minister": whose office, not where
        return Toponym(start, end, self.text[start:end], key, matches, cue, role=role)

    def _whose_title(self, end: int, surface: str, key: str) -> bool:
        """Is the name in the genitive ("Russlands", "Russia's") right before a person's title
        ("Präsident", "Außenminister", "foreign minister")? It says whose office, not where the story
        is, as "US-Präsident" does."""
        if self.text.startswith(("'s", "’s"), end):
            end += 2
        elif _key(surface) == key or not surface.endswith("s"):
            return False
        if self._title_after(end):
            return True
        following = _NEXT_WORD.match(self.text, end)
        return (
            following is not None
            and following[1][:1].isupper()
            and following[1].casefold().endswith(self._compound_titles)
        )

    def _named_so(self, start: int, end: int) -> bool:
        """Is the name one that a naming word gives to something that is no place ("the street was
        later called Lafayette", "Abdhou, 20, known as Montana", "ein Pferd namens Dubai")? Not
        where a noun for a place or another place's name stands in the NAMED_PLACE_WORDS words
        before the naming word ("a town called Paris", "Saigon, now called Ho Chi Minh City"): then
        the name is a place's."""
        if not self.rules.naming_words or not self._after(start, "naming_words"):
            return False
        if self.text.startswith(("'s", "’s"), end):
            return False  # "the minister was named Berlin's envoy": a possessive names no new name
        tail = self._tail(start)
        word = next(w for w in self.rules.naming_words if tail.endswith(w))
        before_end = start
        while before_end > 0 and self.text[before_end - 1].isspace():
            before_end -= 1
        before_end -= len(word)  # where the naming word starts
        window = self.text[max(0, before_end - 80) : before_end]
        window = window[max(window.rfind(". "), window.rfind("\n")) + 1 :]  # this sentence's words only
        words = list(_NON_SPACE.finditer(window))[-NAMED_PLACE_WORDS:]
        if any(w[0].strip(".,;:()\"'“”’").casefold() in self.rules.named_places for w in words):
            return False
        low = before_end - len(window) + (words[0].start() if words else len(window))
        return not any(position in self.span_ending_at for position in range(low, before_end + 1))

    def _after_place_noun(self, start: int, surface: str) -> int:
        """The mention of "Kanton Zug" is "Zug": the noun says what it is, the name which one. Not
        where an article follows the noun ("Republic of the Congo"): the noun is part of the name."""
        folded = surface.casefold()
        nouns = self._place_nouns.get(folded[:1], ()) + self._place_nouns.get("", ())
        noun = next((n for n in nouns if folded.startswith(n + " ")), None)
        if not noun or len(surface) <= len(noun) + 1 or surface[len(noun) + 1 : len(noun) + 2].islower():
            return start
        return start + len(noun) + 1

    def _case_compatible(self, surface: str, matches: tuple[Match, ...]) -> tuple[Match, ...]:
        """Abbreviations (USA, UK) match only in capitals; capitals match names only in datelines."""
        if _all_caps(surface):
            return matches
        return tuple(match for match in matches if not _short_acronym(match.form))

    def _rejected(self, start: int, end: int, surface: str, matches: tuple[Match, ...]) -> bool:
        """The filters that need no tagger: organisations, demonyms, calendar and rule words, capitals."""
        rules, folded = self.rules, surface.casefold()
        if inside(start, end, self.organisations):  # one look-up, not a walk through all of them
            return True
        if rules.byline_words and self._in_byline(start):
            return True  # "By Chad Weller": the writer's name
        if folded in rules.demonyms and (
            all(m.candidate.kind == "city" for m in matches)
            or self.capitalises_nouns
            and self._after(start, "noun_articles")
        ):
            return True  # "Russen", "Texan"; "die Schweden" the Swedes (no article before a country)
        if folded.rstrip(".") in rules.calendar_words or folded in rules.not_places:
            return True
        if folded in rules.function_words or folded + "." in rules.function_words:
            return True  # "Sen.", "Kanton", "Air": the rules' own words are never places alone
        linker = self._noun_linkers.get(folded)
        if linker and case_folded(self.text[end : end + len(linker) + 2]) == f" {linker} ":
            return True  # "the Republic of Armenia": the noun of the name after it, not Republic, Missouri
        if self._abbreviated(start, end, folded):
            return True
        if _all_caps(surface) and not _is_acronym_match(matches) and not self._in_dateline(start, end, surface):
            return True  # "THE PARIS SHOW", "BAIN and ...": a word in capitals is a name only in a dateline
        if self._after_title(start) or self._article_noun(start, surface, matches):
            return True
        if self._inside_positioned_name(start, end):
            return True  # "West Columbia City Council": West Columbia's, not Columbia's
        if self._followed_by(end, self._name_suffixes):
            return True  # "the Henderson County jail", "Washington Avenue": the name of another thing
        if " " in surface and self._last_word_opens_body(start, end) and not any(m.flags & OWN_NAME for m in matches):
            return True  # "Dublin City Council": Dublin's council, not Dublin City (another name of Dublin, Ireland)
        if " " in folded and _starts_with_phrase(" " + folded, self._org_of_prefixes):
            return True  # "University of Texas": the university, though GeoNames has its campus as a place
        if self._followed_by(end, self._org_of_prefixes):
            return True  # "Victoria University of Wellington": a word of the name; Wellington is its place
        return not self.places_in_names and self._in_organisation_name(start, end)

    def _last_word_opens_body(self, start: int, end: int) -> bool:
        """Does the name's last word open the name of a public body ("City" of "City Council")?"""
        if not self.rules.place_bodies:
            return False
        last = self.text.rindex(" ", start, end) + 1
        return _opens_with_phrase(self.text[last : last + 40].casefold(), self._place_bodies)

    def _inside_positioned_name(self, start: int, end: int) -> bool:
        """Is the name the rest of a longer one that the word before it opens ("West Columbia",
        "South Charleston", "New London", "North Kansas City")? That name is the place, or no place
        here ("the New London Code of Ordinances"); never the shorter name (London, England)."""
        i = bisect.bisect_left(self.token_starts, start)
        if i == 0:
            return False
        previous = self.tokens[i - 1]
        return self.text[previous.end : start] == " " and self.span_at.get(previous.start, (0,))[0] >= end

    def _in_organisation_name(self, start: int, end: int) -> bool:
        """Is the name part of an organisation's, by a word before or after it ("University of Texas",
        "the Dallas Police Department", "Universität Hamburg", "Realschule Spaichingen")? Where the
        language's news counts such places (language.toml: places_in_names), the place is a mention
        as a modifier; else none.
        A club's number belongs to its name ("TSV 1860 München", "Mainz 05")."""
        return (
            self._after(start, "org_prefixes")
            or self._after_compound(start, self.rules.org_heads)
            or self._closing_word_after(end)
            or self._club_number(start, end)
        )

    def _club_number(self, start: int, end: int) -> bool:
        """Is the name a sports club's, by its founding year ("SG 01 Höchst", "Hannover 96")? Asked
        of every name, so the patterns run only where a digit stands beside it."""
        if self.text[start - 2 : start - 1].isdigit():
            before = CLUB_NUMBER_BEFORE.search(self.text, max(0, start - 6), start)
            if before is not None and self._after(before.start(), "org_prefixes"):
                return True
        if not self.text[end + 1 : end + 2].isdigit():
            return False
        return bool(
            CLUB_NUMBER_AFTER.match(self.text, end)
            or (self.capitalises_nouns and CLUB_NUMBER_BEFORE_WORD.match(self.text, end))
        )

    def _before_place_body(self, end: int) -> bool:
        """ "the Oakdale Fire Department", "Dublin City Council": a public body named after the town,
        which the words after it make no person's name."""
        return self._followed_by(end, self._place_bodies)

    def _closing_word_after(self, end: int) -> bool:
        """Does a word that closes an organisation's name follow, right after the name or after one
        or two more capitalised words ("Queens Park Rangers", "Washington State University")?"""
        edge = end
        for _ in range(MAX_WORDS_BEFORE_CLOSING + 1):
            if self._followed_by(edge, self._org_suffixes):
                return True
            j = bisect.bisect_left(self.token_starts, edge)
            if j == len(self.tokens) or self.text[edge : self.tokens[j].start] != " ":
                return False
            if not self.tokens[j].text[:1].isupper() or self.tokens[j].start in self.sentence_start_set:
                return False
            edge = self.tokens[j].end
        return False

    def _article_noun(self, start: int, surface: str, matches: tuple[Match, ...]) -> bool:
        """ "das Plateau", "die Halle", "dem Essen": where nouns are capitalised, a town's one-word name
        right after a definite article is the noun (a town takes no article; a river, a region or a
        country may: "die Oder", "die Pfalz", "die Schweiz"; a big city may with an adjective)."""
        return (
            self.capitalises_nouns
            and " " not in surface
            and "-" not in surface
            and all(m.candidate.kind == "city" for m in matches)
            and not _strong(matches)
            and self.text[start - 1 : start] == " "
            and self._after(start, "noun_articles")
        )

    def _abbreviated(self, start: int, end: int, folded: str) -> bool:
        """ "5 Mio. Euro", "Nr. 7", "654 Mio EUR": the word is one of the language's abbreviations,
        written with its period or right after a number, not the town spelt alike ("Mio", Michigan).
        A place's own abbreviation ("Ky.", "U.S.") is a gazetteer form with its period, found whole."""
        if folded + "." not in self.rules.abbreviations:
            return False
        if self.text.startswith(".", end):
            return not self.text.startswith(".-", end)  # "U.S.-led": the token lost its period, not the name
        before = self.text[max(0, start - 4) : start]
        return before.endswith(" ") and before.rstrip(" )")[-1:].isdigit()

    def _inside_personal_name(self, start: int, end: int, matches: tuple[Match, ...]) -> bool:
        """ "Donald Trump", "Wladimir Putin", "George Washington": a name beside another name."""
        if _all_caps(self.text[start:end]) and _is_acronym_match(matches):
            return False  # "U.S. Navy", "UK Border Force": acronyms are not parts of personal names
        if self._beside_name_like(start, end, matches):
            return True
        language = self.rules.language
        # A small town beside any capitalised word is most likely part of a longer name, where only
        # names are capitalised (English).
        return (
            not self.capitalises_nouns
            and not _strong(matches)
            and self._memoised(
                ("capitalised", start, end),
                lambda: any(not is_closed_class(word, language) for word in self._capitalised_neighbours(start, end)),
            )
        )

    def _beside_name_like(self, start: int, end: int, matches: tuple[Match, ...]) -> bool:
        """Is a word right beside the name (part of) a proper name ("Donald Trump", "Kim Jong-un")?
        Not beside a division's name that says it is one, which is no person's part: "the Henry
        County Courthouse", "Butler County Auditor Roger Reynolds"; and not an acronym ("New Quay
        RNLI", "Nenagh MDC": an organisation's). A name in capitals has only capitals beside it
        (:meth:`_capitalised_neighbours`), which the dateline rules judge."""
        if _all_caps(self.text[start:end]) and _is_acronym_match(matches):
            return False
        if self._named_division(start, end, matches):
            return False
        language = self.rules.language

        def name_like() -> bool:
            words = self._capitalised_neighbours(start, end)
            if words and self._genitive_of_town(start, end, _key(matches[0].form), matches):
                following = self._neighbours(start, end)[1]  # "Bremerhavens Trainer": the noun the genitive is of
                words = tuple(word for word in words if following is None or word != following.text)
            previous = self._neighbours(start, end)[0]
            if previous is not None and (
                self._genitive_of_a_name(previous.text)  # "auf Druck Napoleons Regensburg"
                or previous.start in self.strong_starts  # "Victoria's East Gippsland", "Moscow's Domodedovo"
                and _without_clitic(previous.text) != previous.text  # (not "Billy's Soho's", two restaurants)
            ):
                words = tuple(word for word in words if word != previous.text)
            words = [_without_clitic(word) for word in words]  # "Woman's"
            return any(
                is_name_like(word, language) and not is_closed_class(word, language) and not _all_caps(word)
                for word in words
            )

        return self._memoised(("name-like", start, end), name_like)

    def _genitive_of_a_name(self, word: str) -> bool:
        """ "Napoleons", "Merkels": a person's name (a given name, surname or public figure) with its
        fused genitive ending, where names decline so (German), ends its phrase: the name after it is
        no part of the person's name ("auf Druck Napoleons Regensburg abtreten"). Not a given name or
        surname that ends so ("Andreas", "Peters"), nor a word that only looks like a genitive ("Miss
        Marple", "Financial Times Deutschland")."""
        if not self.capitalises_nouns or is_given_name(word, self.rules) or is_surname(word, self.rules):
            return False  # "Andreas", "Peters": names that end so
        # a name's genitive takes the shortest ending ("Tims", never "Times": that is no Tim's)
        ending = min((s for s in self.rules.genitive_suffixes if s.isalpha()), key=len, default="")
        base = word[: -len(ending)] if ending and word.endswith(ending) else ""
        return len(base) > 2 and (
            is_given_name(base, self.rules) or is_surname(base, self.rules) or _key(base) in public_figure_keys()
        )

    def _named_division(self, start: int, end: int, matches: tuple[Match, ...]) -> bool:
        """A region whose name ends with the word for its kind ("Henry County", "Tangipahoa Parish")."""
        words = self.text[start:end].split()
        return (
            len(words) > 1
            and words[-1].casefold() in self._division_nouns
            and all(m.candidate.kind != "city" for m in matches)
        )

    def _capitalised_neighbours(self, start: int, end: int) -> tuple[str, ...]:
        """The words right beside a span that are capitalised. Only these can make it part of a
        longer name (unless closed-class: "Von Odessa"; never a number such as a road's, "M5"), so no
        lower-case word is sent to the tagger, and a neighbour is asked whether it is closed-class
        only where the answer matters. Before a
        name of several words, an adjective is none ("historically Republican Orange County"; not
        "Detroit Red Wings"): a surname is seldom two words. Beside a name in capitals, a word that is
        not is none ("LONDON Pope Francis ...": a dateline, then the text). Kept per span: a name's
        filters and its person test ask for them in turn."""
        found = self._neighbour_words.get((start, end))
        if found is None:
            found = self._neighbour_words[start, end] = self._find_capitalised_neighbours(start, end)
        return found

    def _find_capitalised_neighbours(self, start: int, end: int) -> tuple[str, ...]:
        previous, following = self._neighbours(start, end)
        if previous is not None and " " in self.text[start:end] and self._adjective_before(previous.text):
            previous = None
        capitals = _all_caps(self.text[start:end])
        return tuple(
            self._without_full_stop(t.text) if t is following else t.text
            for t in (previous, following)
            if t is not None
            and t.text[:1].isupper()
            and not (capitals and not _all_caps(t.text))
            and not any(map(str.isdigit, t.text))  # "the M5 Tewkesbury exit": a road's number, no name's part
        )

    def _without_full_stop(self, word: str) -> str:
        """A word as asked about, without the full stop that ends its sentence ("in Wetzlar Urlaub."):
        with it, the tagger knows no word and takes it for a name. Where only names are capitalised,
        a capitalised word there is part of a longer name whatever the tagger says ("at Cairo
        Stadium.", "The Moscow Times."), so it stays as written. An abbreviation keeps its dot."""
        if (
            self.capitalises_nouns
            and len(word) > 2
            and word.endswith(".")
            and word.casefold() not in self.rules.abbreviations
        ):
            return word[:-1]
        return word

    def _adjective_before(self, word: str) -> bool:
        """ "Republican", "Soviet": where only names are capitalised, a capitalised word that is,
        written small, a word of the language, and not a given name ("Grace"). (Where nouns are
        capitalised, the tagger takes many a name written small for a noun: "detroit".)"""
        return (
            not self.capitalises_nouns
            and is_common_word(word.lower(), self.rules.language)
            and not is_given_name(word, self.rules)
        )

    def _neighbours(self, start: int, end: int) -> tuple[Token | None, Token | None]:
        """The words right before and after a span, where they could be part of one name with it:
        in the same sentence ("... said Anna Holt. Kharkiv, ..."), not a country or sea ("Russia
        Ukraine"), not a month or weekday ("descend on Toronto Saturday night", "Sunday Alexandria
        police"), not a word of position before it ("East Texas")."""
        i = bisect.bisect_left(self.token_starts, start)
        j = bisect.bisect_left(self.token_starts, end)
        previous = self.tokens[i - 1] if i > 0 and self.text[self.tokens[i - 1].end : start] == " " else None
        following = self.tokens[j] if j < len(self.tokens) and self.text[end : self.tokens[j].start] == " " else None
        k = bisect.bisect_right(self.sentence_starts, start) - 1
        if previous is not None and (k >= 0 and previous.start < self.sentence_starts[k] or self._calendar(previous)):
            previous = None
        if following is not None and (
            following.start in self.sentence_starts[k + 1 : k + 2] or self._calendar(following)
        ):
            following = None
        if following is not None and following.start in self.nation_starts:
            following = None
        if previous is not None and previous.start in self.nation_starts:
            previous = None
        if previous is not None and previous.text.casefold() in self.rules.position_words:
            previous = None  # "East Texas", "Central California": the part of the place, no given name
        if previous is not None and self.rules.facility_nouns and self._after(start, "facility_nouns"):
            previous = None  # "Frauen-Zuchthaus Ziegenhain": the facility's noun, no given name
        return previous, following

    def _calendar(self, token: Token) -> bool:
        """A month or weekday, written out or abbreviated with its period: a two-letter weekday
        without it ("Do", "So") is more often a word."""
        word = token.text
        return (len(word) > 2 or word.endswith(".")) and word.casefold().rstrip(".") in self.rules.calendar_words

    def _needs_cue(self, start: int, surface: str, key: str, matches: tuple[Match, ...]) -> bool:
        """A single word that is also a common word needs a cue before it counts as a place.

        So does an inflected small town ("Kims Zug"): the genitive of a name reads as a person's;
        and so does a hamlet that no mention in the article has a cue for (:meth:`_cued_elsewhere`:
        after "HARWINTON —", "Harwinton" is the town), whatever the tagger says of the word, which
        then need not be asked; and a town of under KNOWN_TOWN_POPULATION named like a common
        surname ("Crosby führte die Kamera", "Welch said": data/surnames.txt); and, where nouns are
        capitalised, a foreign place that small that no mention in the article has a cue for
        (:func:`_foreign_hamlet`). A curated region needs none, unless the rules list its name as a
        common word ("500 Millionen Franken", the currency; "aus Franken", the region).
        """
        curated_region = any(m.flags & CURATED for m in matches) and _strong(matches)
        if " " in surface.strip() or curated_region and key not in self.rules.common_words:  # "Frankens" too
            return False
        inflected = _key(surface.rstrip(".")) != key
        if not _strong(matches) and (
            (inflected and not self._genitive_of_town(start, start + len(surface), key, matches))
            or all(m.candidate.population < 1000 for m in matches)
            and not self._cued_elsewhere(key)
        ):
            return True  # a hamlet named bare where no mention has a cue ("HARWINTON —" gives one)
        word = matches[0].form if inflected else surface.rstrip(".")
        language = self.rules.language
        small = not (_strong(matches) or _known_town(matches))
        if small and is_surname(word, self.rules):
            return True  # a person more often than a small town
        if (
            self.capitalises_nouns
            and small
            and _foreign_hamlet(matches, self.rules.language)
            and not self._cued_elsewhere(key)
        ):
            return True  # "Kulikow gab einen Schuss ab": a foreign village named bare is a name or a word
        if is_common_word(word, language):
            # a known town that the tagger reads as a word only by its guess ("Wachtberg" a
            # compound, "Alfter" a noun) is the town; one that the lexicon knows, or that is no
            # rare word here or in the loanwords' languages ("Schlitz", "Spring"), needs a cue
            return not (
                _known_town(matches)
                and (
                    is_compound(word, language)
                    or not is_known_word(word, language, WORD_ZIPF_OF_A_TOWN_S_NAME, self.loanword_languages)
                )
            )
        if small and any(is_frequent_word(word, other) for other in self.loanword_languages):
            return True  # "Home Runs", "Black or White" in German text: English words, not small towns
        return not self.capitalises_nouns and self._sentence_initial(start) and is_common_word(word.lower(), language)

    def _genitive_of_town(self, start: int, end: int, key: str, matches: tuple[Match, ...]) -> bool:
        """ "Wetzlars Trainer", "die Geschicke Mosbachs": a known town's name with its fused genitive
        ending beside the noun it is the genitive of, where nouns are capitalised (German), is the
        town's. Not a given name's ("Kims Zug": Kim is a town too, but the genitive of a name reads as
        a person's), not a word's ("Spaß", "auf Basis"), not a plural's ("Reports und Lombards").
        English writes the genitive with an apostrophe, which is no inflection of the name."""
        surface = self.text[start:end]
        if not self.capitalises_nouns or " " in surface or not (_strong(matches) or _known_town(matches)):
            return False
        base = next((surface[: -len(s)] for s in self.rules.genitive_suffixes if surface.endswith(s)), "")
        if not (base[-1:].isalpha() and _key(base) == key) or is_given_name(base, self.rules):
            return False
        if is_common_word(surface, self.rules.language):
            return False
        return any(word is not None and word.text[:1].isupper() for word in self._neighbours(start, end))

    def _listed_with_a_place(self, start: int, end: int, surface: str, key: str) -> bool:
        """ "die Gemeinden Bedra und Braunsdorf", "Taiskirchen im Innkreis, Pram und ...": a small town
        named in a list (commas, "und", "and") beside a name that surely is a place (a cue before
        it, or a big or known town) needs no cue of its own. Not a frequent common word ("Trinken")
        or an inflected name."""
        word = surface.rstrip(".")
        if _key(word) != key or (
            is_frequent_word(word, self.rules.language) and is_common_word(word, self.rules.language)
        ):
            return False  # "Essen und Trinken"
        return self._memoised(("listed", start), lambda: self._list_neighbour_is_place(start, end))

    def _list_neighbour_is_place(self, start: int, end: int) -> bool:
        """Walk the list both ways, at most MAX_LIST_MEMBERS names each, for a member that is a place."""
        return any(self._surely_a_place(member) for member in self._list_members(start, end))

    def _list_members(self, start: int, end: int) -> Iterator[int]:
        """The starts of the names a list joins to [start, end): leftwards, then rightwards."""
        for step, edge in ((self._list_member_before, start), (self._list_member_after, end)):
            for _ in range(MAX_LIST_MEMBERS):
                member = step(edge)
                if member is None:
                    break
                yield member
                edge = member if step == self._list_member_before else self.span_at[member][0]

    def _list_member_before(self, start: int) -> int | None:
        """The start of the name that a list connector joins to the one at ``start``, if any."""
        before = self.text[max(0, start - 12) : start]
        connector = next((c for c in self._list_connectors if before.casefold().endswith(c)), None)
        return None if connector is None else self.span_ending_at.get(start - len(connector))

    def _list_member_after(self, end: int) -> int | None:
        """The start of the name that a list connector joins after the one ending at ``end``, if any."""
        after = self.text[end : end + 12].casefold()
        connector = next((c for c in self._list_connectors if after.startswith(c)), None)
        return None if connector is None or end + len(connector) not in self.span_at else end + len(connector)

    def _surely_a_place(self, start: int) -> bool:
        """A cue before it, or a big or known town that is no public figure's name ("Obama and Nixon")."""
        end, matches = self.span_at[start]
        if self._cue(start, end) in ("preposition", "place noun"):
            return True
        return (_strong(matches) or _known_town(matches)) and _key(self.text[start:end]) not in public_figure_keys()

    def _idiom_word(self, surface: str, key: str, matches: tuple[Match, ...]) -> bool:
        """A common word after a preposition is most often the word ("in Brand gesetzt", "in Höhe
        von", "auf dem Boden"): a preposition makes it a place only when the place is a town of
        some size known by this very name ("nach Zug", "in Essen"), not a hamlet or a town that
        has it only as an alternate name (Platz for Galtür). A word is common here when it is both
        frequent and not a name ("Leoben" is neither)."""
        if " " in surface.strip() or _strong(matches) or _known_town(matches):
            return False
        word, code = surface.rstrip("."), self.rules.language
        return _key(word) == key and is_frequent_word(word, code) and is_common_word(word, code)

    def _capital_of_sentence(self, start: int, surface: str) -> bool:
        """A closed-class word that opens a sentence ("Von 1920 bis 1927", "Seine Studien", "Oder
        doch?", "Alles, was zählt"): its capital is the sentence's, however big the place spelt alike
        (Vaughan, the Seine, the Oder), and the tagger, asked about the capitalised word, takes it for
        a name. Only a place cue before it makes it a place; a comma after it is no dateline. Not a
        multiword name, not an acronym ("US" is not "us")."""
        written = surface.rstrip(".")
        return (
            " " not in written
            and not _all_caps(written)
            and self._sentence_initial(start)
            and is_closed_class(written, self.rules.language)
        )

    def _cue(self, start: int, end: int) -> str | None:
        """What right around a name says "place": "nach Zug", "Kanton Zug", "ins dänische Gedser"."""
        before = self.text[max(0, start - 40) : start]
        if (
            before.endswith(" ")
            and self._after(start, "place_prepositions")
            and not self._after(start, "preposition_idioms")  # "je nach Lage"
        ):
            return "preposition"
        if before.endswith(" ") and self._after_person_of(start):
            return "origin"  # "Theresa Pilkington of Jeannette": where the person is from; no brand ("of Toyota")
        if before.endswith(" ") and (
            self._after(start, "place_nouns")
            or self._after_compound(start, self.rules.place_noun_heads)
            or self.rules.facility_nouns
            and self._after(start, "facility_nouns")
        ):
            # "Kanton Zug", "Verbandsgemeinde Bernkastel-Kues"; "Atomkraftwerk Krümmel", "VW-Werk Emden"
            return "place noun"
        if before.endswith(self._list_connectors) and self._second_of_pair(start, end):
            return "preposition"  # "zwischen Puttgarden und Rødby", though Puttgarden is in no gazetteer
        if before.endswith(self._list_connectors) and self._listed_after_place_noun(start):
            return "place noun"  # "die Gemeinden Bedra und Braunsdorf", though Bedra is in no gazetteer
        previous = before.rstrip().rsplit(None, 1)[-1:] if before.endswith(" ") else []
        if (
            previous
            and previous[0].casefold() in self.rules.demonyms
            and not is_common_word(self.text[start:end], self.rules.language)
        ):
            return "demonym"  # "im russischen Kursk"; not "der Deutschen Bahn", a noun after an adjective
        if (
            previous
            and self._place_adjective(previous[0])
            and any(self._after(start - len(previous[0]) - 1, section) for section in _ADJECTIVE_CUES)
        ):
            return "preposition"  # "im westfälischen Hagen", "in nearby Gilroy"
        if self._in_dateline(start, end, surface=self.text[start:end]):
            return DATELINE
        if _compound_cue(self.text, start, end, self.rules):
            return "compound"  # "Rock Hill-based", "Sen. Ted Cruz (R-Texas)"
        if (
            self.rules.resident_nouns
            and self._before_resident_noun(end)
            and not is_common_word(self.text[start:end], self.rules.language)
        ):
            return "resident"  # "a Meadow Grove man", "the Augusta native"; not "One man", "Area residents"
        if self.text[end : end + 2] in (", ", " (") and end + 2 in self.region_starts:
            return "qualifier"
        if self.text[end : end + 2] == " (" and end + 1 in self.region_starts:
            return "qualifier"
        if self._apposition_after(end):
            return "apposition"
        return None

    def _apposition_after(self, end: int) -> bool:
        """Does an apposition that says "place" follow the name and its comma ("Reading, a town ...")?"""
        return self.text.startswith(", ", end) and self._apposition_of_place(end + 2)

    def _second_of_pair(self, start: int, end: int) -> bool:
        """Does the name end a pair that a pair preposition opens ("between Tonbridge and", "zwischen
        Puttgarden und")? The preposition is the cue of both names; not of two streets' ("between
        First and Herman streets")."""
        pattern = _pair_pattern(self.rules.language)
        if pattern is None or pattern.search(self.text, max(0, start - LIST_REACH), start) is None:
            return False
        following = _NEXT_WORD.match(self.text, end)
        return following is None or following[1].casefold() not in _street_plurals(self.rules.language)

    def _listed_after_place_noun(self, start: int) -> bool:
        """Does a list of capitalised names, joined by commas or list connectors, run from a place
        noun up to ``start`` ("die Gemeinden Bedra und Braunsdorf", "die Dörfer Hokkala, Kumpula
        und Oikari")? Its every name is a place, also after one the gazetteer lacks, which no list
        walk over found names can cross."""
        pattern = _listed_names_pattern(self.rules.language)
        before = self.text[max(0, start - LIST_REACH) : start]
        return pattern is not None and pattern.search(before) is not None

    def _before_resident(self, start: int, end: int) -> bool:
        """Does a word for a person of the place follow the name, which opens it ("the Decatur
        Democrat", "a Manhattan native"; not "George Washington native")?"""
        return bool(self.rules.resident_nouns) and self._before_resident_noun(end) and self._opens_name(start)

    def _after_person_of(self, start: int) -> bool:
        """Does a word of origin follow a person's full name, or the name and an age, right before
        ``start`` ("Theresa Pilkington of Jeannette", "Darrell Ross, 29, of Columbia")? Then the
        name says where the person is from (US local news names people so)."""
        if not self.rules.origin_prepositions or not self._after(start, "origin_prepositions"):
            return False
        offset = max(0, start - 60)
        before = self.text[offset:start].rstrip()  # "... Pilkington of"
        cut = before.rfind(" ")
        if cut < 0:
            return False
        name_end = offset + len(before[:cut].rstrip())
        age = PERSON_AGE.search(self.text, max(0, name_end - 8), name_end)
        if age is not None:
            name_end = age.start()
        return name_end in self.people.full_name_ends

    def _opens_name(self, start: int) -> bool:
        """Does no capitalised word of the same name stand right before ``start`` ("George Washington")?"""
        previous = self._neighbours(start, start)[0]
        return previous is None or not previous.text[:1].isupper()

    def _before_resident_noun(self, end: int) -> bool:
        """Does a word for a person from the place follow the name, and no other name after it ("a
        Meadow Grove man was", "an Independence teenager"; not "the Paris Man Ray", "Boston Man Ltd")?"""
        if self.text[end : end + 1] != " ":
            return False
        word = RESIDENT_WORDS.match(self.text, end + 1)
        if word is None or word[1] not in self.rules.resident_nouns:
            return False
        after = self.text[word.end() : word.end() + 2]
        return not (after[:1] == " " and after[1:2].isupper() and word[1][:1].islower())

    def _place_adjective(self, word: str) -> bool:
        """One of the rules' place adjectives, or a lower-case word with one of their endings ("-ischen"),
        or a word of position ("in Central California")."""
        return _is_place_adjective(word, self.rules)

    def _apposition_of_place(self, start: int) -> bool:
        """Does an apposition that starts at ``start`` say "place" ("Reading, a town west of London,
        ...", "Bachmut, eine Kleinstadt im Osten, ...")? It opens with one of the rules'
        apposition openers ("a", "the", "eine"), and its head is a place noun: where nouns are
        capitalised, its first capitalised word (a compound too: "der Provinzhauptstadt"); elsewhere
        the word before its first preposition or connector, or its last ("the second-largest city
        in Ukraine"; not "the city manager", "the mayor of the city")."""
        clause = APPOSITION.match(self.text, start)
        return _says_place(clause.group().split() if clause else [], self.rules, self.capitalises_nouns)

    def _in_dateline(self, start: int, end: int, surface: str) -> bool:
        """The place of a dateline: at the start of a line, or after other dateline places
        ("ISTANBUL/ODESSA (Reuters) –"), and followed by the dateline's punctuation (a name in
        capitals, also by the text's first word: "BOCHUM Der ..."). A name in capitals may also
        open a sentence: text taken from a web page often loses the line break
        between a headline and the dateline ("... in Baghdad. BAGHDAD — A car bomb ..."), and a
        sentence rarely opens with a name in capitals and a dash or comma unless it is a dateline."""
        after = DATELINE_AFTER.match(self.text, end)
        if not after and not (_all_caps(surface) and DATELINE_CAPS_AFTER.match(self.text, end)):
            return False
        if (
            after
            and after[0].endswith(":")
            and not _all_caps(surface)
            and is_common_word(surface.lower(), self.rules.language)
        ):
            return False  # a headline's word ("Police: gunman's wife worked at home"), not "WASHINGTON:"
        if after and after[0].endswith(",") and self.text[start - 1 : start] in _QUOTE_OPENERS:
            return False  # the first word of a quotation ('"Man, it came out of nowhere," she said')
        if self._line_start_before(start) is not None:
            return True
        if not _all_caps(surface):
            return False
        if after and after[0].strip()[:1] in DASHES and YEAR_BEFORE.search(self.text, max(0, start - 8), start):
            return True  # "Advocate Reporter March 15, 2009 NEWARK -- ...": a byline's date, then the dateline
        i = bisect.bisect_right(self.sentence_starts, start) - 1
        return i >= 0 and DATELINE_PREFIX.fullmatch(self.text, self.sentence_starts[i], start) is not None

    def _line_start_before(self, start: int) -> int | None:
        """Where the line of ``start`` begins, if only a dateline's prefix (other dateline places,
        quotes, brackets) stands between: looked for within DATELINE_REACH characters, so that a
        long line without breaks costs a bounded search for each name, not one back to its start."""
        low = max(0, start - DATELINE_REACH)
        line_start = self.text.rfind("\n", low, start) + 1
        if line_start == 0 and low > 0:
            return None  # the line began farther back than any dateline prefix reaches
        return line_start if DATELINE_PREFIX.fullmatch(self.text, line_start, start) is not None else None

    def _club_in_sports_report(self, start: int, matches: tuple[Match, ...]) -> bool:
        """Is the name a town's or region's (no country's: national teams are named as their
        countries) in a sentence that reports sport (rules: sports_words)? Named without a place
        cue there, it is the club ("der Rückstand auf Bremen vor dem Heimspiel", "nach dem Spieltag
        führt Bochum die Tabelle an"), unless a list joins it to a name with a cue before it ("in
        Bremen und Bochum")."""
        if not self.rules.sports_words or any(m.candidate.kind in NATION_KINDS for m in matches):
            return False
        return self._in_sports_sentence(start) and not self._list_cued_before(start)

    def _list_cued_before(self, start: int) -> bool:
        """Has a name that a list joins before ``start`` a place cue ("in Bremen, Hamburg und
        Bochum")? At most MAX_LIST_MEMBERS names back."""
        member: int | None = start
        for _ in range(MAX_LIST_MEMBERS):
            member = self._list_member_before(member)
            if member is None:
                return False
            if self._cue(member, self.span_at[member][0]) is not None:
                return True
        return False

    def _in_sports_sentence(self, start: int) -> bool:
        """Does the sentence of ``start`` hold a sports word (:meth:`_reports_sport`)? Its words are
        read once per sentence."""
        if self._sports_text is None:  # most texts hold none: a few substring searches say so
            folded = self.text.casefold()
            self._sports_text = any(word in folded for word in self.rules.sports_words)
        if not self._sports_text:
            return False
        i = bisect.bisect_right(self.sentence_starts, start) - 1
        found = self._sports_sentences.get(i)
        if found is None:
            low = self.sentence_starts[i] if i >= 0 else 0
            high = self.sentence_starts[i + 1] if i + 1 < len(self.sentence_starts) else len(self.text)
            words = self.tokens[
                bisect.bisect_left(self.token_starts, low) : bisect.bisect_left(self.token_starts, high)
            ]
            found = self._sports_sentences[i] = any(map(self._reports_sport, words))
        return found

    def _reports_sport(self, token: Token) -> bool:
        """Is the word a sports word, capitalised as a noun ("das Unentschieden", not "unentschieden"),
        whole or as a part of a hyphenated word ("Uefa-Cup-Teilnahme"), and not the first word of a
        place's name of several words ("League City", were "League" a sports word)?"""
        if self.span_at.get(token.start, (0,))[0] > token.end:
            return False  # a place's name of several words ("League City"); a town named "Trainer" still counts
        sports = self.rules.sports_words
        return any(part[:1].isupper() and part.casefold() in sports for part in token.text.rstrip(".").split("-"))

    def _sentence_initial(self, start: int) -> bool:
        """Only spaces, quotes, brackets and dashes between the sentence's start and ``start``? Read
        backwards from ``start``: one sentence of a million characters is no slice per name."""
        i = bisect.bisect_right(self.sentence_starts, start) - 1
        if i < 0:
            return True
        first, at = self.sentence_starts[i], start
        while at > first and self.text[at - 1] in _OPENING:
            at -= 1
        return at == first


@registry.cached_per_language
def _street_plurals(code: str) -> frozenset[str]:
    """The rules' street words in the plural, case-folded ("streets", "avenues")."""
    return frozenset(word.casefold() + "s" for word in rules_for(code).street_words)


@registry.cached_per_language
def _pair_pattern(code: str) -> regex.Pattern | None:
    """A pair preposition, a name of one to four capitalised words and a list connector, up to the
    end of the searched text (searched from the end). None where the language has none."""
    rules = rules_for(code)
    return _names_after(rules.pair_prepositions, rules.list_connectors, lambda name, connector: f"{name} {connector} ")


@registry.cached_per_language
def _listed_names_pattern(code: str) -> regex.Pattern | None:
    """A place noun (any case), then up to MAX_LIST_MEMBERS names of one to four capitalised words,
    each followed by a comma or a list connector, up to the end of the searched text; searched from
    the end. None where the language has no place nouns or list connectors."""
    rules = rules_for(code)
    return _names_after(
        rules.place_nouns,
        rules.list_connectors,
        lambda name, connector: f"(?:{name}(?:, | {connector} )){{1,{MAX_LIST_MEMBERS}}}",
    )


_NAME_WORD = r"\p{Lu}[\p{L}\p{M}'’.\-]*"
_NAME_OF_WORDS = rf"{_NAME_WORD}(?: {_NAME_WORD}){{0,3}}"  # one to four capitalised words


def _names_after(
    openers: tuple[str, ...], connectors: tuple[str, ...], members: Callable[[str, str], str]
) -> regex.Pattern | None:
    """One of ``openers`` (any case), a space, then what ``members`` builds of a name's pattern and
    a connector's, up to the end of the searched text (compiled to search from the end). None
    without openers or connectors."""
    if not openers or not connectors:
        return None
    opener = "|".join(regex.escape(word) for word in openers)
    connector = "(?i:" + "|".join(regex.escape(word) for word in connectors) + ")"
    body = members(_NAME_OF_WORDS, connector)
    return regex.compile(rf"(?<![\p{{L}}\p{{M}}])(?i:{opener}) {body}$", regex.REVERSE)


def _is_place_adjective(word: str, rules: Rules) -> bool:
    """See :meth:`_Context._place_adjective`."""
    folded = word.casefold()
    return (
        word.islower()
        and any(folded.endswith(a[1:]) if a.startswith("-") else folded == a for a in rules.place_adjectives)
    ) or folded in rules.position_words


def _says_place(words: list[str], rules: Rules, capitalises_nouns: bool) -> bool:
    """Do the words of an apposition say "place" (see :meth:`_Context._apposition_of_place`)?"""
    if len(words) < 2 or words[0].casefold() not in rules.apposition_openers:
        return False
    nouns, links = _apposition_words(rules.language)
    if capitalises_nouns:
        head = next((w.casefold() for w in words[1:] if w[:1].isupper()), "")
        return head in nouns or any(len(n) >= 5 and head.endswith(n) for n in nouns)
    rest = words[1:MAX_APPOSITION_WORDS]
    cut = next((i for i, w in enumerate(rest) if w.casefold() in links), len(rest))
    return cut > 0 and rest[cut - 1].casefold() in nouns


@registry.cached_per_language
def _apposition_words(code: str) -> tuple[frozenset[str], frozenset[str]]:
    """The one-word place nouns ("town", "Kleinstadt"), and the words that end an apposition's head:
    prepositions, connectors and the first words of place nouns ("in", "of", "west" of "west of").
    Once per language, not once per name."""
    rules = rules_for(code)
    nouns = frozenset(n for n in rules.place_nouns if " " not in n)
    links = frozenset(p.split()[0] for p in rules.place_prepositions + rules.place_nouns) | rules.connectors
    return nouns, links - nouns  # "town" of "town of" is a noun


@lru_cache(maxsize=1 << 14)
def _all_caps(surface: str) -> bool:
    """More than one letter, all capitals ("USA", "U.S."). Cached: asked of every gazetteer form."""
    letters = [ch for ch in surface if ch.isalpha()]
    return len(letters) > 1 and all(ch.isupper() for ch in letters)


@lru_cache(maxsize=1 << 14)
def _short_acronym(form: str) -> bool:
    """A gazetteer form of at most five letters, all capitals (or none: "USA", "UK")."""
    letters = [ch for ch in form if ch.isalpha()]
    return len(letters) <= 5 and all(ch.isupper() for ch in letters)


def _is_acronym_match(matches: tuple[Match, ...]) -> bool:
    return any(_all_caps(m.form) for m in matches)


@cache
def brand_keys() -> frozenset[str]:
    """The gazetteer keys of the companies and brands of ``data/brands.txt`` (see its FORMAT)."""
    return frozenset(normalise(name) for name in name_list(registry.DATA_DIR / BRANDS_FILE))


def inside(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Does [start, end) lie within one of ``spans`` (in text order, not overlapping)?"""
    at = bisect.bisect_right(spans, (start, math.inf)) - 1
    return at >= 0 and spans[at][0] <= start and end <= spans[at][1]


def _strong(matches: tuple[Match, ...]) -> bool:
    """Countries, regions, seas and big cities: names a reader takes as places without a cue."""
    return any(m.candidate.kind != "city" or m.candidate.population >= STRONG_POPULATION or m.capital for m in matches)


def _foreign_hamlet(matches: tuple[Match, ...], language: str) -> bool:
    """Is every reading a place of under KNOWN_TOWN_POPULATION outside the countries whose news is
    written in ``language`` (data/<lang>/home_countries.txt)? Where nouns are capitalised (German),
    such a name needs a cue: a reader is told a foreign village is one ("im Dorf X", "in X"), and one
    named bare is mostly a person's name or a word ("Kulikow gab einen Schuss ab", "Loga", "Tatra").
    By its head count under any of its names: "Glogau" and "Stolp", Głogów and Słupsk by their
    German names, are towns."""
    home = home_countries(language)
    return all(m.candidate.country not in home and m.candidate.population < KNOWN_TOWN_POPULATION for m in matches)


def _known_town(matches: tuple[Match, ...]) -> bool:
    """A town of some size known by this very name (not only by an alternate name)."""
    return any(m.flags & PRIMARY and m.candidate.population >= KNOWN_TOWN_POPULATION for m in matches)


def _prominent(matches: tuple[Match, ...]) -> bool:
    """Names that stand for a place inside a compound ("US-Präsident"; not "Corona-Pandemie")."""
    return any(m.candidate.kind != "city" or m.capital or m.candidate.population >= 1_000_000 for m in matches)


COMPOUND_REST = regex.compile(r"(?:-[\p{L}\p{M}\p{N}]+)+")


def _compound_cue(text: str, start: int, end: int, rules: Rules) -> bool:
    """Does the hyphenated word a name is part of make it a place: a word after it ("Rock
    Hill-based", "London-born": the rules' place compound heads), or a party's letter before it
    ("D-Charleston", "(R-Texas)": the place a legislator represents)?"""
    if text[end : end + 1] == "-":
        head = _compound_head(text, end)
        if head is not None and head.casefold() in rules.place_compound_heads:
            return True
    if text[start - 1 : start] != "-" or not rules.party_letters:
        return False
    words = text[max(0, start - 4) : start - 1].split()  # none where only spaces stand before: " -Texas"
    return bool(words) and words[-1].lstrip("(") in rules.party_letters


def _compound_head(text: str, end: int) -> str | None:
    """The last part of the hyphenated word whose part ends at ``end`` ("Präsident" after "US" in
    "US-Präsident", "Krieg" after "Russland" in "Russland-Ukraine-Krieg"); None for the last part."""
    rest = COMPOUND_REST.match(text, end)
    return rest.group().rsplit("-", 1)[1] if rest else None


def _modifier(head: str | None, language: str, matches: dict[str, tuple[Match, ...]]) -> bool:
    """Is a name that opens a hyphenated compound only its modifier? "US-Präsident", "EU-Kommission",
    "Berlin-Besuch" name a president, a commission, a visit, and the story need not happen in the
    place; the compound's last part, a common word of the language that names no place, says so.
    "Berlin-Hannover" (a route) and "Frankfurt-Hahn" (a place, though "Hahn" is a word) stay. Where
    the language counts such modifiers as mentions (``compound_place_is_modifier`` false in its
    language.toml), no head is asked (``head`` is None). A frequent word that only small places bear
    is the word: "US-Dollar" names a currency, though Dollar is a village in Scotland. A head in the
    genitive is read without its ending too ("des US-Ölimporthafens": the tagger knows the compound
    only in its base form)."""
    if head is None:
        return False
    if not is_common_word(head, language):
        endings = rules_for(language).genitive_suffixes
        base = next((head[: -len(e)] for e in endings if head.endswith(e) and len(head) > len(e) + 3), None)
        if base is None or not is_common_word(base, language):
            return False
        head = base
    places = matches.get(_key(head))
    return not places or is_frequent_word(head, language) and not (_known_town(places) or _strong(places))


def _longest_non_overlapping(found: list[Toponym]) -> list[Toponym]:
    """The longest names first (in words, then the leftmost: "New York Harbor" names New York, not
    York Harbor in Maine; then in characters), each kept where it overlaps none kept before. The
    kept spans are disjoint, so they stay sorted by start and a new one need only be checked against
    its two neighbours (a bisection): n log n, where checking every kept span was quadratic."""
    chosen: list[Toponym] = []
    starts: list[int] = []
    ends: list[int] = []
    for toponym in sorted(found, key=_preference):
        i = bisect.bisect_right(starts, toponym.start)
        if (i and ends[i - 1] > toponym.start) or (i < len(starts) and starts[i] < toponym.end):
            continue
        starts.insert(i, toponym.start)
        ends.insert(i, toponym.end)
        chosen.append(toponym)
    return sorted(chosen, key=lambda t: t.start)


def _preference(toponym: Toponym) -> tuple[int, int, int]:
    """Which of two overlapping names :func:`_longest_non_overlapping` keeps: the one with more words,
    then the leftmost, then the longer."""
    return -toponym.text.count(" "), toponym.start, toponym.start - toponym.end


def _with_divisions(text: str, toponyms: list[Toponym], rules: Rules, gazetteer: Gazetteer) -> list[Toponym]:
    """ "In Russia's Kursk region": a name followed by a division word (data/<lang>/toponyms.txt)
    names the region the gazetteer knows by the name and the word ("Kursk region" is Kursk Oblast),
    not the town. Its key is the whole phrase, so a bare "Kursk" elsewhere keeps its own reading.
    Written with a capital, the word is part of the name ("Enugu State", "Akita Prefecture"): see
    :func:`_with_capitalised_division_word`."""
    if not rules.division_words:
        return toponyms
    result = []
    for toponym in toponyms:
        word = division_word_after(text, toponym.end, rules)
        regions = () if word is None else _regions(gazetteer.lookup(f"{toponym.text} {word}"))
        if regions:
            result.append(replace(toponym, key=_key(f"{toponym.text} {word}"), matches=regions))
        else:
            result.append(_with_capitalised_division_word(text, toponym, gazetteer, rules) or toponym)
    return result


def _with_capitalised_division_word(text: str, toponym: Toponym, gazetteer: Gazetteer, rules: Rules) -> Toponym | None:
    """The mention of a first-level division whose English name a capitalised division word ends
    ("Enugu State", "Oaxaca State", "Akita Prefecture", "Kiev Oblast"): the name and the word, where
    the gazetteer knows a region by both (data/gazetteer/admin_regions.tsv names divisions with
    their country's word). Not where a capitalised word goes on ("Lagos State Governor", "Maryland
    State Police": the name of an office or an organisation); and "Ohio State" or "Kent State",
    universities, are no region's names."""
    found = _capitalised_division_after(rules.division_words).match(text, toponym.end)
    if found is None:
        return None
    phrase = text[toponym.start : found.end(1)]
    regions = _regions(gazetteer.lookup(phrase))
    if not regions:
        return None
    return replace(toponym, end=found.end(1), text=phrase, key=_key(phrase), matches=regions)


@cache
def _capitalised_division_after(words: tuple[str, ...]) -> regex.Pattern:
    """A division word with its capital right after a name ("State", "Province"), not followed by
    another capitalised word."""
    body = "|".join(regex.escape(word[:1].upper() + word[1:]) for word in words)
    return regex.compile(rf" ({body})(?![\p{{L}}\p{{N}}])(?! \p{{Lu}})")


_LIST_NAME = r"\p{Lu}[\p{L}\p{M}'’.-]*(?: \p{Lu}[\p{L}\p{M}'’.-]*){0,2}"
LISTED_NAMES = regex.compile(rf"(?:({_LIST_NAME}), )*({_LIST_NAME}),? (?:and|or|&) ({_LIST_NAME})$")
MAX_LIST_CHARS = 240  # how far before a plural division word a list of names is read


@cache
def _plural_pattern(plurals: tuple[str, ...]) -> regex.Pattern:
    body = "|".join(regex.escape(p) for p in plurals)
    return regex.compile(rf"(?<=\p{{L}}) (?:{body})(?![\p{{L}}\p{{N}}])")


def _with_listed_divisions(text: str, toponyms: list[Toponym], rules: Rules, gazetteer: Gazetteer) -> list[Toponym]:
    """ "Douglas, Sarpy and Lancaster counties": each name of a list before a division's plural
    (data/<lang>/toponyms.txt: division_plurals) names the division the gazetteer knows by the name
    and the division's word (Lancaster County), not the town; a name it does not know so stays as
    it was. Each list is read within MAX_LIST_CHARS before its word: linear in the text."""
    if not rules.division_plurals:
        return toponyms
    listed: dict[tuple[int, int], Toponym] = {}
    for found in _plural_pattern(tuple(rules.division_plurals)).finditer(text):
        singular = rules.division_plurals[found.group().strip().casefold()]
        begin = max(0, found.start() - MAX_LIST_CHARS)
        names = LISTED_NAMES.search(text, begin, found.start())
        if names is None:
            continue
        for group in (1, 2, 3):
            for start, end in names.spans(group):
                toponym = _listed_division(text, start, end, singular, gazetteer)
                if toponym:
                    listed[toponym.start, toponym.end] = toponym
    if not listed:
        return toponyms
    spans = sorted(listed)
    kept = [t for t in toponyms if not _overlaps(spans, t.start, t.end)]
    return sorted(kept + list(listed.values()), key=lambda t: t.start)


def _listed_division(text: str, start: int, end: int, singular: str, gazetteer: Gazetteer) -> Toponym | None:
    """The division named by a listed name and the division's word, the name read whole or without
    its first words ("The Douglas" of "The Douglas and Sarpy counties" is Douglas)."""
    while True:
        name = text[start:end]
        regions = _regions(gazetteer.lookup(f"{name} {singular}"))
        if regions:
            return Toponym(start, end, name, _key(f"{name} {singular}"), regions, "place noun")
        space = name.find(" ")
        if space < 0:
            return None
        start += space + 1


# "Frankfurt a. M.", "Freiburg i. Br.", "Halle a. d. S.", "Mülheim a. d. Ruhr", "Frankfurt/M.": a town
# and its river or district, abbreviated as German writes them ("am", "im", "an der", "ob der", "vor der").
RIVER_ABBREVIATION = regex.compile(
    r"(?:/(\p{Lu}\p{L}{0,2}\.)|(?: [aiobv]\. ?(?:d\. ?)?)(?:(\p{Lu}\p{L}{0,2}\.)|(\p{Lu}\p{L}{3,})))"
)  # "/M." only abbreviated: "München/Hamburg" names two towns


def _with_river_abbreviations(text: str, toponyms: list[Toponym]) -> list[Toponym]:
    """A town's name with its river or district abbreviated after it ("Frankfurt a. M.",
    "Freiburg i. Br.", "Mülheim a. d. Ruhr"): the mention takes them in, as a name of its own (so
    "Frankfurt a. d. O." and "Frankfurt a. M." stay two places), and of the town's readings those
    whose name has a word that the abbreviation opens (Frankfurt am Main, not Frankfurt (Oder)),
    if any. A name found inside the abbreviation ("Ruhr") is part of it."""
    result: list[Toponym] = []
    taken_to = -1
    for toponym in toponyms:
        if toponym.start < taken_to:
            continue
        tail = RIVER_ABBREVIATION.match(text, toponym.end)
        if tail is None:
            result.append(toponym)
            continue
        prefix = next(group for group in tail.groups() if group).rstrip(".")
        fitting = tuple(m for m in toponym.matches if _names_a_word_opening(m, prefix))
        written = text[toponym.start : tail.end()]
        result.append(
            replace(toponym, end=tail.end(), text=written, key=_key(written), matches=fitting or toponym.matches)
        )
        taken_to = tail.end()
    return result


def _with_slashed_rivers(text: str, toponyms: list[Toponym]) -> list[Toponym]:
    """A town's name, a slash and its river ("Frankfurt/Oder", "Halle/Saale", "Schwedt/Oder"): one
    mention of the town, as "Frankfurt (Oder)" is, read as the towns whose name has the river's
    word; the river is no place of its own there. Where no reading of the town has it
    ("Offenbach/Main"), both stay mentions, and nearness picks the town. After a word that is no
    mention (a club's town: "TSV Odenhausen/Lahn"), the river only says which town, and goes too."""
    result: list[Toponym] = []
    skip = -1
    for i, toponym in enumerate(toponyms):
        if i == skip:
            continue
        if _qualifies_a_word(text, toponym) and not (result and result[-1].end == toponym.start - 1):
            continue
        river = toponyms[i + 1] if i + 1 < len(toponyms) else None
        if (
            river is not None
            and text[toponym.end : river.start] == "/"
            and river.matches
            and all(m.candidate.kind == "water" for m in river.matches)
        ):
            word = river.text.split()[0]
            fitting = tuple(m for m in toponym.matches if m.candidate.kind == "city" and _names_a_word_opening(m, word))
            if fitting:
                written = text[toponym.start : river.end]
                result.append(replace(toponym, end=river.end, text=written, key=_key(written), matches=fitting))
                skip = i + 1
                continue
        result.append(toponym)
    return result


def _qualifies_a_word(text: str, river: Toponym) -> bool:
    """May the name be a river's, written right after a word and a slash ("Odenhausen/Lahn")?"""
    return (
        text[river.start - 1 : river.start] == "/"
        and text[river.start - 2 : river.start - 1].isalpha()
        and any(m.candidate.kind == "water" for m in river.matches)
    )


def _names_a_word_opening(match: Match, prefix: str) -> bool:
    """Does a word after the first of the reading's name (or the form it matched) open with ``prefix``?"""
    return any(
        word.lstrip("(").startswith(prefix) for name in (match.candidate.name, match.form) for word in name.split()[1:]
    )


MAX_ELIDED = 3  # "North, Central and South America": words before a name that may share its head


def _with_elided_heads(text: str, toponyms: list[Toponym], rules: Rules, gazetteer: Gazetteer) -> list[Toponym]:
    """ "Central and South America", "North and South Carolina": a word of position joined by a
    comma or a list connector to a name of several words shares the name's rest, where the gazetteer
    knows the word with that rest ("Central America"); it is a mention of that place (found alone,
    "Central" would be a town). Up to MAX_ELIDED words leftwards; not a word inside a longer name.
    Only words of position: other names so joined are places of their own ("Decatur, Henderson
    County" names no Decatur County)."""
    if not rules.position_words:
        return toponyms
    multiword = [t for t in toponyms if " " in t.text]
    if not multiword:
        return toponyms
    by_span = {(t.start, t.end): t for t in toponyms}
    ends = {t.end for t in toponyms}
    for toponym in multiword:
        rest = toponym.text[toponym.text.index(" ") :]  # " America"
        edge = toponym.start
        for _ in range(MAX_ELIDED):
            word = _joined_word_before(text, edge, rules)
            if word is None or word[1] in ends and word not in by_span:
                break
            if text[word[0] : word[1]].casefold() not in rules.position_words:
                break
            start, end = word
            key = _key(text[start:end] + rest)
            matches = gazetteer.lookup_keys({key}).get(key)
            if not matches:
                break
            by_span[word] = replace(
                toponym, start=start, end=end, text=text[start:end], key=key, matches=matches, qualifier=None
            )
            edge = start
    return sorted(by_span.values(), key=lambda t: t.start)


ELIDED_WORD = regex.compile(r"(\p{Lu}[\p{Ll}]+)(,? (?:\p{Ll}+\.? )?|, )$")


def _joined_word_before(text: str, start: int, rules: Rules) -> tuple[int, int] | None:
    """The span of the capitalised word that a comma or a list connector joins to ``start``
    ("Central" in "Central and South America"), if any."""
    before = text[max(0, start - 30) : start]
    found = ELIDED_WORD.search(before)
    if not found:
        return None
    joint = found.group(2).strip(" ,")
    if joint and joint.casefold() not in rules.list_connectors:
        return None
    offset = start - len(before)
    return offset + found.start(1), offset + found.end(1)


def division_word_after(text: str, end: int, rules: Rules) -> str | None:
    """The division word written right after a name, whole and in lower case ("region", not "Regional")."""
    return word_after(text, end, rules.division_words)


def word_after(text: str, end: int, words: tuple[str, ...]) -> str | None:
    """Which of ``words`` (as written, longest first as the rules list them) stands whole right
    after a name ending at ``end``, after one space, if any."""
    pattern = _words_after_pattern(words)
    found = pattern.match(text, end) if pattern else None
    return found.group(1) if found else None


@cache
def _words_after_pattern(words: tuple[str, ...]) -> regex.Pattern | None:
    """One pattern for the words of a rule section after a name."""
    if not words:
        return None
    return regex.compile(r" (" + "|".join(map(regex.escape, words)) + r")(?![\p{L}\p{N}])")


def _regions(matches: tuple[Match, ...]) -> tuple[Match, ...]:
    return tuple(m for m in matches if m.candidate.kind == "region")


def _with_qualifier_forms(text: str, toponyms: list[Toponym], rules: Rules, gazetteer: Gazetteer) -> list[Toponym]:
    """ "Springfield, Mo.": a form that names a region only as the qualifier of a town of that
    region's country (data/<lang>/qualifiers.tsv; "Mo." alone is a weekday or Meaux) is that region
    there, in place of whatever the word was taken for."""
    if not rules.qualifier_forms or not toponyms:
        return toponyms
    result: list[Toponym] = []
    for toponym in toponyms:
        if result and result[-1].end > toponym.start:
            continue  # the qualifier form took this word's place
        result.append(toponym)
        form = _qualifier_form(text, toponym.end, rules)
        if form is None:
            continue
        countries = {m.candidate.country for m in toponym.matches}
        region = tuple(
            m
            for m in gazetteer.lookup(rules.qualifier_forms[form])
            if m.candidate.kind == "region" and m.candidate.country in countries
        )
        if region:
            start = toponym.end + 2
            result.append(Toponym(start, start + len(form), form, _key(form), region, "qualifier"))
    return result


def _qualifier_form(text: str, end: int, rules: Rules) -> str | None:
    """The qualifier form written right after ", " at ``end``, whole (not "Mon" in "Monday")."""
    if not text.startswith(", ", end):
        return None
    rest = text[end + 2 : end + 24]
    return next(
        (
            form
            for form in rules.qualifier_forms
            if rest.startswith(form) and not rest[len(form) : len(form) + 1].isalnum()
        ),
        None,
    )


def _with_qualifiers(text: str, toponyms: list[Toponym], rules: Rules) -> list[Toponym]:
    """Link "Paris, Texas", "Halle (Saale)" and "the Falmouth in England": a region or country right
    after a name, or after one of the rules' qualifier links, qualifies it."""
    result = list(toponyms)
    for i, (name, following) in enumerate(zip(toponyms, toponyms[1:])):
        gap = text[name.end : following.start]
        linked = gap in (", ", " (", ",") or _is_qualifier_link(gap, rules) or _is_apposition_link(gap, rules)
        if linked and any(m.candidate.kind != "city" for m in following.matches):
            if gap.startswith(",") and _countries_listed(text, name, following, rules):
                continue
            result[i] = replace(name, cue=name.cue or "qualifier", qualifier=following.key)
    return result


def _countries_listed(text: str, name: Toponym, following: Toponym, rules: Rules) -> bool:
    """ "China, Japan, and the United Kingdom": a country's name, a comma and a country's that the
    list goes on after are items of a list, not a town of the first name in the second country
    (China is a town in Okinawa too)."""
    if not (_is_country(name) and _is_country(following)):
        return False
    after = text[following.end : following.end + 12].casefold()
    return after.startswith(",") or any(after.startswith(f" {word} ") for word in rules.list_connectors)


def _is_country(toponym: Toponym) -> bool:
    return any(m.candidate.kind == "country" for m in toponym.matches)


def _is_apposition_link(gap: str, rules: Rules) -> bool:
    """ ", a steel town in ", ", a city in eastern ", ", eine Kleinstadt in ": an apposition that
    says "place", then one of the rules' qualifier links and at most one place adjective, and
    nothing else ("Lincoln Park, a steel town in Michigan" is Michigan's)."""
    if not gap.startswith(", ") or not gap.endswith(" ") or len(gap) > MAX_APPOSITION_GAP:
        return False
    words = gap.split()[1:]  # the comma is the first
    if words and _is_place_adjective(words[-1], rules):
        words.pop()
    for size in (2, 1):  # "in the", "in"
        link = " ".join(words[-size:]).casefold()
        if len(words) > size and link in rules.qualifier_links:
            appositive = words[:-size]
            return _says_place(appositive, rules, registry.language(rules.language).capitalises_nouns)
    return False


def _is_qualifier_link(gap: str, rules: Rules) -> bool:
    """ " in ", ", in ": one of the rules' qualifier links between two names, and nothing else."""
    if not gap.endswith(" ") or not (gap.startswith(" ") or gap.startswith(", ")):
        return False
    return gap.strip(" ,").casefold() in rules.qualifier_links


@dataclass(frozen=True)
class Demonym:
    """A word for a country's people ("Russian", "russische", "North Korean") and the country's code."""

    start: int
    end: int
    text: str
    country: str


def find_demonyms(text: str, language: str) -> list[Demonym]:
    """Every demonym of the language's ``demonyms.tsv`` in the text, two-word forms first ("North
    Korean" is North Korea's, not Korea's), in text order. Only the words that open a form are
    read further: most words of a text open none."""
    demonyms = rules_for(language).demonyms
    openers = _demonym_openers(language)
    tokens = tokenize(text)
    found: list[Demonym] = []
    after_pair = 0  # the first word after the last two-word form found
    for i in [k for k, (_start, _end, word) in enumerate(tokens) if word.casefold() in openers]:
        if i < after_pair:
            continue
        start, end, word = tokens[i]
        if i + 1 < len(tokens) and text[end : tokens[i + 1].start] == " ":
            pair = text[start : tokens[i + 1].end]
            country = demonyms.get(pair.casefold())
            if country:
                if country != NO_COUNTRY:  # "Central American": no American, and no country
                    found.append(Demonym(start, tokens[i + 1].end, pair, country))
                after_pair = i + 2
                continue
        country = demonyms.get(word.casefold())
        if country and country != NO_COUNTRY:
            found.append(Demonym(start, end, word, country))
    return found


@registry.cached_per_language
def _demonym_openers(code: str) -> frozenset[str]:
    """The case-folded words that open a demonym: each form, and what stands before each space of a
    form of several words ("north" of "north korean")."""
    forms = rules_for(code).demonyms
    return frozenset(forms) | {form[:at] for form in forms for at, char in enumerate(form) if char == " "}


def demonym_countries(text: str, language: str) -> Counter[str]:
    """How often each country's demonym ("russische", "Russian") occurs: evidence for the resolver."""
    return Counter(demonym.country for demonym in find_demonyms(text, language))


def demonym_mentions(text: str, language: str, demonyms: Sequence[Demonym]) -> list[Demonym]:
    """The demonyms that name their country in passing, where the language counts them so
    (``demonym_mentions`` in language.toml): not those inside an organisation's name of the rules
    ("Air India", "Deutsche Bahn")."""
    if not registry.language(language).demonym_mentions:
        return []
    organisations = organisation_spans(text, language)  # in text order, not overlapping
    return [d for d in demonyms if not inside(d.start, d.end, organisations)]
