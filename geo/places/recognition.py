"""Finding place names in text: gazetteer look-ups on capitalised n-grams, then context filters.

Why this shape: a gazetteer of 235,000 towns names almost every capitalised word somewhere
("Zug", "Essen", "Kim", "Donald"), so recall is cheap and precision is the work. Each capitalised
n-gram of a sentence (with its genitive and abbreviation variants) is looked up exactly, in one
batch query; every hit then has to survive filters a reader would apply: not inside an
organisation's name, not a person's name, not a demonym, not a month, and, for a word that is
also a common word (German nouns are capitalised), a place cue such as a preposition
("nach Zug"), a dateline ("ZUG, 3. Mai –") or a qualifier. The per-language words these filters
use live in ``data/<lang>/toponyms.txt``; the part-of-speech lexicon is HanTa's.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import Any, NamedTuple

import regex

from geo.errors import RulesError
from geo.places.gazetteer import CURATED, PRIMARY, Gazetteer, Match, normalise
from geo.lang.rulefiles import DATA_DIR, LanguageDataError, read_sections

MAX_NAME_TOKENS = 6
STRONG_POPULATION = 100_000
KNOWN_TOWN_POPULATION = 10_000
NATION_KINDS = ("country", "continent", "water")   # never a person's name: "Russia Ukraine" is two places
SECTIONS = ("genitive_suffixes", "adjective_endings", "place_nouns", "place_prepositions", "connectors",
            "person_titles", "org_prefixes", "org_suffixes", "organisations", "common_words", "not_places")

TOKEN = regex.compile(
    r"\(\p{Lu}[\p{L}\p{M}]*(?:[ .\-][\p{L}\p{M}]+)*\)"              # a parenthesised qualifier: (Oder)
    r"|[\p{L}\p{M}\p{N}]+(?:[.'’\-&][\p{L}\p{M}\p{N}]+)*"          # a word, with inner . ' - &
    r"(?:\.(?=[\s,;:)\]\"»«“”„]|$)|['’](?=\s|$))?")                 # a trailing abbreviation dot or apostrophe
DATELINE_PREFIX = regex.compile(r"[\s\"„“(]*(?:[\p{Lu}][\p{Lu}\p{M} .'\-]*/\s*)*")
DATELINE_AFTER = regex.compile(r"\s*(?:,|\(|–|—|-\s)")


@dataclass(frozen=True)
class Rules:
    """One language's recognition rules (see the FORMAT comment of data/<lang>/toponyms.txt)."""

    language: str
    genitive_suffixes: tuple[str, ...]
    adjective_endings: tuple[str, ...]
    place_nouns: tuple[str, ...]
    place_prepositions: tuple[str, ...]
    connectors: frozenset[str]
    person_titles: tuple[str, ...]
    org_prefixes: tuple[str, ...]
    org_suffixes: tuple[str, ...]
    organisations: tuple[str, ...]
    common_words: frozenset[str]
    not_places: frozenset[str]
    demonyms: dict[str, str]
    calendar_words: frozenset[str]
    function_words: frozenset[str]   # titles, place nouns, organisation words: never a place alone


