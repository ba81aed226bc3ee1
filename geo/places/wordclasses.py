"""Word classes of capitalised words: first of all a word, a name, a closed-class word, a compound?

Why: a gazetteer of 235,000 towns names almost every capitalised word somewhere, so recognition
must know when a capitalised word is a word ("Zug" the train, "Nice" the adjective) or part of a
person's name ("Abraham Lincoln"). German capitalises every noun, so HanTa's lexicon (proper noun
or not) tells "Zug" from "Berlin"; where a language's tagger guesses "noun" for every word it does
not know (English), word frequencies (wordfreq) are asked first. Every language setting (the
tagger's model and tags, casing, the frequency list) comes from the registry (``language.toml``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from geo.lang.frequencies import has_list, load_list, zipf_at_least
from geo.lang.registry import Language, cached_per_language, language, tagger_languages
from geo.places.rules import rules_for

COMMON_WORD_ZIPF = 4.0  # wordfreq: about once per 100,000 words of English
# A capitalised word beside a name is asked whether it is a word from this frequency on: "Courthouse",
# "Educators", "Firefighters" are words, not surnames, though rarer than a place's name must be.
NEIGHBOUR_WORD_ZIPF = 3.0
CACHED_WORDS = 1 << 15  # per process, the readings of the words seen last (a batch meets new names forever)


@cached_per_language
def _tagger(code: str) -> Any:
    """HanTa's tagger for a language (None if it has no model), for analysing single words.

    Its table of tag transitions between words (LP_trans_word: 12 MB for German, 16 MB for English)
    serves only to tag whole sentences (``tag_sent``), which Dateline never asks for; it is dropped,
    so that a call that would need it fails loudly instead of holding the memory in every process.
    """
    model = language(code).tagger_model
    if not model:
        return None
    tagger = _tagger_class()(model)
    del tagger.LP_trans_word
    return tagger


@lru_cache(maxsize=1)
def _tagger_class() -> type:
    """HanTa's tagger, with its set-up step ``reachable`` (which states lead to each final state of
    the morphology) worked out by one walk over the reversed transitions instead of HanTa's scans of
    a list: the same sets, 35 ms sooner for German on a cold start."""
    from HanTa import HanoverTagger

    class Tagger(HanoverTagger.HanoverTagger):
        def reachable(self) -> None:
            leading: dict[int, set[int]] = {}
            for (_, state), followers in self.LP_trans.items():
                for follower in followers:
                    leading.setdefault(follower, set()).add(state)
            self.reachability = {}
            for final in self.int2tag:
                if final >= 0:
                    continue
                found = set(leading.get(final, ()))
                todo = list(found)
                while todo:
                    for state in leading.get(todo.pop(), ()):
                        if state not in found:
                            found.add(state)
                            todo.append(state)
                self.reachability[final] = frozenset(found)

    return Tagger


@cached_per_language(maxsize=CACHED_WORDS)
def is_common_word(word: str, code: str) -> bool:
    """True when a capitalised word is, in this language, first of all a word and not a name.

    German capitalises every noun, so HanTa's lexicon (NE proper noun vs NN common noun) tells
    "Zug" the train from "Berlin"; English words are checked in lower case ("Nice" -> adjective).
    """
    rules = rules_for(code)
    if word.casefold() in rules.common_words:
        return True
    return any(_tagged_as_word(word, lang) for lang in tagger_languages(code))


@cached_per_language(maxsize=CACHED_WORDS)
def is_frequent_word(word: str, code: str) -> bool:
    """Is the word, as written, frequent in the language's running text (wordfreq, at least
    :data:`COMMON_WORD_ZIPF`)? "Brand" and "Höhe" are; "Leoben" and "Pfaffenhofen", which HanTa
    reads as compounds of words, are not. Languages wordfreq does not list have no frequent words."""
    frequency_code = _frequency_code(code)
    return frequency_code is not None and zipf_at_least(word, frequency_code, COMMON_WORD_ZIPF, "small")


@cached_per_language
def _frequency_code(code: str) -> str | None:
    """wordfreq's code for the language, if it has a list for it. Its "small" lists (the words down
    to a Zipf frequency of 3) are enough for a threshold of 4."""
    frequency_code = language(code).cldr_locale.split("_")[0]
    return frequency_code if has_list(frequency_code, "small") else None


def load_word_lists(code: str) -> None:
    """Read now the frequency lists that the word checks of language ``code`` ask (a server's
    warm-up): the small lists of it, of its taggers' and its loanwords' languages, and the full
    list of its ``frequency_language``. A few tens of milliseconds, else paid by the first article."""
    settings = language(code)
    small = {_frequency_code(code), *tagger_languages(code), *settings.loanword_languages} - {None}
    for frequency_code in sorted(small):
        load_list(frequency_code, "small")
    if settings.frequency_language:
        load_list(settings.frequency_language, "best")


def _tagged_as_word(word: str, code: str, min_zipf: float = COMMON_WORD_ZIPF) -> bool:
    """HanTa's reading, trusted only where it is lexicon knowledge and not a guess.

    Where HanTa gives a word it does not know a noun tag too (English), the language names a
    ``frequency_language``, and the word must also be frequent in lower case (wordfreq, at least
    ``min_zipf``): "mission" is, "nome" is not. That look-up comes first: it is a hundred times
    cheaper than HanTa's analysis, and a rare word needs no tag. Each half is cached on its own, so
    a word asked at two frequencies is read by the tagger once.
    """
    frequency_language = language(code).frequency_language
    if frequency_language and not zipf_at_least(word.lower(), frequency_language, min_zipf):
        return False
    return _read_as_word(word, code)


@cached_per_language(maxsize=CACHED_WORDS)
def _read_as_word(word: str, code: str) -> bool:
    """The lexicon's and the tagger's half of :func:`_tagged_as_word`."""
    settings = language(code)
    if _listed_as_word(word, code) or any(_listed_as_word(old, code) for old in _old_spellings(word, settings)):
        return True
    likeliest = _tagger(code).int2tag.get(_likeliest_tag(word, code))
    if likeliest in settings.unknown_tags:
        return False  # "dubai": a tag for what the tagger cannot classify is no word's
    if likeliest is not None and likeliest != settings.proper_noun_tag:
        return True  # the analysis ends in this tag, or in "UNKNOWN" where no path of morphemes does
    tag = _analysis(word, code)[1]
    return tag is not None and tag != settings.proper_noun_tag


def _old_spellings(word: str, settings: Language) -> list[str]:
    """The word as the tagger's lexicon may spell it (``old_spellings`` in language.toml): HanTa's
    German lexicon predates the 1996 reform, so it lists "Einfluß" and guesses "Einfluss" a name."""
    return [
        word[:i] + old + word[i + len(new) :] for new, old in settings.old_spellings for i in [word.rfind(new)] if i > 0
    ]


def _listed_as_word(word: str, code: str) -> bool:
    """Is the word in HanTa's lexicon, listed without the proper-noun tag? Then its analysis tags
    it as a word, in either case, and need not be run. (HanTa tags a lexicon word with one of the
    tags listed for it, or "UNKNOWN" where its morphemes fail; checked for every such form of both
    models, lower-case and capitalised: 82,712 analyses, no exception. A test re-checks a sample.)"""
    tagger = _tagger(code)
    key = word.lower()
    tags = tagger.cache.get(key)
    if tags is None or tagger.normalize(word) != key:
        return False
    proper = tagger.tag2int[language(code).proper_noun_tag]
    return all(tag != proper for tag, _lp in tags)


@cached_per_language(maxsize=CACHED_WORDS)
def _likeliest_tag(word: str, code: str) -> int | None:
    """The first half of HanTa's analysis (``analyze``): its forward pass, which picks the tag. The
    second, which spells the word in morphemes of that tag, is only run where it can matter."""
    try:
        return _tagger(code)._tag_word(word, cutoff=0, casesensitive=True)[0][0]
    except Exception:  # HanTa raises on odd input (digits, symbols)
        return None


@cached_per_language(maxsize=CACHED_WORDS)
def _analysis(word: str, code: str) -> tuple[tuple, str | None]:
    """HanTa's morphemes and tag for a word (no tag for input HanTa cannot take): ``analyze``, in
    two steps."""
    tag = _likeliest_tag(word, code)
    if tag is None:
        return (), None
    try:
        _lemma, morphemes, tag = _tagger(code)._analyze(word, tag, taglevel=3)
    except Exception:
        return (), None
    return tuple(morphemes), tag


def is_known_word(word: str, code: str, min_zipf: float = COMMON_WORD_ZIPF, also: tuple[str, ...] = ()) -> bool:
    """A word the language's lexicon or its word frequencies know: wordfreq's "small" list, of the
    words used at least once in a million (Zipf 3), in the tagger's language and the languages
    ``also`` names, from ``min_zipf`` on. Not HanTa's guess: it guesses "noun" for a foreign name it
    has never seen ("Tumangang"), which is what recognition asks about unknown names."""
    if word.casefold() in rules_for(code).common_words:
        return True
    return any(_listed_as_word(word, lang) for lang in tagger_languages(code)) or any(
        zipf_at_least(word, lang, min_zipf, "small") for lang in dict.fromkeys((*tagger_languages(code), *also))
    )


def is_compound(word: str, code: str) -> bool:
    """HanTa reads the word as a compound ("Eisen+hütte+n+stadt"): a guess for unknown names."""
    tags = language(code).compound_tags
    return sum(1 for _m, tag in _analysis(word, code)[0] if tag in tags) > 1


def is_built_of_words(word: str, code: str, min_zipf: float = COMMON_WORD_ZIPF) -> bool:
    """Is every stem of HanTa's analysis a known word (:func:`is_known_word` at ``min_zipf``), its
    endings aside? An inflected or compound word is ("Sessel+s", "Klang+erzeuger+n"); a name the
    tagger only guesses a noun is not ("Hemeling+en", "Blankenese")."""
    tags = language(code).compound_tags
    stems = [morpheme for morpheme, tag in _analysis(word, code)[0] if tag in tags]
    return bool(stems) and all(is_known_word(stem, code, min_zipf) for stem in stems)


def is_name_like(word: str, code: str) -> bool:
    """A capitalised word that reads as (part of) a proper name, such as a person's surname."""
    if not word[:1].isupper() or word.isupper() and len(word) > 1 and not language(code).all_caps_names:
        return False
    if any(map(str.isdigit, word)):
        return False  # "A429", "M25", "ICE 3": a road's, a train's or a flight's number, no one's name
    head, _, tail = word.partition("-")
    if tail[:1].islower():  # "Jong-un", "Il-sung": compounds capitalise both parts ("US-Präsident")
        return True
    return all(
        not _tagged_as_word(word, lang, NEIGHBOUR_WORD_ZIPF) and not is_closed_class(word, lang)
        for lang in tagger_languages(code)
    )


