"""The start index: where a pattern of the grammar can start in a text, found in one pass.

Why a module of its own: trying every pattern at every position is slow; a pattern that starts
with a macro ({month}, {number}) or a literal word ("[Tt]he") is tried only where one of that
macro's forms starts. Digits come from one scan; table forms from a trie of every form of every
such macro, walked from each word start.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import regex

from geo.errors import TimexRulesError
from geo.timeline.templates import DIGITS_START, NUMBER_MACROS, TABLE_MACROS, WHOLE, squeeze

__all__ = ["StartIndex", "Walk", "WALKS_KEPT"]

_WORD = regex.compile(r"\w+")  # its starts are those of "\b\w"
WALKS_KEPT = 65536
# What a word gives: the macros whose forms it starts with, and the trie node after the whole word
# (None: no form goes on past it).
Walk = tuple[tuple[str, ...], dict | None]
_NO_WALK: Walk = ((), None)  # the walk of most words: the one object, told apart by identity


@dataclass(frozen=True)
class StartIndex:
    """Where each macro that starts a pattern can begin in a text (the tagger then tries each pattern
    only there, which keeps it fast): digits from one scan, table forms by walking a trie of every
    form of every such macro from each word start. A pattern that starts with literal words
    ("[Tt]he same {unit}") has the pseudo-macro "=the same", with that one form (a form of several
    words is walked on across the text). A macro ending in WHOLE ("=the same$", see
    :func:`~geo.timeline.templates.first_macros`) starts only where a form ends a word ("the",
    not "they")."""

    macros: frozenset[str]
    digit_macros: frozenset[str]  # number macros and tables that also take digits
    trie: dict  # lower-case, single-spaced forms by character; "" -> the macros that end there

    @classmethod
    def build(cls, macros: set[str], tables: dict[str, dict[str, str]], path: Path) -> StartIndex:
        bases = {macro: macro.removesuffix(WHOLE) for macro in macros}
        digit_macros = {
            macro
            for macro, base in bases.items()
            if base in NUMBER_MACROS or (base in TABLE_MACROS and TABLE_MACROS[base][2])
        }
        trie: dict = {}
        for macro in macros - set(NUMBER_MACROS):
            base = bases[macro]
            for form in [base[1:]] if base.startswith("=") else tables[TABLE_MACROS[base][0]]:
                if not form[:1].isalnum():
                    raise TimexRulesError(f"{path}: {form!r} ({macro}) starts patterns, so it must begin a word")
                node = trie
                for char in squeeze(form).lower():
                    node = node.setdefault(char, {})
                node.setdefault("", set()).add(macro)
        return cls(frozenset(macros), frozenset(digit_macros), trie)

    def positions(
        self, text: str, walks: dict[str, Walk], words: Sequence[regex.Match] | None = None
    ) -> dict[str, list[int]]:
        """Every start position of each macro in ``text``: a superset (the patterns check).

        ``walks``: the caller's cache of each word's :data:`Walk` in this index, kept between texts
        (news repeats its words, so most walks are one look-up); bounded: cleared at WALKS_KEPT words.
        ``words``: every ``\\w+`` run of ``text`` in order, if the caller has them (the tagger reads
        them for the tense cues too); else they are found here.
        """
        found: dict[str, list[int]] = {macro: [] for macro in self.macros}
        if self.digit_macros:
            digits = [m.start() for m in DIGITS_START.finditer(text)]
            for macro in self.digit_macros:
                found[macro] = list(digits)
        if len(walks) > WALKS_KEPT:
            walks.clear()
        for word, (macros, node) in self._starting_words(_WORD.finditer(text) if words is None else words, walks):
            start = word.start()
            for macro in macros:  # the first start of a form here (digits are made unique below)
                found[macro].append(start)
            if node is not None:  # a form goes on past the word ("the day before"): walk the text
                self._walk_on(text, start, word.end(), node, found)
        for macro in self.digit_macros - set(NUMBER_MACROS):  # digits and forms: one sorted list
            found[macro] = sorted(set(found[macro]))
        return found

    def _starting_words(self, words: Iterable[regex.Match], walks: dict[str, Walk]) -> list[tuple[regex.Match, Walk]]:
        """The ``words`` that start a form, with their walks: two words in three start none, and a
        comprehension passes them over faster than a loop."""
        known = walks.get
        return [
            (word, walk)
            for word in words
            if (walk := known(word[0]) or walks.setdefault(word[0], self._walk(word[0]))) is not _NO_WALK
        ]

    def _walk(self, word: str) -> Walk:
        """The macros of the forms that ``word`` starts with, and the trie node after all of it."""
        node, macros = self.trie, []
        for char in word:
            node = node.get(char.lower())
            if node is None:
                break
            macros.extend(macro for macro in node.get("", ()) if not macro.endswith(WHOLE))
        else:  # the forms that end with the word
            macros.extend(macro for macro in node.get("", ()) if macro.endswith(WHOLE))
        if node is not None and all(_WORD.match(char) for char in node if char):
            node = None  # what follows a word is no word character: no form goes on
        return (tuple(dict.fromkeys(macros)), node) if macros or node is not None else _NO_WALK

    @staticmethod
    def _walk_on(text: str, start: int, index: int, node: dict, found: dict[str, list[int]]) -> None:
        """Go on down the trie from ``node`` at ``index``, for the forms of several words."""
        length = len(text)
        while index < length:
            char = text[index]
            if char.isspace():  # a run of white space is one space, as in the forms
                while index + 1 < length and text[index + 1].isspace():
                    index += 1
                char = " "
            node = node.get(char.lower())
            if node is None:
                break
            for macro in node.get("", ()):
                if macro.endswith(WHOLE) and _WORD.match(text, index + 1):
                    continue  # the form ends inside a word
                if not found[macro] or found[macro][-1] != start:
                    found[macro].append(start)
            index += 1
