"""The language of an article: a vote of function words, else py3langid's statistical model.

Why two steps: the model takes half a second to load, and most articles are told by their
function words alone. Which languages vote is data: each language with a ``function_words.txt``
in its folder (read through :mod:`geo.lang.registry`).
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from geo.lang.registry import FALLBACK_LANGUAGES, cached_per_language, language, languages_with

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

__all__ = ["detect_language", "load_language_model"]

FUNCTION_WORDS = "function_words.txt"


def detect_language(text: str) -> str:
    """ISO 639-1 code: by function words where they leave no doubt, else by py3langid.

    Very short strings (a headline, a place name) fool any statistical model, so short Latin-script
    text (under 20 letters) is told among the languages with a ``function_words.txt`` only, the
    languages Dateline is built for. No letters at all: the first fallback language.
    """
    sample = text[:10_000]
    letters = sum(map(str.isalpha, sample[:2_000]))
    if letters == 0:
        return FALLBACK_LANGUAGES[0]
    voted = _function_word_vote(sample)
    if voted:
        return voted
    identifier = _identifier()
    if letters < 20 and _mostly_latin(sample[:2_000]):
        candidates = _voting_languages()
        ranked = (code for code, _ in identifier.rank(sample) if code in candidates)
        return next(ranked, None) or identifier.classify(sample)[0]
    return identifier.classify(sample)[0]


_WORD = re.compile(r"\w+")
VOTE_MIN_SHARE, VOTE_MIN_RATIO, VOTE_MIN_WORDS = 0.15, 4, 40


def _function_word_vote(sample: str) -> str | None:
    """The language whose function words leave no doubt, else None (ask py3langid).

    The voters are the languages with a ``function_words.txt``. A German or English article is a
    third function words; one clear vote saves loading the statistical model (half a second) on
    every cold start.
    """
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < VOTE_MIN_WORDS:
        return None
    hits = {code: sum(map(_function_words(code).__contains__, words)) for code in _voting_languages()}
    if not hits:
        return None
    best, *others = sorted(hits, key=hits.get, reverse=True)
    runner_up = hits[others[0]] if others else 0
    if hits[best] >= VOTE_MIN_SHARE * len(words) and hits[best] >= VOTE_MIN_RATIO * max(runner_up, 1):
        return best
    return None


@cached_per_language
def _voting_languages() -> tuple[str, ...]:
    """The languages with a function-word list, in the registry's order."""
    return languages_with(FUNCTION_WORDS)


@cached_per_language
def _function_words(code: str) -> frozenset[str]:
    """The language's ``function_words.txt``: one lower-case word per line, ``#`` comments."""
    lines = language(code).file(FUNCTION_WORDS).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _mostly_latin(text: str) -> bool:
    """Four in five letters from the Latin blocks (a short Cyrillic text is no German headline)."""
    letters = [c for c in text if c.isalpha()]
    return sum(1 for c in letters if c <= "\u024f") * 5 >= len(letters) * 4


def load_language_model() -> None:
    """Load py3langid's model now (half a second) instead of for the first article whose function
    words leave its language open (``pipeline.warm_up`` calls this)."""
    _identifier()


@functools.cache
def _identifier() -> LanguageIdentifier:
    """py3langid's bundled model (no download), loaded once on first use; our own instance."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE)