@cached_per_language(maxsize=CACHED_WORDS)
def is_closed_class(word: str, code: str) -> bool:
    """A preposition, article, conjunction or pronoun written with a capital ("Von", "Between")."""
    prefixes = language(code).closed_class_tags
    lowered = word.lower()
    if not prefixes or not _may_be_closed_class(lowered, code):
        return False
    tag = _analysis(lowered, code)[1] or ""
    return tag.startswith(prefixes)


def _may_be_closed_class(word: str, code: str) -> bool:
    """Could HanTa tag ``word`` closed-class at all? Most words (names above all) are answered from
    its lexicon and morphemes (:class:`_ClosedClassPaths`) without its analysis."""
    paths = _closed_class_paths(code)
    if paths is None:
        return True
    tagger = _tagger(code)
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

    lexicon: frozenset[str]  # words listed with a closed-class tag
    follows: dict[tuple[int, int], tuple[int, ...]]  # state -> tags that may follow on such a path
    morphemes: dict[int, frozenset[str]]  # tag -> the morphemes it knows
    last: frozenset[tuple[int, int]]  # states from which a path ends closed-class

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


@cached_per_language
def _closed_class_paths(code: str) -> _ClosedClassPaths | None:
    """The :class:`_ClosedClassPaths` of a language's model; None if a tag on such a path takes
    unknown morphemes (LP_hapax_t and LP_s_t), where no word could be ruled out."""
    tagger = _tagger(code)
    prefixes = language(code).closed_class_tags

    def closed(tag: int) -> bool:
        return tagger.int2tag.get(tag, "").startswith(prefixes)

    last = {state for state, finals in tagger.LP_trans_final.items() if any(closed(-tag) for tag, _lp in finals)}
    useful, grown = set(last), True  # the states from which a path can still end closed-class
    while grown:
        before = len(useful)
        useful |= {
            state
            for state, follows in tagger.LP_trans_nonfinal.items()
            if any((state[1], tag) in useful for tag, _lp in follows)
        }
        grown = len(useful) > before
    follows = {
        state: tuple(tag for tag, _lp in tagger.LP_trans_nonfinal.get(state, ()) if (state[1], tag) in useful)
        for state in useful
    }
    tags = {tag for followers in follows.values() for tag in followers}
    if any(tag in tagger.LP_hapax_t and tag in tagger.LP_s_t for tag in tags):
        return None
    lexicon = frozenset(word for word, tagged in tagger.cache.items() if any(closed(tag) for tag, _lp in tagged))
    return _ClosedClassPaths(
        lexicon, follows, {tag: frozenset(tagger.LP_m_t.get(tag, ())) for tag in tags}, frozenset(last)
    )