class Token(NamedTuple):
    """A word and its offsets (a tuple: an article has thousands, made afresh for each)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Toponym:
    """A place name found in the text, its gazetteer matches and the context that supports it."""

    start: int
    end: int
    text: str
    key: str
    matches: tuple[Match, ...]
    cue: str | None = None          # "preposition", "dateline", "qualifier" or None
    qualifier: str | None = None    # the key of a qualifying name that follows ("Paris, Texas")


# --------------------------------------------------------------------------- rules

def read_rule_file(path: Path) -> dict[str, list[str]]:
    """Sections of a rule file; an entry outside a section or an unknown section is an error."""
    return {name: [line.strip() for _, line in lines]
            for name, lines in read_sections(path, SECTIONS, RulesError).items()}


def read_demonyms(path: Path) -> dict[str, str]:
    """Demonym forms -> ISO country code (``form<TAB>CC`` lines)."""
    if not path.exists():
        return {}
    forms = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if len(cells) != 2:
            raise RulesError(f"{path.name}:{number}: expected form<TAB>country")
        forms[cells[0].strip().casefold()] = cells[1].strip().upper()
    return forms


def _longest_first(entries: list[str]) -> tuple[str, ...]:
    return tuple(sorted({e.casefold() for e in entries}, key=lambda e: (-len(e), e)))


@cache
def rules_for(language: str) -> Rules:
    """The rules of a language; a language without its own files uses English and German merged."""
    own = DATA_DIR / language / "toponyms.txt"
    languages = [language] if own.exists() else ["en", "de"]
    merged: dict[str, list[str]] = {name: [] for name in SECTIONS}
    demonyms: dict[str, str] = {}
    for lang in languages:
        for name, entries in read_rule_file(DATA_DIR / lang / "toponyms.txt").items():
            merged[name] += entries
        demonyms.update(read_demonyms(DATA_DIR / lang / "demonyms.tsv"))
    connectors = frozenset(word for phrase in merged["connectors"] for word in phrase.casefold().split())
    return Rules(
        language=language,
        genitive_suffixes=_longest_first(merged["genitive_suffixes"]),
        adjective_endings=_longest_first(merged["adjective_endings"]),
        place_nouns=_longest_first(merged["place_nouns"]),
        place_prepositions=_longest_first(merged["place_prepositions"]),
        connectors=connectors,
        person_titles=_longest_first(merged["person_titles"]),
        org_prefixes=_longest_first(merged["org_prefixes"]),
        org_suffixes=_longest_first(merged["org_suffixes"]),
        organisations=_longest_first(merged["organisations"]),
        common_words=frozenset(w.casefold() for w in merged["common_words"]),
        not_places=frozenset(w.casefold() for w in merged["not_places"]),
        demonyms=demonyms,
        calendar_words=calendar_words(language),
        function_words=frozenset(w.casefold() for name in ("person_titles", "place_nouns", "org_prefixes",
                                                           "org_suffixes") for w in merged[name]),
    )


@cache
def calendar_words(language: str) -> frozenset[str]:
    """Month and weekday names (CLDR, via babel) in the language and in English: never places alone."""
    from babel import Locale, UnknownLocaleError

    words = set()
    for lang in {language, "en"}:
        try:
            locale = Locale.parse(lang)
        except (UnknownLocaleError, ValueError):
            continue
        for width in ("wide", "abbreviated"):
            words.update(locale.months["format"][width].values())
            words.update(locale.days["format"][width].values())
    return frozenset(w.casefold().rstrip(".") for w in words)


# --------------------------------------------------------------------------- word classes

@cache
def _tagger(language: str):
    """HanTa's tagger for a language (None if it has no model), for analysing single words.

    Its table of tag transitions between words (LP_trans_word: 12 MB for German, 16 MB for English)
    serves only to tag whole sentences (``tag_sent``), which Dateline never asks for; it is dropped,
    so that a call that would need it fails loudly instead of holding the memory in every process.
    """
    from HanTa import HanoverTagger

    model = {"de": "morphmodel_ger.pgz", "en": "morphmodel_en.pgz"}.get(language)
    if not model:
        return None
    tagger = HanoverTagger.HanoverTagger(model)
    del tagger.LP_trans_word
    return tagger


PROPER_TAGS = {"de": "NE", "en": "NP0"}
# Tags (prefixes) of closed word classes in HanTa's tag sets (STTS for German, CLAWS5 for English):
# prepositions, articles, conjunctions, pronouns, particles. Such a word is capitalised only at the
# start of a sentence ("Von Odessa bis Istanbul"), never as part of a person's name.
CLOSED_CLASS_TAGS = {"de": ("APP", "APZR", "ART", "KO", "PP", "PD", "PI", "PRE", "PRF", "PW", "PT", "PAV", "PROAV"),
                     "en": ("PRP", "PRF", "TO0", "AT0", "CJ", "DT", "DPS", "PN", "AVQ")}
COMMON_WORD_ZIPF = 4.0   # wordfreq: about once per 100,000 words of English
CACHED_WORDS = 1 << 15   # per process, the readings of the words seen last (a batch meets new names forever)


_key = lru_cache(maxsize=CACHED_WORDS)(normalise)
"""The gazetteer key of a name (cached: an article's names come back in every article)."""


@lru_cache(maxsize=CACHED_WORDS)
def is_common_word(word: str, language: str) -> bool:
    """True when a capitalised word is, in this language, first of all a word and not a name.

    German capitalises every noun, so HanTa's lexicon (NE proper noun vs NN common noun) tells
    "Zug" the train from "Berlin"; English words are checked in lower case ("Nice" -> adjective).
    """
    rules = rules_for(language)
    if word.casefold() in rules.common_words:
        return True
    languages = [language] if language in PROPER_TAGS else ["en", "de"]
    return any(_tagged_as_word(word, lang) for lang in languages)


@lru_cache(maxsize=CACHED_WORDS)
def _tagged_as_word(word: str, language: str) -> bool:
    """HanTa's reading, trusted only where it is lexicon knowledge and not a guess.

    An English word HanTa does not know gets a noun tag too, so English also asks for the word
    to be frequent in lower case (wordfreq): "mission" is, "nome" is not. That look-up comes first:
    it is a hundred times cheaper than HanTa's analysis, and a rare word needs no tag.
    """
    if language == "en":
        from wordfreq import zipf_frequency

        if zipf_frequency(word.lower(), "en") < COMMON_WORD_ZIPF:
            return False
    if _listed_as_word(word, language):
        return True
    likeliest = _tagger(language).int2tag.get(_likeliest_tag(word, language))
    if likeliest is not None and likeliest != PROPER_TAGS[language]:
        return True  # the analysis ends in this tag, or in "UNKNOWN" where no path of morphemes does
    tag = _analysis(word, language)[1]
    return tag is not None and tag != PROPER_TAGS[language]


def _listed_as_word(word: str, language: str) -> bool:
    """Is the word in HanTa's lexicon, listed without the proper-noun tag? Then its analysis tags
    it as a word, in either case, and need not be run. (HanTa tags a lexicon word with one of the
    tags listed for it, or "UNKNOWN" where its morphemes fail; checked for every such form of both
    models, lower-case and capitalised: 82,712 analyses, no exception. A test re-checks a sample.)"""
    tagger = _tagger(language)
    key = word.lower()
    tags = tagger.cache.get(key)
    if tags is None or tagger.normalize(word) != key:
        return False
    proper = tagger.tag2int[PROPER_TAGS[language]]
    return all(tag != proper for tag, _lp in tags)


@lru_cache(maxsize=CACHED_WORDS)
def _likeliest_tag(word: str, language: str) -> int | None:
    """The first half of HanTa's analysis (``analyze``): its forward pass, which picks the tag. The
    second, which spells the word in morphemes of that tag, is only run where it can matter."""
    try:
        return _tagger(language)._tag_word(word, cutoff=0, casesensitive=True)[0][0]
    except Exception:  # HanTa raises on odd input (digits, symbols)
        return None


@lru_cache(maxsize=CACHED_WORDS)
def _analysis(word: str, language: str) -> tuple[tuple, str | None]:
    """HanTa's morphemes and tag for a word (no tag for input HanTa cannot take): ``analyze``, in
    two steps."""
    tag = _likeliest_tag(word, language)
    if tag is None:
        return (), None
    try:
        _lemma, morphemes, tag = _tagger(language)._analyze(word, tag, taglevel=3)
    except Exception:
        return (), None
    return tuple(morphemes), tag


def is_compound(word: str, language: str) -> bool:
    """HanTa reads the word as a compound ("Eisen+hütte+n+stadt"): a guess for unknown names."""
    return sum(1 for _m, tag in _analysis(word, language)[0] if tag in ("NN", "NE", "ADJ", "VV")) > 1


def is_name_like(word: str, language: str) -> bool:
    """A capitalised word that reads as (part of) a proper name, such as a person's surname."""
    if not word[:1].isupper() or word.isupper() and len(word) > 1 and language != "en":
        return False
    head, _, tail = word.partition("-")
    if tail[:1].islower():  # "Jong-un", "Il-sung": compounds capitalise both parts ("US-Präsident")
        return True
    languages = [language] if language in PROPER_TAGS else ["en", "de"]
    return all(not _tagged_as_word(word, lang) and not _closed_class(word, lang) for lang in languages)


@lru_cache(maxsize=CACHED_WORDS)
def _closed_class(word: str, language: str) -> bool:
    """A preposition, article, conjunction or pronoun written with a capital ("Von", "Between")."""
    prefixes = CLOSED_CLASS_TAGS.get(language, ())
    lowered = word.lower()
    if not prefixes or not _may_be_closed_class(lowered, language):
        return False
    tag = _analysis(lowered, language)[1] or ""
    return tag.startswith(prefixes)


def _may_be_closed_class(word: str, language: str) -> bool:
    """Could HanTa tag ``word`` closed-class at all? Most words (names above all) are answered from
    its lexicon and morphemes (:class:`_ClosedClassPaths`) without its analysis."""
    paths = _closed_class_paths(language)
    if paths is None:
        return True
    tagger = _tagger(language)
    key = tagger.normalize(word)
    if key in tagger.cache:  # a word of HanTa's lexicon gets one of the tags listed for it
        return key in paths.lexicon
    return paths.spell(key)


@dataclass(frozen=True)
class _ClosedClassPaths:
    """The ways HanTa's model can tag a word closed-class, read off the model.

    Outside its lexicon, HanTa tags a word by the best path of morphemes through its states
    (analyze_forward): from the start state, each step takes a morpheme of a tag that may follow,
    and a path ends in a class from certain last states. A closed-class tag is possible only if some
    path spells the word with morphemes the model knows for their tags (none of these tags takes
    unknown morphemes), whatever the probabilities: :meth:`spell` checks that much.
    """

    lexicon: frozenset[str]                           # words listed with a closed-class tag
    follows: dict[tuple[int, int], tuple[int, ...]]   # state -> tags that may follow on such a path
    morphemes: dict[int, frozenset[str]]              # tag -> the morphemes it knows
    last: frozenset[tuple[int, int]]                  # states from which a path ends closed-class

    def spell(self, word: str) -> bool:
        reached: list[set[tuple[int, int]]] = [set() for _ in range(len(word) + 1)]
        reached[0].add(_START_STATE)
        for start in range(len(word)):
            for state in reached[start]:
                for tag in self.follows.get(state, ()):
                    known = self.morphemes[tag]
                    for end in range(start + 1, len(word) + 1):
                        if word[start:end] in known:
                            reached[end].add((state[1], tag))
        return not reached[-1].isdisjoint(self.last)


_START_STATE = (0, 1)  # HanTa's (EMPTY, START)


@cache
def _closed_class_paths(language: str) -> _ClosedClassPaths | None:
    """The :class:`_ClosedClassPaths` of a language's model; None if a tag on such a path takes
    unknown morphemes (LP_hapax_t and LP_s_t), where no word could be ruled out."""
    tagger = _tagger(language)

    def closed(tag: int) -> bool:
        return tagger.int2tag.get(tag, "").startswith(CLOSED_CLASS_TAGS[language])

    last = {state for state, finals in tagger.LP_trans_final.items() if any(closed(-tag) for tag, _lp in finals)}
    useful, grown = set(last), True  # the states from which a path can still end closed-class
    while grown:
        before = len(useful)
        useful |= {state for state, follows in tagger.LP_trans_nonfinal.items()
                   if any((state[1], tag) in useful for tag, _lp in follows)}
        grown = len(useful) > before
    follows = {state: tuple(tag for tag, _lp in tagger.LP_trans_nonfinal.get(state, ()) if (state[1], tag) in useful)
               for state in useful}
    tags = {tag for followers in follows.values() for tag in followers}
    if any(tag in tagger.LP_hapax_t and tag in tagger.LP_s_t for tag in tags):
        return None
    lexicon = frozenset(word for word, tagged in tagger.cache.items() if any(closed(tag) for tag, _lp in tagged))
    return _ClosedClassPaths(lexicon, follows, {tag: frozenset(tagger.LP_m_t.get(tag, ())) for tag in tags},
                             frozenset(last))


# --------------------------------------------------------------------------- recognition

def tokenize(text: str) -> list[Token]:
    """Words with their offsets (abbreviation dots and genitive apostrophes stay on the word)."""
    return list(_tokens(text))


@lru_cache(maxsize=2)
def _tokens(text: str) -> tuple[Token, ...]:
    """:func:`tokenize`, kept for the article at hand: the place names and the demonyms both read
    its words. Tuples made in C (a Token's own constructor is Python, a third of the time)."""
    return tuple(map(_new_token, [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]))


_new_token = partial(tuple.__new__, Token)


def find_toponyms(text: str, sentences: tuple[tuple[int, int], ...], language: str,
                  gazetteer: Gazetteer) -> list[Toponym]:
    """Every place name in the text, left to right, longest match first, filtered by context."""
    rules = rules_for(language)
    tokens = tokenize(text)
    spans = _candidate_spans(text, tokens, rules)
    key_of = {name: _key(name) for _s, _e, names, _h in spans for name in names}
    matches = gazetteer.lookup_keys(set(key_of.values()))
    keyed = [(start, end, key) for start, end, names, hyphen_part in spans
             for key in [next((key_of[n] for n in names if key_of[n] in matches), None)]
             if key and (not hyphen_part or _prominent(matches[key]))]
    kinds = {start: {m.candidate.kind for m in matches[key]} for start, _end, key in keyed}
    context = _Context(text, tokens, sentences, rules, _organisation_spans(text, rules), kinds)
    for start, end, key in keyed:
        context.note_span(start, end, key, matches[key])
    found = []
    for start, end, key in keyed:
        toponym = context.accept(start, end, key, matches[key])
        if toponym:
            found.append(toponym)
    return _with_qualifiers(text, _longest_non_overlapping(found))


MAX_UNKNOWN_TOKENS = 4
UNKNOWN_CUES = ("preposition", "place noun")


def unknown_names(text: str, sentences: tuple[tuple[int, int], ...], language: str,
                  found: list[Toponym], gazetteer: Gazetteer) -> list[tuple[int, int, str]]:
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
    context = _Context(text, tokens, sentences, rules, _organisation_spans(text, rules), {})
    sentence_starts = {start for start, _end in sentences}
    names, i = [], 0
    while i < len(tokens):
        if not tokens[i].text[:1].isupper():
            i += 1
            continue
        last = i  # capitalised words in a row, within the sentence: no "and", no "on Friday"
        while last + 1 < len(tokens) and last + 1 - i < MAX_UNKNOWN_TOKENS and tokens[last + 1].text[:1].isupper() \
                and text[tokens[last].end:tokens[last + 1].start] == " " and tokens[last + 1].start not in sentence_starts:
            last += 1
        while last > i and tokens[last].text.casefold().rstrip(".") in rules.calendar_words:
            last -= 1
        start, surface = tokens[i].start, _without_clitic(text[tokens[i].start:tokens[last].end].rstrip("."))
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
    if any(w.casefold() in rules.function_words or w.casefold().rstrip(".") + "." in rules.function_words
           or _known_word(w.rstrip("."), rules) for w in words):
        return False
    before = regex.compile(r"\b(\p{Lu}[\p{Ll}\p{M}]+(?:-\p{Ll}+)?) " + regex.escape(surface) + r"\b")
    if any(is_name_like(m.group(1), rules.language) and m.group(1).casefold() not in rules.function_words
           for m in before.finditer(text)):  # a first name before it; not "Dorf Chassan"
        return False
    if len(words) > 1:  # "James Baker ... Baker said": a surname comes back alone, a place's last word rarely
        first, surname = words[0], words[-1]
        alone = regex.compile(r"(?<!" + regex.escape(first) + r"\s)\b" + regex.escape(surname) + r"\b")
        return alone.search(text) is None
    return True


def _known_word(word: str, rules: Rules) -> bool:
    """A word the language's lexicon or its word frequencies know. Not HanTa's guess: it guesses
    "noun" for a foreign name it has never seen ("Tumangang"), which is what is asked about here."""
    if word.casefold() in rules.common_words:
        return True
    languages = [rules.language] if rules.language in PROPER_TAGS else ["en", "de"]
    from wordfreq import zipf_frequency

    return any(_listed_as_word(word, language) or zipf_frequency(word, language) >= COMMON_WORD_ZIPF
               for language in languages)


def _without_clitic(surface: str) -> str:
    """"Dorset’s" -> "Dorset": the possessive is grammar, not part of the name."""
    for clitic in ("'s", "’s", "'", "’"):
        if surface.endswith(clitic) and len(surface) > len(clitic) + 2:
            return surface[: -len(clitic)]
    return surface


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Does [start, end) overlap one of ``spans`` (sorted, not overlapping each other)? Of the spans
    that start before ``end``, the last one reaches farthest."""
    i = bisect.bisect_left(spans, (end,))
    return i > 0 and spans[i - 1][1] > start


def _candidate_spans(text: str, tokens: list[Token], rules: Rules) -> list[tuple[int, int, list[str], bool]]:
    """(start, end, look-up keys, is a hyphen part) for every n-gram that could be a name."""
    capitalised = [word[:1].isupper() or word[:1] == "(" and word[1:2].isupper() for _s, _e, word in tokens]
    spans = []
    for i, first in enumerate(tokens):
        if not capitalised[i]:
            continue
        if first.text.startswith("("):
            spans.append((first.start + 1, first.end - 1, [first.text[1:-1]], False))
            continue
        spans.extend(_span_variants(text, first.start, first, rules))
        for j in range(i + 1, min(i + MAX_NAME_TOKENS, len(tokens))):
            last = tokens[j]
            if not _joins(text, tokens[j - 1], last, capitalised[j], rules):
                break
            if capitalised[j] or last.text.startswith("("):
                spans.extend(_span_variants(text, first.start, last, rules))
        if "-" in first.text:
            spans.extend(_hyphen_parts(first))
    return spans


def _joins(text: str, previous: Token, token: Token, capitalised: bool, rules: Rules) -> bool:
    """May ``token`` (``capitalised``: it starts a name) continue a name that ``previous`` is part of?"""
    gap = text[previous.end:token.start]
    if gap != " ":
        return False
    return capitalised or token.text.casefold() in rules.connectors


def _span_variants(text: str, start: int, last: Token, rules: Rules) -> list[tuple[int, int, list[str], bool]]:
    """The n-gram as written, without an abbreviation dot, and without a genitive ending (as
    :func:`_candidate_spans` gives them: no hyphen part)."""
    surface = text[start:last.end]
    variants = [(start, last.end, [surface], False)]
    if surface.endswith("."):
        variants.append((start, last.end - 1, [surface[:-1]], False))
        surface = surface[:-1]
    folded = surface.casefold()
    stripped = [surface[: -len(suffix)] for suffix in rules.genitive_suffixes
                if folded.endswith(suffix) and len(surface) - len(suffix) >= 3] \
        if folded.endswith(rules.genitive_suffixes) else []
    for base in stripped:
        # An apostrophe clitic is grammar, not name ("China's" -> "China"); a fused ending is
        # part of the word and of the mention ("Russlands").
        end = start + len(base) if surface[len(base)] in "'’" else start + len(surface)
        variants.append((start, end, [base], False))
    declined = _adjective_variants(surface, rules.adjective_endings)
    if declined:
        variants.append((start, start + len(surface), declined, False))
    return variants


def _adjective_variants(surface: str, endings: tuple[str, ...]) -> list[str]:
    """Other endings of a leading adjective: "Schwarzen Meer" -> "Schwarzes Meer", "Schwarze Meer"."""
    first, space, rest = surface.partition(" ")
    if not space:
        return []
    folded = first.casefold()
    ending = next((e for e in endings if folded.endswith(e) and len(first) > len(e) + 2), None)
    if ending is None:
        return []
    stem = first[: -len(ending)]
    return [f"{stem}{other} {rest}" for other in endings if other != ending]


def _hyphen_parts(token: Token) -> list[tuple[int, int, list[str], bool]]:
    """Capitalised parts of a hyphenated word ("US-Präsident", "Russia-Ukraine")."""
    if "-" not in token.text:
        return []
    parts, offset = [], token.start
    for part in token.text.split("-"):
        if part[:1].isupper() and len(part) >= 2:
            parts.append((offset, offset + len(part), [part], True))
        offset += len(part) + 1
    return parts


def _organisation_spans(text: str, rules: Rules) -> list[tuple[int, int]]:
    """Where the rules' organisations are named. The pattern (case-insensitive, 0.4 ms per 4 KB)
    runs only if one of them is in the case-folded text, as it must be to match."""
    pattern, folded_phrases = _phrase_pattern(rules.organisations)
    folded = case_folded(text)
    if not any(phrase in folded for phrase in folded_phrases):
        return []
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


@cache
def _phrase_pattern(phrases: tuple[str, ...]) -> tuple[regex.Pattern, tuple[str, ...]]:
    """The phrases as one case-insensitive whole-word pattern, and each of them case-folded."""
    body = "|".join(regex.escape(p) for p in phrases) or "(?!)"
    pattern = regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{body})(?![\p{{L}}\p{{N}}])", regex.IGNORECASE)
    return pattern, tuple(case_folded(p) for p in phrases)


def case_folded(text: str) -> str:
    """``text`` case-folded as far as the regex module's IGNORECASE tells letters apart: it also takes
    "İ" (whose case folding is "i" and a combining dot) for "i". A case-insensitive match of a phrase
    in a text is always a match of the folded phrase in the folded text (tests/test_toponyms.py)."""
    return text.casefold().replace("\u0307", "")


@cache
def _by_edge(phrases: tuple[str, ...], edge: int) -> dict[str, tuple[str, ...]]:
    """The phrases by their last (edge -1) or first (edge 0) character: a text can only end (or
    start) with the phrases filed under its own last (first) character."""
    index: dict[str, list[str]] = {}
    for phrase in phrases:
        index.setdefault(phrase[edge:][:1], []).append(phrase)
    return {char: tuple(group) for char, group in index.items()}


def _ends_with_phrase(before: str, phrases: dict[str, tuple[str, ...]]) -> bool:
    """Does the text ``before`` a name end with one of the phrases (``_by_edge(.., -1)``; as whole words)?"""
    tail = before[-40:].casefold().rstrip()
    for phrase in phrases.get(tail[-1:], ()) + phrases.get("", ()):
        if tail.endswith(phrase) and (len(tail) == len(phrase) or not tail[-len(phrase) - 1].isalnum()):
            return True
    return False


def _starts_with_phrase(after: str, phrases: dict[str, tuple[str, ...]]) -> bool:
    """Does the text ``after`` a name start with a space and one of the phrases (``_by_edge(.., 0)``)?"""
    head = after[:40].casefold()
    if not head.startswith(" "):
        return False
    head = head[1:]
    return any(head.startswith(p) and (len(head) == len(p) or not head[len(p)].isalnum())
               for p in phrases.get(head[:1], ()) + phrases.get("", ()))


class _Context:
    """The context filters, applied to one candidate name at a time."""

    def __init__(self, text: str, tokens: list[Token], sentences, rules: Rules,
                 organisations: list[tuple[int, int]], kinds_at: dict[int, set[str]]) -> None:
        self.text, self.tokens, self.rules = text, tokens, rules
        # Where a name of a country, region or sea begins (qualifiers: "Paris, Texas"), and where
        # one that is never a person's name begins ("Russia Ukraine" is two places).
        self.region_starts = {start for start, kinds in kinds_at.items() if kinds - {"city"}}
        self.nation_starts = {start for start, kinds in kinds_at.items() if kinds & set(NATION_KINDS)}
        self.spans_of: dict[str, list[tuple[int, int, tuple[Match, ...]]]] = {}
        self.token_starts = [t.start for t in tokens]
        self.sentence_starts = sorted({s for s, _e in sentences})
        self.organisations = organisations
        self._ends = {section: _by_edge(getattr(rules, section), -1)
                      for section in ("person_titles", "org_prefixes", "place_prepositions", "place_nouns")}
        self._org_suffixes = _by_edge(rules.org_suffixes, 0)
        self._place_nouns = _by_edge(rules.place_nouns, 0)
        self._memo: dict[tuple, Any] = {}

    def _memoised(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """``compute()``, once per key: the variants and n-grams of one name share their start and
        end, and both passes ask about each of them."""
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = compute()
        return found

    def _after(self, start: int, section: str) -> bool:
        """Does a phrase of the rules' ``section`` ("person_titles", ...) end right before ``start``?"""
        return self._memoised(("after", start, section), lambda: _ends_with_phrase(
            self.text[max(0, start - 40):start], self._ends[section]))

    def note_span(self, start: int, end: int, key: str, matches: tuple[Match, ...]) -> None:
        """First pass: where each name is mentioned, for :meth:`_is_person`."""
        self.spans_of.setdefault(key, []).append((start, end, matches))

    def _is_person(self, key: str) -> bool:
        """A name seen as part of a person's name anywhere ("Kim Jong-un") stays a person's. Asked
        only of a mention that passed every other filter: the tagger's questions cost the most."""
        return self._memoised(("person", key), lambda: any(
            self._reads_as_person(start, end, matches) for start, end, matches in self.spans_of[key]))

    def _reads_as_person(self, start: int, end: int, matches: tuple[Match, ...]) -> bool:
        return self._after(start, "person_titles") or (
            not _strong(matches) and self._inside_personal_name(start, end, matches)) or (
            not any(m.candidate.kind in NATION_KINDS for m in matches)
            and self._memoised(("surname", start), lambda: self._surname_position(start)))

    def _surname_position(self, start: int) -> bool:
        """After a first name ("Abraham Lincoln"): the name is a person's throughout the article."""
        previous, _ = self._neighbours(start, start)
        return previous is not None and is_name_like(previous.text, self.rules.language) and \
            previous.text[-1:] not in "'’s"

    def accept(self, start: int, end: int, key: str, matches: tuple[Match, ...]) -> Toponym | None:
        surface = self.text[start:end]
        matches = self._case_compatible(surface, matches)
        if not matches or self._rejected(start, end, surface, matches):
            return None
        cue = self._cue(start, end)
        # The filters that ask the tagger come last, cheapest and most decisive first.
        if cue is None and self._needs_cue(start, surface, key, matches):
            return None
        if self._inside_personal_name(start, end, matches):
            return None
        if not (cue and _strong(matches)) and self._is_person(key):
            return None
        start = self._after_place_noun(start, surface)
        return Toponym(start, end, self.text[start:end], key, matches, cue)

    def _after_place_noun(self, start: int, surface: str) -> int:
        """The mention of "Kanton Zug" is "Zug": the noun says what it is, the name which one."""
        folded = surface.casefold()
        nouns = self._place_nouns.get(folded[:1], ()) + self._place_nouns.get("", ())
        noun = next((n for n in nouns if folded.startswith(n + " ")), None)
        return start + len(noun) + 1 if noun and len(surface) > len(noun) + 1 else start

    def _case_compatible(self, surface: str, matches: tuple[Match, ...]) -> tuple[Match, ...]:
        """Abbreviations (USA, UK) match only in capitals; capitals match names only in datelines."""
        if _all_caps(surface):
            return matches
        return tuple(match for match in matches if not _short_acronym(match.form))

    def _rejected(self, start: int, end: int, surface: str, matches: tuple[Match, ...]) -> bool:
        """The filters that need no tagger: organisations, demonyms, calendar and rule words, capitals."""
        rules, folded = self.rules, surface.casefold()
        if any(s <= start and end <= e for s, e in self.organisations):
            return True
        if folded in rules.demonyms and all(m.candidate.kind == "city" for m in matches):
            return True  # "Russen", "Texan"; but "Schweden" is both Swedes and Sweden
        if folded.rstrip(".") in rules.calendar_words or folded in rules.not_places:
            return True
        if folded in rules.function_words or folded + "." in rules.function_words:
            return True  # "Sen.", "Kanton", "Air": the rules' own words are never places alone
        if _all_caps(surface) and not _is_acronym_match(matches) and not self._at_line_start(start):
            return True
        if self._after(start, "person_titles") or self._after(start, "org_prefixes"):
            return True
        return _starts_with_phrase(self.text[end:end + 40], self._org_suffixes)

    def _inside_personal_name(self, start: int, end: int, matches: tuple[Match, ...]) -> bool:
        """"Donald Trump", "Wladimir Putin", "George Washington": a name beside another name."""
        if _all_caps(self.text[start:end]) and _is_acronym_match(matches):
            return False  # "U.S. Navy", "UK Border Force": acronyms are not parts of personal names
        language = self.rules.language
        if self._memoised(("name-like", start, end), lambda: any(
                is_name_like(word, language) and not _closed_class(word, language)
                for word in self._capitalised_neighbours(start, end))):
            return True
        # A small town beside any capitalised word is most likely part of a longer name (English).
        return language == "en" and not _strong(matches) and self._memoised(("capitalised", start, end), lambda: any(
            not _closed_class(word, language) for word in self._capitalised_neighbours(start, end)))

    def _capitalised_neighbours(self, start: int, end: int) -> list[str]:
        """The words right beside a span that are capitalised. Only these can make it part of a
        longer name (unless closed-class: "Von Odessa"), so no lower-case word is sent to the tagger,
        and a neighbour is asked whether it is closed-class only where the answer matters."""
        return [t.text for t in self._neighbours(start, end) if t is not None and t.text[:1].isupper()]

    def _neighbours(self, start: int, end: int) -> tuple[Token | None, Token | None]:
        i = bisect.bisect_left(self.token_starts, start)
        j = bisect.bisect_left(self.token_starts, end)
        previous = self.tokens[i - 1] if i > 0 and self.text[self.tokens[i - 1].end:start] == " " else None
        following = self.tokens[j] if j < len(self.tokens) and self.text[end:self.tokens[j].start] == " " else None
        if following is not None and following.start in self.nation_starts:
            following = None
        if previous is not None and previous.start in self.nation_starts:
            previous = None
        return previous, following

    def _needs_cue(self, start: int, surface: str, key: str, matches: tuple[Match, ...]) -> bool:
        """A single word that is also a common word needs a cue before it counts as a place.

        So does an inflected small town ("Kims Zug"): the genitive of a name reads as a person's,
        and so does a hamlet: whatever the tagger says of the word, which then need not be asked.
        """
        if " " in surface.strip() or any(m.flags & CURATED for m in matches) and _strong(matches):
            return False
        inflected = _key(surface.rstrip(".")) != key
        if not _strong(matches) and (inflected or all(m.candidate.population < 1000 for m in matches)):
            return True
        word = matches[0].form if inflected else surface.rstrip(".")
        language = self.rules.language
        if is_common_word(word, language):
            return not (_known_town(matches) and is_compound(word, language))
        return language == "en" and self._sentence_initial(start) and is_common_word(word.lower(), language)

    def _cue(self, start: int, end: int) -> str | None:
        """What right around a name says "place": "nach Zug", "Kanton Zug", "ins dänische Gedser"."""
        before = self.text[max(0, start - 40):start]
        if before.endswith(" ") and self._after(start, "place_prepositions"):
            return "preposition"
        if before.endswith(" ") and self._after(start, "place_nouns"):
            return "place noun"
        previous = before.rstrip().rsplit(None, 1)[-1:] if before.endswith(" ") else []
        if previous and previous[0].casefold() in self.rules.demonyms:
            return "demonym"
        if self._at_line_start(start) and DATELINE_AFTER.match(self.text, end):
            return "dateline"
        if self.text[end:end + 2] in (", ", " (") and end + 2 in self.region_starts:
            return "qualifier"
        if self.text[end:end + 2] == " (" and end + 1 in self.region_starts:
            return "qualifier"
        return None

    def _at_line_start(self, start: int) -> bool:
        """At the start of a line, or after other dateline places: "ISTANBUL/ODESSA (Reuters) –"."""
        line_start = self.text.rfind("\n", 0, start) + 1
        return DATELINE_PREFIX.fullmatch(self.text, line_start, start) is not None

    def _sentence_initial(self, start: int) -> bool:
        i = bisect.bisect_right(self.sentence_starts, start) - 1
        if i < 0:
            return True
        return not self.text[self.sentence_starts[i]:start].strip(" \t\"'„“‚‘»«(-–—")


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


def _strong(matches: tuple[Match, ...]) -> bool:
    """Countries, regions, seas and big cities: names a reader takes as places without a cue."""
    return any(m.candidate.kind != "city" or m.candidate.population >= STRONG_POPULATION or m.capital
               for m in matches)


def _known_town(matches: tuple[Match, ...]) -> bool:
    """A town of some size known by this very name (not only by an alternate name)."""
    return any(m.flags & PRIMARY and m.candidate.population >= KNOWN_TOWN_POPULATION for m in matches)


def _prominent(matches: tuple[Match, ...]) -> bool:
    """Names that stand for a place inside a compound ("US-Präsident"; not "Corona-Pandemie")."""
    return any(m.candidate.kind != "city" or m.capital or m.candidate.population >= 1_000_000
               for m in matches)


def _longest_non_overlapping(found: list[Toponym]) -> list[Toponym]:
    chosen: list[Toponym] = []
    taken: list[tuple[int, int]] = []
    for toponym in sorted(found, key=lambda t: (-(t.end - t.start), t.start)):
        if all(toponym.end <= s or toponym.start >= e for s, e in taken):
            chosen.append(toponym)
            taken.append((toponym.start, toponym.end))
    return sorted(chosen, key=lambda t: t.start)


def _with_qualifiers(text: str, toponyms: list[Toponym]) -> list[Toponym]:
    """Link "Paris, Texas" and "Halle (Saale)": a region or country right after a name qualifies it."""
    result = list(toponyms)
    for i, (name, following) in enumerate(zip(toponyms, toponyms[1:])):
        gap = text[name.end:following.start]
        if gap in (", ", " (", ",") and any(m.candidate.kind != "city" for m in following.matches):
            result[i] = Toponym(name.start, name.end, name.text, name.key, name.matches,
                                name.cue or "qualifier", following.key)
    return result


def demonym_countries(text: str, language: str) -> Counter[str]:
    """How often each country's demonym ("russische", "Russian") occurs: evidence, not mentions."""
    demonyms = rules_for(language).demonyms
    counts: Counter[str] = Counter()
    for _start, _end, word in _tokens(text):
        country = demonyms.get(word.casefold())
        if country:
            counts[country] += 1
    return counts
